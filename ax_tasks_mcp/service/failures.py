"""How an HTTP error answer or a network failure becomes a service error, in one place.

:func:`error_from_response` reads RFC 9457 problem+json bodies and tolerates any other body;
:func:`error_from_exception` turns a failure with no usable answer into a
:class:`~ax_tasks_mcp.service.errors.ConnectionFailedError`.  Every message is redacted.
"""

from __future__ import annotations

import email.utils
import math
import ssl
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from ax_tasks_mcp.service.errors import (
    AuthenticationError,
    AxTasksError,
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    ProxyFailedError,
    RateLimitedError,
    ServerError,
    ValidationError,
    end_sentence,
    redact,
)
from ax_tasks_mcp.service.proxies import PROXY_CREDENTIALS, PROXY_EXTENSION

__all__ = [
    "bearer_token",
    "error_from_exception",
    "error_from_response",
    "parse_retry_after",
    "untrusted_certificate",
]

_MAX_DETAIL = 500


def untrusted_certificate(exc: BaseException) -> bool:
    """Whether ``exc`` is a TLS certificate the machine does not trust: another try cannot
    help (the trust store changes only when the user changes it), so none is made."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:  # a chain may loop back on itself
        chain.append(link)
        link = link.__cause__ or link.__context__
    return any(isinstance(link, ssl.SSLCertVerificationError) for link in chain) or (
        "CERTIFICATE_VERIFY_FAILED" in str(exc)
    )


# --------------------------------------------------------------------------------------------
# Retry-After
# --------------------------------------------------------------------------------------------


def parse_retry_after(
    value: str | None, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date), else None."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


# --------------------------------------------------------------------------------------------
# Responses → errors
# --------------------------------------------------------------------------------------------


def bearer_token(request: httpx.Request | None) -> str | None:
    if request is None:
        return None
    value: str = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return value or None


def _clip(text: str, limit: int = _MAX_DETAIL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _proxy_of(request: httpx.Request | None) -> str | None:
    """The proxy a request went through (URL masked, and where it was set), if any."""
    label = request.extensions.get(PROXY_EXTENSION) if request is not None else None
    return label if isinstance(label, str) else None


def _proxy_failure(
    request: httpx.Request | None,
    proxy: str,
    host: str,
    status: str,
    secrets: Iterable[str | None],
) -> ProxyFailedError:
    """The proxy refused the request: 407 asks for credentials (or refuses those its URL
    gives), anything else is its rule."""
    given = request is not None and request.extensions.get(PROXY_CREDENTIALS) is True
    if status.startswith("407") and given:
        what = f"The proxy {proxy} refused the user and password its URL gives ({status})"
        advice = (
            "Check them (in the URL, a character such as @, : or / in either must be "
            "percent-encoded: %40, %3A, %2F), or ask your network team which credentials it "
            "expects."
        )
    elif status.startswith("407"):
        what = f"The proxy {proxy} asks for authentication ({status})"
        advice = (
            "Put the proxy's user and password in its URL (USER:PASSWORD@ before the proxy's "
            "host), or ask your network team which credentials it expects."
        )
    else:
        what = f"The proxy {proxy} refused the connection to {host} ({status})"
        advice = (
            f"Check the proxy's rules for {host}, or list {host} in NO_PROXY to go there directly."
        )
    return ProxyFailedError(redact(f"{what}. {advice}", secrets), base_url=None)


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a Response built without a request
        return None


def _body_of(response: httpx.Response) -> tuple[dict[str, Any] | None, str | None]:
    """(problem dict, fallback text) from any body, never raising."""
    try:
        content = response.read()
    except Exception:  # a broken or closed stream: the status alone must do
        return None, None
    if not content:
        return None, None
    text = content.decode("utf-8", errors="replace").strip()
    try:
        parsed = response.json()
    except ValueError:  # not JSON (HTML error page, plain text, garbage bytes)
        if text.startswith("<") or "\ufffd" in text:
            return None, None  # an HTML page or binary junk says nothing useful
        return None, _clip(text, 200) if text else None
    if isinstance(parsed, dict):
        return parsed, None
    if isinstance(parsed, str) and parsed.strip():
        return None, _clip(parsed)
    return None, None


def _describe_items(items: Any) -> str | None:
    """Render list-shaped error details (``errors`` extensions, FastAPI-style ``detail``)."""
    if not isinstance(items, list) or not items:
        return None
    rendered: list[str] = []
    for item in items[:10]:
        if isinstance(item, str):
            rendered.append(item)
        elif isinstance(item, dict):
            where = item.get("field") or item.get("path") or item.get("pointer") or item.get("loc")
            if isinstance(where, list):
                where = ".".join(str(p) for p in where)
            what = item.get("message") or item.get("msg") or item.get("detail") or item.get("title")
            if isinstance(what, str) and what:
                rendered.append(f"{where}: {what}" if isinstance(where, str) and where else what)
    return "; ".join(rendered) or None


def _problem_text(problem: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(title, detail) from a problem body, tolerating other common error shapes."""
    title = problem.get("title")
    title = title.strip() if isinstance(title, str) and title.strip() else None
    detail: str | None = None
    for key in ("detail", "message", "error", "error_description"):
        value = problem.get(key)
        if isinstance(value, str) and value.strip():
            detail = value.strip()
            break
        listed = _describe_items(value)
        if listed:
            detail = listed
            break
        if isinstance(value, dict):  # {"error": {"message": ...}}
            inner = value.get("message") or value.get("detail")
            if isinstance(inner, str) and inner.strip():
                detail = inner.strip()
                break
    extra = _describe_items(problem.get("errors"))
    if extra and extra != detail:
        detail = f"{detail}; {extra}" if detail else extra
    return title, (_clip(detail) if detail else None)


