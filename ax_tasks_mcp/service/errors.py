"""One error hierarchy for the service layer.

Every error carries a message that says what went wrong *and what to do next*, a process
``exit_code`` for the CLI and a short snake_case ``kind`` for machine-readable output (MCP tool
errors, ``--output json``).  HTTP error responses become errors in exactly one place,
:func:`error_from_response`; network failures in :func:`error_from_exception`.

Nothing here prints or exits: the faces decide how to show an error.
"""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, ClassVar

import httpx

__all__ = [
    "AmbiguousNameError",
    "AuthenticationError",
    "AxTasksError",
    "ConfigError",
    "ConflictError",
    "ConnectionFailedError",
    "ExitCode",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "UnknownOutcomeError",
    "ValidationError",
    "WaitTimeoutError",
    "error_from_exception",
    "error_from_response",
    "parse_retry_after",
    "redact",
]

REDACTED = "***"
_MAX_DETAIL = 500


class ExitCode(IntEnum):
    """The CLI's documented process exit codes."""

    OK = 0
    API_ERROR = 1
    """The API or the network failed (also conflicts, rate limits, unknown outcomes)."""
    USAGE = 2
    """Bad arguments, invalid input or configuration."""
    AUTH = 3
    """Authentication failed or permission denied."""
    NOT_FOUND = 4
    """A resource was not found, or a name matched several resources."""
    RUN_FAILED = 5
    """The waited-for run ended FAILED."""
    RUN_CANCELLED = 6
    """The waited-for run ended CANCELLED."""
    WAIT_TIMEOUT = 7
    """The run did not finish before the wait deadline."""
    INTERRUPTED = 130
    """Interrupted by the user (Ctrl-C)."""


# --------------------------------------------------------------------------------------------
# The hierarchy
# --------------------------------------------------------------------------------------------


class AxTasksError(Exception):
    """Base of every error the service layer raises on purpose.

    ``status`` is the HTTP status when the error came from a response, ``detail`` the server's
    own explanation (problem ``detail``), ``problem`` the parsed problem+json body if any.
    """

    exit_code: ClassVar[ExitCode] = ExitCode.API_ERROR
    kind: ClassVar[str] = "api_error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        detail: str | None = None,
        problem: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail
        self.problem: dict[str, Any] | None = dict(problem) if problem is not None else None

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description for machine output."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "message": self.message,
            "exit_code": int(self.exit_code),
        }
        if self.status is not None:
            data["status"] = self.status
        if self.detail:
            data["detail"] = self.detail
        data.update(self._extra())
        return data

    def _extra(self) -> dict[str, Any]:
        return {}


class ConfigError(AxTasksError):
    """The local configuration (profiles, environment) is missing or invalid."""

    exit_code = ExitCode.USAGE
    kind = "config_error"


class ValidationError(AxTasksError):
    """Invalid input, found client-side or reported by the server (400 / 422)."""

    exit_code = ExitCode.USAGE
    kind = "validation_error"

    def __init__(
        self,
        message: str,
        *,
        valid_fields: Iterable[str] | None = None,
        status: int | None = None,
        detail: str | None = None,
        problem: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail, problem=problem)
        self.valid_fields: list[str] = list(valid_fields or [])

    def _extra(self) -> dict[str, Any]:
        return {"valid_fields": self.valid_fields} if self.valid_fields else {}


class AuthenticationError(AxTasksError):
    """401: the API key is missing, wrong, revoked or meant for another host."""

    exit_code = ExitCode.AUTH
    kind = "authentication_failed"


class PermissionDeniedError(AxTasksError):
    """403: the key is valid but may not do this."""

    exit_code = ExitCode.AUTH
    kind = "permission_denied"


class NotFoundError(AxTasksError):
    """404, or a name that matched nothing.  ``suggestions`` are close names, if any."""

    exit_code = ExitCode.NOT_FOUND
    kind = "not_found"

    def __init__(
        self,
        message: str,
        *,
        suggestions: Iterable[str] | None = None,
        status: int | None = None,
        detail: str | None = None,
        problem: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail, problem=problem)
        self.suggestions: list[str] = list(suggestions or [])

    @classmethod
    def for_name(
        cls,
        resource: str,
        name: str,
        *,
        suggestions: Iterable[str] | None = None,
        hint: str | None = None,
    ) -> NotFoundError:
        """A teaching "no <resource> named ..." error, e.g. ``for_name("task", "nightly")``."""
        found = list(suggestions or [])
        parts = [f"No {resource} named {name!r} was found (names match exactly, case included)."]
        if found:
            parts.append("Did you mean: " + ", ".join(repr(s) for s in found) + "?")
        parts.append(hint or f"Check the name or pass the {resource}'s ID instead.")
        return cls(" ".join(parts), suggestions=found)

    def _extra(self) -> dict[str, Any]:
        return {"suggestions": self.suggestions} if self.suggestions else {}


