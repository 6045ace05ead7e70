"""The sign-in rules as the pages state them, and an administrator lifting a lock."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from zhengdun.accounts import policy
from zhengdun.accounts.selectors import locked_usernames
from zhengdun.accounts.services import ERR_NO_RIGHT, ERR_NOT_LOCKED, user_unlock
from zhengdun.accounts.templatetags.accounts import duration_zh
from zhengdun.audit.models import AuditEvent
from zhengdun.core.errors import NotPermitted, ServiceError

WRONG = "wrong-Pass1!"
RIGHT = "Zhengdun@2026"


def _lock_out(client, username: str) -> None:
    for _ in range(policy.current().lockout_failure_limit):
        client.post(reverse("login"), {"username": username, "password": WRONG})


@pytest.mark.parametrize(
    ("minutes", "text"), [(15, "15 分钟"), (60, "1 小时"), (90, "1 小时 30 分钟"), (0.5, "1 分钟"), (0, "0 分钟")]
)
def test_it_says_durations_in_chinese(minutes, text):
    assert duration_zh(datetime.timedelta(minutes=minutes)) == text


def test_the_lockout_message_says_minutes_in_chinese(client, town1):
    _lock_out(client, "town1")
    page = client.post(reverse("login"), {"username": "town1", "password": RIGHT}).content.decode()
    assert "请 15 分钟后再试" in page and "PT15M" not in page


def test_the_lockout_message_follows_the_setting(client, town1, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=45)
    _lock_out(client, "town1")
    page = client.post(reverse("login"), {"username": "town1", "password": RIGHT}).content.decode()
    assert "请 45 分钟后再试" in page


def test_the_login_page_states_the_idle_limit_from_the_setting(client, db, settings):
    assert "闲置 30 分钟后需重新登录" in client.get(reverse("login")).content.decode()
    settings.SESSION_COOKIE_AGE = 2 * 3600
    page = client.get(reverse("login")).content.decode()
    assert "闲置 2 小时后需重新登录" in page and "30 分钟" not in page


def test_an_administrator_lifts_a_lock(client, sysadmin, town1):
    _lock_out(client, "town1")
    assert locked_usernames(["town1", "town2"]) == {"town1"}
    user_unlock(actor=sysadmin, user=town1)
    assert locked_usernames(["town1"]) == set()
    assert client.post(reverse("login"), {"username": "town1", "password": RIGHT}).status_code == 302
    event = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(town1.pk), action="unlock").get()
    assert event.actor == sysadmin and event.note == "解除登录锁定" and event.organization == town1.organization


def test_it_refuses_to_unlock_an_account_that_is_not_locked(world, sysadmin, town1):
    with pytest.raises(ServiceError, match=ERR_NOT_LOCKED.format(username="town1")):
        user_unlock(actor=sysadmin, user=town1)
    assert not AuditEvent.objects.filter(object_type="accounts.user").exists()


def test_only_account_managers_unlock(client, town1, town2, inspector1):
    _lock_out(client, "town1")
    with pytest.raises(NotPermitted, match=ERR_NO_RIGHT):
        user_unlock(actor=inspector1, user=town1)
    with pytest.raises(Http404):
        user_unlock(actor=town2, user=town1)
    assert locked_usernames(["town1"]) == {"town1"}


def test_the_accounts_page_offers_unlock_for_locked_accounts_only(client, as_user, sysadmin, town1):
    _lock_out(client, "town1")
    admin = as_user(sysadmin)
    page = admin.get(reverse("accounts:list")).content.decode()
    assert page.count('data-testid="unlock"') == 1 and reverse("accounts:unlock", args=[town1.pk]) in page
    response = admin.post(reverse("accounts:unlock", args=[town1.pk]), follow=True)
    assert "已解除账号“town1”的登录锁定" in response.content.decode()
    assert 'data-testid="unlock"' not in response.content.decode()
    assert locked_usernames(["town1"]) == set()
    again = admin.post(reverse("accounts:unlock", args=[town1.pk]), follow=True).content.decode()
    assert ERR_NOT_LOCKED.format(username="town1") in again


def test_the_unlock_page_is_post_only_and_scoped(world, client, as_user, sysadmin, town1, town2):
    _lock_out(client, "town2")
    url = reverse("accounts:unlock", args=[world.town2.pk])
    assert as_user(sysadmin).get(url).status_code == 405
    assert as_user(town1).post(url).status_code == 403  # no right to manage accounts
    assert locked_usernames(["town2"]) == {"town2"}


def test_an_out_of_scope_account_is_not_found(world, client, as_user):
    from django.contrib.auth.models import Group

    from zhengdun.accounts.models import User
    from zhengdun.accounts.roles import Role

    manager = User.objects.create_user(username="t1admin", password=RIGHT, organization=world.town1_org)
    manager.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))
    _lock_out(client, "town2")
    assert as_user(manager).post(reverse("accounts:unlock", args=[world.town2.pk])).status_code == 404
    assert locked_usernames(["town2"]) == {"town2"}
