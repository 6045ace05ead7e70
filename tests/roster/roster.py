"""Building roster workbooks in tests, so no binary fixture lives in the repository."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

HEADER = [
    "组织编码",
    "组织名称",
    "上级组织",
    "组织类型",
    "所属领域",
    "书记姓名",
    "书记电话",
    "党员数",
    "户数",
    "人口",
    "集体经济收入(万元)",
]


def xlsx(*rows: dict[str, Any], header: list[str] | None = None, above: list[list[Any]] | None = None) -> bytes:
    """A workbook whose first sheet has `header` then one line per row dict (keyed by header)."""
    header = header or HEADER
    workbook = Workbook()
    sheet = workbook.active
    for line in above or []:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def org(code: str, name: str, parent: str, **extra: Any) -> dict[str, Any]:
    """One roster row; extra keys are the Chinese headers (党员数=30, 书记姓名="李四", 集体经济收入=2.5)."""
    if "集体经济收入" in extra:
        extra["集体经济收入(万元)"] = extra.pop("集体经济收入")
    return {"组织编码": code, "组织名称": name, "上级组织": parent, **extra}


def town1_as_it_is() -> list[dict[str, Any]]:
    """城关镇's villages exactly as the personas' world holds them."""
    return [
        org(
            "V0101",
            "东关村党支部",
            "T01",
            组织类型="党支部",
            所属领域="农村",
            党员数=31,
            户数=420,
            人口=1530,
            书记姓名="王建国",
            书记电话="13812345678",
        ),
        org("V0102", "西关村党支部", "T01", 组织类型="党支部", 所属领域="农村", 党员数=18, 户数=260, 人口=990),
        org("V0103", "南关社区党支部", "城关镇", 所属领域="社区", 党员数=45, 户数=1800, 人口=5200),
    ]
