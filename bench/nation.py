"""A nation-sized data set for the benchmarks (issue 9, part 1), and a check of its tree.

    .venv/bin/python bench/nation.py build --scale county|province|nation --database sqlite|postgres [--data-dir DIR]
    .venv/bin/python bench/nation.py check --database sqlite|postgres [--data-dir DIR]

SQLite writes `DIR/zhengdun.sqlite3` (default /tmp/zd-bench-<checkout>-<scale>-sqlite); PostgreSQL writes into
`zd_bench_<checkout>` on 127.0.0.1 (or --database-url), which the build drops and creates first
(<checkout> is the name of the directory the repository is checked out in).

The tree: one nation root > provinces > cities > counties > townships (one in five a
sub-district with communities) > villages, written with explicit ids and treebeard's
invariants (path of 4-character steps, depth, numchild, and the parent key that mirrors the
path). Every village gets a secretary (Person + Post; one in 25 is vacant), three years of
collective income and two of yearly figures. Each province runs one campaign with ~7% of its
villages as cases spread over the lifecycle, one open screening round per county with
records and findings, plans with three tasks for identified cases (events, evidence rows
of done tasks) and one chained audit row per case. Users `bench_county`, `bench_province`
and `bench_nation` hold the county administrator and inspector roles with a confirmed TOTP
device (the harness signs in with it); their password is PASSWORD.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Each checkout has its own scratch data (several worktrees may benchmark at once):
# the database and directory names carry the checkout's directory name.
CHECKOUT = re.sub(r"[^a-z0-9_]", "_", ROOT.name.lower())
PG_URL = f"postgres://postgres@127.0.0.1:5432/zd_bench_{CHECKOUT}"
PASSWORD = "Bench#2026-zhengdun"
STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PROVINCES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 "
    "湖北 湖南 广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆"
).split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国军华明红英平志强秀兰玉芳海波丽娟敏静伟刚勇毅俊峰磊洋艳杰涛斌霞春梅"
USERS = {"county": "bench_county", "province": "bench_province", "nation": "bench_nation"}
YEAR = 2026


@dataclass(frozen=True)
class Shape:
    provinces: int
    cities: int
    counties: int
    townships: int
    villages: int

    @property
    def total_villages(self) -> int:
        return self.provinces * self.cities * self.counties * self.townships * self.villages


SHAPES = {
    "tiny": Shape(2, 1, 1, 2, 3),
    "county": Shape(1, 1, 1, 13, 17),
    "province": Shape(1, 11, 9, 14, 22),
    "nation": Shape(31, 11, 8, 14, 17),
}


def step(n: int) -> str:
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def person_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 311) % len(GIVEN)]


@dataclass
class Built:
    """What later stages need of the tree: village ids in order, with their path and county."""

    root_id: int = 0
    province_ids: list[int] = field(default_factory=list)
    county_ids: list[int] = field(default_factory=list)
    county_province: list[int] = field(default_factory=list)
    village_ids: list[int] = field(default_factory=list)
    village_paths: list[str] = field(default_factory=list)
    village_county: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _org(oid: int, path: str, parent: int | None, numchild: int, name: str, level: str, kind: str, domain: str) -> dict[str, Any]:
    return {
        "id": oid,
        "path": path,
        "depth": len(path) // STEP,
        "numchild": numchild,
        "code": path,
        "parent_id": parent,
        "name": name,
        "level": level,
        "kind": kind,
        "domain": domain,
    }


def build_tree(shape: Shape, now: datetime.datetime, built: Built) -> None:
    from bench.bulk import insert, next_id
    from zhengdun.organizations.models import Organization

    first = next_id(Organization)
    last_root = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    root_path = step((int(last_root, 36) if last_root else 0) + 1)
    ids = iter(range(first, 1 << 62))
    village_rows: list[dict[str, Any]] = []

    def upper() -> Iterator[dict[str, Any]]:
        built.root_id = next(ids)
        yield _org(built.root_id, root_path, None, shape.provinces, "全国（基准）", "other", "committee", "organ")
        for p in range(shape.provinces):
            pid, ppath, pname = next(ids), root_path + step(p + 1), PROVINCES[p % len(PROVINCES)]
            built.province_ids.append(pid)
            yield _org(pid, ppath, built.root_id, shape.cities, f"{pname}省委", "province", "committee", "organ")
            for c in range(shape.cities):
                cid, cpath = next(ids), ppath + step(c + 1)
                yield _org(cid, cpath, pid, shape.counties, f"{pname}第{c + 1}市委", "city", "committee", "organ")
                for k in range(shape.counties):
                    kid, kpath = next(ids), cpath + step(k + 1)
                    built.county_ids.append(kid)
                    built.county_province.append(p)
                    county_no = len(built.county_ids) - 1
                    yield _org(kid, kpath, cid, shape.townships, f"{pname}{c + 1}市第{k + 1}县委", "county", "committee", "organ")
                    for t in range(shape.townships):
                        tid, tpath = next(ids), kpath + step(t + 1)
                        street = t % 5 == 4
                        tname = f"第{t + 1}街道党工委" if street else f"第{t + 1}镇党委"
                        yield _org(
                            tid,
                            tpath,
                            kid,
                            shape.villages,
                            tname,
                            "township",
                            "working_committee" if street else "committee",
                            "community" if street else "rural",
                        )
                        for v in range(shape.villages):
                            vpath = tpath + step(v + 1)
                            village_rows.append(
                                _org(
                                    0,
                                    vpath,
                                    tid,
                                    0,
                                    f"第{v + 1}{'社区' if street else '村'}党支部",
                                    "village",
                                    "branch",
                                    "community" if street else "rural",
                                )
                            )
                            built.village_county.append(county_no)

    built.counts["organizations"] = insert(Organization, upper(), now=now)
    for row in village_rows:
        row["id"] = next(ids)
        row["member_count"] = 20 + row["id"] % 60
        row["households"] = 200 + row["id"] % 900
        row["population"] = 700 + row["id"] % 3000
        built.village_ids.append(row["id"])
        built.village_paths.append(row["path"])
    built.counts["organizations"] += insert(Organization, iter(village_rows), now=now)


def build_people(built: Built, now: datetime.datetime) -> None:
    from bench.bulk import insert, next_id
    from zhengdun.organizations.models import AnnualFigures, EconomyRecord, Person, Post

    p0 = next_id(Person)
    started = datetime.date(2021, 3, 1)

    def people() -> Iterator[dict[str, Any]]:
        for i, vid in enumerate(built.village_ids):
            yield {"id": p0 + i, "name": person_name(vid), "phone": f"138{vid % 100_000_000:08d}", "organization_id": vid}

    def posts() -> Iterator[dict[str, Any]]:
        for i, vid in enumerate(built.village_ids):
            if i % 25 != 24:  # one secretary post in 25 vacant: a warning sign
                yield {"person_id": p0 + i, "organization_id": vid, "role": "secretary", "started_on": started, "note": ""}

    def economy() -> Iterator[dict[str, Any]]:
        for vid in built.village_ids:
            base = (vid * 37) % 60
            for y, drop in ((YEAR - 3, 0), (YEAR - 2, vid % 3), (YEAR - 1, 2 * (vid % 3))):
                yield {"organization_id": vid, "year": y, "income_wan": Decimal(max(base - drop, 0)) / 2}

    def figures() -> Iterator[dict[str, Any]]:
        for vid in built.village_ids:
            for y in (YEAR - 2, YEAR - 1):
                yield {
                    "organization_id": vid,
                    "year": y,
                    "new_members": (vid + y) % 3,
                    "star_rating": vid % 5 + 1,
                    "petitions": vid % 9,
                }

    built.counts["people"] = insert(Person, people(), now=now)
    built.counts["posts"] = insert(Post, posts(), now=now)
    built.counts["economy"] = insert(EconomyRecord, economy(), now=now)
    built.counts["annual_figures"] = insert(AnnualFigures, figures(), now=now)


# The lifecycle the cases are spread over (share in hundredths of the listed), with the steps
# that led there: (action, from, to).
CASE_STEPS = [
    ("propose", "screened", "proposed"),
    ("identify", "proposed", "identified"),
    ("approve_plan", "identified", "plan_approved"),
    ("start", "plan_approved", "rectifying"),
    ("request_acceptance", "rectifying", "acceptance_requested"),
    ("pass", "acceptance_requested", "delisted"),
]
CASE_MIX = [
    ("proposed", 15),
    ("identified", 20),
    ("plan_approved", 10),
    ("rectifying", 40),
    ("acceptance_requested", 5),
    ("delisted", 10),
]
PLAN_STEPS = [
    ("submit", "draft", "submitted"),
    ("township_pass", "submitted", "township_reviewed"),
    ("county_pass", "township_reviewed", "approved"),
]


def _state_of(n: int) -> str:
    r = n % 100
    for state, share in CASE_MIX:
        if r < share:
            return state
        r -= share
    return CASE_MIX[-1][0]


def build_campaigns(built: Built, now: datetime.datetime) -> None:
    from bench.bulk import insert, next_id
    from zhengdun.campaigns.models import Campaign, CampaignEvent, Criterion
    from zhengdun.cases.models import Case, CaseEvent
    from zhengdun.plans.models import Plan, PlanEvent, Task, TaskEvent
    from zhengdun.rectification.models import Evidence
    from zhengdun.screening.models import Finding, ScreeningRecord, ScreeningRound

    today = now.date()
    c0, k0, r0, s0, case0, plan0, task0 = (
        next_id(m) for m in (Campaign, Criterion, ScreeningRound, ScreeningRecord, Case, Plan, Task)
    )
    campaigns = [
        {
            "id": c0 + p,
            "name": f"{YEAR}年{PROVINCES[p % len(PROVINCES)]}软弱涣散基层党组织整顿（基准）",
            "scope_id": pid,
            "start_year": YEAR,
            "end_year": YEAR + 1,
            "reporting_period": "month",
            "quota_share": Decimal("0.0700"),
        }
        for p, pid in enumerate(built.province_ids)
    ]
    built.counts["campaigns"] = insert(Campaign, iter(campaigns), now=now)
    insert(
        CampaignEvent,
        ({"campaign_id": c["id"], "from_state": "", "to_state": "active", "action": "create", "at": now} for c in campaigns),
        now=now,
    )
    categories = ["班子不健全", "组织软弱", "不按规定开展活动", "宗族势力干扰", "经济发展滞后", "信访矛盾突出"]
    insert(
        Criterion,
        (
            {
                "id": k0 + p * 6 + j,
                "campaign_id": c0 + p,
                "code": f"{j + 1}",
                "category": cat,
                "item": f"{cat}的具体情形",
                "order": j,
            }
            for p in range(len(built.province_ids))
            for j, cat in enumerate(categories)
        ),
        now=now,
    )
    insert(
        ScreeningRound,
        (
            {
                "id": r0 + k,
                "campaign_id": c0 + built.county_province[k],
                "jurisdiction_id": kid,
                "status": "open",
                "opened_at": now,
            }
            for k, kid in enumerate(built.county_ids)
        ),
        now=now,
    )
    listed = [i for i, vid in enumerate(built.village_ids) if (vid * 2654435761) % 100 < 7]
    screened_only = [i for i, vid in enumerate(built.village_ids) if i % 10 == 3 and (vid * 2654435761) % 100 >= 7]
    listed_set = set(listed)
    records: list[dict[str, Any]] = []
    record_of: dict[int, int] = {}
    for i in sorted(listed + screened_only):
        k = built.village_county[i]
        rid = s0 + len(records)
        record_of[i] = rid
        weak = i in listed_set
        records.append(
            {
                "id": rid,
                "round_id": r0 + k,
                "organization_id": built.village_ids[i],
                "method": "field_check",
                "conclusion": "weak" if weak else "not_weak",
                "note": "",
                "screened_on": today,
            }
        )
    built.counts["screening_records"] = insert(ScreeningRecord, iter(records), now=now)
    insert(
        Finding,
        (
            {
                "record_id": r["id"],
                "criterion_id": k0 + built.county_province[r["round_id"] - r0] * 6 + r["id"] % 6,
                "evidence": "排查发现的事实依据",
            }
            for r in records
            if r["conclusion"] == "weak"
        ),
        now=now,
    )
    cases: list[dict[str, Any]] = []
    case_events: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    plan_events: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    task_events: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    order = [s for _, _, s in CASE_STEPS]
    for n, i in enumerate(listed):
        case_id, state = case0 + n, _state_of(n * 53)
        k = built.village_county[i]
        past_identified = order.index(state) >= 1
        cases.append(
            {
                "id": case_id,
                "campaign_id": c0 + built.county_province[k],
                "organization_id": built.village_ids[i],
                "state": state,
                "is_key": n % 10 == 0,
                "screening_record_id": record_of[i],
                "main_problems": "班子软弱，战斗力不强；集体经济薄弱",
                "measures": "选优配强班子；发展集体经济",
                "filed_on": today if past_identified else None,
                "delisted_on": today if state == "delisted" else None,
                "version": order.index(state) + 2,
            }
        )
        case_events.append({"case_id": case_id, "from_state": "", "to_state": "screened", "action": "create", "at": now})
        for action, frm, to in CASE_STEPS[: order.index(state) + 1]:
            case_events.append(
                {"case_id": case_id, "from_state": frm, "to_state": to, "action": action, "at": now, "note": "基准数据"}
            )
        if not past_identified:
            continue
        plan_id = plan0 + len(plans)
        approved = state != "identified"
        plan_status = "approved" if approved else ("submitted" if n % 2 else "draft")
        plans.append(
            {
                "id": plan_id,
                "case_id": case_id,
                "title": f"{built.village_paths[i]} 整顿提升工作方案",
                "status": plan_status,
                "basic_facts": "全村户籍人口一千余人，党员三十余名。",
                "problems": "班子凝聚力不强，组织生活不规范。",
                "goals": "一年内转化升级。",
                "measures_text": "选优配强班子，规范三会一课，发展集体经济。",
                "version": 3 if approved else 1,
            }
        )
        for action, frm, to in PLAN_STEPS[: 3 if approved else (1 if plan_status == "submitted" else 0)]:
            plan_events.append({"plan_id": plan_id, "from_state": frm, "to_state": to, "action": action, "at": now})
        for j, title in enumerate(("选优配强村党组织班子", "规范“三会一课”", "发展壮大村集体经济")):
            task_id = task0 + len(tasks)
            done = state in ("acceptance_requested", "delisted") or (state == "rectifying" and (n + j) % 3 == 0)
            status = "done" if done else ("in_progress" if state == "rectifying" else "not_started")
            tasks.append(
                {
                    "id": task_id,
                    "plan_id": plan_id,
                    "order": j + 1,
                    "title": title,
                    "owner_name": person_name(built.village_ids[i]),
                    "deadline": datetime.date(YEAR, 11, 30),
                    "target": "按期完成",
                    "status": status,
                    "progress": 100 if done else (50 if status == "in_progress" else 0),
                    "completed_on": today if done else None,
                }
            )
            if status != "not_started":
                task_events.append(
                    {"task_id": task_id, "from_state": "not_started", "to_state": "in_progress", "action": "start", "at": now}
                )
            if done:
                task_events.append(
                    {"task_id": task_id, "from_state": "in_progress", "to_state": "done", "action": "complete", "at": now}
                )
                evidence.append(
                    {
                        "task_id": task_id,
                        "file": f"evidence/{plan_id}/bench{task_id}",
                        "original_name": "完成情况证明.pdf",
                        "content_type": "application/pdf",
                        "size": 1024,
                        "sha256": "0" * 64,
                        "uploaded_at": now,
                    }
                )
    built.counts["cases"] = insert(Case, iter(cases), now=now)
    built.counts["case_events"] = insert(CaseEvent, iter(case_events), now=now)
    built.counts["plans"] = insert(Plan, iter(plans), now=now)
    insert(PlanEvent, iter(plan_events), now=now)
    built.counts["tasks"] = insert(Task, iter(tasks), now=now)
    insert(TaskEvent, iter(task_events), now=now)
    built.counts["evidence"] = insert(Evidence, iter(evidence), now=now)
    built.counts["_listed"] = len(listed)
    built.counts["_first_case"] = case0


def build_audit(built: Built) -> None:
    """One chained audit row per case (新建), continuing the chain the database holds."""
    from django.utils import timezone

    from bench.bulk import insert
    from zhengdun.audit import chain
    from zhengdun.audit.models import AuditChainHead, AuditEvent

    now = timezone.now()  # PostgreSQL refuses rows whose time is far from its clock: taken at writing time
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values("seq", "hash").first()
    seq: int = (last["seq"] or 0) if last else 0
    prev: str = last["hash"] if last else chain.GENESIS
    case0 = built.counts["_first_case"]
    ids = set(built.village_ids)
    rows = []
    by_id = dict(zip(built.village_ids, built.village_paths, strict=True))
    from zhengdun.cases.models import Case

    for case_id, org_id in Case.objects.filter(id__gte=case0).order_by("id").values_list("id", "organization_id"):
        if org_id not in ids:
            continue
        seq += 1
        values: dict[str, Any] = {
            "seq": seq,
            "at": now,
            "actor_name": "系统",
            "actor_display": "基准数据",
            "action": "create",
            "object_type": "cases.case",
            "object_id": str(case_id),
            "object_repr": "整顿对象",
            "organization_id": org_id,
            "org_path": by_id[org_id],
            "before": None,
            "after": {"state": "screened"},
            "note": "基准数据",
            "request_id": "",
            "client_ip": "",
            "prev_hash": prev,
        }
        values["hash"] = prev = chain.digest(values)
        rows.append(values)
    built.counts["audit"] = insert(AuditEvent, iter(rows), now=now)
    AuditChainHead.objects.update_or_create(pk=chain.HEAD_PK, defaults={"seq": seq, "hash": prev})


def build_users(built: Built) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengdun.accounts.models import User
    from zhengdun.accounts.roles import Role

    groups = list(Group.objects.filter(name__in=[Role.COUNTY_ADMIN, Role.INSPECTOR]))
    password = make_password(PASSWORD)
    for level, org_id in (("county", built.county_ids[0]), ("province", built.province_ids[0]), ("nation", built.root_id)):
        user, _ = User.objects.update_or_create(
            username=USERS[level], defaults={"organization_id": org_id, "display_name": f"基准{level}", "password": password}
        )
        user.groups.set(groups)
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def build(shape: Shape, *, users: bool = True, audit: bool = True) -> Built:
    """Write the whole data set into the current database, in one transaction."""
    from django.db import connection, transaction
    from django.db.models import Model
    from django.utils import timezone

    from bench.bulk import reset_sequences
    from zhengdun.audit.models import AuditEvent
    from zhengdun.campaigns.models import Campaign, CampaignEvent, Criterion
    from zhengdun.cases.models import Case, CaseEvent
    from zhengdun.organizations.models import AnnualFigures, EconomyRecord, Organization, Person, Post
    from zhengdun.plans.models import Plan, PlanEvent, Task, TaskEvent
    from zhengdun.rectification.models import Evidence
    from zhengdun.screening.models import Finding, ScreeningRecord, ScreeningRound

    now = timezone.now()
    built = Built()
    with transaction.atomic():
        build_tree(shape, now, built)
        build_people(built, now)
        build_campaigns(built, now)
        if audit:
            build_audit(built)
        written: list[type[Model]] = [Organization, Person, Post, EconomyRecord, AnnualFigures, Campaign, CampaignEvent]
        written += [Criterion, ScreeningRound, ScreeningRecord, Finding, Case, CaseEvent, Plan, PlanEvent, Task, TaskEvent]
        reset_sequences([*written, Evidence, AuditEvent])
        if users:
            build_users(built)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return built


def check() -> list[str]:
    """The tree's invariants, by SQL over the whole table; an empty list when it holds."""
    from django.db import connection

    from zhengdun.organizations.models import Organization

    t = connection.ops.quote_name(Organization._meta.db_table)
    parent_path = f"substr(o.path, 1, length(o.path) - {STEP})"
    checks = {
        "深度与路径长度不符": f"SELECT COUNT(*) FROM {t} o WHERE o.depth * {STEP} <> length(o.path)",
        "上级路径不存在": f"SELECT COUNT(*) FROM {t} o WHERE o.depth > 1"
        f" AND NOT EXISTS (SELECT 1 FROM {t} p WHERE p.path = {parent_path})",
        "上级外键与路径不符": f"SELECT COUNT(*) FROM {t} o LEFT JOIN {t} p ON p.id = o.parent_id"
        f" WHERE (o.depth = 1 AND o.parent_id IS NOT NULL) OR (o.depth > 1 AND (p.id IS NULL OR p.path <> {parent_path}))",
        "下级数（numchild）与实际不符": f"SELECT COUNT(*) FROM {t} o"
        f" WHERE o.numchild <> (SELECT COUNT(*) FROM {t} c WHERE c.parent_id = o.id)",
        "路径重复": f"SELECT COUNT(*) FROM (SELECT path FROM {t} GROUP BY path HAVING COUNT(*) > 1) d",
    }
    problems = []
    with connection.cursor() as cursor:
        for label, sql in checks.items():
            cursor.execute(sql)
            (bad,) = cursor.fetchone()
            if bad:
                problems.append(f"{label}：{bad} 个组织")
    return problems