class AmbiguousNameError(AxTasksError):
    """A name matched several resources; the message lists their IDs."""

    exit_code = ExitCode.NOT_FOUND
    kind = "ambiguous_name"

    def __init__(
        self,
        resource: str,
        name: str,
        matches: Sequence[tuple[str, str]],
        *,
        hint: str | None = None,
    ) -> None:
        self.resource = resource
        self.name = name
        self.matches: list[tuple[str, str]] = [(str(n), str(i)) for n, i in matches]
        ids = ", ".join(i for _, i in self.matches)
        message = (
            f"The {resource} name {name!r} is ambiguous: {len(self.matches)} {resource}s "
            f"have it (IDs: {ids}). Pass one of these IDs instead of the name."
        )
        if hint:
            message = f"{message} {hint}"
        super().__init__(message)

    def _extra(self) -> dict[str, Any]:
        return {"matches": [{"name": n, "id": i} for n, i in self.matches]}


class ConflictError(AxTasksError):
    """409: the resource's current state does not allow the operation."""

    kind = "conflict"


class RateLimitedError(AxTasksError):
    """429: too many requests; ``retry_after`` is the server's advice in seconds, if any."""

    kind = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        detail: str | None = None,
        problem: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail, problem=problem)
        self.retry_after = retry_after

    def _extra(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after} if self.retry_after is not None else {}


class ServerError(AxTasksError):
    """5xx: the service failed; not the caller's fault."""

    kind = "server_error"


class ConnectionFailedError(AxTasksError):
    """No answer: connection refused, DNS failure, timeout, reset."""

    kind = "connection_failed"

    def __init__(self, message: str, *, base_url: str | None = None) -> None:
        super().__init__(message)
        self.base_url = base_url


class WaitTimeoutError(AxTasksError):
    """A run was still going when the wait deadline passed (the run itself is unaffected)."""

    exit_code = ExitCode.WAIT_TIMEOUT
    kind = "wait_timeout"

    def __init__(
        self,
        run_id: str,
        last_status: str | None,
        timeout: float,
        *,
        last_error: str | None = None,
    ) -> None:
        self.run_id = run_id
        self.last_status = last_status
        self.timeout = timeout
        self.last_error = last_error
        status = last_status or "unknown"
        message = (
            f"Run {run_id} did not reach a terminal state within {timeout:g}s "
            f"(last status: {status})."
        )
        if last_error:
            message += f" The last poll failed: {last_error}"
            message = _end_sentence(message)
        message += (
            " The run keeps going on the server: wait again with a longer timeout,"
            " check it later with get-run, or stop it with cancel-run."
        )
        super().__init__(message)

    def _extra(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "last_status": self.last_status, "timeout": self.timeout}


class UnknownOutcomeError(AxTasksError):
    """A write's answer was lost and reconciling could not tell whether it took effect."""

    kind = "unknown_outcome"

    @classmethod
    def for_write(cls, action: str, check: str, *, cause: str | None = None) -> UnknownOutcomeError:
        """E.g. ``for_write("trigger a run of task T", "list the task's runs (list-runs T)")``."""
        why = f" ({cause})" if cause else ""
        return cls(
            f"The request to {action} may or may not have taken effect: the answer was lost"
            f"{why} and it could not be confirmed afterwards. Before retrying, {check}, so"
            " that it is not done twice."
        )


# --------------------------------------------------------------------------------------------
# Redaction
# --------------------------------------------------------------------------------------------

_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+")


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Replace every occurrence of each secret, and any ``Bearer <token>``, with ``***``.

    Secrets shorter than 6 characters are not replaced as substrings: no real key is that
    short, and replacing them would garble ordinary words.
    """
    for secret in sorted((s for s in secrets if s and len(s) >= 6), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)


def _bearer_token(request: httpx.Request | None) -> str | None:
    if request is None:
        return None
    value: str = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return value or None


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


def _end_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _clip(text: str, limit: int = _MAX_DETAIL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    problem, fallback = _body_of(response)
    title, detail = _problem_text(problem) if problem is not None else (None, fallback)
    reason = response.reason_phrase or title or "Error"
    origin = f" from {request.method} {request.url.path}" if request is not None else ""
    where = f" (HTTP {status} {reason}{origin})"
    explanation = detail or (title if title and title.lower() != reason.lower() else None)
    secrets = [_bearer_token(request)]

    def compose(summary: str, advice: str) -> str:
        text = f"{summary}{where}"
        text += f": {_end_sentence(explanation)}" if explanation else "."
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
                f"(ARIZE_PROFILE / --profile); make sure it is valid for {host}.",
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
                f"{wait} and try again; make fewer requests at once.",
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
    hidden = [*secrets, _bearer_token(request)]
    name = type(exc).__name__
    cause = _clip(str(exc), 200)
    cause_text = f"{name}: {cause}" if cause else name
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
    message = redact(f"{what} ({cause_text}). {advice}", hidden)
    return ConnectionFailedError(message, base_url=str(base_url))
