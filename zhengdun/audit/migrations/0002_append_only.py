"""On PostgreSQL the audit table refuses UPDATE and early DELETE (zhengdun/audit/guard.py);
AuditConfig re-creates the guard after every migrate with the current retention period."""

from django.db import migrations

from zhengdun.audit import guard


def forward(apps, schema_editor):
    guard.install(schema_editor.connection)


def backward(apps, schema_editor):
    guard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
