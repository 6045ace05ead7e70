from django.urls import path

from zhengdun.organizations import import_views

urlpatterns = [
    path("", import_views.upload, name="import_upload"),
    path("confirm/", import_views.confirm, name="import_confirm"),
    path("template/", import_views.template, name="import_template"),
]
