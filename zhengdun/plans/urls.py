from django.urls import path

from zhengdun.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="list"),
    path("case/<int:case_id>/", views.for_case, name="for_case"),
    path("case/<int:case_id>/new/", views.create, name="create"),
    path("case/<int:case_id>/four-reviews/", views.four_review, name="four_review"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/<slug:level>/", views.review, name="review"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/measures/new/", views.measure_edit, name="measure_add"),
    path("<int:pk>/measures/<int:task_id>/", views.measure_edit, name="measure_edit"),
    path("<int:pk>/measures/<int:task_id>/delete/", views.measure_delete, name="measure_delete"),
    path("<int:plan_id>/docx/", views.docx, name="docx"),
]
