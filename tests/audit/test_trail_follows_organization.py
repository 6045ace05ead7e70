"""An audit row belongs to its organization, not to the path it had: moved, its history moves along."""

from django.urls import reverse

from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.selectors import audit_list
from zhengdun.audit.services import record
from zhengdun.organizations.services import org_move, org_update


def _history_of_village_e(world, county):
    org_update(org=world.village_e, actor=county, member_count=40)
    record(Action.UPDATE, world.secretary_e, actor=county, before={"phone": "13812345678"}, after={"phone": "13812340000"})
    return list(AuditEvent.objects.filter(organization=world.village_e).order_by("id"))


def test_it_links_each_row_to_the_organization_the_object_hangs_on(world, county):
    org_event, person_event = _history_of_village_e(world, county)
    assert org_event.object_type == "organizations.organization" and org_event.organization == world.village_e
    assert person_event.object_type == "organizations.person" and person_event.organization == world.village_e
    assert org_event.org_path == world.village_e.path


def test_it_resolves_an_explicit_path_to_its_organization(world):
    event = record(Action.EXPORT, None, org_path=world.town1_org.path, note="x")
    assert event.organization == world.town1_org and event.org_path == world.town1_org.path
    assert record(Action.IMPORT, None, note="y").organization is None


def test_a_moved_organizations_history_shows_under_its_new_township_only(world, county, town1, town2, audit_reader):
    old_path = world.village_e.path
    events = _history_of_village_e(world, county)
    moved = org_move(org=world.village_e, new_parent=world.town2_org, actor=county)
    assert moved.path.startswith(world.town2_org.path)
    town1, town2 = audit_reader(town1), audit_reader(town2)

    town2_rows = set(audit_list(town2).values_list("pk", flat=True))
    assert {e.pk for e in events} <= town2_rows
    assert not {e.pk for e in events} & set(audit_list(town1).values_list("pk", flat=True))
    # The path at the time stays as history.
    assert [e.org_path for e in AuditEvent.objects.filter(pk__in=[e.pk for e in events])] == [old_path, old_path]


def test_the_audit_pages_of_the_two_townships_follow_the_move(world, as_user, county, town1, town2, audit_reader):
    _history_of_village_e(world, county)
    org_move(org=world.village_e, new_parent=world.town2_org, actor=county)
    town1, town2 = audit_reader(town1), audit_reader(town2)
    url = reverse("audit:list")
    assert "东关村党支部" in as_user(town2).get(url, {"object_type": "organizations.organization"}).content.decode()
    assert "东关村党支部" not in as_user(town1).get(url, {"object_type": "organizations.organization"}).content.decode()
    assert "王建国" in as_user(town2).get(url).content.decode()
    assert "王建国" not in as_user(town1).get(url).content.decode()
