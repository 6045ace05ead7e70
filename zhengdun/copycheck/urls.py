"""Copy detection pages, under /plans/<pk>/similar/ beside the plan they compare."""

from django.urls import path

from zhengdun.copycheck import views

app_name = "copycheck"
urlpatterns = [
    path("<int:pk>/similar/<int:other_id>/", views.similar, name="similar"),
    path("<int:pk>/similar/sample/<slug:name>/", views.similar_sample, name="similar_sample"),
]
