from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhengdun.organizations"
    label = "organizations"
    verbose_name = "组织"
