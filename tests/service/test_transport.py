"""The HTTP client: headers, timeouts, and which requests are retried or never repeated."""

from __future__ import annotations

import logging
import platform
import ssl
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from ax_tasks_mcp.service.errors import ServerError
from ax_tasks_mcp.service.failures import error_from_response
from ax_tasks_mcp.service.settings import Settings
from ax_tasks_mcp.service.transport import (
    ATTEMPTS_EXTENSION,
    RetryingTransport,
    WriteOutcomeUnknown,
    build_http_client,
    default_user_agent,
)
from ax_tasks_mcp.version import __version__

KEY = "ak-transport-secret-42"
BASE = "https://api.arize.com"

Step = httpx.Response | Exception


class Script:
    """An inner transport that plays a fixed list of answers and records the requests."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return httpx.Response(
            step.status_code, headers=step.headers, content=step.content, request=request
        )

    @property
    def count(self) -> int:
        return len(self.requests)


def ok(status: int = 200, **kwargs: object) -> httpx.Response:
    return httpx.Response(status, json={"ok": True}, **kwargs)  # type: ignore[arg-type]


def status(code: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(code, headers=headers, json={"title": "x", "status": code})


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(sleeps: list[float]) -> Iterator[Callable[..., httpx.Client]]:
    clients: list[httpx.Client] = []

    def make(
        script: Script,
        *,
        max_retries: int = 4,
        rng: Callable[[], float] = lambda: 1.0,
        api_key: str | None = KEY,
    ) -> httpx.Client:
        settings = Settings(api_key=api_key, base_url=BASE, max_retries=max_retries)
        client = build_http_client(
            settings, transport=httpx.MockTransport(script), sleep=sleeps.append, rng=rng
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# -- the client ------------------------------------------------------------------------------


def test_client_sends_auth_accept_and_user_agent(make_client: Callable[..., httpx.Client]) -> None:
    script = Script(ok())
    make_client(script).get("/v2/tasks", params={"limit": 50})
    sent = script.requests[0]
    assert str(sent.url) == f"{BASE}/v2/tasks?limit=50"
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["Accept"] == "application/json"
    assert (
        sent.headers["User-Agent"] == f"ax-tasks/{__version__} (python {platform.python_version()})"
    )
    assert default_user_agent() == sent.headers["User-Agent"]


def test_no_authorization_header_without_a_key(make_client: Callable[..., httpx.Client]) -> None:
    script = Script(ok())
    make_client(script, api_key=None).get("/v2/tasks")
    assert "Authorization" not in script.requests[0].headers


def test_timeouts_come_from_settings() -> None:
    settings = Settings(api_key=KEY, connect_timeout=2.5, read_timeout=12.0)
    with build_http_client(settings, transport=httpx.MockTransport(Script(ok()))) as client:
        assert client.timeout == httpx.Timeout(connect=2.5, read=12.0, write=12.0, pool=2.5)
        assert str(client.base_url).rstrip("/") == "https://api.arize.com"


def test_user_agent_can_be_replaced() -> None:
    script = Script(ok())
    with build_http_client(
        Settings(), transport=httpx.MockTransport(script), user_agent="custom/1"
    ) as client:
        client.get("/v2/tasks")
    assert script.requests[0].headers["User-Agent"] == "custom/1"


# -- safe requests ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "DELETE", "PATCH", "PUT"])
@pytest.mark.parametrize("code", [429, 502, 503, 504])
def test_safe_requests_are_retried_on_retryable_statuses(
    make_client: Callable[..., httpx.Client], sleeps: list[float], method: str, code: int
) -> None:
    script = Script(status(code), status(code), ok())
    response = make_client(script).request(method, "/v2/tasks/x")
    assert response.status_code == 200
    assert script.count == 3
    assert sleeps == [0.25, 0.5]
    assert response.extensions[ATTEMPTS_EXTENSION] == 3


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow connect"),
        httpx.ReadTimeout("slow read"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("peer closed"),
    ],
)
def test_safe_requests_are_retried_on_network_failures(
    make_client: Callable[..., httpx.Client], sleeps: list[float], exc: Exception
) -> None:
    script = Script(exc, ok())
    assert make_client(script).get("/v2/tasks").status_code == 200
    assert script.count == 2
    assert sleeps == [0.25]


def test_retries_stop_after_max_retries_and_return_the_last_answer(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(503))
    response = make_client(script, max_retries=4).get("/v2/tasks")
    assert response.status_code == 503
    assert script.count == 5
    assert sleeps == [0.25, 0.5, 1.0, 2.0]
    assert isinstance(error_from_response(response), ServerError)


def test_network_failure_is_raised_after_max_retries(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(httpx.ConnectError("refused"))
    with pytest.raises(httpx.ConnectError):
        make_client(script, max_retries=2).get("/v2/tasks")
    assert script.count == 3
    assert len(sleeps) == 2


def test_a_certificate_the_machine_does_not_trust_is_not_tried_again(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    untrusted = httpx.ConnectError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
    )
    untrusted.__context__ = ssl.SSLCertVerificationError(1, "certificate verify failed")
    script = Script(untrusted, ok())
    with pytest.raises(httpx.ConnectError):
        make_client(script, max_retries=4).get("/v2/tasks")
    assert script.count == 1
    assert sleeps == []


def test_a_failure_whose_cause_chain_loops_is_still_retried(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    refused, inner = httpx.ConnectError("refused"), OSError("connection refused")
    refused.__context__, inner.__context__ = inner, refused
    script = Script(refused, ok())
    assert make_client(script).get("/v2/tasks").status_code == 200
    assert script.count == 2


def test_zero_max_retries_means_one_attempt(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(503))
    assert make_client(script, max_retries=0).get("/v2/tasks").status_code == 503
    assert script.count == 1
    assert sleeps == []


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 422, 500])
def test_other_statuses_are_never_retried(
    make_client: Callable[..., httpx.Client], sleeps: list[float], code: int
) -> None:
    script = Script(status(code))
    assert make_client(script).get("/v2/tasks").status_code == code
    assert script.count == 1
    assert sleeps == []


def test_unexpected_transport_errors_are_not_retried(
    make_client: Callable[..., httpx.Client],
) -> None:
    script = Script(httpx.UnsupportedProtocol("nope"))
    with pytest.raises(httpx.UnsupportedProtocol):
        make_client(script).get("/v2/tasks")
    assert script.count == 1


# -- backoff and Retry-After ----------------------------------------------------------------


def test_backoff_doubles_and_is_capped_at_eight_seconds(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(502))
    make_client(script, max_retries=8).get("/v2/tasks")
    assert sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_uses_full_jitter(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(502), status(502), ok())
    make_client(script, rng=lambda: 0.5).get("/v2/tasks")
    assert sleeps == [0.125, 0.25]


@given(fraction=st.floats(min_value=0.0, max_value=1.0), retry=st.integers(1, 30))
def test_jitter_stays_within_zero_and_the_ceiling(fraction: float, retry: int) -> None:
    transport = RetryingTransport(httpx.MockTransport(Script(ok())), rng=lambda: fraction)
    wait = transport.backoff(retry)
    assert 0.0 <= wait <= min(8.0, 0.25 * 2 ** (retry - 1))


def test_retry_after_seconds_is_honoured(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(429, {"Retry-After": "3"}), status(503, {"Retry-After": "0"}), ok())
    make_client(script).get("/v2/tasks")
    assert sleeps == [3.0, 0.0]


def test_retry_after_is_capped_at_thirty_seconds(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(429, {"Retry-After": "3600"}), ok())
    make_client(script).get("/v2/tasks")
    assert sleeps == [30.0]


def test_retry_after_http_date_is_honoured(sleeps: list[float]) -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    script = Script(status(503, {"Retry-After": "Sun, 01 Mar 2026 12:00:12 GMT"}), ok())
    transport = RetryingTransport(
        httpx.MockTransport(script), sleep=sleeps.append, rng=lambda: 1.0, now=lambda: now
    )
    with httpx.Client(transport=transport, base_url=BASE) as client:
        client.get("/v2/tasks")
    assert sleeps == [12.0]


def test_unparseable_retry_after_falls_back_to_backoff(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(429, {"Retry-After": "later"}), ok())
    make_client(script).get("/v2/tasks")
    assert sleeps == [0.25]


# -- writes (POST) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("no connection"), status(429)],
)
def test_a_post_that_certainly_did_not_arrive_is_resent(
    make_client: Callable[..., httpx.Client], sleeps: list[float], first: Step
) -> None:
    script = Script(first, ok(201))
    response = make_client(script).post("/v2/tasks/T/trigger", json={"max_spans": 10})
    assert response.status_code == 201
    assert script.count == 2
    assert len(sleeps) == 1
    assert script.requests[0].content == script.requests[1].content == b'{"max_spans":10}'


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("no answer"),
        httpx.ReadError("connection reset"),
        httpx.RemoteProtocolError("server disconnected"),
        httpx.WriteTimeout("stuck sending"),
    ],
)
def test_a_post_whose_answer_was_lost_is_never_resent(
    make_client: Callable[..., httpx.Client], sleeps: list[float], exc: Exception
) -> None:
    script = Script(exc, ok(201))
    with pytest.raises(WriteOutcomeUnknown) as caught:
        make_client(script).post("/v2/tasks", json={"name": "n"})
    assert script.count == 1
    assert sleeps == []
    assert caught.value.cause is exc
    assert caught.value.response is None
    assert caught.value.request.url.path == "/v2/tasks"
    assert caught.value.reason == type(exc).__name__
    assert isinstance(caught.value, httpx.TransportError)


@pytest.mark.parametrize("code", [502, 503, 504])
def test_a_post_answered_by_a_failing_gateway_is_never_resent(
    make_client: Callable[..., httpx.Client], sleeps: list[float], code: int
) -> None:
    script = Script(status(code), ok(201))
    with pytest.raises(WriteOutcomeUnknown) as caught:
        make_client(script).post("/v2/task-runs/R/cancel")
    assert script.count == 1
    assert sleeps == []
    gateway = caught.value.response
    assert gateway is not None
    assert gateway.status_code == code
    assert caught.value.cause is None
    error = error_from_response(gateway)  # readable, and tied to its request
    assert isinstance(error, ServerError)
    assert "POST /v2/task-runs/R/cancel" in str(error)


@pytest.mark.parametrize("code", [400, 409, 500])
def test_a_post_answered_with_an_error_is_returned_once(
    make_client: Callable[..., httpx.Client], code: int
) -> None:
    script = Script(status(code))
    assert make_client(script).post("/v2/tasks", json={}).status_code == code
    assert script.count == 1


def test_a_post_refused_until_retries_run_out_returns_the_429(
    make_client: Callable[..., httpx.Client], sleeps: list[float]
) -> None:
    script = Script(status(429))
    assert make_client(script, max_retries=3).post("/v2/tasks", json={}).status_code == 429
    assert script.count == 4
    assert sleeps == [0.25, 0.5, 1.0]


# -- over the real httpx transport, mocked by respx -----------------------------------------


def test_retries_work_over_the_default_transport(sleeps: list[float]) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as router:
        route = router.get("/v2/task-runs/R").mock(
            side_effect=[httpx.Response(503), httpx.ConnectError("refused"), httpx.Response(200)]
        )
        settings = Settings(api_key=KEY, base_url=BASE)
        with build_http_client(settings, sleep=sleeps.append, rng=lambda: 1.0) as client:
            assert client.get("/v2/task-runs/R").status_code == 200
        assert route.call_count == 3
        assert route.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"
    assert sleeps == [0.25, 0.5]


def test_respx_post_read_timeout_is_sent_once(sleeps: list[float]) -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.post("/v2/tasks").mock(side_effect=httpx.ReadTimeout("lost"))
        with (
            build_http_client(Settings(api_key=KEY), sleep=sleeps.append) as client,
            pytest.raises(WriteOutcomeUnknown),
        ):
            client.post("/v2/tasks", json={"name": "n"})
        assert route.call_count == 1


# -- logging ---------------------------------------------------------------------------------


def test_attempts_are_logged_without_the_key(
    make_client: Callable[..., httpx.Client], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(Script(status(503), ok()))
    client.get("/v2/tasks/abc")
    with pytest.raises(WriteOutcomeUnknown):
        make_client(Script(httpx.ReadTimeout("lost"))).post("/v2/tasks", json={"k": KEY})
    make_client(Script(httpx.ConnectError(f"refused {KEY[:3]}"), ok())).get("/v2/tasks")

    text = caplog.text
    assert "GET /v2/tasks/abc: the server answered 503; retrying (2/5) in 0.25 s…" in text
    assert "GET /v2/tasks/abc attempt 2/5: 200" in text
    assert "POST /v2/tasks attempt 1/5: ReadTimeout, outcome unknown, not resent" in text
    assert "GET /v2/tasks: could not connect; retrying (2/5)" in text
    assert KEY not in text
    assert "Bearer" not in text
    assert "authorization" not in text.lower()
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert all(KEY not in str(arg) for arg in (record.args or ()))
