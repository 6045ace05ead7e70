"""The one scoping chokepoint.

Every page, API endpoint, export and background job reaches data through
`restrict(queryset, user)` or `get_object_or_404(queryset, user, ...)`.
A user reaches the subtree of its own organization, plus the subtrees that
registered root providers add (the organizations app adds, for contact
leaders, the organizations their person is linked to). Core imports no app,
so an app that widens a user's reach registers a provider with
`add_scope_roots` in its AppConfig.ready().
Anything else does not exist for that user: 404, never 403.

Some accounts read only some kinds of rows whatever their organization (the
separated administrators of accounts.roles read no case and no person): the
app that knows such a rule registers a read limit with `add_read_limit`, and
`restrict` answers nothing of a model a limit refuses.

A model says how it hangs on the tree with `scope_path`, the lookup to the
materialized path of its organization ("path" for Organization itself,
"organization__path" for a case). Models whose rows belong to a whole
jurisdiction and are read by everything below it (a county's campaign is
read by its townships) set `scope_reads_ancestors = True`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Expression, F, Model, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from zhengdun.core.actors import Actor

# The materialized path of the tree (treebeard MP_Node's defaults; Organization declares
# them from here, so the range below and the paths the tree writes cannot drift apart).
STEPLEN = 4
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATH_MAX_LENGTH = 255

M = TypeVar("M", bound=Model)

# Who reads: an actor, or a visitor nobody signed in (who reaches nothing).
Viewer: TypeAlias = Actor | AnonymousUser | None

# A provider returns the paths of further subtrees a user reaches.
ScopeRoots = Callable[[Any], Iterable[str]]

_root_providers: list[ScopeRoots] = []

# A read limit answers False when the user may read no row of the model at all.
ReadLimit = Callable[[Any, type[Model]], bool]

_read_limits: list[ReadLimit] = []


def add_scope_roots(provider: ScopeRoots) -> None:
    """Register a provider of further scope roots (once, however often ready() runs)."""
    if provider not in _root_providers:
        _root_providers.append(provider)


def add_read_limit(limit: ReadLimit) -> None:
    """Register a limit on the kinds of rows a user reads (once, however often ready() runs)."""
    if limit not in _read_limits:
        _read_limits.append(limit)


def next_prefix(prefix: str) -> str | None:
    """The smallest path-alphabet string above every string that starts with `prefix`.

    The last character goes up by one in the alphabet; a last character already at the
    alphabet's end is dropped and the one before it goes up ("00AZ" -> "00B"). None when
    every character is the last one ("ZZZZ"): nothing bounds that subtree from above.
    Raises ValueError for a character outside the alphabet.
    """
    head = prefix.rstrip(PATH_ALPHABET[-1])
    if not head:
        return None
    return head[:-1] + PATH_ALPHABET[PATH_ALPHABET.index(head[-1]) + 1]


def subtree_q(prefix: str | Expression | F, field: str = "path") -> Q:
    """`field` lies in the subtree whose path is `prefix`, the node itself included.

    A range (prefix <= path < next prefix) instead of `__startswith`: SQLite turns
    startswith into LIKE ... ESCAPE, which never uses an index, so a county's query would
    scan the nation. The alphabet sorts the same way in the C collation and in the usual
    locales (digits before capitals), so the range is the prefix on both databases.
    A prefix that is an expression (OuterRef) gets the closed range up to the prefix
    followed by the last character as often as a path can be long, which no path exceeds.
    """
    if isinstance(prefix, str):
        upper = next_prefix(prefix)
        q = Q(**{f"{field}__gte": prefix})
        return q if upper is None else q & Q(**{f"{field}__lt": upper})
    ceiling = Concat(prefix, Value(PATH_ALPHABET[-1] * PATH_MAX_LENGTH))
    return Q(**{f"{field}__gte": prefix}) & Q(**{f"{field}__lte": ceiling})


def may_read(user: Viewer, model: type[Model]) -> bool:
    return user is None or isinstance(user, AnonymousUser) or all(limit(user, model) for limit in _read_limits)


@dataclass(frozen=True)
class Scope:
    unrestricted: bool
    roots: tuple[str, ...]

    def q(self, lookup: str, *, reads_ancestors: bool = False) -> Q:
        if self.unrestricted:
            return Q()
        if not self.roots:
            return Q(pk__in=[])
        q = Q()
        for root in self.roots:
            q |= subtree_q(root, lookup)
        if reads_ancestors:
            ancestors = {root[:i] for root in self.roots for i in range(STEPLEN, len(root), STEPLEN)}
            if ancestors:
                q |= Q(**{f"{lookup}__in": sorted(ancestors)})
        return q

    def covers_path(self, path: str) -> bool:
        return self.unrestricted or any(path.startswith(root) for root in self.roots)


def _minimal_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths that already lie inside another root."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return tuple(roots)


def scope_for(user: Viewer) -> Scope:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return Scope(unrestricted=False, roots=())
    cached = getattr(user, "_zhengdun_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(unrestricted=True, roots=())
    else:
        paths: list[str] = []
        if user.organization_id:
            # An account carries its organization (the system actor has none and is unrestricted).
            paths.append(getattr(user, "organization").path)  # noqa: B009 - not part of the Actor protocol
        for provider in _root_providers:
            paths.extend(provider(user))
        scope = Scope(unrestricted=False, roots=_minimal_roots(paths))
    setattr(user, "_zhengdun_scope", scope)  # noqa: B010 - a cache on the object, not part of the Actor protocol
    return scope


def restrict(queryset: QuerySet[M], user: Viewer) -> QuerySet[M]:
    model = queryset.model
    lookup = getattr(model, "scope_path", None)
    if lookup is None:
        raise TypeError(f"{model.__name__} has no scope_path; it cannot be read through the scoping chokepoint")
    if not may_read(user, model):
        return queryset.none()
    reads_ancestors = getattr(model, "scope_reads_ancestors", False)
    return queryset.filter(scope_for(user).q(lookup, reads_ancestors=reads_ancestors))


def get_object_or_404(queryset: QuerySet[M], user: Viewer, **lookup: Any) -> M:
    try:
        return restrict(queryset, user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("不存在或无权访问") from None


def ensure_org_in_scope(user: Viewer, organization: Any) -> None:
    """Services call this before any write that touches `organization`."""
    if user is None or not scope_for(user).covers_path(organization.path):
        raise Http404("不存在或无权访问")


def forget(user: Actor) -> None:
    """Drop the cached scope after the user's organization or links change."""
    if hasattr(user, "_zhengdun_scope"):
        del user._zhengdun_scope
