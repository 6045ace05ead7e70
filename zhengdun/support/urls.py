"""帮扶力量: mounted under /orgs/ beside the organization pages it belongs to."""

from django.urls import path

from zhengdun.support import views

app_name = "support"
urlpatterns = [
    path("assignments/overview/", views.overview, name="overview"),
    path("<int:pk>/assignments/", views.board, name="board"),
    path("<int:pk>/assignments/add/", views.add, name="add"),
    path("<int:pk>/assignments/<int:post_id>/end/", views.end, name="end"),
    path("<int:pk>/assignments/support-units/add/", views.unit_add, name="unit_add"),
    path("<int:pk>/assignments/support-units/<int:unit_id>/end/", views.unit_end, name="unit_end"),
]
