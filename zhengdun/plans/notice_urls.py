"""Staff pages of the public notice, included in the plans namespace."""

from django.urls import path

from zhengdun.plans import notice_views

urlpatterns = [
    path("comments/", notice_views.comments, name="comments"),
    path("comments/<int:comment_id>/answer/", notice_views.answer, name="comment_answer"),
    path("comments/<int:comment_id>/hide/", notice_views.hide, name="comment_hide"),
    path("<int:plan_id>/notice/", notice_views.notice, name="notice"),
    path("<int:plan_id>/notice/publish/", notice_views.publish, name="publish"),
    path("<int:plan_id>/notice/unpublish/", notice_views.unpublish, name="unpublish"),
    path("<int:plan_id>/docx/", notice_views.docx, name="docx"),
]
