from django.urls import path

from zhengdun.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.index, name="list"),
    path("open/", views.open_round, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/orgs/<int:org_pk>/", views.record, name="record"),
    path("<int:pk>/orgs/<int:org_pk>/propose/", views.propose, name="propose"),
]
