from django.urls import path

from zhengdun.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_index, name="list"),
    path("export.csv", views.audit_export, name="export"),
]
