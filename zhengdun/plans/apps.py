from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "zhengdun.plans"
    label = "plans"
    verbose_name = "整顿方案"

    def ready(self) -> None:
        from zhengdun.plans import guards  # noqa: F401  (registers its workflow guards)
