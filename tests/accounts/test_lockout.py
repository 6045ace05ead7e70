"""Lockout per account at an address and per address (issue 8 §1 "Lockout").

An account is locked at the address its failures came from: a guesser elsewhere cannot keep
the county administrator out. Many accounts tried from one address lock that address."""

import pytest
from django.test import Client
from django.urls import reverse

from zhengdun.accounts.selectors import locked_usernames
from zhengdun.accounts.services import user_unlock
from zhengdun.audit.models import AuditEvent

WRONG = "wrong-Pass1!"
RIGHT = "Zhengdun@2026"
GUESSER, OFFICE = "203.0.113.7", "10.1.2.3"


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _sign_in(client: Client, username: str, password: str) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    return settings


def test_a_guesser_locks_the_county_administrator_only_at_the_guessers_address(limits, county):
    guesser = _from(GUESSER)
    assert [_sign_in(guesser, "county", WRONG) for _ in range(3)] == [200, 200, 429]  # the third locks
    assert _sign_in(guesser, "county", RIGHT) == 429
    assert locked_usernames(["county"]) == {"county"}
    assert _sign_in(_from(OFFICE), "county", RIGHT) == 302


def test_password_spraying_from_one_address_locks_that_address_for_every_account(limits, world):
    sprayer = _from(GUESSER)
    tries = [_sign_in(sprayer, name, WRONG) for name in ("town1", "town2", "branch1", "leader1", "inspector1", "county")]
    assert tries == [200] * 5 + [429]  # one try each, far under the account limit
    # Six failures over six accounts: the address is stopped, even with a right password.
    response = sprayer.post(reverse("login"), {"username": "auditor", "password": RIGHT})
    assert response.status_code == 429 and "请 15 分钟后再试" in response.content.decode()
    assert locked_usernames(["town1", "county", "auditor"]) == set()  # no account is locked
    assert _sign_in(_from(OFFICE), "auditor", RIGHT) == 302
    event = AuditEvent.objects.get(action="lockout", note__startswith="登录锁定：地址")
    assert GUESSER in event.note and "6 次" in event.note


def test_a_lock_is_audited_once(limits, town1):
    guesser = _from(GUESSER)
    for _ in range(5):
        _sign_in(guesser, "town1", WRONG)
    locks = AuditEvent.objects.filter(action="lockout", note__startswith="登录锁定：账号 town1")
    assert locks.count() == 1
    lock = locks.get()
    assert lock.object_id == str(town1.pk) and lock.organization == town1.organization and GUESSER in lock.note


def test_the_lockout_follows_the_security_policy(limits, secadmin, town1):
    from tests.accounts.policy_support import set_policy

    set_policy(secadmin, lockout_failure_limit=4, lockout_minutes=90, address_failure_limit=50)
    client = _from(GUESSER)
    for _ in range(3):
        _sign_in(client, "town1", WRONG)
    assert _sign_in(client, "town1", RIGHT) == 302  # three is below the policy's four
    client = _from(GUESSER)
    for _ in range(4):
        _sign_in(client, "town1", WRONG)
    page = client.post(reverse("login"), {"username": "town1", "password": RIGHT})
    assert page.status_code == 429 and "请 1 小时 30 分钟后再试" in page.content.decode() and "PT" not in page.content.decode()


def test_an_administrator_unlocks_an_account_locked_at_any_address(limits, sysadmin, town1):
    guesser = _from(GUESSER)
    for _ in range(3):
        _sign_in(guesser, "town1", WRONG)
    user_unlock(actor=sysadmin, user=town1)
    assert locked_usernames(["town1"]) == set()
    assert _sign_in(guesser, "town1", RIGHT) == 302
    assert AuditEvent.objects.filter(object_id=str(town1.pk), action="unlock", note="解除登录锁定", actor=sysadmin).exists()
