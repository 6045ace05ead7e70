from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhengdun.accounts.models import ApiToken, User

BASE = "/api/v1"


class ApiClient:
    """Calls /api/v1 with a persona's personal access token, JSON in and out."""

    def __init__(self, raw_token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        url = BASE + path
        call = getattr(self.client, method)
        if method == "get":
            return call(url, params, headers=self.headers)
        return call(url, json.dumps(body or {}), content_type="application/json", headers=self.headers)

    def get(self, path: str, **params: Any) -> Any:
        return self._call("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._call("patch", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self._call("put", path, body)

    def delete(self, path: str, body: Any = None) -> Any:
        return self._call("delete", path, body)


def api_client_for(user: User) -> ApiClient:
    """A client that sends a fresh token of `user`, in use already: a token's last use is noted
    once in a few minutes (zhengdun/api/auth.py), so counting the queries of a first call and of a
    later one compares the same work (tests/api/test_auth.py shows the first use noted)."""
    token, raw = ApiToken.issue(user, name="测试")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return ApiClient(raw)


@pytest.fixture
def api_as(world: Any) -> Callable[[User], ApiClient]:
    """api_as(town1) -> a client that sends a fresh token of that persona."""
    return api_client_for


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)
