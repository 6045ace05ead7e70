from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "zhengdun.roster"
    label = "roster"
    verbose_name = "花名册导入"
