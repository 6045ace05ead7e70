from django.urls import path

from zhengdun.cases import identification_views, views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="list"),
    path("identification/", identification_views.identification, name="identification"),
    path("identification/<int:campaign_pk>/add/", identification_views.dynamic_add, name="dynamic_add"),
    path("honesty/", identification_views.honesty, name="honesty"),
    path("open/<int:campaign_pk>/", views.open_case, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ledger/", views.edit_ledger, name="ledger"),
    path("<int:pk>/do/<slug:action>/", views.transition, name="transition"),
]
