"""The set-based import (roster/apply.py) on a few hundred rows: what it writes, the tree
it leaves, what it audits, and queries that do not grow with the rows."""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.roster.roster import org, town1_as_it_is, xlsx
from zhengdun.audit.chain import event_digest
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.organizations.choices import Level, PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post
from zhengdun.organizations.services import org_create
from zhengdun.roster import messages as msg
from zhengdun.roster.apply import CODES_LISTED
from zhengdun.roster.reader import FileRejected
from zhengdun.roster.services import ImportRejected, import_roster

YEAR = 2025


def run(data, actor):
    return import_roster(data=data, file_name="全县名册.xlsx", actor=actor, year=YEAR)


def county_file(townships, villages_each, *, prefix="N", members=30):
    """New townships under 某县 (by name), each with villages (by code), secretaries and income."""
    rows = []
    for t in range(townships):
        rows.append(org(f"{prefix}T{t:02}", f"{prefix}{t}镇党委", "某县", 组织类型="党委", 所属领域="农村"))
        for v in range(villages_each):
            rows.append(
                org(
                    f"{prefix}V{t:02}{v:03}",
                    f"{prefix}{t}镇{v}村党支部",
                    f"{prefix}T{t:02}",
                    书记姓名=f"书记{t}-{v}",
                    书记电话=f"139{t:04}{v:04}",
                    党员数=members + v,
                    集体经济收入=f"{v}.5",
                )
            )
    return rows


def counts():
    return (
        Organization.objects.count(),
        Person.objects.count(),
        Post.objects.count(),
        EconomyRecord.objects.count(),
        AuditEvent.objects.count(),
    )


def problems():
    return [list(found) for found in Organization.objects.find_problems()]


def test_it_imports_hundreds_of_new_changed_and_unchanged_rows_into_a_consistent_tree(world, county):
    rows = county_file(6, 50) + town1_as_it_is()
    rows[-3]["党员数"] = 35  # 东关村: changed
    plan = run(xlsx(*rows), county)
    assert (plan.created, plan.updated, plan.unchanged) == (306, 1, 2)
    assert problems() == [[], [], [], [], []]
    county_org = Organization.objects.get(code="C01")
    assert county_org.numchild == 3 + 6
    township = Organization.objects.get(code="NT03")
    assert (township.parent, township.level, township.depth, township.numchild) == (county_org, Level.TOWNSHIP, 2, 50)
    village = Organization.objects.get(code="NV03049")
    assert (village.parent, village.level, village.depth, village.numchild) == (township, Level.VILLAGE, 3, 0)
    assert village.path.startswith(township.path) and village.member_count == 79
    secretary = Post.objects.get(organization=village, role=PostRole.SECRETARY)
    assert (secretary.person.name, secretary.person.phone, secretary.person.organization) == ("书记3-49", "13900030049", village)
    assert EconomyRecord.objects.get(organization=village, year=YEAR).income_wan == Decimal("49.50")
    assert Organization.objects.get(code="V0101").member_count == 35
    # treebeard keeps working on the tree the import left: the next child goes after the last one.
    after = org_create(parent=township, actor=county, code="NV03999", name="后加村党支部")
    assert after.path > village.path and problems() == [[], [], [], [], []]


def test_it_appends_new_children_after_the_existing_ones(world, town1):
    run(xlsx(org("V0104", "北关村党支部", "T01"), org("V0105", "新城村党支部", "T01")), town1)
    children = list(Organization.objects.get_children(Organization.objects.get(code="T01")).values_list("code", flat=True))
    assert children == ["V0101", "V0102", "V0103", "V0104", "V0105"]
    assert Organization.objects.get(code="T01").numchild == 5 and problems() == [[], [], [], [], []]


