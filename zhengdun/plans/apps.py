from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "zhengdun.plans"
    label = "plans"
    verbose_name = "整顿方案"
