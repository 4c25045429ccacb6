"""Edges of waiting that mutation testing found untested: which argument a refusal names, the
limits that are allowed, and what progress and timeouts say before and after a failed poll."""

from __future__ import annotations

from typing import Any

import pytest

from ax_tasks_mcp.service.errors import ServerError, ValidationError, WaitTimeoutError
from ax_tasks_mcp.service.polling import Progress
from tests.service.test_polling import Run, statuses, wait
from tests.support.clock import FakeTime


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": True}, "timeout"),  # a bool is not a number of seconds
        ({"poll_interval": -1.0}, "poll_interval"),
        ({"poll_interval": False}, "poll_interval"),
        ({"min_interval": 0}, "min_interval"),
        ({"max_interval": -2.0}, "max_interval"),
        ({"max_interval": 0.1, "min_interval": 1.0}, "max_interval"),
        ({"growth": 0.5}, "growth"),
        ({"growth": float("inf")}, "growth"),
    ],
)
def test_a_refused_argument_is_named_in_the_error(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        wait(statuses("COMPLETED"), FakeTime(), **kwargs)
    assert caught.value.message.startswith(named)


def test_equal_min_and_max_intervals_and_no_growth_are_allowed() -> None:
    clock = FakeTime()
    wait(
        statuses("RUNNING", "RUNNING", "COMPLETED"),
        clock,
        min_interval=2.0,
        max_interval=2.0,
        growth=1.0,
    )
    assert clock.sleeps == [2.0, 2.0]


def test_progress_before_any_successful_poll_says_unknown() -> None:
    seen: list[Progress[Run]] = []
    wait(statuses(ServerError("HTTP 503"), "COMPLETED"), FakeTime(), on_progress=seen.append)
    assert seen[0].status == "unknown"
    assert seen[0].last is None
    assert isinstance(seen[0].last_error, ServerError)


def test_progress_carries_the_latest_run_and_no_error_after_a_good_poll() -> None:
    seen: list[Progress[Run]] = []
    wait(statuses("PENDING", "RUNNING", "COMPLETED"), FakeTime(), on_progress=seen.append)
    assert [p.last.status if p.last else None for p in seen] == ["PENDING", "RUNNING", "COMPLETED"]
    assert [p.last_error for p in seen] == [None, None, None]


def test_a_timeout_after_a_good_poll_has_a_status_and_no_last_error() -> None:
    with pytest.raises(WaitTimeoutError) as caught:
        wait(statuses("RUNNING"), FakeTime(), timeout=2.0)
    assert caught.value.last_status == "RUNNING"
    assert caught.value.last_error is None
    assert "last poll failed" not in caught.value.message
