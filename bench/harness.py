"""The benchmark harness of issue 9 (part 2): the main pages under 8 concurrent clients.

    .venv/bin/python bench/harness.py --scale county|province|nation --database sqlite|postgres [--no-build]

Builds the data set with bench/nation.py (unless --no-build: the last build of that scale and
database is used), starts the server as `make run` does (`manage.py serve`, waitress with 8
threads) on it, signs in the county, province and nation bench users (password, then the
TOTP code of their device), and for each page lets 8 client threads (keep-alive
connections, one shared signed-in session per user) request it until REQUESTS answers or
BUDGET seconds: p50, p95 and throughput. Each page is also run once per user through Django's
test client in this process to count its queries. Then the server's peak resident memory,
the ledger export against a raw openpyxl write-only writer of the same rows, and the growth of
the county user's p95 from the county-scale run of the same database (bench/results/).
The table goes into bench/README.md between the markers of this scale and database,
replacing the previous run's.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import http.cookiejar
import io
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import nation  # noqa: E402

ROOT = nation.ROOT
CLIENTS = 8
REQUESTS = 40
BUDGET = 6.0
TARGET_P95 = {"sqlite": 80.0, "postgres": 60.0}
TARGET_NATION_USER = 300.0
TARGET_GROWTH = 1.2
RESULTS = ROOT / "bench" / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


class Server:
    def __init__(self, port: int, log: Any) -> None:
        self.port = port
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "8"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("服务未能启动")

    def peak_memory_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def sign_in(port: int, username: str) -> str:
    """The Cookie header of a session past the password and the second factor."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"

    def post(path: str, fields: dict[str, str]) -> str:
        with opener.open(base + path) as page:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
        assert token, path
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}).encode()
        with opener.open(urllib.request.Request(base + path, data=data)) as answer:
            return str(answer.geturl())

    landed = post("/accounts/login/", {"username": username, "password": nation.PASSWORD})
    if "/second-factor/verify/" in landed:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():0{device.digits}d}"
        landed = post("/accounts/second-factor/verify/", {"code": code})
    if "/accounts/" in urllib.parse.urlparse(landed).path:
        raise RuntimeError(f"{username} 未能登录：停在 {landed}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def load(port: int, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """8 clients on one page until REQUESTS answers or BUDGET seconds."""
    times: list[float] = []
    sizes: list[int] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    stop_at = time.perf_counter() + BUDGET

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if len(times) >= REQUESTS or (times and time.perf_counter() > stop_at):
                    break
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                times.append(elapsed)
                sizes.append(len(body))
                statuses.add(answer.status)
        conn.close()

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers=headers)
    conn.getresponse().read()  # warm-up, not counted
    conn.close()
    wall = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "rps": len(times) / wall,
        "n": len(times),
        "kb": statistics.median(sizes) / 1024,
        "status": sorted(statuses),
    }


def pages_for(level: str) -> list[tuple[str, str]]:
    """(label, path) of the pages measured for the bench user of `level`."""
    from zhengdun.accounts.models import User
    from zhengdun.campaigns.models import Campaign
    from zhengdun.cases.models import Case
    from zhengdun.core.http import PAGE_SIZE
    from zhengdun.organizations.models import Organization
    from zhengdun.screening.models import ScreeningRound

    user = User.objects.select_related("organization").get(username=nation.USERS[level])
    org = user.organization
    assert org is not None
    campaign = Campaign.objects.filter(scope__path__startswith=org.path[:8]).order_by("id").first()
    assert campaign is not None
    under = org if level == "county" else campaign.scope
    case = Case.objects.filter(campaign=campaign, organization__path__startswith=under.path).order_by("id").first()
    assert case is not None
    rnd = ScreeningRound.objects.filter(campaign=campaign, jurisdiction__path__startswith=under.path).order_by("id").first()
    assert rnd is not None
    villages = Organization.objects.filter(path__startswith=org.path, level="village").count()
    last = max(1, math.ceil(villages / PAGE_SIZE))
    c = campaign.pk
    return [
        ("首页 home", "/"),
        ("组织列表 第1页 organization list", "/orgs/?level=village"),
        ("组织列表 末页 deep page", f"/orgs/?level=village&page={last}"),
        ("组织详情 organization detail", f"/orgs/{org.pk}/"),
        ("整顿对象列表 case list", f"/cases/?campaign={c}"),
        ("整顿对象详情 case detail", f"/cases/{case.pk}/"),
        ("认定 identification queue", f"/cases/identification/?campaign={c}"),
        ("名单核查 honest-list", f"/cases/honesty/?campaign={c}&org={under.pk}"),
        ("台账预览 ledger preview", f"/ledger/?campaign={c}&org={under.pk}"),
        ("排查轮次 screening round", f"/screening/{rnd.pk}/"),
        ("方案列表 plan list", "/plans/"),
        ("审计记录 audit list", "/audit/"),
        ("API 组织列表", "/api/v1/organizations?limit=50"),
        ("API 整顿对象列表", f"/api/v1/cases?campaign={c}&limit=50"),
        ("API 方案列表", "/api/v1/plans?limit=50"),
    ]


def query_counts(level: str, pages: list[tuple[str, str]]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengdun.accounts.models import ApiToken, User
    from zhengdun.accounts.second_factor.middleware import session_passed

    user = User.objects.get(username=nation.USERS[level])
    client = Client()
    client.force_login(user)
    session = client.session
    session_passed(session, TOTPDevice.objects.get(user=user, confirmed=True))
    session.save()
    _token, raw = ApiToken.issue(user, name="基准查询计数", access=ApiToken.Access.READ)
    counts = {}
    for label, path in pages:
        headers = {"Authorization": f"Bearer {raw}"} if path.startswith("/api/") else {}
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, headers=headers)
        counts[label] = len(ctx.captured_queries)
    return counts


def export_figures(level: str) -> dict[str, Any]:
    """The ledger export of the user's subtree against a raw write-only writer of the same rows."""
    import dataclasses
    import tracemalloc

    from openpyxl import Workbook

    from zhengdun.accounts.models import User
    from zhengdun.campaigns.models import Campaign
    from zhengdun.ledger.services import ledger_export

    user = User.objects.select_related("organization").get(username=nation.USERS[level])
    assert user.organization is not None
    campaign = Campaign.objects.filter(scope__path__startswith=user.organization.path[:8]).order_by("id").first()
    assert campaign is not None
    tracemalloc.start()
    start = time.perf_counter()
    exported = ledger_export(actor=user, campaign=campaign, under=campaign.scope)
    export_s = time.perf_counter() - start
    export_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rows = [[str(v) if v is not None else "" for v in dataclasses.astuple(r)] for r in exported.ledger.rows]
    tracemalloc.start()
    start = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    book.save(io.BytesIO())
    raw_s = time.perf_counter() - start
    raw_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"rows": len(rows), "export_s": export_s, "raw_s": raw_s, "export_mb": export_peak, "raw_mb": raw_peak}


