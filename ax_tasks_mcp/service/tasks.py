"""Task operations: list, get, update and delete (creating tasks is in creates.py).

Every name-or-ID argument accepts either; names resolve exactly within the space.  Enum arguments
accept any case.  Every write has a ``plan_*`` twin: names are resolved (reads only) and the
write is returned as a PlannedRequest instead of being sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service import dry_run as dry_run_checks
from ax_tasks_mcp.service.applies import check_update_applies
from ax_tasks_mcp.service.arguments import (
    RUN_EXPERIMENT,
    check_limit,
    check_name_filter,
    parse_task_type,
    reject_unfit,
)
from ax_tasks_mcp.service.conflicts import name_taken, refused_as_conflict
from ax_tasks_mcp.service.core import Core, group_of, task_label, type_of
from ax_tasks_mcp.service.errors import ConflictError
from ax_tasks_mcp.service.models import Page, PlannedRequest, Resource, Unchanged
from ax_tasks_mcp.service.requests import UPDATE_FIELDS, TaskChanges
from ax_tasks_mcp.service.resolve import iterate_pages

if TYPE_CHECKING:
    from ax_tasks_mcp.service.bodies import UpdateBody


class Tasks:
    """List, get, update and delete tasks (and plan the writes)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    # self is positional-only: ``filters`` may name any query parameter.
    def list_tasks(
        self,
        /,
        *,
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        task_type: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Any,
    ) -> Page:
        """One page of tasks.  A space name is resolved exactly (sent as space_id); without a
        project or dataset, the default space applies.  ``filters`` are further query
        parameters of GET /v2/tasks by their API names (one the spec gains works here as is)."""
        check_limit(limit)
        query = {**self._task_query(space, project, dataset, name, task_type), **filters}
        return self.core.api.list_page("tasks", limit=limit, cursor=cursor, **query)

    def _task_query(
        self,
        space: str | None,
        project: str | None,
        dataset: str | None,
        name: str | None,
        task_type: str | None,
    ) -> dict[str, Any]:
        kind = parse_task_type(task_type, newer=True) if task_type else None
        check_name_filter(name)
        query: dict[str, Any] = {"name": name or None, "type": kind}
        if project:
            query["project_id"] = self.core.resolver.project_id(project, space)
        if dataset:
            query["dataset_id"] = self.core.resolver.dataset_id(dataset, space)
        if space or not (project or dataset):
            # A project or dataset already fixes the space: the default space is not added then.
            query["space_id"] = self.core.resolver.space_id(space)
        return query

    def iter_tasks(
        self,
        /,
        *,
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        task_type: str | None = None,
        page_size: int = 100,
        **filters: Any,
    ) -> Iterator[Resource]:
        """Every matching task, following cursors lazily (memory stays flat); ``filters`` as
        for list_tasks."""
        check_limit(page_size, "page_size")
        query = {**self._task_query(space, project, dataset, name, task_type), **filters}

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self.core.api.list_page("tasks", limit=page_size, cursor=cursor, **query)
            return page.items, page.next_cursor

        return iterate_pages(fetch, "tasks")

    def get_task(self, task: str, *, space: str | None = None) -> Resource:
        """A task by ID (one GET) or by name (the listing is the answer; no extra GET)."""
        resolved = self.core.resolver.task(task, space)
        if resolved.by_name and resolved.task is not None and not resolved.cached:
            return resolved.task
        return self.core.fetch_task(resolved.id)

    def update_task(self, task: str, changes: TaskChanges, *, space: str | None = None) -> Resource:
        """Change a task by name or ID.  Fields that do not fit the task's type raise
        ValidationError listing those that do."""
        task_id, body, _ = self._update_body(task, changes, space)
        result = refused_as_conflict(
            lambda: self.core.api.update_task(task_id, body),
            lambda: self._renamed_onto_another(task_id, changes.name),
        )
        self.core.resolver.forget(task_id)
        self.core.resolver.remember_task(result)
        return result

    def _renamed_onto_another(self, task_id: str, name: object) -> ConflictError | None:
        if not isinstance(name, str) or not name:
            return None
        space = dry_run_checks.space_of(self.core.api, self.core.api.get_task(task_id))
        if space is None:
            return None
        return name_taken(self.core.api, name, *space, other_than=task_id)

    def plan_update(
        self, task: str, changes: TaskChanges, *, space: str | None = None
    ) -> PlannedRequest:
        """The request :meth:`update_task` would send (reads only, nothing written)."""
        task_id, body, label = self._update_body(task, changes, space)
        path = self.core.api.task_path(task_id)
        return self.core.api.plan("PATCH", path, body.to_dict(), [label])

    def _update_body(
        self, task: str, changes: TaskChanges, space: str | None
    ) -> tuple[str, UpdateBody, str]:
        """(task ID, body, label) of an update: the body in the shape the task's type takes."""
        resolved, obj = self.core.task_with_type(task, space)
        kind = type_of(obj)
        label = task_label(resolved.id, obj)
        allowed = UPDATE_FIELDS[group_of(kind)]
        reject_unfit(list(changes.given()), allowed, f"{label}, a {kind} task", action="updated")
        if kind == RUN_EXPERIMENT:
            changes.raise_deferred()
            config = changes.run_configuration_model
            body: UpdateBody = bodies.update_run_experiment(
                name=changes.name,
                run_configuration=config
                if isinstance(config, Unchanged)
                else self.core.run_configuration(config, space),
            )
        else:
            check_update_applies(obj, changes.given(), label)
            evaluators = changes.evaluators
            body = bodies.update_evaluation(
                name=changes.name,
                sampling_rate=changes.sampling_rate,
                is_continuous=changes.is_continuous,
                query_filter=changes.query_filter,
                query_filters=changes.query_filters_model,
                evaluators=evaluators
                if isinstance(evaluators, Unchanged)
                else self.core.evaluators(evaluators, space),
            )
        return resolved.id, body, label

    def delete_task(self, task: str, *, space: str | None = None) -> Resource:
        """Returns the task as it was before deletion (by an ID not seen in the last few
        seconds, that costs a GET first)."""
        resolved = self.core.resolver.task(task, space)
        # The task as resolution (or a read moments ago) saw it; by ID and unseen: one GET.
        before = resolved.task if resolved.task is not None else self.core.api.get_task(resolved.id)
        self.core.api.delete_task(resolved.id)
        self.core.resolver.forget(resolved.id)
        return before

    def plan_delete(self, task: str, *, space: str | None = None) -> PlannedRequest:
        """The request :meth:`delete_task` would send (the task resolved, nothing deleted)."""
        resolved = self.core.resolver.task(task, space)
        notes = [task_label(resolved.id, resolved.task)]
        space_id = self.core.resolver.space_id(space)
        if space_id:  # say which space the task is in, and whether that is the one given
            task_obj = resolved.task or self.core.fetch_task(resolved.id)
            notes += dry_run_checks.task_space_notes(self.core.api, task_obj, space_id)
        return self.core.api.plan("DELETE", self.core.api.task_path(resolved.id), None, notes)
