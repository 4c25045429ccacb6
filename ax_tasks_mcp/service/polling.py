"""Waiting for something (a task run) to reach a terminal state.

The first fetch happens at once.  A terminal object is returned whatever it says - a FAILED or
CANCELLED run is an answer, not an error; the caller decides what it means.  The deadline is
kept on a monotonic clock; between polls the wait is ``min(interval, time left)``, where the
interval starts at ``min_interval`` and grows by ``growth`` up to ``max_interval`` (or stays at
a fixed ``poll_interval``).  On long waits it keeps growing past ``max_interval``, to at most
``LATE_FRACTION`` of the time waited so far (and ``CEILING`` seconds): a run is then noticed
within a fifth of its length, for a fraction of the polls a fixed interval would cost.

Transient errors while polling (network, 5xx, 429 by default) are counted and reported, not
fatal; if the deadline passes, :class:`WaitTimeoutError` names the run
and its last known status.  Clock and sleep are injected, so tests never wait.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ax_tasks_mcp.service.errors import (
    ConnectionFailedError,
    RateLimitedError,
    ServerError,
    ValidationError,
    WaitTimeoutError,
)
from ax_tasks_mcp.service.words import field

__all__ = ["Progress", "default_is_transient", "drive", "poll_steps", "wait_for"]

R = TypeVar("R")

DEFAULT_TIMEOUT = 600.0
DEFAULT_MIN_INTERVAL = 0.5
DEFAULT_MAX_INTERVAL = 5.0
DEFAULT_GROWTH = 1.5
LATE_FRACTION = 0.2
CEILING = 60.0


@dataclass(frozen=True)
class Progress(Generic[R]):
    """A snapshot after each poll, for progress displays.

    ``status`` is ``describe(last)`` of the latest object fetched (``"unknown"`` before any
    succeeded); ``last_error`` is set when this poll failed transiently; ``next_poll_in`` is the
    coming wait (None when ``done``).
    """

    status: str
    elapsed: float
    polls: int
    last: R | None
    transient_errors: int
    done: bool = False
    last_error: Exception | None = None
    next_poll_in: float | None = None


def default_is_transient(exc: Exception) -> bool:
    """Network failures, 5xx answers and rate limiting are worth another poll."""
    return isinstance(exc, ConnectionFailedError | ServerError | RateLimitedError)


def _positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValidationError(f"{field(name)} must be a positive number of seconds, not {value!r}.")


def wait_for(
    fetch: Callable[[], R],
    *,
    sleep: Callable[[float], object] = time.sleep,
    **options: Any,
) -> R:
    """Poll ``fetch`` until ``is_terminal`` holds and return that object (see :func:`poll_steps`).

    Raises :class:`WaitTimeoutError` when the deadline passes first, :class:`ValidationError`
    for a non-positive ``timeout`` or interval, and any error ``is_transient`` rejects as is.
    """
    steps: Generator[float, None, R] = poll_steps(fetch, **options)
    return drive(steps, sleep)


def drive(steps: Generator[float, None, R], sleep: Callable[[float], object]) -> R:
    """Run a wait given as steps (see :func:`poll_steps`), pausing with ``sleep``."""
    while True:
        try:
            pause = next(steps)
        except StopIteration as done:
            result: R = done.value
            return result
        sleep(pause)


def poll_steps(
    fetch: Callable[[], R],
    *,
    is_terminal: Callable[[R], bool],
    describe: Callable[[R], str],
    run_id: str,
    timeout: float = DEFAULT_TIMEOUT,
    poll_interval: float | None = None,
    max_interval: float = DEFAULT_MAX_INTERVAL,
    min_interval: float = DEFAULT_MIN_INTERVAL,
    growth: float = DEFAULT_GROWTH,
    on_progress: Callable[[Progress[R]], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    is_transient: Callable[[Exception], bool] = default_is_transient,
) -> Generator[float, None, R]:
    """The wait as steps: each ``next()`` polls once, then yields the pause before the next poll.

    The caller does the pausing (``time.sleep`` in :func:`wait_for`; an async sleep in a server
    that must not hold a thread per wait).  The generator returns the terminal object and raises
    what :func:`wait_for` raises.
    """
    _positive("timeout", timeout)
    if poll_interval is not None:
        _positive("poll_interval", poll_interval)
    _positive("min_interval", min_interval)
    _positive("max_interval", max_interval)
    if max_interval < min_interval:
        raise ValidationError(
            f"{field('max_interval')} ({max_interval:g}s) must not be below "
            f"{field('min_interval')} ({min_interval:g}s)."
        )
    if not (math.isfinite(growth) and growth >= 1):
        raise ValidationError(f"growth must be a number >= 1, not {growth!r}.")

    start = clock()
    deadline = start + timeout
    interval = poll_interval if poll_interval is not None else min_interval
    polls = 0
    transient_errors = 0
    last: R | None = None
    status = "unknown"

    while True:
        error: Exception | None = None
        polls += 1
        try:
            current = fetch()
        except Exception as exc:
            if not is_transient(exc):
                raise
            transient_errors += 1
            error = exc
        else:
            last = current
            status = describe(current)
            if is_terminal(current):
                if on_progress is not None:
                    on_progress(
                        Progress(status, clock() - start, polls, last, transient_errors, done=True)
                    )
                return current

        now = clock()
        remaining = deadline - now
        if remaining <= 0:
            raise WaitTimeoutError(
                run_id,
                status if last is not None else None,
                timeout,
                last_error=str(error) if error is not None else None,
                last=last,
            )
        wait = interval
        if isinstance(error, RateLimitedError) and error.retry_after:
            wait = max(wait, error.retry_after)
        wait = min(wait, remaining)
        if on_progress is not None:
            on_progress(
                Progress(
                    status,
                    now - start,
                    polls,
                    last,
                    transient_errors,
                    last_error=error,
                    next_poll_in=wait,
                )
            )
        yield wait
        if poll_interval is None:
            waited = clock() - start
            interval = min(interval * growth, max(max_interval, LATE_FRACTION * waited), CEILING)
