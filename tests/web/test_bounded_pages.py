"""No page renders an unbounded list (issue 9 §3): each list page holds its page
size however many rows there are, answers in the same number of queries with 5
rows as with 60, and deep organization and audit pages are read by key."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.bulk import add_cases, add_villages, queries_for, table_rows
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.services import campaign_create_from_template
from zhengdun.cases.states import CaseState
from zhengdun.core.http import PAGE_SIZE
from zhengdun.core.widgets import INITIAL_OPTIONS
from zhengdun.identification.views import WARNINGS_PER_UNIT
from zhengdun.organizations.choices import Kind, Level
from zhengdun.organizations.models import Organization
from zhengdun.screening.services import round_open

MANY = 120
ORGS = reverse("organizations:tree")
QUEUE = reverse("identification:queue")
HONESTY = reverse("identification:honesty")
LEDGER = reverse("ledger:index")
AUDIT = reverse("audit:list")


def _flat(client, url, params, grow) -> None:
    """The page's queries with 5 rows and with 60 are the same."""
    grow(5)
    few = queries_for(client, url, params)
    grow(55)
    assert queries_for(client, url, params) == few


# -- the organization list: keyset pages by path ------------------------------------------------


def _walk(client, params, direction: str, start: dict[str, str] | None = None) -> list[list[str]]:
    pages, extra = [], dict(start or {})
    while True:
        page = client.get(ORGS, {**params, **extra}).context["page"]
        pages.append([org.name for org in page.object_list])
        more = page.has_next if direction == "after" else page.has_previous
        if not more:
            return pages
        extra = {direction: page.next_key if direction == "after" else page.previous_key}


def test_the_organization_list_pages_by_path_every_row_once_both_ways(world, as_user, county):
    add_villages(world.town1_org, MANY)
    client = as_user(county)
    forward = _walk(client, {"q": "批量村"}, "after")
    assert [len(p) for p in forward] == [PAGE_SIZE, PAGE_SIZE, MANY - 2 * PAGE_SIZE]
    names = [name for page in forward for name in page]
    assert names == sorted(names) and len(set(names)) == MANY
    last = client.get(ORGS, {"q": "批量村", "after": client.get(ORGS, {"q": "批量村"}).context["page"].next_key}).context["page"]
    backward = _walk(client, {"q": "批量村"}, "before", {"after": last.next_key})
    assert [name for page in reversed(backward) for name in page][: 2 * PAGE_SIZE] == names[: 2 * PAGE_SIZE]


def test_the_organization_list_shows_one_page_and_its_links(world, as_user, county):
    add_villages(world.town1_org, MANY)
    html = as_user(county).get(ORGS, {"q": "批量村"}).content.decode()
    assert table_rows(html, "org-table") == PAGE_SIZE
    assert "下一页" in html and "上一页" not in html and "after=" in html and "page=" not in html


def test_the_organization_lists_deep_page_costs_its_first(world, as_user, county):
    client = as_user(county)
    _flat(client, ORGS, {"q": "批量村"}, lambda n: add_villages(world.town1_org, n))
    first = queries_for(client, ORGS, {"q": "批量村"})
    after = client.get(ORGS, {"q": "批量村"}).context["page"].next_key
    assert queries_for(client, ORGS, {"q": "批量村", "after": after}) == first


@pytest.mark.parametrize("bad", ["'; DROP", "x" * 300, "²", ""])
def test_a_bad_key_reads_as_the_first_page(world, as_user, county, bad):
    add_villages(world.town1_org, 3)
    page = as_user(county).get(ORGS, {"q": "批量村", "after": bad}).context["page"]
    assert [o.name for o in page.object_list][0] == "批量村000党支部" and not page.has_previous


def test_the_organization_list_keeps_to_the_users_subtree(world, as_user, town2):
    add_villages(world.town1_org, 60)
    page = as_user(town2).get(ORGS, {"level": Level.VILLAGE}).context["page"]
    assert {o.name for o in page.object_list} == {"北河村党支部", "中河村党支部"} and not page.has_next


