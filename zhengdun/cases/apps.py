from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhengdun.cases"
    label = "cases"
    verbose_name = "整顿对象"
