from django.urls import include, path

app_name = "organizations"
urlpatterns: list = [
    path("import/", include("zhengdun.organizations.import_urls")),
]
