"""帮扶力量: included from organizations/urls.py, so names read organizations:assignments etc."""

from django.urls import path

from zhengdun.organizations import assignment_views as views

urlpatterns = [
    path("assignments/overview/", views.overview, name="assignments_overview"),
    path("<int:pk>/assignments/", views.board, name="assignments"),
    path("<int:pk>/assignments/add/", views.add, name="assignment_add"),
    path("<int:pk>/assignments/<int:post_id>/end/", views.end, name="assignment_end"),
    path("<int:pk>/assignments/support-units/add/", views.unit_add, name="support_unit_add"),
    path("<int:pk>/assignments/support-units/<int:unit_id>/end/", views.unit_end, name="support_unit_end"),
]
