"""Copy detection pages, included into the plans namespace by plans/urls.py."""

from django.urls import path

from zhengdun.plans import similarity_views

urlpatterns = [
    path("<int:pk>/similar/<int:other_id>/", similarity_views.similar, name="similar"),
    path("<int:pk>/similar/sample/<slug:name>/", similarity_views.similar_sample, name="similar_sample"),
]
