"""认定: mounted under /cases/ beside the cases it decides on."""

from django.urls import path

from zhengdun.identification import views

app_name = "identification"
urlpatterns = [
    path("identification/", views.queue, name="queue"),
    path("identification/<int:campaign_pk>/add/", views.dynamic_add, name="dynamic_add"),
    path("honesty/", views.honesty, name="honesty"),
]
