"""Who sent something to a public page, known only as a keyed hash of the address."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

HASH_LENGTH = 64


def sender_hash(address: str, *, purpose: str) -> str:
    """A keyed hash of the sender's address: equal for equal addresses and
    purposes, useless to anyone without the install's secret key. `purpose`
    keeps the hashes of one page kind from matching another's."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{address}".encode(), hashlib.sha256).hexdigest()
