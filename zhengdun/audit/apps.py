from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhengdun.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from zhengdun.audit import signals  # noqa: F401
        from zhengdun.audit.services import record
        from zhengdun.core import recording

        recording.install(record)
