"""The audit trail as a CSV file for the audit administrator (audit.export_auditevent).

Rows are read as the exporter may read them (personal numbers masked without
accounts.view_personal_info) and written in chunks, so a long trail streams in
bounded memory. The export is itself a row of the trail, written before the file.

Formula injection: a cell that a spreadsheet could take for a formula (leading
=, +, -, @, tab or CR) gets a leading apostrophe, the usual CSV defence
(OWASP "CSV Injection"); Excel and WPS then show it as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.selectors import EventRow, readable
from zhengdun.audit.services import record
from zhengdun.core.actors import Actor
from zhengdun.core.errors import NotPermitted
from zhengdun.core.masking import can_see_personal_info

EXPORT_PERM = "audit.export_auditevent"
ERR_EXPORT = "只有审计管理员可以导出审计日志"
HEADER = (
    "时间",
    "链序号",
    "操作人账号",
    "操作人",
    "动作",
    "对象类型",
    "对象",
    "变更内容",
    "说明",
    "客户端地址",
    "请求编号",
    "哈希",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500
NOTE = "导出审计日志 {rows} 条"


def safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def file_name() -> str:
    return f"审计日志-{timezone.localtime():%Y%m%d-%H%M%S}.csv"


def _changes(row: EventRow) -> str:
    parts = []
    for c in row.changes:
        if row.event.before is not None and row.event.after is not None:
            parts.append(f"{c.label}：{c.before or '（空）'} → {c.after or '（空）'}")
        else:
            parts.append(f"{c.label}：{c.after or c.before}")
    return "；".join(parts)


def _line(row: EventRow) -> list[str]:
    e = row.event
    values: list[Any] = [
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        e.seq or "",
        e.actor_name,
        row.actor,
        e.get_action_display(),
        row.type_label,
        row.object,
        _changes(row),
        row.note,
        e.client_ip,
        e.request_id,
        e.hash,
    ]
    return [safe_cell(v) for v in values]


def _csv(lines: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue()


def trail_export(*, actor: Actor, events: QuerySet[AuditEvent], filters: dict[str, str]) -> Iterator[str]:
    """Record the export, then the CSV text chunk by chunk (with a BOM, so Excel reads it as UTF-8)."""
    if not actor.has_perm(EXPORT_PERM):
        raise NotPermitted(ERR_EXPORT)
    count = events.count()
    record(
        Action.EXPORT,
        actor=actor,
        after={"export": "audit", "format": "csv", "rows": count, "phones_unmasked": can_see_personal_info(actor), **filters},
        note=NOTE.format(rows=count),
        object_repr="审计日志",
        organization=getattr(actor, "organization", None),
    )
    pks = list(events.values_list("pk", flat=True))

    def lines() -> Iterator[str]:
        yield "\ufeff" + _csv([list(HEADER)])
        for start in range(0, len(pks), CHUNK):
            chunk = AuditEvent.objects.filter(pk__in=pks[start : start + CHUNK]).order_by("-at", "-id")
            yield _csv([_line(row) for row in readable(chunk, actor)])

    return lines()
