"""Put the rows written before the chain existed on it, in the order they were written,
and create the database-time guard (zhengdun/audit/guard.py). Run as the table owner:
on PostgreSQL the append-only trigger is set aside for these updates only."""

from django.db import migrations

from zhengdun.audit import chain, guard


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no table is altered with checks pending
        schema_editor.execute(f"ALTER TABLE {guard.AUDIT_TABLE} DISABLE TRIGGER {guard.APPEND_ONLY_TRIGGER}")
    fields = [f for f in chain.HASHED if f not in ("seq", "prev_hash")]
    prev, seq, batch = chain.GENESIS, 0, []
    for row in AuditEvent.objects.filter(seq__isnull=True).order_by("id").values("id", *fields).iterator(chunk_size=2000):
        seq += 1
        row.update(seq=seq, prev_hash=prev)
        prev = chain.digest(row)
        batch.append(AuditEvent(id=row["id"], seq=seq, prev_hash=row["prev_hash"], hash=prev))
        if len(batch) >= 1000:
            AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    AuditChainHead.objects.update_or_create(pk=chain.HEAD_PK, defaults={"seq": seq, "hash": prev})
    if postgres:
        schema_editor.execute(f"ALTER TABLE {guard.AUDIT_TABLE} ENABLE TRIGGER {guard.APPEND_ONLY_TRIGGER}")
    guard.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_hash_chain")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
