"""Masking secrets in text: the key as a token, never every substring of ordinary words.

A real API key is long, so wherever its text appears it is the key: a secret of at least
:data:`SUBSTRING_MIN` characters is masked everywhere.  A shorter "key" (a test value such as
``k``) is masked only where it stands as a whole token - between characters that cannot be part
of a key - so "check your network" stays readable; the CLI and the server never echo a key
anyway.  Any ``Bearer <token>`` is masked whatever it holds, and so are the user and password
of any URL (``http://***@host``): a proxy or base URL may carry the key itself.  A URL taken
from the settings is shown with :func:`mask_url`, which masks its query as well.
Standard library only, so the CLI can use it without loading the HTTP stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REDACTED", "SUBSTRING_MIN", "mask_url", "redact"]

REDACTED = "***"
SUBSTRING_MIN = 8
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+")
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"]+@")
_URL_QUERY = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s?#'\"]*\?)[^\s#'\"]+")
_WORD = r"A-Za-z0-9_\-.~+"
"""Characters that join a key to its neighbours (a key may end in base64 padding, '=')."""


def _token(secret: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_WORD}]){re.escape(secret)}(?![{_WORD}=])")


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every secret and any ``Bearer`` token replaced by ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        if len(secret) >= SUBSTRING_MIN:
            text = text.replace(secret, REDACTED)
        else:
            text = _token(secret).sub(REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    return _URL_CREDENTIALS.sub(lambda m: m.group(1) + REDACTED + "@", text)


def mask_url(text: str) -> str:
    """``text`` with the user and password (``scheme://***@``) and the query (``?***``) of every
    URL in it masked; anything else is left as written."""
    text = _URL_CREDENTIALS.sub(lambda m: m.group(1) + REDACTED + "@", text)
    return _URL_QUERY.sub(lambda m: m.group(1) + REDACTED, text)
