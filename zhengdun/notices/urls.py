"""Staff pages of the notice, under /plans/ beside the plan pages they belong
to, and the public pages under /p/: short, because they are printed as QR codes."""

from django.urls import path

from zhengdun.notices import views

app_name = "notices"
urlpatterns = [
    path("comments/", views.comments, name="comments"),
    path("comments/<int:comment_id>/answer/", views.answer, name="comment_answer"),
    path("comments/<int:comment_id>/<slug:action>/", views.transition, name="comment_transition"),
    path("<int:plan_id>/notice/", views.notice, name="notice"),
    path("<int:plan_id>/notice/publish/", views.publish, name="publish"),
    path("<int:plan_id>/notice/unpublish/", views.unpublish, name="unpublish"),
]

# Mounted at /p/ in the "public" namespace (zhengdun/urls.py).
public_urlpatterns = [
    path("<slug:token>/", views.public_plan, name="plan"),
    path("<slug:token>/qr.svg", views.public_qr, name="qr"),
]
