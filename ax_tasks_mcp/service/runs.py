"""Run operations: trigger (reconciled when its answer is lost), list, get, cancel and wait.

A trigger whose answer was lost looks for a run created since the request was sent (never one
this service triggered before); a cancel reads the run.  Only when nothing landed is the write
sent again (bounded); when it cannot be known, UnknownOutcomeError says what to check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service import dry_run as dry_run_checks
from ax_tasks_mcp.service.applies import check_trigger_applies
from ax_tasks_mcp.service.arguments import (
    MAX_PAGE_SIZE,
    RUN_EXPERIMENT,
    as_datetime,
    check_limit,
    parse_run_status,
    parse_time,
    reject_unfit,
)
from ax_tasks_mcp.service.conflicts import refused_as_conflict, run_ended
from ax_tasks_mcp.service.core import Core, created_since, group_of, task_label, type_of
from ax_tasks_mcp.service.errors import (
    AxTasksError,
    ConflictError,
    UnknownOutcomeError,
    ValidationError,
)
from ax_tasks_mcp.service.ids import require_id
from ax_tasks_mcp.service.lenient import normalize_enum
from ax_tasks_mcp.service.models import (
    Page,
    PlannedRequest,
    Resource,
)
from ax_tasks_mcp.service.reconcile import send_reconciled
from ax_tasks_mcp.service.requests import TRIGGER_FIELDS, RunRequest
from ax_tasks_mcp.service.resolve import iterate_pages
from ax_tasks_mcp.service.words import field, operation

if TYPE_CHECKING:
    from ax_tasks_mcp.service.bodies import TriggerBody

MAX_WINDOW: Final = timedelta(days=30)


class Runs:
    """Trigger, list, get and cancel runs (and plan the writes)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def trigger_run(
        self, task: str, request: RunRequest | None = None, *, space: str | None = None
    ) -> Resource:
        """Start a run of a task (by name or ID).  The request's fields are checked against the
        task's type before anything is sent; a start with no end gets now; a window over 30
        days or with start >= end is refused."""
        task_id, body, label, obj = self._trigger_body(task, request or RunRequest(), space)
        return self._trigger(task_id, body, label, last_run_at=parse_time(obj.get("last_run_at")))

    def plan_trigger(
        self, task: str, request: RunRequest | None = None, *, space: str | None = None
    ) -> PlannedRequest:
        """The request :meth:`trigger_run` would send (reads only, nothing started)."""
        task_id, body, label, obj = self._trigger_body(task, request or RunRequest(), space)
        space_id = self.core.resolver.space_id(space)
        notes = [label, *dry_run_checks.task_space_notes(self.core.api, obj, space_id)]
        path = self.core.api.task_path(task_id, "/trigger")
        return self.core.api.plan("POST", path, body.to_dict(), notes)

    def _trigger_body(
        self, task: str, request: RunRequest, space: str | None
    ) -> tuple[str, TriggerBody, str, Resource]:
        """(task ID, body, label, task) of a trigger: the body in the shape the task's type
        takes."""
        resolved, obj = self.core.task_with_type(task, space)
        kind = type_of(obj)
        label = task_label(resolved.id, obj)
        allowed = TRIGGER_FIELDS[group_of(kind)]
        reject_unfit(list(request.given()), allowed, f"{label}, a {kind} task", action="triggered")
        body: TriggerBody
        if kind == RUN_EXPERIMENT:
            body = self._run_experiment_trigger(request, label, allowed, space)
        else:
            body = self._evaluation_trigger(request, obj, label, space)
        return resolved.id, body, label, obj

    def _run_experiment_trigger(
        self, request: RunRequest, label: str, allowed: Sequence[str], space: str | None
    ) -> TriggerBody:
        if request.experiment_name is None:
            raise ValidationError(
                f"Triggering {label} (RUN_EXPERIMENT) needs {field('experiment_name')}: the "
                "name of the experiment the run creates, unique within the dataset.",
                valid_fields=allowed,
            )
        evaluation_task_ids = None
        if request.evaluation_task_ids is not None:
            evaluation_task_ids = [
                self.core.resolver.task(t, space).id for t in request.evaluation_task_ids
            ]
        return bodies.trigger_run_experiment(
            experiment_name=request.experiment_name,
            dataset_version_id=request.dataset_version_id,
            example_ids=request.example_ids,
            max_examples=request.max_examples,
            query_filter=request.query_filter,
            tracing_metadata=request.tracing_metadata,
            evaluation_task_ids=evaluation_task_ids,
        )

    def _evaluation_trigger(
        self, request: RunRequest, task: Resource, label: str, space: str | None
    ) -> TriggerBody:
        check_trigger_applies(task, request.data_start_time, label)
        start, end = evaluation_window(
            request.data_start_time, request.data_end_time, self.core.now()
        )
        experiment_ids = None
        if request.experiment_ids is not None:
            dataset_id = task.get("dataset_id")
            if not dataset_id:
                raise ValidationError(
                    f"{field('experiment_ids')} apply to dataset-based evaluation tasks; "
                    f"{label} scores a project's spans (give a time window instead)."
                )
            experiment_ids = self.core.experiment_ids(
                request.experiment_ids, dataset_id=str(dataset_id), space=space
            )
        return bodies.trigger_evaluation(
            data_start_time=start,
            data_end_time=end,
            max_spans=request.max_spans,
            override_evaluations=request.override_evaluations,
            experiment_ids=experiment_ids,
        )

    def _trigger(
        self,
        task_id: str,
        body: TriggerBody,
        label: str,
        *,
        last_run_at: datetime | None,
    ) -> Resource:
        # A run created before this trigger must never pass for its lost answer: it is older
        # than the task's last run as we read it, or one this service triggered itself.
        since = self.core.now() - self.core.skew
        if last_run_at is not None:
            since = max(since, last_run_at + timedelta(microseconds=1))

        def unknown(cause: str) -> UnknownOutcomeError:
            return UnknownOutcomeError.for_write(
                f"trigger a run of {label}",
                f"list the task's runs ({operation('list_runs')} {task_id}) to see whether it "
                "started",
                cause=cause,
            )

        run = send_reconciled(
            lambda: self.core.api.trigger_run(task_id, body),
            find=lambda cause: self._find_new_run(task_id, body.to_dict(), since, unknown(cause)),
            unknown=unknown,
            max_resends=self.core.max_resends,
            refusals=(ConflictError,),  # the resend's experiment name clashed with the first's
        )
        self.core.triggered.add(str(run.get("id")))
        return run

    def _find_new_run(
        self,
        task_id: str,
        body: Mapping[str, Any],
        since: datetime,
        unknown: UnknownOutcomeError,
    ) -> Resource | None:
        """The newest run of the task created since `since`, not triggered by this service
        before, that matches the request's window, if any."""
        try:
            page = self.core.api.list_runs(task_id, limit=MAX_PAGE_SIZE)
        except AxTasksError as exc:
            raise unknown from exc
        wanted_start = parse_time(body.get("data_start_time"))
        wanted_end = parse_time(body.get("data_end_time"))
        candidates = []
        for run in page.items:
            if run.get("id") in self.core.triggered or not created_since(run, since):
                continue
            if wanted_start is not None and not _same_time(
                run.get("data_start_time"), wanted_start
            ):
                continue
            if wanted_end is not None and not _same_time(run.get("data_end_time"), wanted_end):
                continue
            candidates.append(run)
        if not candidates:
            return None
        return max(candidates, key=lambda run: parse_time(run.get("created_at")) or since)

    def list_runs(
        self,
        task: str,
        *,
        space: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        check_limit(limit)
        state = parse_run_status(status, newer=True) if status else None
        task_id = self.core.resolver.task(task, space).id
        return self.core.api.list_runs(task_id, status=state, limit=limit, cursor=cursor)

    def iter_runs(
        self,
        task: str,
        *,
        space: str | None = None,
        status: str | None = None,
        page_size: int = 100,
    ) -> Iterator[Resource]:
        check_limit(page_size, "page_size")
        state = parse_run_status(status, newer=True) if status else None
        task_id = self.core.resolver.task(task, space).id

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self.core.api.list_runs(task_id, status=state, limit=page_size, cursor=cursor)
            return page.items, page.next_cursor

        return iterate_pages(fetch, "runs")

    def get_run(self, run_id: str) -> Resource:
        require_id(run_id, "TaskRun", "run")
        return self.core.api.get_run(run_id)

    def plan_cancel(self, run_id: str) -> PlannedRequest:
        """The request :meth:`cancel_run` would send (nothing cancelled); refused, as the send
        would be, when the run has already ended (one read)."""
        require_id(run_id, "TaskRun", "run")
        ended = run_ended(self.core.api.get_run(run_id))
        if ended is not None:
            raise ended
        return self.core.api.plan("POST", self.core.api.run_path(run_id, "/cancel"))

    def cancel_run(self, run_id: str) -> Resource:
        """Cancel a run; a cancel whose answer was lost reads the run to learn whether it
        landed."""
        require_id(run_id, "TaskRun", "run")

        def unknown(cause: str) -> UnknownOutcomeError:
            return UnknownOutcomeError.for_write(
                f"cancel run {run_id}",
                f"check the run ({operation('get_run')} {run_id})",
                cause=cause,
            )

        def find_cancelled(cause: str) -> Resource | None:
            try:
                run = self.core.api.get_run(run_id)
            except AxTasksError as exc:
                raise unknown(cause) from exc
            return run if normalize_enum(run.get("status")) == "CANCELLED" else None

        return refused_as_conflict(
            lambda: send_reconciled(
                lambda: self.core.api.cancel_run(run_id),
                find=find_cancelled,
                unknown=unknown,
                max_resends=self.core.max_resends,
            ),
            lambda: run_ended(self.core.api.get_run(run_id)),
        )


def evaluation_window(
    begin: datetime | str | None, finish: datetime | str | None, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """The evaluation window: a start alone ends now; start < end; at most 30 days."""
    # A RunRequest has made both datetimes already; as_datetime only satisfies the type.
    begin = as_datetime(begin, "data_start_time") if begin is not None else None
    finish = as_datetime(finish, "data_end_time") if finish is not None else None
    given_end = finish is not None
    if begin is not None and finish is None:
        finish = as_datetime(now, "now")
    if begin is not None and finish is not None:
        if begin >= finish:
            raise ValidationError(
                f"The window is empty: {field('data_start_time')} ({begin.isoformat()}) must "
                f"be before {field('data_end_time')} ({finish.isoformat()}"
                f"{'' if given_end else ', which defaults to now'})."
            )
        if finish - begin > MAX_WINDOW:
            days = (finish - begin).total_seconds() / 86400
            raise ValidationError(
                f"The window spans {days:.1f} days; the API allows at most 30. Split it into "
                "several runs of up to 30 days each."
            )
    return begin, finish


def _same_time(value: Any, wanted: datetime) -> bool:
    found = parse_time(value)
    return found is not None and abs((found - wanted).total_seconds()) < 1.0
