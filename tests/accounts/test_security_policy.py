"""The security administrator's policy page (issue 8 §1, §2: 安全管理员 edits the policies)."""

import pytest
from django.urls import reverse

from zhengdun.accounts import policy
from zhengdun.accounts.security.models import SecurityPolicy
from zhengdun.accounts.security.services import ERR_ADDRESS_BELOW_ACCOUNT, ERR_NO_POLICY_RIGHT, ERR_POLICY_STALE, policy_update
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import NotPermitted

URL = "/accounts/security/policy/"
FORM = {
    "password_max_age_days": "60",
    "password_history_count": "8",
    "lockout_failure_limit": "4",
    "lockout_minutes": "30",
    "address_failure_limit": "40",
    "second_factor_for_everyone": "on",
    "idle_minutes": "20",
    "version": "0",
}


def test_the_defaults_come_from_the_settings(db, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 45
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 99
    rules = policy.current()
    assert (rules.password_max_age_days, rules.password_history_count, rules.lockout_failure_limit) == (45, 5, 5)
    assert (rules.lockout_minutes, rules.address_failure_limit, rules.idle_minutes) == (15, 99, 30)
    assert rules.second_factor_for_everyone is False


def test_only_the_security_administrator_opens_the_page(client, as_user, secadmin, sysadmin, county, auditor, town1):
    assert reverse("accounts:security_policy") == URL
    assert as_user(secadmin).get(URL).status_code == 200
    for other in (sysadmin, county, auditor, town1):
        assert as_user(other).get(URL).status_code == 403
        assert as_user(other).post(URL, FORM).status_code == 403
    assert client.get(URL)["Location"].startswith(reverse("login"))
    assert not SecurityPolicy.objects.exists()
    assert URL in as_user(secadmin).get("/").content.decode()
    assert URL not in as_user(county).get("/").content.decode()


def test_the_security_administrator_changes_the_policy_and_it_is_audited(as_user, secadmin):
    response = as_user(secadmin).post(URL, FORM, follow=True)
    assert "已保存安全策略" in response.content.decode()
    rules = policy.current()
    assert rules == policy.Policy(
        password_max_age_days=60,
        password_history_count=8,
        lockout_failure_limit=4,
        lockout_minutes=30,
        address_failure_limit=40,
        second_factor_for_everyone=True,
        idle_minutes=20,
    )
    event = AuditEvent.objects.get(object_type="accounts.securitypolicy", action="update")
    assert event.actor == secadmin and event.note == "修改安全策略"
    assert event.before["password_max_age_days"] == 90 and event.after["password_max_age_days"] == 60
    assert event.after["second_factor_for_everyone"] is True and "version" not in event.after
    page = as_user(secadmin).get(URL).content.decode()
    assert 'value="60"' in page and 'name="version" value="1"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address_failure_limit": "3"}, ERR_ADDRESS_BELOW_ACCOUNT),
        ({"lockout_failure_limit": "1"}, "确保该值大于或等于3"),
        ({"idle_minutes": "0"}, "确保该值大于或等于1"),
        ({"password_max_age_days": "九十"}, "输入整数"),
        ({"version": "7"}, ERR_POLICY_STALE),
    ],
)
def test_bad_input_changes_nothing(as_user, secadmin, change, message):
    response = as_user(secadmin).post(URL, {**FORM, **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert not SecurityPolicy.objects.exists()
    assert not AuditEvent.objects.filter(object_type="accounts.securitypolicy").exists()
    assert policy.current() == policy.defaults()


def test_the_service_refuses_anyone_but_the_security_administrator(world, county):
    values = {k: int(v) for k, v in FORM.items() if k != "second_factor_for_everyone"}
    with pytest.raises(NotPermitted, match=ERR_NO_POLICY_RIGHT):
        policy_update(actor=county, second_factor_for_everyone=False, **values)
    assert not SecurityPolicy.objects.exists()


def test_the_password_age_in_the_policy_is_enforced(as_user, secadmin, town1):
    import datetime

    from django.utils import timezone

    town1.password_changed_at = timezone.now() - datetime.timedelta(days=61)
    town1.save(update_fields=["password_changed_at"])
    assert as_user(town1).get("/").status_code == 200
    as_user(secadmin).post(URL, FORM)
    assert as_user(town1).get("/")["Location"] == reverse("accounts:password_change")
