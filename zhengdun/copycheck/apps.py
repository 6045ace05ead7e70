from django.apps import AppConfig


class CopycheckConfig(AppConfig):
    name = "zhengdun.copycheck"
    label = "copycheck"
    verbose_name = "雷同检测"

    def ready(self) -> None:
        from zhengdun.copycheck.services import on_plan_version_frozen
        from zhengdun.plans.signals import plan_version_frozen

        plan_version_frozen.connect(on_plan_version_frozen, dispatch_uid="copycheck.on_plan_version_frozen")
