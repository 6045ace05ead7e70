from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

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


@pytest.fixture
def api_as(world: Any) -> Callable[[User], ApiClient]:
    """api_as(town1) -> a client that sends a fresh token of that persona."""

    def make(user: User) -> ApiClient:
        _token, raw = ApiToken.issue(user, name="测试")
        return ApiClient(raw)

    return make


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)
