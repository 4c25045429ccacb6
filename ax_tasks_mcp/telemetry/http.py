"""A client span for every HTTP request sent, after OpenTelemetry's HTTP conventions.

:class:`TracingTransport` sits under the retrying transport, so each attempt is a span of its
own, as the conventions ask: a resend carries ``http.request.resend_count`` (1 for the first
retry).  The span is named ``<METHOD> <url.template>`` (``GET /v2/tasks/{task_id}``), holds
``http.request.method``, ``url.full``, ``url.template``, ``server.address``/``server.port``,
``http.response.status_code`` and ``network.protocol.version``; a 4xx/5xx answer or a failure
sets ``error.type`` (the status code, or the exception's class) and an error status.  It also
sends the W3C trace context to the server.  Headers are never recorded, and ``url.full`` never
holds the credentials a URL may carry.

It is always in place and asks at each request whether tracing is on, so a service built before
tracing started is traced too; off, that question is all it costs (OpenTelemetry is imported
only when a span is made).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import httpx

from ax_tasks_mcp import telemetry

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

__all__ = ["ROUTES", "TracingTransport", "route_of"]

#: The API's paths as the spec writes them (a test holds this list to openapi/tasks.yaml).
ROUTES: Final = (
    "/v2/tasks",
    "/v2/tasks/{task_id}",
    "/v2/tasks/{task_id}/trigger",
    "/v2/tasks/{task_id}/runs",
    "/v2/task-runs/{run_id}",
    "/v2/task-runs/{run_id}/cancel",
    "/v2/spaces",
    "/v2/projects",
    "/v2/datasets",
    "/v2/evaluators",
    "/v2/experiments",
    "/v2/ai-integrations",
)
_SPLIT_ROUTES: Final = tuple((route, route.strip("/").split("/")) for route in ROUTES)
_KNOWN_METHODS: Final = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"}
)
#: How many times a request object has been sent (the retrying transport resends the same one).
_SENT = "ax_tasks_sent"


def route_of(path: str) -> str | None:
    """The spec path ``path`` matches (``/v2/tasks/{task_id}``), or None."""
    parts = path.strip("/").split("/")
    for route, pattern in _SPLIT_ROUTES:
        if len(pattern) == len(parts) and all(
            p.startswith("{") or p == part for p, part in zip(pattern, parts, strict=True)
        ):
            return route
    return None


def _full_url(url: httpx.URL) -> str:
    """The URL without any user:password it may carry."""
    return str(url.copy_with(username=None, password=None)) if url.userinfo else str(url)


class TracingTransport(httpx.BaseTransport):
    """``inner`` with a client span around each request it sends while tracing is on."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        tracer = telemetry.tracer()
        if tracer is None:
            return self.inner.handle_request(request)
        return self._traced(request, tracer)

    def _traced(self, request: httpx.Request, tracer: Tracer) -> httpx.Response:
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind, Status, StatusCode

        resends = request.extensions.get(_SENT, 0)
        request.extensions[_SENT] = resends + 1
        method = request.method.upper()
        route = route_of(request.url.path)
        attributes: dict[str, str | int] = {
            "http.request.method": method if method in _KNOWN_METHODS else "_OTHER",
            "url.full": _full_url(request.url),
            "server.address": request.url.host,
        }
        if method not in _KNOWN_METHODS:
            attributes["http.request.method_original"] = request.method
        if request.url.port is not None:
            attributes["server.port"] = request.url.port
        else:
            attributes["server.port"] = 443 if request.url.scheme == "https" else 80
        if route is not None:
            attributes["url.template"] = route
        if resends:
            attributes["http.request.resend_count"] = resends
        name = f"{attributes['http.request.method']} {route}" if route else str(method)
        with tracer.start_as_current_span(
            name,
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            propagate.inject(request.headers)
            try:
                response = self.inner.handle_request(request)
            except BaseException as exc:
                span.set_attribute("error.type", type(exc).__qualname__)
                span.set_status(Status(StatusCode.ERROR))
                raise
            span.set_attribute("http.response.status_code", response.status_code)
            version = response.extensions.get("http_version", b"")
            if isinstance(version, bytes) and version.startswith(b"HTTP/"):
                span.set_attribute("network.protocol.version", version[5:].decode("ascii"))
            if response.status_code >= 400:
                span.set_attribute("error.type", str(response.status_code))
                span.set_status(Status(StatusCode.ERROR))
            return response

    def close(self) -> None:
        self.inner.close()
