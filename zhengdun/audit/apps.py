from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "zhengdun.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from zhengdun.audit import guard, jobs
        from zhengdun.audit.services import record
        from zhengdun.core import recording

        recording.install(record)
        jobs.register()
        # After every migrate, so a changed AUDIT_RETENTION_DAYS reaches the database guard.
        post_migrate.connect(guard.reinstall_after_migrate, sender=self, dispatch_uid="zhengdun_audit_guard")
