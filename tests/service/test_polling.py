"""Waiting for a run: first poll at once, adaptive intervals, deadline, transient errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ax_tasks_mcp.service.errors import (
    ConnectionFailedError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
    WaitTimeoutError,
)
from ax_tasks_mcp.service.polling import Progress, wait_for
from tests.support.clock import FakeTime

RUN_ID = "VGFza1J1bjo5OTpxUndY"
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}


@dataclass
class Run:
    status: str


def statuses(*values: str | Exception) -> Callable[[], Run]:
    """A fetch that answers with each value in turn, repeating the last one."""
    queue = list(values)

    def fetch() -> Run:
        value = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(value, Exception):
            raise value
        return Run(value)

    return fetch


def wait(fetch: Callable[[], Run], clock: FakeTime, **kwargs: object) -> Run:
    return wait_for(
        fetch,
        is_terminal=lambda run: run.status in TERMINAL,
        describe=lambda run: run.status,
        run_id=RUN_ID,
        clock=clock.monotonic,
        sleep=clock.sleep,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_run_already_finished_returns_at_once_without_sleeping() -> None:
    clock = FakeTime()
    calls: list[int] = []

    def fetch() -> Run:
        calls.append(1)
        return Run("COMPLETED")

    assert wait(fetch, clock).status == "COMPLETED"
    assert calls == [1]
    assert clock.sleeps == []


@pytest.mark.parametrize("final", ["FAILED", "CANCELLED"])
def test_failed_and_cancelled_runs_are_returned_not_raised(final: str) -> None:
    clock = FakeTime()
    run = wait(statuses("PENDING", "RUNNING", final), clock)
    assert run.status == final
    assert len(clock.sleeps) == 2


def test_adaptive_interval_grows_by_half_up_to_the_maximum() -> None:
    clock = FakeTime()
    fetch = statuses(*(["RUNNING"] * 8), "COMPLETED")
    wait(fetch, clock)
    assert clock.sleeps == pytest.approx([0.5, 0.75, 1.125, 1.6875, 2.53125, 3.796875, 5.0, 5.0])


def test_on_long_waits_the_interval_grows_past_the_maximum_to_a_fifth_of_the_wait() -> None:
    clock = FakeTime()
    wait(statuses(*(["RUNNING"] * 40), "COMPLETED"), clock, timeout=3600)
    waited = 0.0
    for interval in clock.sleeps:
        assert interval <= max(5.0, 0.2 * waited) + 1e-9  # never later than a fifth of the wait
        assert interval <= 60.0
        waited += interval
    assert max(clock.sleeps) == 60.0
    assert waited > 600  # forty polls cover over ten minutes; a fixed 5 s would need 120


def test_adaptive_interval_respects_custom_bounds() -> None:
    clock = FakeTime()
    wait(
        statuses("RUNNING", "RUNNING", "RUNNING", "COMPLETED"),
        clock,
        min_interval=1,
        max_interval=2,
    )
    assert clock.sleeps == [1.0, 1.5, 2.0]


def test_a_fixed_poll_interval_stays_fixed() -> None:
    clock = FakeTime()
    wait(statuses("RUNNING", "RUNNING", "RUNNING", "COMPLETED"), clock, poll_interval=2.0)
    assert clock.sleeps == [2.0, 2.0, 2.0]


def test_the_last_sleep_is_cut_to_the_deadline_then_times_out() -> None:
    clock = FakeTime()
    fetched: list[float] = []

    def fetch() -> Run:
        fetched.append(clock.monotonic() - 1000.0)
        return Run("RUNNING")

    with pytest.raises(WaitTimeoutError) as caught:
        wait(fetch, clock, poll_interval=0.75, timeout=2.0)
    assert clock.sleeps == [0.75, 0.75, 0.5]
    assert fetched == [0.0, 0.75, 1.5, 2.0]  # a last poll at the deadline, before giving up
    error = caught.value
    assert error.run_id == RUN_ID
    assert error.last_status == "RUNNING"
    assert error.timeout == 2.0
    assert error.kind == "wait_timeout"
    assert RUN_ID in str(error)
    assert "last status: RUNNING" in str(error)
    assert "2s" in str(error)


def test_a_run_finishing_on_the_deadline_poll_is_returned() -> None:
    clock = FakeTime()
    run = wait(statuses("RUNNING", "RUNNING", "COMPLETED"), clock, poll_interval=1.0, timeout=2.0)
    assert run.status == "COMPLETED"


def test_transient_errors_are_tolerated_and_reported() -> None:
    clock = FakeTime()
    seen: list[Progress[Run]] = []
    fetch = statuses(
        "PENDING",
        ServerError("boom", status=503),
        ConnectionFailedError("no network"),
        RateLimitedError("slow down", retry_after=4.0),
        "COMPLETED",
    )
    run = wait(fetch, clock, on_progress=seen.append)
    assert run.status == "COMPLETED"
    assert [p.transient_errors for p in seen] == [0, 1, 2, 3, 3]
    assert [p.polls for p in seen] == [1, 2, 3, 4, 5]
    assert seen[1].status == "PENDING"  # the last known status survives a failed poll
    assert isinstance(seen[1].last_error, ServerError)
    assert seen[-1].done
    assert seen[-1].last == run
    assert clock.sleeps[3] == 4.0  # the rate limit's Retry-After is respected


def test_non_transient_errors_propagate_at_once() -> None:
    clock = FakeTime()
    with pytest.raises(NotFoundError):
        wait(statuses("RUNNING", NotFoundError("gone")), clock)
    assert clock.sleeps == [0.5]


def test_custom_is_transient_is_used() -> None:
    clock = FakeTime()
    run = wait(
        statuses(KeyError("flaky"), "COMPLETED"),
        clock,
        is_transient=lambda exc: isinstance(exc, KeyError),
    )
    assert run.status == "COMPLETED"


def test_timeout_while_every_poll_fails_reports_unknown_status_and_last_error() -> None:
    clock = FakeTime()
    with pytest.raises(WaitTimeoutError) as caught:
        wait(
            statuses(ConnectionFailedError("Could not connect to api.arize.com.")), clock, timeout=3
        )
    assert caught.value.last_status is None
    assert "last status: unknown" in str(caught.value)
    assert "Could not connect to api.arize.com." in str(caught.value)


def test_progress_reports_elapsed_time_and_next_wait() -> None:
    clock = FakeTime()
    seen: list[Progress[Run]] = []
    wait(statuses("PENDING", "RUNNING", "COMPLETED"), clock, on_progress=seen.append)
    assert [(p.status, p.elapsed, p.next_poll_in, p.done) for p in seen] == [
        ("PENDING", 0.0, 0.5, False),
        ("RUNNING", 0.5, 0.75, False),
        ("COMPLETED", 1.25, None, True),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": 0},
        {"timeout": -5},
        {"timeout": float("nan")},
        {"poll_interval": 0},
        {"poll_interval": -1.0},
        {"min_interval": 0},
        {"max_interval": 0.1, "min_interval": 1.0},
        {"growth": 0.5},
    ],
)
def test_non_positive_timeouts_and_intervals_are_refused(kwargs: dict[str, float]) -> None:
    clock = FakeTime()
    calls: list[int] = []

    def fetch() -> Run:
        calls.append(1)
        return Run("COMPLETED")

    with pytest.raises(ValidationError):
        wait(fetch, clock, **kwargs)
    assert calls == []
