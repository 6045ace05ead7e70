from django.urls import path

from zhengdun.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="list"),
    path("open/<int:campaign_pk>/", views.open_case, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ledger/", views.edit_ledger, name="ledger"),
    path("<int:pk>/do/<slug:action>/", views.transition, name="transition"),
]
