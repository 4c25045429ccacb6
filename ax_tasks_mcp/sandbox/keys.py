"""A served sandbox that can say no: only the keys it was given, and a key that may only read.

By default the sandbox accepts any non-empty key.  Started with ``api_key`` it answers 401 to
every other key; a ``read_only_key`` may read (GET, HEAD) and gets 403 for anything else.  So a
user can rehearse what their scripts do on exit 3 before pointing them at Arize.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from .problems import PROBLEM_JSON, problem

__all__ = ["KeyGate", "Keys"]

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Keys:
    """The keys a served sandbox accepts (None: any non-empty key)."""

    api_key: str | None = None
    read_only_key: str | None = None

    @property
    def checked(self) -> bool:
        return self.api_key is not None or self.read_only_key is not None

    def refusal(self, method: str, authorization: str) -> tuple[int, str] | None:
        """(status, detail) when a request with this Authorization header is refused."""
        scheme, _, token = authorization.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        if not token or not self.checked:
            return None  # the sandbox's own check answers a missing key
        if self.api_key is not None and hmac.compare_digest(token, self.api_key):
            return None
        if self.read_only_key is not None and hmac.compare_digest(token, self.read_only_key):
            if method.upper() in _READS:
                return None
            return 403, "This API key may read but not change anything (a read-only key)."
        return 401, "The API key is not valid for this sandbox (it was started with --api-key)."


class KeyGate:
    """ASGI middleware answering 401/403 as :class:`Keys` decide, before the sandbox runs."""

    def __init__(self, app: Any, keys: Keys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
            authorization = headers.get("authorization", b"").decode("latin-1")
            refusal = self.keys.refusal(scope["method"], authorization)
            if refusal is not None:
                await _problem(send, *refusal)
                return
        await self.app(scope, receive, send)


async def _problem(send: Any, status: int, detail: str) -> None:
    body = json.dumps(problem(status, detail), separators=(",", ":")).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="ax-tasks-sandbox"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
