from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.roster.roster import org, town1_as_it_is, xlsx
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.core.errors import NotPermitted
from zhengdun.core.system import SYSTEM
from zhengdun.organizations.choices import Domain, Kind, Level, PostRole
from zhengdun.organizations.models import EconomyRecord, Organization, Person, Post
from zhengdun.roster import messages as msg
from zhengdun.roster.reader import FileRejected
from zhengdun.roster.services import ImportRejected, default_year, import_roster, preview_roster

YEAR = 2025


def run(data, actor, year=YEAR):
    return import_roster(data=data, file_name="名册.xlsx", actor=actor, year=year)


def rejected(data, actor):
    with pytest.raises(ImportRejected) as exc:
        run(data, actor)
    return [(e.row, e.message) for e in exc.value.row_errors]


def test_it_creates_organizations_with_the_parent_given_by_code_or_by_name(world, town1):
    plan = run(
        xlsx(
            org("V0104", "北关村党支部", "T01", 党员数=20, 户数=200, 人口=800),
            org("V0105", "新城社区党支部", "城关镇", 组织类型="党总支", 所属领域="社区"),
        ),
        town1,
    )
    assert (plan.created, plan.updated, plan.unchanged) == (2, 0, 0)
    north = Organization.objects.get(code="V0104")
    assert north.parent == world.town1_org and north.path.startswith(world.town1_org.path)
    assert (north.level, north.kind, north.domain) == (Level.VILLAGE, Kind.BRANCH, Domain.RURAL)
    assert (north.member_count, north.households, north.population) == (20, 200, 800)
    new_city = Organization.objects.get(code="V0105")
    assert (new_city.parent, new_city.kind, new_city.domain) == (world.town1_org, Kind.GENERAL_BRANCH, Domain.COMMUNITY)
    # New organizations are audited by the import's one row (roster/apply.py), not a row each.
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="organizations.organization").count() == 0
    summary = AuditEvent.objects.get(action=Action.IMPORT)
    assert summary.actor == town1 and summary.org_path == world.town1_org.path
    assert summary.note == "导入组织名册“名册.xlsx”（2025 年度集体经济收入）：新建 2 个，修改 0 个，未变 0 个"
    # The summary also names the file by its SHA-256 and lists the codes it created and changed.
    assert len(summary.after.pop("sha256")) == 64
    assert summary.after == {
        "file": "名册.xlsx",
        "year": 2025,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "codes_created": {"listed": ["V0104", "V0105"], "more": 0},
        "codes_updated": {"listed": [], "more": 0},
    }


def test_it_resolves_a_parent_that_comes_later_in_the_file(world, town1):
    run(
        xlsx(
            org("V010401", "第一党小组支部", "V0104"),
            org("V0104", "北关村党总支", "T01", 组织类型="党总支"),
        ),
        town1,
    )
    child = Organization.objects.get(code="V010401")
    assert child.parent.code == "V0104" and child.parent.parent == world.town1_org
    assert child.depth == 4


def test_it_updates_only_the_changed_fields(world, town1):
    before = Organization.objects.get(code="V0102").updated_at
    rows = town1_as_it_is()
    rows[0]["党员数"] = 33
    plan = run(xlsx(*rows), town1)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 2)
    assert Organization.objects.get(code="V0101").member_count == 33
    assert Organization.objects.get(code="V0102").updated_at == before
    change = AuditEvent.objects.get(action=Action.UPDATE, object_type="organizations.organization")
    assert (change.before, change.after) == ({"member_count": 31}, {"member_count": 33})


def test_it_leaves_a_value_alone_when_its_cell_is_empty(world, town1):
    run(xlsx(org("V0101", "东关村党支部", "T01")), town1)
    village = Organization.objects.get(code="V0101")
    assert (village.member_count, village.domain) == (31, Domain.RURAL)
    assert not AuditEvent.objects.exists()


