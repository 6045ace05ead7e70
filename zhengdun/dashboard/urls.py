"""The home page keeps its global name "home": every page and test links to it."""

from django.urls import path

from zhengdun.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
]
