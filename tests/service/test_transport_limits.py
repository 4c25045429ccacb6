"""Transport limits mutation testing found untested: how many times a failing safe request is
tried, and that a redirect is never followed (it would carry the key elsewhere)."""

from __future__ import annotations

import logging

import httpx
import pytest

from ax_tasks_mcp.service.settings import Settings
from ax_tasks_mcp.service.transport import (
    RetryingTransport,
    WriteOutcomeUnknown,
    build_http_client,
)
from tests.service.test_transport import BASE, KEY, Script, ok, status
from tests.support.clock import FakeTime


def client_over(script: Script, sleeps: list[float], *, max_retries: int = 4) -> httpx.Client:
    settings = Settings(api_key=KEY, base_url=BASE, max_retries=max_retries)
    transport = httpx.MockTransport(script)
    return build_http_client(settings, transport=transport, sleep=sleeps.append, rng=lambda: 1.0)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("slow read"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("peer closed"),
        httpx.ConnectTimeout("slow connect"),
        httpx.PoolTimeout("no connection free"),
    ],
)
@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_a_get_that_keeps_failing_is_tried_exactly_max_retries_plus_one_times(
    exc: Exception, max_retries: int
) -> None:
    script, sleeps = Script(exc), []
    with client_over(script, sleeps, max_retries=max_retries) as client, pytest.raises(type(exc)):
        client.get("/v2/task-runs/R")
    assert script.count == max_retries + 1
    assert len(sleeps) == max_retries


def test_the_last_allowed_retry_of_a_timed_out_get_can_still_succeed() -> None:
    script, sleeps = Script(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"), ok()), []
    with client_over(script, sleeps, max_retries=2) as client:
        response = client.get("/v2/task-runs/R")
    assert response.status_code == 200
    assert script.count == 3
    assert sleeps == [0.25, 0.5]


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_a_redirect_is_returned_not_followed_so_the_key_stays_home(code: int) -> None:
    script = Script(status(code, {"Location": "https://elsewhere.example/v2/tasks"}), ok())
    with client_over(script, []) as client:
        response = client.get("/v2/tasks")
    assert response.status_code == code
    assert [str(r.url) for r in script.requests] == [f"{BASE}/v2/tasks"]
    assert script.requests[0].headers["Authorization"] == f"Bearer {KEY}"


def test_a_gateway_answer_to_a_write_is_closed_and_kept_readable() -> None:
    script = Script(status(502, {"Retry-After": "1"}))
    transport = RetryingTransport(httpx.MockTransport(script), sleep=lambda _: None)
    with (
        httpx.Client(transport=transport, base_url=BASE) as client,
        pytest.raises(WriteOutcomeUnknown) as caught,
    ):
        client.post("/v2/tasks", json={"name": "n"})
    gateway = caught.value.response
    assert gateway is not None
    assert gateway.is_closed
    assert gateway.json()["status"] == 502
    assert gateway.request.url.path == "/v2/tasks"
    assert script.count == 1


def test_the_key_is_sent_only_when_settings_hold_one() -> None:
    script = Script(ok())
    settings = Settings(api_key=KEY, base_url=BASE, max_retries=0)
    with build_http_client(settings, transport=httpx.MockTransport(script)) as client:
        client.get("/v2/spaces")
    assert script.requests[0].headers["Authorization"] == f"Bearer {KEY}"


def test_four_retries_by_default() -> None:
    script = Script(status(503))
    transport = RetryingTransport(httpx.MockTransport(script), sleep=lambda _: None)
    with httpx.Client(transport=transport, base_url=BASE) as client:
        assert client.get("/v2/tasks").status_code == 503
    assert script.count == 5


def test_a_negative_retry_count_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryingTransport(httpx.MockTransport(Script(ok())), max_retries=-1)


def test_jitter_above_one_is_clamped_to_the_ceiling() -> None:
    transport = RetryingTransport(httpx.MockTransport(Script(ok())), rng=lambda: 1.5)
    assert transport.backoff(1) == 0.25
    assert transport.backoff(3) == 1.0


def test_a_lost_write_says_what_was_lost_and_keeps_its_request() -> None:
    request = httpx.Request("POST", f"{BASE}/v2/tasks")
    gateway = httpx.Response(502, request=request)
    cases = [
        (WriteOutcomeUnknown(request, response=gateway), "(the server answered 502)"),
        (WriteOutcomeUnknown(request, cause=httpx.ReadTimeout("x")), "(ReadTimeout)"),
        (WriteOutcomeUnknown(request), "(unknown)"),
    ]
    for lost, why in cases:
        assert str(lost) == f"POST /v2/tasks: outcome unknown {why}; not resent"
        assert lost.request is request


def test_every_attempt_and_its_end_is_logged_with_method_path_and_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="ax_tasks")
    scripts = [
        ("GET", Script(httpx.ReadTimeout("slow"))),
        ("GET", Script(httpx.ConnectError("refused"))),
        ("POST", Script(status(502))),
    ]
    for method, script in scripts:
        settings = Settings(api_key=KEY, base_url=BASE, max_retries=1)
        client = build_http_client(
            settings, transport=httpx.MockTransport(script), sleep=lambda _: None, rng=lambda: 1.0
        )
        with client, pytest.raises(httpx.TransportError):
            client.request(method, "/v2/tasks")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("ax_tasks")] == [
        "GET /v2/tasks: no answer in 30 s; retrying (2/2) in 0.25 s…",
        "GET /v2/tasks: no answer in 30 s; giving up after 2 attempts.",
        "GET /v2/tasks: could not connect; retrying (2/2) in 0.25 s…",
        "GET /v2/tasks: could not connect; giving up after 2 attempts.",
        "POST /v2/tasks attempt 1/2: 502",
        "POST /v2/tasks: outcome unknown after 502, not resent",
    ]