def test_it_changes_nothing_when_the_same_file_is_imported_again(world, town1):
    data = xlsx(*town1_as_it_is(), org("V0104", "北关村党支部", "T01", 书记姓名="赵六", 集体经济收入=2.5))
    first = run(data, town1)
    assert (first.created, first.unchanged) == (1, 3)
    events = AuditEvent.objects.count()
    stamps = dict(Organization.objects.values_list("code", "updated_at"))
    again = run(data, town1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert AuditEvent.objects.count() == events
    assert dict(Organization.objects.values_list("code", "updated_at")) == stamps
    assert Post.objects.filter(organization__code="V0104", role=PostRole.SECRETARY).count() == 1


def test_it_reports_every_failing_row_and_writes_nothing(world, town1):
    data = xlsx(
        org("V0104", "北关村党支部", "T01"),
        org("V0105", "无主村党支部", "不存在的镇"),
        org("V0104", "重复编码村党支部", "T01"),
        org("V0106", "北关村党支部", "城关镇"),
        org("V0107", "电话村党支部", "T01", 书记姓名="钱七", 书记电话="12345"),
        org("V0108", "负数村党支部", "T01", 党员数=-3),
        org("V0109", "类型村党支部", "T01", 组织类型="党小组", 所属领域="农业"),
        org("", "", "T01"),
        org("V0110", "西关村党支部", "T01"),
    )
    organizations, events = Organization.objects.count(), AuditEvent.objects.count()
    assert rejected(data, town1) == [
        (3, "找不到上级组织“不存在的镇”：请填写已有组织或本表中组织的编码或全称"),
        (4, "组织编码“V0104”与第 2 行重复"),
        (5, "上级组织“城关镇”下的组织名称“北关村党支部”与第 2 行重复"),
        (6, "书记电话“12345”格式不正确，应为 11 位手机号或带区号的固定电话"),
        (7, "党员数不能为负数"),
        (8, "组织类型“党小组”无效，可选：党委、党工委、党总支、党支部、联合党支部"),
        (8, "所属领域“农业”无效，可选：农村、社区、机关、事业单位、学校、国有企业、非公有制企业、社会组织"),
        (9, "组织编码不能为空"),
        (9, "组织名称不能为空"),
        (10, "上级组织“城关镇”下已有名为“西关村党支部”的组织"),
    ]
    assert Organization.objects.count() == organizations
    assert AuditEvent.objects.count() == events


def test_it_rejects_bad_codes_counts_income_and_a_phone_without_a_name(world, town1):
    data = xlsx(
        org("V 01", "空格村党支部", "T01"),
        org("V0111", "小数村党支部", "T01", 户数="12.5", 人口="很多"),
        org("V0112", "收入村党支部", "T01", 集体经济收入=-1),
        org("V0113", "文字收入村党支部", "T01", 集体经济收入="五万"),
        org("V0114", "无名电话村党支部", "T01", 书记电话="13900002222"),
    )
    assert rejected(data, town1) == [
        (2, "组织编码“V 01”格式不正确：只能由字母、数字、下划线或连字符组成，最长 32 位"),
        (3, "户数应为整数，现为“12.5”"),
        (3, "人口应为整数，现为“很多”"),
        (4, "集体经济收入不能为负数"),
        (5, "集体经济收入应为以万元计的数字，现为“五万”"),
        (6, "填写了书记电话，但没有填写书记姓名"),
    ]


def test_it_reports_every_row_of_a_cycle(world, county):
    data = xlsx(
        org("X1", "甲党支部", "X3"),
        org("X2", "乙党支部", "甲党支部"),
        org("X3", "丙党支部", "X2"),
        org("X4", "丁党支部", "X4"),
    )
    assert rejected(data, county) == [
        (2, "上级组织关系形成循环：X1 → X3 → X2 → X1"),
        (3, "上级组织关系形成循环：X1 → X3 → X2 → X1"),
        (4, "上级组织关系形成循环：X1 → X3 → X2 → X1"),
        (5, "上级组织不能是它自己"),
    ]


def test_it_refuses_a_parent_outside_the_township(world, town1):
    data = xlsx(org("V0203", "外镇村党支部", "T02"), org("V0204", "外镇二村党支部", "北河村党支部"))
    assert rejected(data, town1) == [
        # Another township's organizations are answered as unknown: the import confirms nothing outside.
        (2, "找不到上级组织“T02”：请填写已有组织或本表中组织的编码或全称"),
        (3, "找不到上级组织“北河村党支部”：请填写已有组织或本表中组织的编码或全称"),
    ]


def test_it_refuses_to_update_an_organization_outside_the_township(world, town1):
    assert rejected(xlsx(org("V0201", "北河村党支部", "T02", 党员数=99)), town1) == [
        (2, "组织编码“V0201”不可用，请联系上级组织部门"),
    ]
    assert Organization.objects.get(code="V0201").member_count == 22


def test_it_refuses_a_new_parent_for_an_existing_code(world, county):
    assert rejected(xlsx(org("V0101", "东关村党支部", "T02")), county) == [
        (2, "组织“东关村党支部”现属“城关镇”，导入不调整隶属关系；如需调整，请在组织页面使用“调整隶属”功能"),
    ]


def test_it_asks_for_a_code_when_a_parent_name_is_ambiguous(world, county):
    run(xlsx(org("T0101", "党建办党支部", "T01"), org("T0201", "党建办党支部", "T02")), county)
    assert rejected(xlsx(org("X1", "新党支部", "党建办党支部")), county) == [
        (2, "上级组织名称“党建办党支部”对应多个组织，请改填组织编码"),
    ]


def test_it_requires_a_parent_except_for_the_system_creating_a_root(world, county, db):
    assert rejected(xlsx(org("X1", "无上级党支部", "")), county) == [(2, msg.ERR_PARENT_REQUIRED)]
    run(xlsx(org("C02", "另一县", "", 组织类型="党委", 所属领域="机关"), org("C0201", "另一县某镇", "C02")), SYSTEM)
    root = Organization.objects.get(code="C02")
    assert root.parent is None and root.level == Level.COUNTY
    assert Organization.objects.get(code="C0201").level == Level.OTHER
    assert set(AuditEvent.objects.values_list("actor_name", flat=True)) == {"system"}


def test_it_replaces_the_secretary_and_ends_the_old_post(world, town1):
    rows = town1_as_it_is()
    rows[0].update(书记姓名="李四", 书记电话="13711112222")
    plan = run(xlsx(*rows), town1)
    assert plan.updated == 1
    today = timezone.localdate()
    old = Post.objects.get(person=world.secretary_e)
    assert old.ended_on == today
    new = Post.objects.get(organization=world.village_e, role=PostRole.SECRETARY, ended_on__isnull=True)
    assert (new.person.name, new.person.phone, new.started_on) == ("李四", "13711112222", today)
    assert new.person.organization == world.village_e
    events = AuditEvent.objects.count()
    assert run(xlsx(*rows), town1).updated == 0
    assert AuditEvent.objects.count() == events


def test_it_reuses_a_known_person_as_the_new_secretary(world, town1):
    known = Person.objects.create(name="李四", phone="13711112222", organization=world.village_e)
    run(xlsx(org("V0101", "东关村党支部", "T01", 书记姓名="李四", 书记电话="13711112222")), town1)
    assert Post.objects.get(organization=world.village_e, ended_on__isnull=True).person == known
    assert Person.objects.filter(name="李四").count() == 1


def test_it_updates_the_phone_of_the_same_secretary(world, town1):
    run(xlsx(org("V0101", "东关村党支部", "T01", 书记姓名="王建国", 书记电话="0571-88886666")), town1)
    world.secretary_e.refresh_from_db()
    assert world.secretary_e.phone == "0571-88886666"
    assert Post.objects.filter(organization=world.village_e).count() == 1


def test_it_records_income_for_the_given_year(world, town1):
    plan = run(
        xlsx(org("V0101", "东关村党支部", "T01", 集体经济收入=5.2), org("V0102", "西关村党支部", "T01", 集体经济收入="3")),
        town1,
        2025,
    )
    assert plan.updated == 2
    assert EconomyRecord.objects.get(organization=world.village_e, year=2025).income_wan == Decimal("5.20")
    assert EconomyRecord.objects.get(organization=world.village_w, year=2025).income_wan == Decimal("3.00")
    assert run(xlsx(org("V0101", "东关村党支部", "T01", 集体经济收入="5.20")), town1, 2025).updated == 0


def test_it_defaults_to_the_previous_calendar_year():
    assert default_year() == timezone.localdate().year - 1


def test_it_reads_headers_in_any_order_with_spaces_and_full_width_parentheses(world, town1):
    header = [" 上级组织 ", "集体经济收入（万元）", "组织名称", "组织编码", "备注"]
    data = xlsx(
        {" 上级组织 ": "T01", "集体经济收入（万元）": 1.25, "组织名称": "北关村党支部", "组织编码": 104, "备注": "x"},
        header=header,
        above=[["城关镇党组织名册"], []],
    )
    plan = run(data, town1)
    assert plan.rows[0].row == 4
    assert EconomyRecord.objects.get(organization__code="104", year=YEAR).income_wan == Decimal("1.25")


def test_it_names_the_missing_required_columns(world, town1):
    with pytest.raises(FileRejected) as exc:
        preview_roster(data=xlsx(org("V0104", "北关村党支部", "T01"), header=["组织编码", "组织名称"]), actor=town1, year=YEAR)
    assert exc.value.message == "第 1 行：缺少必需的列：上级组织"


def test_it_refuses_a_file_that_is_not_xlsx(world, town1):
    with pytest.raises(FileRejected) as exc:
        preview_roster(data="组织编码,组织名称\n".encode(), actor=town1, year=YEAR)
    assert exc.value.message == msg.ERR_NOT_XLSX


def test_it_refuses_a_file_larger_than_the_limit(world, town1, settings):
    settings.MAX_UPLOAD_BYTES = 2048
    with pytest.raises(FileRejected) as exc:
        preview_roster(data=xlsx(*town1_as_it_is()), actor=town1, year=YEAR)
    assert exc.value.message == "文件过大：导入文件不能超过 2 KB"


def test_it_refuses_a_branch_operator(world, branch1):
    with pytest.raises(NotPermitted) as exc:
        run(xlsx(org("V0104", "北关村党支部", "T01")), branch1)
    assert exc.value.message == "您没有导入组织名册的权限"


def test_it_validates_with_the_same_number_of_queries_for_any_number_of_rows(world, county):
    def queries(count):
        rows = town1_as_it_is() + [
            org(f"N{i:03}", f"新村{i}党支部", "T01" if i % 2 else "城关镇", 书记姓名="某人") for i in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            plan = preview_roster(data=xlsx(*rows), actor=county, year=YEAR)
        assert plan.ok
        return len(captured)

    queries(1)  # the first call also loads the user's permissions and scope, cached afterwards
    assert queries(3) == queries(60) <= 6


def test_it_dry_runs_without_writing(world, town1):
    plan = preview_roster(data=xlsx(org("V0104", "北关村党支部", "T01"), *town1_as_it_is()), actor=town1, year=YEAR)
    assert (plan.created, plan.unchanged) == (1, 3)
    assert not Organization.objects.filter(code="V0104").exists()


def test_it_accepts_the_township_listing_itself_under_the_county(world, town1):
    plan = run(xlsx(org("T01", "城关镇", "某县", 党员数=500), *town1_as_it_is()), town1)
    assert (plan.updated, plan.unchanged) == (1, 3)
    assert Organization.objects.get(code="T01").member_count == 500
