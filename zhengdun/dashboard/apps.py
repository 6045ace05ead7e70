from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zhengdun.dashboard"
    label = "dashboard"
    verbose_name = "工作台"
