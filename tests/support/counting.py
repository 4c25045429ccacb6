"""A transport that records every request it passes on: ``"GET /v2/tasks"`` per request; and
one that refuses task creates after some have passed."""

from __future__ import annotations

import httpx

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class Counting(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)

    def writes(self) -> list[str]:
        """The requests that could change something."""
        return [r for r in self.requests if r.split(" ", 1)[0] in WRITES]

    def close(self) -> None:
        self.inner.close()


class RefusingCreates(httpx.BaseTransport):
    """Passes ``allowed`` task creates on, then answers each with a 422."""

    def __init__(self, inner: httpx.BaseTransport, allowed: int = 0) -> None:
        self.inner = inner
        self.allowed = allowed
        self.creates = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v2/tasks":
            self.creates += 1
            if self.creates > self.allowed:
                return httpx.Response(422, json={"title": "Unprocessable", "status": 422})
        return self.inner.handle_request(request)
