"""Sessions are tracked from sign-in to sign-out; lockouts are audited once per lock."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from zhengdun.accounts import policy
from zhengdun.accounts.models import User
from zhengdun.accounts.security import lockout
from zhengdun.accounts.security.models import UserSession
from zhengdun.accounts.templatetags.accounts import duration_zh
from zhengdun.audit.models import Action, AuditEvent
from zhengdun.audit.services import record
from zhengdun.core.middleware import client_ip

SEEN = "zd_seen"  # the session's last request (epoch seconds): the idle limit counts from it
NOTE_LOCKED = "登录锁定：账号 {username} 在地址 {ip} 连续登录失败 {limit} 次，该地址上锁定 {duration}"
NOTE_ADDRESS_LOCKED = "登录锁定：地址 {ip} 登录失败 {limit} 次，暂停该地址的登录 {duration}"


@receiver(user_logged_in, dispatch_uid="zhengdun_track_session")
def _track(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    session[SEEN] = time.time()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "last_seen_at": timezone.now(),
            "ip": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )


@receiver(user_logged_out, dispatch_uid="zhengdun_untrack_session")
def _untrack(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(user_locked_out, dispatch_uid="zhengdun_audit_lockout")
def _locked_out(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    # axes signals again on every refused try during the lock: one row per lock is enough.
    rules = policy.current()
    ip = ip_address or ""
    if lockout.address_locked(ip):
        note = NOTE_ADDRESS_LOCKED.format(ip=ip, limit=rules.address_failure_limit, duration=duration_zh(rules.lockout))
        user = None
    else:
        name = (username or "")[:150]
        note = NOTE_LOCKED.format(username=name, ip=ip, limit=rules.lockout_failure_limit, duration=duration_zh(rules.lockout))
        user = User.objects.select_related("organization").filter(username=name).first()
    if AuditEvent.objects.filter(note=note, at__gte=timezone.now() - rules.lockout).exists():
        return
    record(
        Action.LOCKOUT,
        user,
        object_repr=note.split("：", 1)[1][:300],
        note=note,
        organization=user.organization if user is not None else None,
    )
