"""Making and recognising API tokens: `zi_<prefix>_<secret>`, stored as SHA-256 only.

The secret has 256 bits from `secrets`, so a plain (unsalted) SHA-256 is enough: nobody can
guess an input, and the digest can be looked up by an index in one query.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "zi_"  # noqa: S105 (not a secret: what every token starts with)
PREFIX_LENGTH = 8


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_new() -> tuple[str, str, str]:
    """(the token to show once, its displayed prefix, its digest to store)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return raw, prefix, digest_of(raw)


def looks_like_token(raw: str) -> bool:
    return raw.startswith(TOKEN_PREFIX) and 20 < len(raw) <= 80 and raw.isascii()
