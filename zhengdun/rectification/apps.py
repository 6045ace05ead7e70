from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "zhengdun.rectification"
    label = "rectification"
    verbose_name = "整顿实施"

    def ready(self) -> None:
        from zhengdun.rectification import guards, jobs, transitions  # noqa: F401  (register their workflow guards and effects)

        jobs.register()
