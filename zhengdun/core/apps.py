from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhengdun.core"
    label = "core"
    verbose_name = "基础"
