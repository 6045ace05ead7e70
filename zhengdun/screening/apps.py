from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "zhengdun.screening"
    label = "screening"
    verbose_name = "排查"
