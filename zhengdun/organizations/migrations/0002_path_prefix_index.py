"""Subtree reads are `path LIKE 'prefix%'`. PostgreSQL only uses a btree for
that under the C collation or a pattern operator class; add the latter.
SQLite's LIKE with a prefix is served by the unique index already."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organizations_org_path_prefix ON organizations_organization (path varchar_pattern_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organizations_org_path_prefix")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
