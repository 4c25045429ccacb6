"""Waiting for a run to end: each poll reads the run once, reports its progress, and the
polling engine (polling.py) sets the pace, the deadline and what a transient failure costs.

A run in a status this version does not know is taken as not finished, and the one waiting is
told so once.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ax_tasks_mcp.service.core import Core
from ax_tasks_mcp.service.ids import require_id
from ax_tasks_mcp.service.lenient import normalize_enum
from ax_tasks_mcp.service.models import (
    TERMINAL_STATUSES,
    ProgressCallback,
    Resource,
    RunProgress,
)
from ax_tasks_mcp.service.polling import DEFAULT_MIN_INTERVAL, Progress, drive, poll_steps
from ax_tasks_mcp.service.tracing import traced_wait
from ax_tasks_mcp.service.wire import RUN_STATUSES

__all__ = ["Waiting"]


class Waiting:
    """Wait for a run, blocking (:meth:`wait_for_run`) or as steps (:meth:`wait_steps`)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def wait_for_run(
        self,
        run_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float | None = None,
        max_interval: float = 5.0,
        on_progress: ProgressCallback | None = None,
        known: Resource | None = None,
    ) -> Resource:
        """Returns the final run even when FAILED or CANCELLED; WaitTimeoutError past timeout
        (its ``last`` is the run as last read).
        poll_interval fixes the interval; otherwise it adapts up to max_interval.
        `known` is the run as just read (a trigger's answer): it stands for the first poll,
        so waiting right after a trigger spends no request on what the trigger said."""
        steps = self.wait_steps(
            run_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_interval,
            on_progress=on_progress,
            known=known,
        )
        return drive(steps, self.core.sleep)

    @traced_wait
    def wait_steps(
        self,
        run_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float | None = None,
        max_interval: float = 5.0,
        on_progress: ProgressCallback | None = None,
        known: Resource | None = None,
    ) -> Generator[float, None, Resource]:
        """:meth:`wait_for_run` as steps: each ``next()`` polls once and yields the pause the
        caller takes before the next; the generator returns the final run.  A server waits
        this way with an async sleep, holding no thread between polls."""
        require_id(run_id, "TaskRun", "run")
        unread = [known] if known is not None and known.get("id") == run_id else []

        def fetch() -> Resource:
            return unread.pop() if unread else self.core.api.get_run(run_id)

        warned: list[str] = []  # a status this version does not know is reported once

        def report(progress: Progress[Resource]) -> None:
            if on_progress is None:
                return
            last = progress.last or {}
            notice = None
            if last and progress.status not in RUN_STATUSES and not warned:
                warned.append(progress.status)
                notice = _unknown_status_notice(run_id, progress.status)
            on_progress(
                RunProgress(
                    run_id=run_id,
                    status=progress.status,
                    num_successes=_count(last.get("num_successes")),
                    num_errors=_count(last.get("num_errors")),
                    num_skipped=_count(last.get("num_skipped")),
                    elapsed=progress.elapsed,
                    polls=progress.polls,
                    transient_errors=progress.transient_errors,
                    notice=notice,
                )
            )

        min_interval = DEFAULT_MIN_INTERVAL
        if isinstance(max_interval, int | float) and 0 < max_interval < min_interval:
            min_interval = max_interval
        return (
            yield from poll_steps(
                fetch,
                is_terminal=lambda run: normalize_enum(run.get("status")) in TERMINAL_STATUSES,
                describe=lambda run: str(normalize_enum(run.get("status")) or "unknown"),
                run_id=run_id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_interval=max_interval,
                min_interval=min_interval,
                on_progress=report,
                clock=self.core.clock,
            )
        )


def _unknown_status_notice(run_id: str, status: str) -> str:
    return (
        f"The API reported status {status!r} for run {run_id}, which this version of ax-tasks "
        "does not know; it is taken as not finished, and the wait goes on until the run ends "
        "or the timeout passes. Upgrade ax-tasks to learn the new status."
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
