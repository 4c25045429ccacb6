"""One error hierarchy for the service layer.

Every error carries a message that says what went wrong *and what to do next*, and a short
snake_case ``kind`` for machine-readable output (MCP tool errors, ``--output json``).  Messages
name fields and operations with marks (:mod:`ax_tasks_mcp.service.words`): ``str(error)`` reads
them plainly, and each face renders them in its own words with :meth:`AxTasksError.render`.
HTTP error answers become errors in :mod:`ax_tasks_mcp.service.failures`.

Nothing here prints or exits, and nothing here knows an exit code: the faces decide how to show
an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from ax_tasks_mcp.service.words import PLAIN, Words, field, mentioned_fields, operation, quoted

__all__ = [
    "AmbiguousNameError",
    "AuthenticationError",
    "AxTasksError",
    "ConfigError",
    "ConflictError",
    "ConnectionFailedError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProxyFailedError",
    "RateLimitedError",
    "ServerError",
    "UnknownOutcomeError",
    "ValidationError",
    "WaitTimeoutError",
    "end_sentence",
    "redact",
    "shown",
]

REDACTED = "***"

# --------------------------------------------------------------------------------------------
# The hierarchy
# --------------------------------------------------------------------------------------------


class AxTasksError(Exception):
    """Base of every error the service layer raises on purpose.

    ``status`` is the HTTP status when the error came from a response, ``detail`` the server's
    own explanation (problem ``detail``), ``problem`` the parsed problem+json body if any.
    """

    kind: ClassVar[str] = "api_error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        detail: str | None = None,
        problem: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(PLAIN.render(message))
        self.template = message
        self.message = PLAIN.render(message)
        #: The API fields the message names (e.g. ``["sampling_rate"]``), for machines.
        self.fields: list[str] = mentioned_fields(message)
        self.status = status
        self.detail = detail
        self.problem: dict[str, Any] | None = dict(problem) if problem is not None else None

    def __str__(self) -> str:
        return self.message

    def render(self, words: Words) -> str:
        """The message in a face's own words (its flags or parameters, commands or tools)."""
        return words.render(self.template)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description for machine output."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "message": self.message,
        }
        if self.fields:
            data["fields"] = self.fields
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

    kind = "config_error"


class ValidationError(AxTasksError):
    """Invalid input, found client-side or reported by the server (400 / 422)."""

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

    kind = "authentication_failed"


class PermissionDeniedError(AxTasksError):
    """403: the key is valid but may not do this."""

    kind = "permission_denied"


class NotFoundError(AxTasksError):
    """404, or a name that matched nothing.  ``suggestions`` are close names, if any."""

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
        parts = [
            f"No {resource} named {quoted(name)} was found (names match exactly, case included)."
        ]
        if found:
            parts.append("Did you mean: " + ", ".join(quoted(s) for s in found) + "?")
        parts.append(hint or f"Check the name or pass the {resource}'s ID instead.")
        return cls(" ".join(parts), suggestions=found)

    def _extra(self) -> dict[str, Any]:
        return {"suggestions": self.suggestions} if self.suggestions else {}


class AmbiguousNameError(AxTasksError):
    """A name matched several resources; the message lists their IDs."""

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
            f"The {resource} name {quoted(name)} is ambiguous: {len(self.matches)} {resource}s "
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


class ProxyFailedError(ConnectionFailedError):
    """The proxy in the way refused, asked for authentication (407) or could not be reached;
    the message names it (credentials masked) and where it was configured."""

    kind = "proxy_failed"


class WaitTimeoutError(AxTasksError):
    """A run was still going when the wait deadline passed (the run itself is unaffected)."""

    kind = "wait_timeout"

    def __init__(
        self,
        run_id: str,
        last_status: str | None,
        timeout: float,
        *,
        last_error: str | None = None,
        last: Any = None,
    ) -> None:
        self.run_id = run_id
        self.last_status = last_status
        self.timeout = timeout
        self.last_error = last_error
        self.last = last  # the run as last read (None if no poll succeeded): still an answer
        status = last_status or "unknown"
        message = (
            f"Run {run_id} did not reach a terminal state within {timeout:g}s "
            f"(last status: {status})."
        )
        if last_error:
            message += f" The last poll failed: {last_error}"
            message = end_sentence(message)
        message += (
            f" The run keeps going on the server: wait again ({operation('wait_for_run')}) with"
            f" a longer {field('timeout')}, check it later with {operation('get_run')}, or stop"
            f" it with {operation('cancel_run')}."
        )
        super().__init__(message)

    def _extra(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "last_status": self.last_status, "timeout": self.timeout}


class UnknownOutcomeError(AxTasksError):
    """A write's answer was lost and reconciling could not tell whether it took effect."""

    kind = "unknown_outcome"

    @classmethod
    def for_write(cls, action: str, check: str, *, cause: str | None = None) -> UnknownOutcomeError:
        """E.g. ``for_write("trigger a run of task T", "list the task's runs")``; ``check`` may
        name operations with :func:`~ax_tasks_mcp.service.words.operation`."""
        why = f" ({cause})" if cause else ""
        return cls(
            f"The request to {action} may or may not have taken effect: the answer was lost"
            f"{why} and it could not be confirmed afterwards. Before retrying, {check}, so"
            " that it is not done twice."
        )


# --------------------------------------------------------------------------------------------
# Redaction
# --------------------------------------------------------------------------------------------


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Mask each secret where it stands as a token, and any ``Bearer <token>``, with ``***``
    (the rule: :mod:`ax_tasks_mcp.service.redaction`)."""
    from ax_tasks_mcp.service.redaction import redact as mask

    return mask(text, secrets)


def end_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


#: Characters of a value a message quotes back: enough to recognise it, never a flood.
SHOWN_CHARS = 60


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)``, cut to ``limit`` characters with the length said when it is longer: a
    message quotes what it was given, never all of a million characters."""
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str | bytes | list | dict) else ""
    return text[: limit - 1] + "…" + size
