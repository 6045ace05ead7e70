from django.urls import path

from zhengdun.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("template/", views.template, name="template"),
]
