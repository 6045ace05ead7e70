from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhengdun.organizations"
    label = "organizations"
    verbose_name = "组织"

    def ready(self) -> None:
        from zhengdun.core.scoping import add_scope_roots
        from zhengdun.organizations.selectors import linked_paths

        add_scope_roots(linked_paths)
