from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhengdun.api"
    label = "api"
    verbose_name = "接口"
