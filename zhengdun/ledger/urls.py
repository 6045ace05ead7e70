from django.urls import path

from zhengdun.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("upload/", views.upload, name="upload"),
    path("upload/confirm/", views.confirm, name="confirm"),
]
