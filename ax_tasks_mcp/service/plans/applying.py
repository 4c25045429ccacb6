"""Applying a plan through the service's own writes, in an order that keeps names unique.

Every write is the service's: ``create_task`` (a create whose answer was lost is looked up
by its name before it is sent again, so it is never made twice), ``update_task`` and
``delete_task`` (idempotent, retried by the transport).  The tasks the plan read are handed to
the resolver first, so an update or a delete costs its write alone, no GET.

The order: deletes (pruned tasks, and the first half of each replace), then updates (a rename
after the rename that frees its name), then creates (new tasks, and the second half of each
replace).  The first write that fails stops the apply; the report says what landed, what
failed and what was not tried, and a second apply plans again from what is there, so it
finishes the work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.plans.file_words import (
    EVALUATOR_REFERENCES,
    RUN_CONFIGURATION_REFERENCES,
    to_api_keys,
)
from ax_tasks_mcp.service.plans.loading import spec_of
from ax_tasks_mcp.service.plans.model import (
    AppliedStep,
    ApplyReport,
    Plan,
    Progress,
    ProgressHook,
    TaskChange,
)
from ax_tasks_mcp.service.requests import TaskChanges

if TYPE_CHECKING:
    from ax_tasks_mcp.service.connect import TasksService

__all__ = ["apply_changes", "steps_of"]

Step = tuple[TaskChange, str]
_FILTERS: Final = ("query_filter", "query_filters")


def apply_changes(
    service: TasksService,
    plan: Plan,
    *,
    replace: bool = False,
    on_progress: ProgressHook | None = None,
) -> ApplyReport:
    """Make the plan's changes.  A replace (it loses the task's run history) needs
    ``replace``; refused, nothing is written."""
    plan.check_replace(replace)
    steps = steps_of(plan)
    report = ApplyReport()
    for index, (change, step) in enumerate(steps):
        try:
            result = _write(service, change, step)
        except Exception as exc:
            report.failed = (change, step, exc)
            report.not_tried = list(steps[index + 1 :])
            break
        report.landed.append(AppliedStep(change, step, result))
        if on_progress is not None:
            done = f"{step.rstrip('e')}ed {change.label}"
            on_progress(Progress("applying", index + 1, len(steps), done))
    return report


def steps_of(plan: Plan) -> list[Step]:
    """The writes of a plan, in the order they are made."""
    changes = plan.changes
    deletes = [(c, "delete") for c in changes if c.action in ("delete", "replace")]
    updates = [
        (c, "update") for c in _renames_in_order([c for c in changes if c.action == "update"])
    ]
    creates = [(c, "create") for c in changes if c.action in ("create", "replace")]
    return deletes + updates + creates


def _renames_in_order(updates: Sequence[TaskChange]) -> list[TaskChange]:
    """Updates with each rename after the one that frees its name (the plan has refused
    names that go round in a circle)."""
    freeing = {c.name_now: c for c in updates if c.renames}
    ordered: list[TaskChange] = []
    placed: set[int] = set()

    def place(change: TaskChange, depth: int = 0) -> None:
        if id(change) in placed:
            return
        placed.add(id(change))
        holder = freeing.get(change.name)
        if holder is not None and holder is not change and depth < len(updates):
            place(holder, depth + 1)
        ordered.append(change)

    for change in updates:
        place(change)
    return ordered


def _write(service: TasksService, change: TaskChange, step: str) -> Resource:
    if step == "create":
        assert change.desired is not None
        return service.create_task(spec_of(change.desired, change.space_id))
    assert change.task_id is not None
    if change.current is not None:
        service.resolver.remember_task(change.current)  # the plan read it: no GET again
    if step == "delete":
        return service.delete_task(change.task_id)
    return service.update_task(change.task_id, TaskChanges(**_update_fields(change)))


def _update_fields(change: TaskChange) -> dict[str, Any]:
    """The fields to send, in the API's words; switching between the span filter and the
    trace/session filters clears the other one in the same update."""
    desired = change.desired or {}
    current = change.current or {}
    given: dict[str, Any] = {}
    for each in change.fields:
        value = desired.get(each.field)
        if each.field == "evaluators" and isinstance(value, list):
            value = [to_api_keys(e, EVALUATOR_REFERENCES) for e in value]
        elif each.field == "run_configuration" and isinstance(value, Mapping):
            value = to_api_keys(value, RUN_CONFIGURATION_REFERENCES)
        given[each.field] = value
    for mine, other in (_FILTERS, _FILTERS[::-1]):
        if given.get(mine) is not None and other not in given and current.get(other) is not None:
            given[other] = None
    return given
