"""No number in an API route's path, query or body makes it answer 500 (see tests/web/test_oversized_integers.py)."""

from __future__ import annotations

import re
from typing import Any

from tests.web.test_oversized_integers import BAD_IDS, BAD_NUMBERS, _error
from zhengdun.api.urls import api


def test_no_api_route_answers_500_to_oversized_numbers(world: Any, county: Any, campaign: Any, api_as: Any) -> None:
    client = api_as(county)
    client.client.raise_request_exception = False  # a 500 is counted, not raised
    checked, failures = 0, []
    for path, operations in api.get_openapi_schema()["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        for big in BAD_IDS if params else (None,):
            url = path.removeprefix("/api/v1")
            for name in params:
                url = url.replace(f"{{{name}}}", "x" * 16 if name == "token" else str(big))
            for method, operation in operations.items():
                query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
                for value in BAD_NUMBERS:
                    if method == "get":
                        response = client.get(url, **dict.fromkeys(query, value))
                    else:
                        number: Any = int(value) if value.isascii() and value.isdigit() else value
                        body = dict.fromkeys(("version", "parent_id", "person_id", "organization_id", "owner_id"), number)
                        response = getattr(client, method)(url, body)
                    if response.status_code >= 500:
                        failures.append(f"{method.upper()} {url} ({value}) -> {response.status_code} {_error(response)}")
                    checked += 1
    assert not failures, "\n".join(failures)
    assert checked > 100
