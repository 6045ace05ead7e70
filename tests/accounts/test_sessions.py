"""Signed-in sessions (issue 8 §1 "Sessions"): the idle limit, and a user sees and ends their other sessions."""

import datetime
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accounts.policy_support import set_policy
from zhengdun.accounts.security.models import UserSession
from zhengdun.accounts.security.signals import SEEN
from zhengdun.audit.models import AuditEvent

RIGHT = "Zhengdun@2026"


def _signed_in(username: str, address: str, browser: str) -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=browser)
    assert client.post(reverse("login"), {"username": username, "password": RIGHT}).status_code == 302
    return client


def test_a_user_sees_their_sessions_with_time_address_and_browser(town1, town2):
    office = _signed_in("town1", "10.1.2.3", "Mozilla/5.0 Chrome/120 办公室")
    _signed_in("town1", "10.9.9.9", "Mozilla/5.0 Firefox/115 家里")
    _signed_in("town2", "10.7.7.7", "别人的浏览器")
    page = office.get(reverse("accounts:sessions")).content.decode()
    assert "10.1.2.3" in page and "10.9.9.9" in page and "Firefox/115 家里" in page
    assert "10.7.7.7" not in page and "别人的浏览器" not in page
    assert page.count('data-testid="this-session"') == 1 and page.count('data-testid="end-session"') == 1
    assert reverse("accounts:sessions") in office.get("/").content.decode()  # reachable from the nav


def test_a_user_ends_another_session_of_theirs(town1):
    office = _signed_in("town1", "10.1.2.3", "办公室")
    home = _signed_in("town1", "10.9.9.9", "家里")
    other = UserSession.objects.get(ip="10.9.9.9")
    response = office.post(reverse("accounts:session_end", args=[other.pk]), follow=True)
    assert "已结束 10.9.9.9 上的登录会话" in response.content.decode()
    assert home.get("/")["Location"].startswith(reverse("login"))
    assert office.get("/").status_code == 200
    assert list(UserSession.objects.values_list("ip", flat=True)) == ["10.1.2.3"]
    event = AuditEvent.objects.get(action="logout", note__startswith="结束本人的其他登录会话")
    assert event.actor == town1 and "10.9.9.9" in event.note


def test_a_user_cannot_end_anothers_session_nor_their_current_one(town1, town2):
    mine = _signed_in("town1", "10.1.2.3", "办公室")
    theirs = _signed_in("town2", "10.7.7.7", "别人的")
    their_session = UserSession.objects.get(user=town2)
    assert mine.post(reverse("accounts:session_end", args=[their_session.pk])).status_code == 404
    current = UserSession.objects.get(user=town1)
    assert mine.post(reverse("accounts:session_end", args=[current.pk])).status_code == 404
    assert mine.get(reverse("accounts:session_end", args=[current.pk])).status_code == 405
    assert theirs.get("/").status_code == 200 and UserSession.objects.count() == 2


def test_signing_out_forgets_the_session(town1):
    client = _signed_in("town1", "10.1.2.3", "办公室")
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()


def test_a_password_change_ends_the_other_sessions(town1):
    office = _signed_in("town1", "10.1.2.3", "办公室")
    home = _signed_in("town1", "10.9.9.9", "家里")
    new = "Tq7#mZ9!pL"
    office.post(reverse("accounts:password_change"), {"old_password": RIGHT, "new_password": new, "new_password_again": new})
    assert office.get("/").status_code == 200
    assert home.get("/")["Location"].startswith(reverse("login"))
    assert list(UserSession.objects.values_list("ip", flat=True)) == ["10.1.2.3"]
    assert 'data-testid="this-session"' in office.get(reverse("accounts:sessions")).content.decode()


def test_a_session_ends_after_the_policys_idle_limit(secadmin, town1):
    set_policy(secadmin, idle_minutes=5)
    client = _signed_in("town1", "10.1.2.3", "办公室")
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN] = time.time() - 4 * 60
    session.save()
    assert client.get("/").status_code == 200  # four idle minutes: still signed in
    session = client.session
    session[SEEN] = time.time() - 6 * 60
    session.save()
    response = client.get("/", follow=True)
    assert "您已闲置过久，请重新登录" in response.content.decode()
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "闲置 5 分钟后需重新登录" in response.content.decode()


def _writes(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_two_reads_within_a_minute_write_nothing(town1):
    # Issue 9 §3 cause 7: the session was saved on every request.
    client = _signed_in("town1", "10.1.2.3", "办公室")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        first = client.get("/")
        second = client.get(reverse("organizations:tree"))
    assert first.status_code == second.status_code == 200
    assert _writes(ctx) == []
    assert settings.SESSION_COOKIE_NAME not in second.cookies


def _idle_policy(secadmin, *, version: int, idle_minutes: int) -> None:
    set_policy(secadmin, version=version, idle_minutes=idle_minutes)


def test_a_read_a_minute_later_moves_the_session_and_its_cookie_forward(secadmin, town1):
    _idle_policy(secadmin, version=0, idle_minutes=5)
    client = _signed_in("town1", "10.1.2.3", "办公室")
    client.get("/")
    session = client.session
    session[SEEN] = time.time() - 61
    session.save()
    UserSession.objects.update(last_seen_at=timezone.now() - datetime.timedelta(seconds=61))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    writes = _writes(ctx)
    assert len([sql for sql in writes if "django_session" in sql]) == 1, writes
    assert len([sql for sql in writes if "accounts_usersession" in sql]) == 1, writes
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 300
    assert time.time() - client.session[SEEN] < 5
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date > timezone.now() + datetime.timedelta(seconds=290)
    assert UserSession.objects.get().last_seen_at > timezone.now() - datetime.timedelta(seconds=5)


def test_a_session_follows_the_idle_limit_back_to_the_setting(secadmin, town1):
    _idle_policy(secadmin, version=0, idle_minutes=5)
    client = _signed_in("town1", "10.1.2.3", "办公室")
    client.get("/")
    assert client.session.get_expiry_age() == 300
    _idle_policy(secadmin, version=1, idle_minutes=30)
    response = client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""  # until the browser closes
