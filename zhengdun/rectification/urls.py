"""URLs of the task pages, under /plans/ beside the plan pages (their paths predate this app)."""

from django.urls import path

from zhengdun.rectification import views

app_name = "rectification"
urlpatterns = [
    path("<int:plan_id>/tasks/", views.task_board, name="task_board"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("tasks/<int:pk>/extensions/", views.extension_request, name="extension_request"),
    path("tasks/evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("tasks/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("tasks/extensions/", views.extensions, name="extensions"),
    path("tasks/extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("tasks/overdue/", views.overdue, name="overdue"),
]
