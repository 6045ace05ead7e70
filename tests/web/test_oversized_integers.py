"""No number in a URL, a query string or a form makes a page answer 500.

Every URL pattern is walked with ids beyond int64 in its path, and every
parameter a page reads as a number is sent as an oversized, a float-looking
and a non-ASCII-digit number (issue 8 §4 found 14 such 500s, e.g.
?page=99999999999999999999, ?campaign=1e30, path ids beyond int64 on
PostgreSQL). The API's routes get the same walk in
tests/api/test_oversized_integers.py; both run on either database.
"""

from __future__ import annotations

from typing import Any

from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter

from tests.web.test_scoping_every_url import _names

BAD_NUMBERS = ("99999999999999999999", "²", str(2**63), "1e30", "١٢", "-1")
# Path ids a converter lets through to the ORM.
BAD_IDS = (2**63, 10**20)
# Every query and form parameter a page reads as a number.
PARAMS = ("page", "campaign", "org", "under", "since", "year", "version", "number")


def _checked(response: Any, what: str, failures: list[str]) -> int:
    if response.status_code >= 500:
        failures.append(f"{what} -> {response.status_code} {_error(response)}")
    return 1


def _error(response: Any) -> str:
    exc_info = getattr(response, "exc_info", None)
    return repr(exc_info[1]) if exc_info else ""


def _path_kwargs(converters: dict[str, Any]) -> list[dict[str, Any]]:
    if not converters:
        return [{}]
    return [{key: big if isinstance(conv, IntConverter) else "x" * 16 for key, conv in converters.items()} for big in BAD_IDS]


def test_no_page_answers_500_to_oversized_numbers(as_user: Any, county: Any, campaign: Any) -> None:
    client = as_user(county)
    client.raise_request_exception = False  # a 500 is counted, not raised
    checked, failures = 0, []
    for name, converters in _names(get_resolver().url_patterns):
        if name == "logout":
            continue  # it would end the session the walk runs in
        urls = [reverse(name, kwargs=kwargs) for kwargs in _path_kwargs(converters)]
        for index, value in enumerate(BAD_NUMBERS):
            url, query = urls[index % len(urls)], dict.fromkeys(PARAMS, value)
            checked += _checked(client.get(url, query), f"GET {url}?…={value}", failures)
            if index < 2:  # forms read the same helpers: two values are enough for them
                checked += _checked(client.post(url, query), f"POST {url} …={value}", failures)
    assert not failures, "\n".join(failures)
    assert checked > 500