def _string_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def error_from_response(response: httpx.Response) -> AxTasksError:
    """Turn an HTTP error response into the matching :class:`AxTasksError`.

    Reads RFC 9457 problem+json bodies (``title``, ``status``, ``detail``, ``type``,
    ``instance``, ``error_code``) and tolerates any other body, including none or garbage.
    """
    status = response.status_code
    request = _request_of(response)
    proxy = _proxy_of(request)
    if status == 407 and proxy is not None:
        host = request.url.host if request is not None else "the API host"
        return _proxy_failure(request, proxy, host, f"407 {response.reason_phrase}".strip(), ())
    problem, fallback = _body_of(response)
    title, detail = _problem_text(problem) if problem is not None else (None, fallback)
    reason = response.reason_phrase or title or "Error"
    origin = f" from {request.method} {request.url.path}" if request is not None else ""
    if proxy is not None:
        origin += f", through the proxy {proxy}"
    where = f" (HTTP {status} {reason}{origin})"
    explanation = detail or (title if title and title.lower() != reason.lower() else None)
    secrets = [bearer_token(request)]

    from ax_tasks_mcp.service.api_text import mark_api_fields  # it reads requests.py

    def compose(summary: str, advice: str) -> str:
        text = f"{summary}{where}"
        text += f": {end_sentence(mark_api_fields(explanation))}" if explanation else "."
        return redact(f"{text} {advice}", secrets)

    common: dict[str, Any] = {
        "status": status,
        "detail": redact(detail, secrets) if detail else None,
        "problem": problem,
    }
    instance = problem.get("instance") if problem else None
    quote = f" (quote instance {instance})" if isinstance(instance, str) and instance else ""

    if status in (400, 422):
        valid = _string_list(problem.get("valid_fields")) if problem else []
        advice = "Fix the request's arguments and try again."
        if valid:
            advice = f"Valid fields here: {', '.join(valid)}. {advice}"
        return ValidationError(
            compose("The request was rejected as invalid", advice),
            valid_fields=valid,
            **common,
        )
    if status == 401:
        host = request.url.host if request is not None else "the server"
        return AuthenticationError(
            compose(
                "Authentication failed",
                "Check the API key: set ARIZE_API_KEY, or the api_key of the profile in use "
                f"(ARIZE_PROFILE names it); make sure it is valid for {host}.",
            ),
            **common,
        )
    if status == 403:
        return PermissionDeniedError(
            compose(
                "Permission denied",
                "The API key works but may not do this here: use a key with access to this "
                "space, or ask a space admin for the needed role.",
            ),
            **common,
        )
    if status == 404:
        return NotFoundError(
            compose(
                "Not found",
                "It does not exist or this API key cannot see it: check the ID (list the "
                "resources to find it) and that you are using the right space and profile.",
            ),
            **common,
        )
    if status == 409:
        return ConflictError(
            compose(
                "Conflict",
                "The resource's current state does not allow this (for example a run is "
                "already active, or the name is taken): check its state, then try again.",
            ),
            **common,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"Wait {retry_after:g}s" if retry_after is not None else "Wait a little"
        return RateLimitedError(
            compose(
                "Rate limited",
                f"{wait} and try again"
                + ("." if explanation else "; make fewer requests at once."),
            ),
            retry_after=retry_after,
            **common,
        )
    if 500 <= status <= 599:
        return ServerError(
            compose(
                "The Arize service failed",
                "This is not caused by your input: try again shortly; if it keeps happening, "
                f"contact Arize support{quote}.",
            ),
            **common,
        )
    return AxTasksError(
        compose(
            "Unexpected answer from the Arize API",
            "Check the base URL points at the Arize API (ARIZE_BASE_URL / profile) and try again.",
        ),
        **common,
    )


def _host_of(base_url: str | httpx.URL) -> str:
    try:
        url = httpx.URL(str(base_url))
    except (httpx.InvalidURL, TypeError, ValueError):
        return "the API host"
    if not url.host:
        return "the API host"
    return f"{url.host}:{url.port}" if url.port else url.host


def error_from_exception(
    exc: httpx.HTTPError, base_url: str | httpx.URL, *, secrets: Iterable[str | None] = ()
) -> ConnectionFailedError:
    """Turn a network failure (no usable answer) into a :class:`ConnectionFailedError`."""
    host = _host_of(base_url)
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:
        request = None
    hidden = [*secrets, bearer_token(request)]
    name = type(exc).__name__
    cause = _clip(str(exc), 200)
    cause_text = f"{name}: {cause}" if cause else name
    proxy = _proxy_of(request)
    if isinstance(exc, httpx.ProxyError) and proxy is not None:
        return _proxy_failure(request, proxy, host, cause or name, hidden)
    if untrusted_certificate(exc):
        via = f" (through the proxy {proxy})" if proxy is not None else ""
        message = (
            f"The certificate of {host} is not trusted{via} ({cause_text}). On a network "
            "whose proxy inspects TLS, point SSL_CERT_FILE (or SSL_CERT_DIR) at your "
            "company's CA bundle."
        )
        return ConnectionFailedError(redact(message, hidden), base_url=str(base_url))
    if proxy is not None and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        message = (
            f"Could not connect to the proxy {proxy} on the way to {host} ({cause_text}). "
            f"Check that the proxy is running and reachable, or list {host} in NO_PROXY to "
            "go there directly."
        )
        return ProxyFailedError(redact(message, hidden), base_url=str(base_url))
    if isinstance(exc, httpx.ConnectTimeout):
        what = f"Timed out connecting to {host}"
        advice = (
            "Check your network and the base URL (ARIZE_BASE_URL, ARIZE_REGION or the "
            "profile), or allow more time with AX_TASKS_CONNECT_TIMEOUT."
        )
    elif isinstance(exc, httpx.TimeoutException):
        what = f"{host} did not answer in time"
        advice = (
            "The service may be slow or busy: try again, or allow more time with "
            "AX_TASKS_READ_TIMEOUT."
        )
    elif isinstance(exc, httpx.ConnectError):
        what = f"Could not connect to {host}"
        advice = (
            "Check your network connection and the base URL (ARIZE_BASE_URL, ARIZE_REGION "
            "or the profile), then try again."
        )
    else:
        what = f"The connection to {host} failed"
        advice = "Check your network connection and try again."
    if proxy is not None:
        what += f" (through the proxy {proxy})"
    message = redact(f"{what} ({cause_text}). {advice}", hidden)
    return ConnectionFailedError(message, base_url=str(base_url))
