from django.urls import include, path

from zhengdun.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="list"),
    path("users/new/", views.user_add, name="add"),
    path("users/<int:pk>/", views.user_edit, name="edit"),
    path("tokens/", include("zhengdun.accounts.token_urls")),
]
