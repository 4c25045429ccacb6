"""HTTP answers and network failures become the one error hierarchy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.service.errors import (
    AmbiguousNameError,
    AuthenticationError,
    AxTasksError,
    ConfigError,
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    UnknownOutcomeError,
    ValidationError,
    WaitTimeoutError,
    redact,
)
from ax_tasks_mcp.service.failures import (
    error_from_exception,
    error_from_response,
    parse_retry_after,
)

KEY = "ak-secret-0123456789"
BASE = "https://api.arize.com"


def make_response(
    status: int,
    body: Any = None,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    path: str = "/v2/tasks/VGFza1J1bjo5OTpxUndY",
) -> httpx.Response:
    request = httpx.Request(method, BASE + path, headers={"Authorization": f"Bearer {KEY}"})
    if body is not None:
        return httpx.Response(
            status,
            json=body,
            headers={"Content-Type": "application/problem+json", **(headers or {})},
            request=request,
        )
    return httpx.Response(status, content=content or b"", headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "cls", "kind"),
    [
        (400, ValidationError, "validation_error"),
        (422, ValidationError, "validation_error"),
        (401, AuthenticationError, "authentication_failed"),
        (403, PermissionDeniedError, "permission_denied"),
        (404, NotFoundError, "not_found"),
        (409, ConflictError, "conflict"),
        (429, RateLimitedError, "rate_limited"),
        (500, ServerError, "server_error"),
        (502, ServerError, "server_error"),
        (503, ServerError, "server_error"),
        (504, ServerError, "server_error"),
        (418, AxTasksError, "api_error"),
        (405, AxTasksError, "api_error"),
    ],
)
def test_each_status_maps_to_its_error_class(
    status: int, cls: type[AxTasksError], kind: str
) -> None:
    problem = {"title": "Something", "status": status, "detail": "The detail here."}
    error = error_from_response(make_response(status, problem))
    assert type(error) is cls
    assert error.status == status
    assert error.kind == kind
    assert error.detail == "The detail here."
    assert error.problem == problem
    assert "The detail here." in str(error)
    assert "/v2/tasks/VGFza1J1bjo5OTpxUndY" in str(error)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b"\xff\xfe\x00garbage\x80",
        b'{"title": "unterminated',
        b"[1, 2, 3]",
        b"42",
        b"null",
        b'{"detail": 17, "title": ["no"]}',
    ],
)
@pytest.mark.parametrize(("status", "cls"), [(400, ValidationError), (503, ServerError)])
def test_garbage_bodies_are_tolerated(content: bytes, status: int, cls: type[AxTasksError]) -> None:
    error = error_from_response(make_response(status, content=content))
    assert type(error) is cls
    assert error.status == status
    assert str(status) in str(error)
    assert "\ufffd" not in str(error)
    assert "<html" not in str(error)


def test_a_plain_text_body_becomes_the_detail() -> None:
    error = error_from_response(make_response(500, content=b"upstream exploded"))
    assert error.detail == "upstream exploded"
    assert "upstream exploded" in str(error)


def test_a_response_without_a_request_still_maps() -> None:
    error = error_from_response(httpx.Response(404, json={"title": "Not Found", "status": 404}))
    assert isinstance(error, NotFoundError)


def test_title_is_used_when_there_is_no_detail() -> None:
    error = error_from_response(make_response(404, {"title": "Task not found", "status": 404}))
    assert "Task not found" in str(error)


def test_list_shaped_details_are_rendered() -> None:
    body = {"detail": [{"loc": ["body", "sampling_rate"], "msg": "must be <= 1"}]}
    error = error_from_response(make_response(422, body))
    assert "body.sampling_rate: must be <= 1" in str(error)


def test_valid_fields_extension_is_carried() -> None:
    body = {"title": "Bad Request", "status": 400, "valid_fields": ["name", "sampling_rate"]}
    error = error_from_response(make_response(400, body))
    assert isinstance(error, ValidationError)
    assert error.valid_fields == ["name", "sampling_rate"]
    assert "name, sampling_rate" in str(error)


def test_messages_say_what_to_do_next() -> None:
    auth = error_from_response(make_response(401, {"title": "Unauthorized", "status": 401}))
    assert "ARIZE_API_KEY" in str(auth)
    assert "api.arize.com" in str(auth)
    assert "ID" in str(error_from_response(make_response(404, None)))
    server = error_from_response(make_response(500, {"title": "x", "instance": "/req/123"}))
    assert "/req/123" in str(server)


def test_rate_limited_reads_retry_after() -> None:
    error = error_from_response(make_response(429, None, headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 7
    assert "Wait 7s" in str(error)
    assert error.to_dict()["retry_after"] == 7


def test_the_api_key_never_reaches_an_error_message() -> None:
    body = {"title": "Unauthorized", "detail": f"key {KEY} rejected (Bearer {KEY})"}
    error = error_from_response(make_response(401, body))
    assert KEY not in str(error)
    assert KEY not in (error.detail or "")
    assert "***" in str(error)


@pytest.mark.parametrize(
    ("exc", "phrase"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "Could not connect to"),
        (httpx.ConnectTimeout("timed out"), "AX_TASKS_CONNECT_TIMEOUT"),
        (httpx.ReadTimeout("timed out"), "AX_TASKS_READ_TIMEOUT"),
        (httpx.RemoteProtocolError("peer closed connection"), "connection to"),
    ],
)
def test_network_failures_name_the_host_but_not_the_key(exc: httpx.HTTPError, phrase: str) -> None:
    exc.request = httpx.Request(
        "GET", BASE + "/v2/tasks", headers={"Authorization": f"Bearer {KEY}"}
    )
    error = error_from_exception(exc, BASE, secrets=[KEY])
    assert isinstance(error, ConnectionFailedError)
    assert error.kind == "connection_failed"
    assert "api.arize.com" in str(error)
    assert phrase in str(error)
    assert KEY not in str(error)


def test_network_failure_messages_redact_secrets_in_the_cause() -> None:
    error = error_from_exception(
        httpx.ConnectError(f"boom {KEY}"), "http://localhost:8080", secrets=[KEY]
    )
    assert KEY not in str(error)
    assert "localhost:8080" in str(error)


def test_redact_replaces_secrets_and_bearer_tokens() -> None:
    assert redact(f"a {KEY} b", [KEY]) == "a *** b"
    assert redact("Authorization: Bearer abc.def", []) == "Authorization: Bearer ***"
    assert redact("nothing here", [None, ""]) == "nothing here"


def test_parse_retry_after_forms() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("5", now=lambda: now) == 5
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("-3") == 0
    assert parse_retry_after("Sun, 01 Mar 2026 12:00:20 GMT", now=lambda: now) == 20
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now=lambda: now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


def test_ambiguous_name_lists_ids_and_asks_for_one() -> None:
    error = AmbiguousNameError("task", "nightly", [("nightly", "ID1"), ("nightly", "ID2")])
    assert "ID1" in str(error)
    assert "ID2" in str(error)
    assert "Pass one of these IDs" in str(error)
    assert error.to_dict()["matches"] == [
        {"name": "nightly", "id": "ID1"},
        {"name": "nightly", "id": "ID2"},
    ]


def test_not_found_for_name_offers_suggestions() -> None:
    error = NotFoundError.for_name("task", "nightly", suggestions=["Nightly", "nightly-2"])
    assert error.suggestions == ["Nightly", "nightly-2"]
    assert "Did you mean: 'Nightly', 'nightly-2'?" in str(error)
    assert error.to_dict()["kind"] == "not_found"


def test_wait_timeout_names_run_status_and_timeout() -> None:
    error = WaitTimeoutError("VGFza1J1bjo5OTpxUndY", "RUNNING", 600)
    assert "VGFza1J1bjo5OTpxUndY" in str(error)
    assert "RUNNING" in str(error)
    assert "600s" in str(error)
    assert error.to_dict()["last_status"] == "RUNNING"


def test_unknown_outcome_says_what_to_check() -> None:
    error = UnknownOutcomeError.for_write(
        "trigger a run of task T", "list the task's runs", cause="ReadTimeout"
    )
    assert "may or may not have taken effect" in str(error)
    assert "list the task's runs" in str(error)
    assert error.kind == "unknown_outcome"


def test_service_errors_know_no_exit_code() -> None:
    # Exit codes belong to the CLI (cli/ax_tasks_cli/exitcodes.py); the service carries a kind.
    error = ConfigError("x")
    assert not hasattr(error, "exit_code")
    assert "exit_code" not in error.to_dict()
    assert error.to_dict()["kind"] == "config_error"


def test_to_dict_is_json_ready() -> None:
    error = error_from_response(make_response(404, {"title": "Not Found", "detail": "gone"}))
    data = error.to_dict()
    assert data["kind"] == "not_found"
    assert data["status"] == 404
    assert data["detail"] == "gone"
