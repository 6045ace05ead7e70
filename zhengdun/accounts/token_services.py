"""Issuing and revoking personal access tokens; both are audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhengdun.accounts.models import ApiToken, User
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core.errors import ServiceError

ERR_DAYS = "有效天数应为 1 到 3650 之间的整数，留空表示长期有效"
ERR_ALREADY_REVOKED = "该令牌已吊销"
MAX_DAYS = 3650


def _public(token: ApiToken) -> dict[str, Any]:
    # Never the hash: the trail is read by more people than the token's owner.
    return {"user": token.user.username, "name": token.name, "hint": token.hint, "expires_at": token.expires_at}


@transaction.atomic
def token_create(*, user: User, actor: Any, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the raw value is returned once and never stored."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ServiceError(ERR_DAYS)
    expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
    token, raw = ApiToken.issue(user, name=name.strip()[:100], expires_at=expires_at)
    record(Action.CREATE, token, actor=actor, after=_public(token), note="创建访问令牌")
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    if token.revoked_at is not None:
        raise ServiceError(ERR_ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        Action.UPDATE,
        token,
        actor=actor,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
        note="吊销访问令牌",
    )
    return token