def default_data_dir(scale: str, database: str) -> Path:
    return Path(f"/tmp/zd-bench-{CHECKOUT}-{scale}-{database}")


def configure(database: str, data_dir: Path, database_url: str) -> None:
    """Point Django at the bench database; call before django.setup()."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengdun.settings"
    os.environ["ZHENGDUN_DATA_DIR"] = str(data_dir)
    if database == "postgres":
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)


def reset_database(database: str, data_dir: Path) -> None:
    """An empty database before django.setup(): the SQLite data dir removed, or the PostgreSQL database made anew."""
    if database == "postgres":
        import psycopg
        from psycopg import sql

        url = os.environ["DATABASE_URL"]
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    elif data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["build", "check"])
    parser.add_argument("--scale", choices=sorted(SHAPES), default="county")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default=PG_URL)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir(args.scale, args.database)
    configure(args.database, data_dir, args.database_url)
    if args.command == "build":
        reset_database(args.database, data_dir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.command == "build":
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        built = build(SHAPES[args.scale])
        done = time.perf_counter()
        counts = ", ".join(f"{k} {v:,}" for k, v in built.counts.items() if not k.startswith("_"))
        print(f"{args.scale} on {args.database}: migrate {migrated - start:.1f} s, data {done - migrated:.1f} s ({counts})")
    start = time.perf_counter()
    problems = check()
    print(f"check: {'; '.join(problems) or '树一致'} ({time.perf_counter() - start:.1f} s)")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
