"""Failed access-token attempts: each one is audited, and an address that sent
API_TOKEN_FAILURE_LIMIT bad tokens within the lockout time is refused until it runs out.

The count is core.ratelimit's, which every worker process shares (the database, or Redis):
checking it on every token request reads one small counter row, not the audit trail."""

from __future__ import annotations

from django.conf import settings

from zhengdun.accounts import policy
from zhengdun.accounts.templatetags.accounts import duration_zh
from zhengdun.audit.models import Action
from zhengdun.audit.services import record
from zhengdun.core import ratelimit
from zhengdun.core.errors import NotPermitted, ServiceError

NOTE_BAD_TOKEN = "访问令牌无效、已过期或已吊销"
ERR_THROTTLED = "该地址访问令牌验证失败次数过多，请 {duration}后再试"
ERR_READ_ONLY = "只读访问令牌不能修改数据，请使用可读写的令牌"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenThrottled(ServiceError):
    status = 429


def _key(ip_address: str) -> str:
    return f"token-failure:{ip_address}"


def refuse_if_throttled(ip_address: str) -> None:
    lockout = policy.current().lockout
    if ratelimit.exceeded(_key(ip_address), settings.API_TOKEN_FAILURE_LIMIT, lockout):
        raise TokenThrottled(ERR_THROTTLED.format(duration=duration_zh(lockout)))


def record_failure(token: str, ip_address: str) -> None:
    ratelimit.hit(_key(ip_address), settings.API_TOKEN_FAILURE_LIMIT, policy.current().lockout)
    # The tail only: the trail never holds a usable secret.
    shown = f"访问令牌 …{token[-4:]}" if len(token) > 12 else "访问令牌"
    record(Action.LOGIN_FAILED, None, object_repr=shown, note=NOTE_BAD_TOKEN)


def refuse_if_read_only(*, access: str, method: str) -> None:
    if access == "read" and method.upper() not in SAFE_METHODS:
        raise NotPermitted(ERR_READ_ONLY)
