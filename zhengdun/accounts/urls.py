from django.urls import include, path

app_name = "accounts"
urlpatterns: list = [
    path("tokens/", include("zhengdun.accounts.token_urls")),
]
