"""Who must sign in with a second factor: the one decision, asked by the middleware,
the pages and the tests alike.

A higher layer (a campaign that requires it of everyone in its scope) adds its rule
with `register_requirement` from its AppConfig.ready(), so accounts imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable

from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengdun.accounts import policy
from zhengdun.accounts.models import User
from zhengdun.accounts.roles import ADMIN_ROLES
from zhengdun.accounts.second_factor.models import Passkey

Requirement = Callable[[User], bool]
_requirements: list[Requirement] = []


def register_requirement(requirement: Requirement) -> Requirement:
    """Add a rule "this account must use a second factor"; usable as a decorator."""
    if requirement not in _requirements:
        _requirements.append(requirement)
    return requirement


def unregister_requirement(requirement: Requirement) -> None:
    if requirement in _requirements:
        _requirements.remove(requirement)


def required_by_policy(user: User) -> bool:
    """The account may not choose: an administrator, everyone when the deployment
    or the security policy says so (its switch, SECOND_FACTOR_FOR_ALL by default), or a
    registered rule says it must."""
    if user.is_superuser or policy.current().second_factor_for_everyone:
        return True
    if any(user.has_role(role) for role in ADMIN_ROLES):
        return True
    return any(requirement(user) for requirement in _requirements)


def is_enrolled(user: User) -> bool:
    """A confirmed authenticator or a passkey; recovery codes alone do not count."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or Passkey.objects.filter(user=user, confirmed=True).exists()
    )


def must_verify(user: User) -> bool:
    """Whether a signed-in session of `user` must pass the second factor before
    reaching anything: required of the account, or chosen by it (opted in)."""
    return required_by_policy(user) or is_enrolled(user)
