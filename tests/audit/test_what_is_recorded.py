"""Besides writes and sign-ins: bulk reads of personal information, downloads, refused
requests and bad tokens are in the trail, and the audit administrator sees the rows
that belong to no organization (failed sign-ins for unknown account names)."""

from django.urls import reverse

from tests.api.conftest import ApiClient
from tests.conftest import client_for
from tests.plans.plan_support import ready_plan, screened_and_identified
from zhengdun.accounts.models import ApiToken
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.selectors import audit_list

URL = reverse("audit:list")


def _denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.DENIED).order_by("seq"))


def test_a_failed_login_for_an_unknown_name_is_visible_to_the_audit_administrator(world, client, auditor, town1, audit_reader):
    response = client.post(reverse("login"), {"username": "ghost_admin", "password": "whatever1A!"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.organization is None and event.object_repr == "ghost_admin"
    assert event in audit_list(auditor)
    assert event not in audit_list(audit_reader(town1))  # a township's reader sees its own subtree only
    assert "账号 ghost_admin 登录失败" in client_for(auditor).get(URL, {"action": "login_failed"}).content.decode()


def test_a_403_of_a_signed_in_user_is_recorded_once(world, as_user, branch1):
    assert as_user(branch1).get(URL, {"q": "13812345678"}).status_code == 403
    (event,) = _denied()
    assert event.actor == branch1 and event.organization == world.village_e
    assert event.after == {"method": "GET", "path": "/audit/", "status": 403}
    assert event.note == "GET /audit/ 被拒绝（403 无权操作）"
    assert "13812345678" not in str(event.after) + event.note  # the query string is never kept


def test_a_404_on_an_object_out_of_scope_is_recorded(world, as_user, town2):
    path = reverse("organizations:person", args=[world.secretary_e.pk])
    assert as_user(town2).get(path).status_code == 404
    (event,) = _denied()
    assert event.actor == town2 and event.object_repr == path and event.after["status"] == 404
    assert "对象不存在或不在管辖范围内" in event.note


def test_an_unknown_address_and_anonymous_requests_are_not_recorded(world, as_user, client, town2):
    assert as_user(town2).get("/no-such-page/").status_code == 404
    assert client.get(reverse("organizations:person", args=[world.secretary_e.pk])).status_code == 302
    assert _denied() == []


def test_an_api_404_and_a_bad_token_are_recorded(world, town2):
    _token, raw = ApiToken.issue(town2, name="测试")
    assert ApiClient(raw).get(f"/people/{world.secretary_e.pk}").status_code == 404
    assert ApiClient("zd_not_a_real_token").get("/people").status_code == 401
    [found] = _denied()
    assert found.actor == town2 and found.after["status"] == 404
    # The bad token: one row, written where it was refused (the row its throttle counts).
    [bad] = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert bad.actor is None and bad.note == "访问令牌无效、已过期或已吊销" and bad.object_repr == "访问令牌 …oken"
    assert "zd_not_a_real_token" not in str(bad.after) + bad.note + bad.object_repr


def test_the_people_list_through_the_api_is_recorded_with_masking_noted(world, town1, inspector1):
    for user, unmasked in ((town1, True), (inspector1, False)):
        _token, raw = ApiToken.issue(user, name="测试")
        assert ApiClient(raw).get("/people", q="王").status_code == 200
        event = AuditEvent.objects.filter(action=Action.READ_PERSONAL).latest("seq")
        assert event.actor == user and event.organization == user.organization
        assert event.after == {"q": "王", "phones_unmasked": unmasked}
        masking = "含完整电话和身份证号" if unmasked else "电话和身份证号已遮蔽"
        assert event.note == f"查阅人员列表（接口）（{masking}）"


def test_the_people_page_is_recorded(world, as_user, town1):
    assert as_user(town1).get(reverse("organizations:people")).status_code == 200
    event = AuditEvent.objects.get(action=Action.READ_PERSONAL)
    assert event.actor == town1 and event.after == {"q": "", "page": 1, "phones_unmasked": True}


def test_a_plan_docx_download_is_recorded(world, campaign, as_user, town1, county):
    plan = ready_plan(screened_and_identified(campaign, world.village_e, town1, county), town1)
    response = as_user(town1).get(reverse("plans:docx", args=[plan.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert event.actor == town1 and event.object_id == str(plan.pk) and event.organization == world.village_e
    assert event.after["file"].endswith(".docx") and event.note.startswith("下载 ")


def test_an_evidence_download_is_recorded(world, campaign, as_user, branch1, settings, tmp_path):
    from tests.rectification.support import approved_plan, make_task, png_bytes, upload
    from zhengdun.rectification import services as tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    task = make_task(approved_plan(campaign, world.village_e))
    evidence = tasks.evidence_add(task=task, actor=branch1, uploaded_file=upload("合影.png", png_bytes()), note="")
    assert as_user(branch1).get(reverse("rectification:evidence", args=[evidence.pk])).status_code == 200
    event = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert event.actor == branch1 and event.object_id == str(evidence.pk) and event.after == {"file": "合影.png"}
    assert event.organization == world.village_e
