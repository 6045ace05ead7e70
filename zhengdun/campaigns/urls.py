from django.urls import path

from zhengdun.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/thresholds/", views.thresholds, name="thresholds"),
    path("<int:pk>/stages/", views.stages, name="stages"),
    path("<int:pk>/criteria/", views.criteria, name="criteria"),
    path("<int:pk>/transitions/<slug:action>/", views.transition, name="transition"),
]
