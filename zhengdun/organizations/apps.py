from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhengdun.organizations"
    label = "organizations"
    verbose_name = "组织"

    def ready(self) -> None:
        from zhengdun.organizations import assignment_checks  # noqa: F401  (registers its workflow guards)