# -- the identification queue --------------------------------------------------------------------


def _proposals(world, campaign, county):
    return lambda n: add_cases(campaign, add_villages(world.town1_org, n), state=CaseState.PROPOSED, actor=county)


def test_the_identification_queue_is_paged(world, campaign, as_user, county):
    _proposals(world, campaign, county)(MANY)
    client = as_user(county)
    html = client.get(QUEUE, {"campaign": campaign.pk}).content.decode()
    assert table_rows(html, "proposals") == PAGE_SIZE and f"待认定的拟定名单（{MANY}）" in html
    assert html.count('name="filed_on"') == PAGE_SIZE + 1  # each row's form, and the dynamic addition's
    last = client.get(QUEUE, {"campaign": campaign.pk, "page": 3}).content.decode()
    assert table_rows(last, "proposals") == MANY - 2 * PAGE_SIZE and "page=2" in last


def test_the_identification_queue_keeps_its_queries_flat(world, campaign, as_user, county):
    _flat(as_user(county), QUEUE, {"campaign": campaign.pk}, _proposals(world, campaign, county))


def test_the_identification_queue_of_another_subtree_is_404(world, as_user, county, town2):
    town1s = campaign_create_from_template(
        template_key="county_two_year_2018", scope=world.town1_org, start_year=2026, actor=county
    )
    assert as_user(town2).get(QUEUE, {"campaign": town1s.pk}).status_code == 404


# -- the ledger preview --------------------------------------------------------------------------


def _listed(world, campaign, county):
    return lambda n: add_cases(campaign, add_villages(world.town1_org, n), state=CaseState.IDENTIFIED, actor=county)


def test_the_ledger_preview_is_paged_and_numbered_across_pages(world, campaign, as_user, county):
    _listed(world, campaign, county)(MANY)
    client = as_user(county)
    html = client.get(LEDGER, {"campaign": campaign.pk}).content.decode()
    assert table_rows(html, "ledger-table") == PAGE_SIZE and f"共 {MANY} 个组织" in html
    second = client.get(LEDGER, {"campaign": campaign.pk, "page": 2})
    numbers = [row.number for row in second.context["ledger"].rows]
    assert numbers == list(range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1))
    assert second.context["ledger"].rows[0].secretary_name.startswith("书记")


def test_the_ledger_preview_keeps_its_queries_flat(world, campaign, as_user, county):
    _flat(as_user(county), LEDGER, {"campaign": campaign.pk}, _listed(world, campaign, county))


def test_the_ledger_unit_picker_is_searched_not_listed(world, campaign, as_user, county):
    county_org = Organization.objects.get(pk=world.county_org.pk)
    for i in range(40):
        Organization.objects.add_child(
            Organization.objects.get(pk=county_org.pk),
            instance=Organization(code=f"TX{i:02}", name=f"新镇{i}", level=Level.TOWNSHIP, kind=Kind.COMMITTEE),
        )
    html = as_user(county).get(LEDGER, {"campaign": campaign.pk}).content.decode()
    picker = html.split('id="ledger-org"')[1].split("</select>")[0]
    assert picker.count("<option") <= INITIAL_OPTIONS + 1 and "selected" in picker and "某县" in picker
    assert 'data-testid="search-org"' in html and reverse("organizations:search") in html


def test_the_ledger_preview_of_another_subtree_is_404(world, campaign, as_user, town2):
    assert as_user(town2).get(LEDGER, {"campaign": campaign.pk, "org": world.town1_org.pk}).status_code == 404


# -- the honest-list check (名单核查) -------------------------------------------------------------


@pytest.fixture
def vacant_villages(world, campaign) -> None:
    """MANY villages without secretary, each warned of as left off the list (one sign is enough here)."""
    Campaign.objects.filter(pk=campaign.pk).update(warn_unlisted_signs=1)
    add_villages(world.town1_org, MANY, staffed=False)


