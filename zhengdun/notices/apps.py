from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zhengdun.notices"
    label = "notices"
    verbose_name = "公示"