def import_figures(level: str, rows: int) -> dict[str, Any]:
    """A roster of `rows` new villages imported through the service, against raw inserts of the same
    rows (organizations, secretaries, posts, income); both rolled back, so the data set stays as built."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from openpyxl import Workbook

    from bench.bulk import insert, next_id
    from zhengdun.accounts.models import User
    from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post
    from zhengdun.roster.reader import COLUMNS
    from zhengdun.roster.services import default_year, import_roster

    user = User.objects.select_related("organization").get(username=nation.USERS[level])
    assert user.organization is not None
    towns = list(Organization.objects.filter(path__startswith=user.organization.path, level="township").order_by("path")[:200])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("组织名册")
    sheet.append([label for _key, label, _required in COLUMNS])
    new = []
    for i in range(rows):
        town = towns[i % len(towns)]
        values = {
            "code": f"RV{i}",
            "name": f"导入第{i}村党支部",
            "parent": town.code,
            "kind": "党支部",
            "domain": "农村",
            "secretary_name": nation.person_name(i),
            "secretary_phone": f"139{i:08d}",
            "member_count": 30,
            "households": 400,
            "population": 1500,
            "income": 12.5,
        }
        sheet.append([values[key] for key, _label, _required in COLUMNS])
        new.append((town, i))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    start = time.perf_counter()
    with transaction.atomic():
        import_roster(data=data, file_name="基准名册.xlsx", actor=user, year=default_year())
        import_s = time.perf_counter() - start
        transaction.set_rollback(True)
    now = timezone.now()
    start = time.perf_counter()
    with transaction.atomic():
        o0, p0 = next_id(Organization), next_id(Person)
        orgs, seen = [], dict.fromkeys([t.pk for t in towns], 0)
        for n, (town, i) in enumerate(new):
            seen[town.pk] += 1
            orgs.append(
                {
                    "id": o0 + n,
                    "path": town.path + nation.step(town.numchild + seen[town.pk]),
                    "depth": town.depth + 1,
                    "numchild": 0,
                    "code": f"RV{i}",
                    "parent_id": town.pk,
                    "name": f"导入第{i}村党支部",
                    "member_count": 30,
                    "households": 400,
                    "population": 1500,
                }
            )
        insert(Organization, iter(orgs), now=now)
        insert(
            Person,
            ({"id": p0 + n, "name": nation.person_name(n), "organization_id": o["id"]} for n, o in enumerate(orgs)),
            now=now,
        )
        insert(
            Post, ({"person_id": p0 + n, "organization_id": o["id"], "role": "secretary"} for n, o in enumerate(orgs)), now=now
        )
        insert(EconomyRecord, ({"organization_id": o["id"], "year": default_year(), "income_wan": 12.5} for o in orgs), now=now)
        for pk, added in seen.items():
            Organization.objects.filter(pk=pk).update(numchild=F("numchild") + added)
        raw_s = time.perf_counter() - start
        transaction.set_rollback(True)
    return {"rows": rows, "import_s": import_s, "raw_s": raw_s}


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line), "?"
    )
    return f"{os.cpu_count()} cores (nproc), {cpu}, Python {platform.python_version()}"


def database_label(database: str) -> str:
    from django.db import connection

    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def table(result: dict[str, Any], county: dict[str, Any] | None) -> str:
    db, levels = result["database"], result["levels"]
    target = TARGET_P95[db]
    head = "| page | " + " | ".join(f"{lv} user: p50 / p95 ms, req/s, queries" for lv in levels) + " | target |"
    lines = [head, "|---" * (len(levels) + 2) + "|"]
    for label in result["pages"]:
        cells = []
        for lv in levels:
            f = result["figures"][lv][label]
            mark = "" if f["status"] == [200] else f" (HTTP {','.join(map(str, f['status']))})"
            cells.append(f"{f['p50']:.0f} / {f['p95']:.0f}, {f['rps']:.1f}/s, {f['queries']} q, {f['kb']:.0f} KB{mark}")
        nat = result["figures"]["nation"][label]["p95"]
        verdict = [f"p95 ≤ {target:.0f} ms: {'met' if nat <= target else f'missed ({nat / target:.1f}×)'}"]
        verdict.append(f"nation ≤ {TARGET_NATION_USER:.0f} ms: {'met' if nat <= TARGET_NATION_USER else 'missed'}")
        if county and label in county["figures"]["county"]:
            growth = result["figures"]["county"][label]["p95"] / county["figures"]["county"][label]["p95"]
            verdict.append(f"growth {growth:.2f}× (≤ {TARGET_GROWTH}×: {'met' if growth <= TARGET_GROWTH else 'missed'})")
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + "; ".join(verdict) + " |")
    ex, im = result["export"], result["import"]
    ratio = ex["export_s"] / ex["raw_s"] if ex["raw_s"] else float("nan")
    notes = [
        f"Server peak resident memory (VmHWM): {result['peak_mb']:.0f} MB.",
        f"Ledger export of {ex['rows']:,} rows: {ex['export_s']:.2f} s, {ex['export_mb']:.0f} MB traced; raw openpyxl write-only "
        f"writer of the same rows {ex['raw_s']:.2f} s, {ex['raw_mb']:.0f} MB: {ratio:.1f}×"
        " (target ≤ 1.3×, measured at 100,000 rows).",
        f"Roster import of {im['rows']:,} new villages (secretary, income): {im['import_s']:.1f} s, "
        f"{im['rows'] / im['import_s']:,.0f} organizations/s (target ≥ 10,000/s on SQLite); raw inserts of the same rows "
        f"{im['raw_s']:.2f} s, {im['rows'] / im['raw_s']:,.0f}/s: {im['import_s'] / im['raw_s']:.0f}×.",
        f"Build: {result['build']}",
    ]
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"


def write_readme(result: dict[str, Any], county: dict[str, Any] | None) -> None:
    key = f"{result['scale']}-{result['database']}"
    section = (
        f"<!-- bench:{key} -->\n### {result['scale']} scale, {result['db_label']} ({result['date']})\n\n"
        f"Machine: {result['machine']}. {CLIENTS} concurrent clients, up to {REQUESTS} requests or {BUDGET:.0f} s per page "
        f"after one warm-up; times in ms at the client; queries counted once through Django's test client; "
        f"targets of issue 9 (they apply at nation scale, printed beside every run).\n\n"
        f"{table(result, county)}<!-- /bench:{key} -->\n"
    )
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    pattern = re.compile(rf"<!-- bench:{re.escape(key)} -->.*?<!-- /bench:{re.escape(key)} -->\n", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        marker = "## harness.py results\n"
        if marker not in text:
            text += "\n" + marker + "\nWritten by `bench/harness.py`; each run replaces its own scale and database.\n\n"
        text += "\n" + section
    readme.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["county", "province", "nation"], default="county")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default=nation.PG_URL)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--port", type=int, default=8765 + zlib.crc32(nation.CHECKOUT.encode()) % 200)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--import-rows", type=int, default=1000, help="rows of the roster import measured (the cap is 10,000)")
    args = parser.parse_args()
    data_dir = args.data_dir or nation.default_data_dir(args.scale, args.database)
    build_log = "reused the previous build"
    if not args.no_build:
        cmd = [sys.executable, "bench/nation.py", "build", "--scale", args.scale, "--database", args.database]
        cmd += ["--database-url", args.database_url, "--data-dir", str(data_dir)]
        build_log = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip().replace("\n", "; ")
        print(build_log)
    nation.configure(args.database, data_dir, args.database_url)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    import django

    django.setup()
    from zhengdun.accounts.models import ApiToken, User

    server_log = (data_dir / "server.log").open("w")  # waitress's queue-depth warnings go here
    server = Server(args.port, server_log)
    try:
        result: dict[str, Any] = {
            "scale": args.scale,
            "database": args.database,
            "db_label": database_label(args.database),
            "date": datetime.date.today().isoformat(),
            "machine": machine(),
            "build": build_log,
            "levels": ["county", "province", "nation"],
            "figures": {},
        }
        for level in result["levels"]:
            pages = pages_for(level)
            result["pages"] = [label for label, _ in pages]
            result.setdefault("paths", {})[level] = dict(pages)
            cookie = sign_in(args.port, nation.USERS[level])
            _token, raw = ApiToken.issue(User.objects.get(username=nation.USERS[level]), name="基准", access=ApiToken.Access.READ)
            counts = query_counts(level, pages)
            figures = {}
            for label, path in pages:
                headers = {"Authorization": f"Bearer {raw}"} if path.startswith("/api/") else {"Cookie": cookie}
                figures[label] = {**load(args.port, path, headers), "queries": counts[label]}
                f = figures[label]
                print(f"{level:8} {label:36} p50 {f['p50']:6.0f}  p95 {f['p95']:6.0f}  {f['rps']:5.1f}/s  {counts[label]} q")
            result["figures"][level] = figures
        result["peak_mb"] = server.peak_memory_mb()
    finally:
        server.stop()
    result["export"] = export_figures("nation")
    result["import"] = import_figures("nation", args.import_rows)
    print(json.dumps({"export": result["export"], "import": result["import"]}))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.scale}-{args.database}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    county_file = RESULTS / f"county-{args.database}.json"
    county = json.loads(county_file.read_text()) if args.scale != "county" and county_file.exists() else None
    write_readme(result, county)
    print(table(result, county))


if __name__ == "__main__":
    main()