# -- the retry budget (AX_TASKS_RETRY_BUDGET) -------------------------------------------------


def budgeted(script: Script, time: FakeTime, budget: float) -> httpx.Client:
    transport = RetryingTransport(
        httpx.MockTransport(script),
        max_retries=4,
        sleep=time.sleep,
        rng=lambda: 1.0,
        budget=budget,
        clock=time.monotonic,
    )
    timeout = httpx.Timeout(30.0, connect=5.0, pool=None)
    return httpx.Client(transport=transport, base_url=BASE, timeout=timeout)


@pytest.mark.parametrize(("budget", "attempts"), [(1.0, 3), (0.75, 2), (0.2, 1), (100.0, 5)])
def test_retries_stop_when_the_next_wait_would_spend_the_budget(
    budget: float, attempts: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ax_tasks")
    script, time = Script(status(503)), FakeTime()
    with budgeted(script, time, budget) as client:
        assert client.get("/v2/tasks").status_code == 503
    assert script.count == attempts
    spent = f"giving up: the retry budget of {budget:g} s is spent (AX_TASKS_RETRY_BUDGET)."
    assert (spent in caplog.text) is (attempts < 5)


def test_every_attempt_gets_only_the_time_the_budget_has_left() -> None:
    script, time = Script(status(503), ok()), FakeTime()
    seen: list[dict[str, float | None]] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))  # as it was when sent
        return script(request)

    transport = RetryingTransport(
        httpx.MockTransport(recording),
        sleep=time.sleep,
        rng=lambda: 1.0,
        budget=1.0,
        clock=time.monotonic,
    )
    timeout = httpx.Timeout(30.0, connect=5.0, pool=None)
    with httpx.Client(transport=transport, base_url=BASE, timeout=timeout) as client:
        assert client.get("/v2/tasks").status_code == 200
    left = 1.0 - 0.25  # the budget, less the wait before the retry
    assert seen == [
        {"connect": 1.0, "read": 1.0, "write": 1.0, "pool": 1.0},
        {"connect": left, "read": left, "write": left, "pool": left},
    ]


def test_the_client_spends_the_settings_budget_on_its_clock() -> None:
    script, time = Script(status(503)), FakeTime()
    settings = Settings(api_key=KEY, base_url=BASE, max_retries=4, retry_budget=1.0)
    client = build_http_client(
        settings,
        transport=httpx.MockTransport(script),
        sleep=time.sleep,
        rng=lambda: 1.0,
        clock=time.monotonic,
    )
    with client:
        assert client.get("/v2/tasks").status_code == 503
    assert script.count == 3


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (httpx.ReadTimeout("slow"), "no answer in 30 s"),
        (httpx.WriteTimeout("slow"), "no answer in time"),
        (httpx.ConnectTimeout("slow"), "no connection in 5 s"),
        (httpx.PoolTimeout("busy"), "no connection in 5 s"),
        (httpx.ReadError("reset"), "the connection broke (ReadError)"),
    ],
)
def test_a_retry_says_what_went_wrong_in_words(
    exc: Exception, said: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ax_tasks")
    with budgeted(Script(exc, ok()), FakeTime(), 100.0) as client:
        client.get("/v2/tasks")
    assert f"GET /v2/tasks: {said}; retrying (2/5) in 0.25 s…" in caplog.messages


def test_without_timeouts_a_timed_out_connection_says_so_in_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ax_tasks")
    transport = RetryingTransport(
        httpx.MockTransport(Script(httpx.ConnectTimeout("slow"), ok())), sleep=lambda _: None
    )
    with httpx.Client(transport=transport, base_url=BASE, timeout=httpx.Timeout(None)) as client:
        client.get("/v2/tasks")
    assert any("no connection in time; retrying" in m for m in caplog.messages)
