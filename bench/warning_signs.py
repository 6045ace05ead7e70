"""Benchmark: warning signs and the honest-list report for a province-sized tree.

    .venv/bin/python bench/warning_signs.py [--villages 30000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengdun_bench .venv/bin/python bench/warning_signs.py

Builds a scratch database (a temporary SQLite file unless DATABASE_URL is set;
on PostgreSQL it uses that database as is, so point it at a scratch one) with a
province -> cities -> counties -> townships -> villages tree, secretaries,
income and yearly figures, then times compute_signs and honesty_report over the
whole province and over one county, and counts their queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengdun.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["ZHENGDUN_DATA_DIR"] = tempfile.mkdtemp(prefix="zhengdun-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(n: int) -> str:
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def build(villages: int) -> tuple[object, object, object]:
    from zhengdun.campaigns.models import Campaign
    from zhengdun.organizations.models import AnnualFigures, EconomyRecord, Organization, Person, Post

    call_command("migrate", verbosity=0)
    per_township, townships_per_county, counties_per_city = 20, 15, 10
    rows: list[Organization] = []
    province = Organization(path=_step(1), depth=1, numchild=0, code="P", name="省", level="province", kind="committee")
    rows.append(province)
    n_townships = -(-villages // per_township)
    n_counties = -(-n_townships // townships_per_county)
    n_cities = -(-n_counties // counties_per_city)
    made = 0
    for c in range(n_cities):
        city_path = province.path + _step(c + 1)
        rows.append(
            Organization(path=city_path, depth=2, numchild=0, code=f"C{c}", name=f"市{c}", level="city", kind="committee")
        )
        for k in range(counties_per_city):
            county_path = city_path + _step(k + 1)
            rows.append(
                Organization(
                    path=county_path, depth=3, numchild=0, code=f"C{c}K{k}", name=f"县{c}-{k}", level="county", kind="committee"
                )
            )
            for t in range(townships_per_county):
                town_path = county_path + _step(t + 1)
                rows.append(
                    Organization(
                        path=town_path,
                        depth=4,
                        numchild=0,
                        code=f"C{c}K{k}T{t}",
                        name=f"镇{c}-{k}-{t}",
                        level="township",
                        kind="committee",
                    )
                )
                for v in range(per_township):
                    if made >= villages:
                        break
                    rows.append(
                        Organization(
                            path=town_path + _step(v + 1),
                            depth=5,
                            numchild=0,
                            code=f"V{made}",
                            name=f"村{made}",
                            level="village",
                            kind="branch",
                            domain="rural",
                        )
                    )
                    made += 1
    Organization.objects.bulk_create(rows, batch_size=2000)
    by_path = dict(Organization.objects.values_list("path", "id"))
    # The denormalized parent, derived from the paths.
    parents = [(org_id, by_path.get(path[:-STEP])) for path, org_id in by_path.items() if len(path) > STEP]
    objs = [Organization(id=i, parent_id=p) for i, p in parents]
    Organization.objects.bulk_update(objs, ["parent"], batch_size=2000)
    village_ids = list(Organization.objects.filter(level="village").values_list("id", flat=True))
    home = Organization.objects.get(path=province.path)
    people = Person.objects.bulk_create(
        [Person(name=f"书记{i}", phone="13800000000", organization=home) for i in range(len(village_ids))], batch_size=2000
    )
    Post.objects.bulk_create(
        [
            Post(person=p, organization_id=v, role="secretary")
            for i, (p, v) in enumerate(zip(people, village_ids, strict=True))
            if i % 17
        ],
        batch_size=2000,
    )
    EconomyRecord.objects.bulk_create(
        [
            EconomyRecord(organization_id=v, year=y, income_wan=Decimal((i * 7 + y) % 40) / 2)
            for i, v in enumerate(village_ids)
            for y in (2023, 2024, 2025)
        ],
        batch_size=5000,
    )
    AnnualFigures.objects.bulk_create(
        [
            AnnualFigures(organization_id=v, year=y, new_members=(i + y) % 3, star_rating=(i % 5) + 1, petitions=i % 9)
            for i, v in enumerate(village_ids)
            for y in (2024, 2025)
        ],
        batch_size=5000,
    )
    campaign = Campaign.objects.create(name="基准", scope=home, start_year=2026, end_year=2026, reporting_period="month")
    county = Organization.objects.filter(level="county").order_by("path").first()
    return campaign, home, county


def timed(label: str, fn, runs: int = 5) -> None:
    times = []
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<40} median {statistics.median(times) * 1000:8.1f} ms   min {min(times) * 1000:8.1f} ms   queries {queries}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=30_000)
    args = parser.parse_args()
    from zhengdun.identification.honesty import honesty_report
    from zhengdun.screening.signs import compute_signs

    start = time.perf_counter()
    campaign, province, county = build(args.villages)
    print(f"{connection.vendor}: built {args.villages} villages in {time.perf_counter() - start:.1f} s")
    timed(f"compute_signs, province ({args.villages})", lambda: compute_signs(campaign, province), runs=3)
    timed("compute_signs, one county", lambda: compute_signs(campaign, county))
    timed("honesty_report, one county", lambda: honesty_report(campaign, county))
    timed(f"honesty_report, province ({args.villages})", lambda: honesty_report(campaign, province), runs=3)


if __name__ == "__main__":
    main()
