"""Unguessable tokens for public addresses: the token is the only key to the page."""

from __future__ import annotations

import secrets

from django.db import models

# 16 random bytes, 22 URL-safe characters: short enough for a QR code on a
# poster, far too many to guess.
TOKEN_BYTES = 16
TOKEN_MAX_LENGTH = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_field(verbose_name: str = "公开链接令牌") -> models.CharField[str, str]:
    """The model field holding a public page's token, unique and filled on creation."""
    return models.CharField(verbose_name, max_length=TOKEN_MAX_LENGTH, unique=True, default=new_token, editable=False)
