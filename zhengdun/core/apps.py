from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhengdun.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # The queue's task that runs a job by id, known to every consumer, and core's own daily job.
        from zhengdun.core.jobs import queue, services  # noqa: F401

        services.register()