def test_the_honesty_page_shows_a_few_warnings_per_unit_and_links_down(world, campaign, as_user, county, vacant_villages):
    client = as_user(county)
    report = client.get(HONESTY, {"campaign": campaign.pk}).context["report"]
    town1_row = next(row for row in report.rows if row.unit.pk == world.town1_org.pk)
    assert len(town1_row.warnings) > WARNINGS_PER_UNIT  # the villages without secretary are warned of
    html = client.get(HONESTY, {"campaign": campaign.pk}).content.decode()
    assert html.count('data-testid="unit-warning"') <= WARNINGS_PER_UNIT * len(report.rows)
    assert f"另有 {len(town1_row.warnings) - WARNINGS_PER_UNIT} 条提示" in html
    assert f"org={world.town1_org.pk}" in html


def test_the_honesty_page_of_a_township_pages_its_warnings(world, campaign, as_user, county, vacant_villages):
    client = as_user(county)
    response = client.get(HONESTY, {"campaign": campaign.pk, "org": world.town1_org.pk})
    html = response.content.decode()
    total = len(response.context["report"].rows[0].warnings)
    assert total > PAGE_SIZE and html.count('data-testid="unit-warning"') == PAGE_SIZE and "page=2" in html
    last = client.get(HONESTY, {"campaign": campaign.pk, "org": world.town1_org.pk, "page": 99}).content.decode()
    assert last.count('data-testid="unit-warning"') == total - (total - 1) // PAGE_SIZE * PAGE_SIZE


def test_the_honesty_page_of_another_subtree_is_404(world, campaign, as_user, town2):
    assert as_user(town2).get(HONESTY, {"campaign": campaign.pk, "org": world.town1_org.pk}).status_code == 404


# -- the screening round table -------------------------------------------------------------------


def test_the_screening_round_table_is_paged_with_flat_queries(world, campaign, as_user, town1):
    rnd = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    client = as_user(town1)
    url = reverse("screening:detail", args=[rnd.pk])
    _flat(client, url, {}, lambda n: add_villages(world.town1_org, n))
    add_villages(world.town1_org, MANY - 60)
    html = client.get(url).content.decode()
    assert table_rows(html, "screening-table") == PAGE_SIZE and "page=2" in html


def test_the_screening_round_of_another_township_is_404(world, campaign, as_user, town1, town2):
    rnd = round_open(campaign=campaign, jurisdiction=world.town1_org, actor=town1)
    assert as_user(town2).get(reverse("screening:detail", args=[rnd.pk])).status_code == 404


# -- the audit list: keyset pages by id, newest first --------------------------------------------


def _audit_rows(world, county, n: int) -> None:
    for i in range(n):
        record(Action.UPDATE, world.village_e, actor=county, before={"member_count": i}, after={"member_count": i + 1})


def test_the_audit_list_pages_by_key_every_row_once(world, as_user, county, auditor):
    _audit_rows(world, county, MANY)
    client = as_user(auditor)
    seen, params = [], {}
    while True:
        page = client.get(AUDIT, params).context["page"]
        assert len(page.object_list) <= PAGE_SIZE
        seen += [event.pk for event in page.object_list]
        if not page.has_next:
            break
        params = {"after": page.next_key}
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == len(seen) >= MANY
    back = client.get(AUDIT, {"before": seen[PAGE_SIZE]}).context["page"]
    assert [event.pk for event in back.object_list] == seen[:PAGE_SIZE] and not back.has_previous


def test_the_audit_list_keeps_its_queries_flat(world, as_user, county, auditor):
    _flat(as_user(auditor), AUDIT, {}, lambda n: _audit_rows(world, county, n))


def test_the_audit_list_is_refused_to_a_business_role(world, as_user, town1):
    assert as_user(town1).get(AUDIT).status_code == 403


def test_the_honesty_page_keeps_its_queries_flat(world, campaign, as_user, county):
    Campaign.objects.filter(pk=campaign.pk).update(warn_unlisted_signs=1)
    _flat(as_user(county), HONESTY, {"campaign": campaign.pk}, lambda n: add_villages(world.town1_org, n, staffed=False))
