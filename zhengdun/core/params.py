"""Numbers the browser sends (query strings, form fields), read the one way.

`"²".isdigit()` is true and `int("²")` raises; `int("99999999999999999999")`
works and then overflows SQLite's INTEGER and PostgreSQL's bigint inside the
query. Either was a 500. Here a value is a number only when it is ASCII
digits within what every database column can hold; anything else reads as
not given, so the page shows its default (or its 404 when the id is
required), never an error.
"""

from __future__ import annotations

# The largest value of a bigint column (PostgreSQL) and of SQLite's INTEGER.
MAX_INT = 2**63 - 1


def parse_int(value: object, *, low: int = 0, high: int = MAX_INT) -> int | None:
    """The whole number in `value` when it lies in [low, high], else None."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_INT)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(value: object) -> int | None:
    """A row id (1 and up) from a query string or a form, or None."""
    return parse_int(value, low=1)


# A materialized path (django-treebeard): upper-case letters and digits, never longer than the column.
MAX_PATH_LENGTH = 255


def parse_path(value: object) -> str | None:
    """A tree path from a query string (the key of a keyset page), or None."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > MAX_PATH_LENGTH or not (text.isascii() and text.isalnum()):
        return None
    return text.upper()
