"""RFC 9457 problem details: the one way the sandbox says no."""

from __future__ import annotations

from typing import Any

PROBLEM_JSON = "application/problem+json"
ERRORS_DOC = "https://arize.com/docs/ax/rest-reference/errors"

_TITLES = {
    400: ("Bad Request", "invalid-request"),
    401: ("Unauthorized", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not Found", "not-found"),
    405: ("Method Not Allowed", "method-not-allowed"),
    409: ("Conflict", "conflict"),
    415: ("Unsupported Media Type", "invalid-request"),
    422: ("Unprocessable Entity", "unprocessable-entity"),
    429: ("Too Many Requests", "rate-limited"),
    500: ("Internal Server Error", "internal-error"),
    503: ("Service Unavailable", "service-unavailable"),
}


class ApiError(Exception):
    """An answer other than success, raised anywhere below the request handler."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return problem(self.status, self.detail)


def problem(status: int, detail: str) -> dict[str, Any]:
    title, anchor = _TITLES.get(status, ("Error", "error"))
    return {"type": f"{ERRORS_DOC}#{anchor}", "title": title, "status": status, "detail": detail}


def bad_request(detail: str) -> ApiError:
    return ApiError(400, detail)


def not_found(detail: str) -> ApiError:
    return ApiError(404, detail)


def conflict(detail: str) -> ApiError:
    return ApiError(409, detail)


def unprocessable(detail: str) -> ApiError:
    return ApiError(422, detail)