def test_it_audits_the_file_once_and_each_change_to_what_existed(world, county):
    rows = county_file(2, 3) + town1_as_it_is()
    rows[-3].update({"党员数": 35, "集体经济收入(万元)": 6})  # 东关村: a count and its 2025 income change
    data = xlsx(*rows)
    run(data, county)
    summary = AuditEvent.objects.get(action=Action.IMPORT)
    assert summary.after["sha256"] == hashlib.sha256(data).hexdigest()
    assert summary.after["codes_created"] == {
        "listed": ["NT00", "NT01", "NV00000", "NV00001", "NV00002", "NV01000", "NV01001", "NV01002"],
        "more": 0,
    }
    assert summary.after["codes_updated"] == {"listed": ["V0101"], "more": 0}
    assert summary.note == "导入组织名册“全县名册.xlsx”（2025 年度集体经济收入）：新建 8 个，修改 1 个，未变 2 个"
    change = AuditEvent.objects.get(action=Action.UPDATE, object_type="organizations.organization")
    assert (change.object_id, change.before, change.after) == (
        str(world.village_e.pk),
        {"member_count": 31},
        {"member_count": 35},
    )
    income = AuditEvent.objects.get(action=Action.UPDATE, object_type="organizations.economyrecord")
    assert (income.before, income.after) == ({"income_wan": "4.90"}, {"income_wan": "6.00"})
    assert income.organization_id == world.village_e.pk
    # The rows written in one batch continue the hash chain like rows written one by one.
    chained = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in chained] == list(range(chained[0].seq, chained[0].seq + len(chained)))
    assert all(e.hash == event_digest(e) and e.prev_hash == p.hash for p, e in zip(chained, chained[1:], strict=False))


def test_it_bounds_the_codes_listed_in_the_import_row(world, county, monkeypatch):
    monkeypatch.setattr("zhengdun.roster.apply.CODES_LISTED", 4)
    run(xlsx(*county_file(1, 9)), county)
    listed = AuditEvent.objects.get(action=Action.IMPORT).after["codes_created"]
    assert listed == {"listed": ["NT00", "NV00000", "NV00001", "NV00002"], "more": 6}
    assert CODES_LISTED == 1000


def test_it_changes_nothing_on_a_second_import_of_the_same_big_file(world, county):
    data = xlsx(*county_file(3, 40))
    run(data, county)
    before = counts()
    stamps = dict(Organization.objects.values_list("code", "updated_at"))
    with CaptureQueriesContext(connection) as captured:
        plan = run(data, county)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 123)
    assert counts() == before and dict(Organization.objects.values_list("code", "updated_at")) == stamps
    assert not [q for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_bad_row_at_the_end_refuses_the_whole_file_and_writes_nothing(world, county):
    rows = county_file(4, 50) + [org("NV99", "最后村党支部", "不存在的镇")]
    before = counts()
    with pytest.raises(ImportRejected) as refused:
        run(xlsx(*rows), county)
    assert refused.value.message == msg.ERR_REJECTED.format(n=1)
    assert [str(e) for e in refused.value.row_errors] == [
        "第 206 行：找不到上级组织“不存在的镇”：请填写已有组织或本表中组织的编码或全称"
    ]
    assert counts() == before


def test_a_moved_parent_anywhere_refuses_the_whole_file(world, county):
    rows = county_file(2, 50) + [org("V0201", "北河村党支部", "T01")]
    before = counts()
    with pytest.raises(ImportRejected) as refused:
        run(xlsx(*rows), county)
    assert [str(e) for e in refused.value.row_errors] == [
        "第 104 行：" + msg.ERR_MOVE.format(name="北河村党支部", current="河口镇")
    ]
    assert counts() == before


def test_it_refuses_a_file_over_the_row_limit(world, county, settings):
    settings.IMPORT_MAX_ROWS = 5
    with pytest.raises(FileRejected) as refused:
        run(xlsx(*county_file(1, 5)), county)
    assert refused.value.message == "一次最多导入 5 行，请分批导入"
    assert not Organization.objects.filter(code="NT00").exists()


def test_its_queries_grow_with_the_batches_not_the_rows(world, county):
    def queries(townships, prefix):
        data = xlsx(*county_file(townships, 29, prefix=prefix))
        with CaptureQueriesContext(connection) as captured:
            plan = run(data, county)
        assert plan.created == townships * 30
        return len(captured)

    queries(1, "A")  # the first call also loads the user's permissions and scope, cached afterwards
    few, many = queries(2, "B"), queries(10, "C")
    # Only INSERT batches grow (SQLite takes 999 parameters a statement, 71 organizations):
    # 240 more rows cost a handful of statements, where the per-object services took ten a row.
    assert many - few <= 240 // 40


def test_the_preview_lists_the_first_rows_and_counts_the_rest(as_user, world, county, settings, tmp_path, monkeypatch):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    monkeypatch.setattr("zhengdun.roster.views.PREVIEW_ROWS", 20)
    data = xlsx(*county_file(1, 30))
    response = as_user(county).post(reverse("roster:upload"), {"file": SimpleUploadedFile("名册.xlsx", data), "year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<tr>") == 20 + 1
    assert msg.ROWS_LEFT_OUT.format(n=11).split("；")[0] in page
    assert "新建 <strong>31</strong> 个" in page
