"""Task operations: list, get, create (one creator per type), update and delete.

Every name-or-ID argument accepts either; names resolve exactly within the space.  Enum arguments
accept any case.  Every write takes dry_run: names are resolved (reads only) and the write is
returned as a PlannedRequest instead of being sent.  A create whose answer was lost is looked up
by its exact name before anything is sent again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from ax_tasks_mcp.service.arguments import (
    MAX_PAGE_SIZE,
    check_limit,
    check_name,
    check_rate,
    parse_task_type,
    parse_time,
    reject_mixed,
    reject_unfit,
)
from ax_tasks_mcp.service.core import _RUN, ServiceCore, _created_since, _group, _label, _type_of
from ax_tasks_mcp.service.errors import (
    AxTasksError,
    ConflictError,
    UnknownOutcomeError,
    ValidationError,
)
from ax_tasks_mcp.service.models import (
    EVALUATION_TYPES,
    UNCHANGED,
    Page,
    PlannedRequest,
    Resource,
    Unchanged,
)
from ax_tasks_mcp.service.reconcile import send_reconciled
from ax_tasks_mcp.service.resolve import iterate_pages
from ax_tasks_mcp.service.wire import (
    normalize_enum,
    validate_query_filters,
    validate_run_configuration,
)

_EVAL_CREATE_FIELDS: Final = (
    "name",
    "task_type",
    "space",
    "project",
    "dataset",
    "evaluators",
    "experiment_ids",
    "sampling_rate",
    "is_continuous",
    "query_filter",
    "query_filters",
)
_RUN_CREATE_FIELDS: Final = ("name", "task_type", "space", "dataset", "run_configuration")
_UPDATE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "EVALUATION": (
        "name",
        "sampling_rate",
        "is_continuous",
        "query_filter",
        "query_filters",
        "evaluators",
    ),
    _RUN: ("name", "run_configuration"),
}


class TaskOperations(ServiceCore):
    # -- tasks -----------------------------------------------------------------------------

    def list_tasks(
        self,
        *,
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        task_type: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        """One page of tasks.  A space name is resolved exactly (sent as space_id); without a
        project or dataset, the default space applies."""
        check_limit(limit)
        query = self._task_query(space, project, dataset, name, task_type)
        return self._api.list_page("tasks", limit=limit, cursor=cursor, **query)

    def _task_query(
        self,
        space: str | None,
        project: str | None,
        dataset: str | None,
        name: str | None,
        task_type: str | None,
    ) -> dict[str, Any]:
        kind = parse_task_type(task_type) if task_type else None
        query: dict[str, Any] = {"name": name or None, "type": kind}
        if project:
            query["project_id"] = self.resolver.project_id(project, space)
        if dataset:
            query["dataset_id"] = self.resolver.dataset_id(dataset, space)
        if space or not (project or dataset):
            # A project or dataset already fixes the space: the default space is not added then.
            query["space_id"] = self.resolver.space_id(space)
        return query

    def iter_tasks(
        self,
        *,
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        task_type: str | None = None,
        page_size: int = 100,
    ) -> Iterator[Resource]:
        """Every matching task, following cursors lazily (memory stays flat)."""
        check_limit(page_size, "page_size")
        query = self._task_query(space, project, dataset, name, task_type)

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self._api.list_page("tasks", limit=page_size, cursor=cursor, **query)
            return page.items, page.next_cursor

        return iterate_pages(fetch, "tasks")

    def get_task(self, task: str, *, space: str | None = None) -> Resource:
        """A task by ID (one GET) or by name (the listing is the answer; no extra GET)."""
        resolved = self.resolver.task(task, space)
        if resolved.by_name and resolved.task is not None and not resolved.cached:
            return resolved.task
        return self._fetch_task(resolved.id)

    def create_task(
        self,
        *,
        name: str,
        task_type: str,
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        evaluators: Sequence[Mapping[str, Any]] | None = None,
        run_configuration: Mapping[str, Any] | None = None,
        experiment_ids: Sequence[str] | None = None,
        sampling_rate: float | None = None,
        is_continuous: bool | None = None,
        query_filter: str | None = None,
        query_filters: Mapping[str, Any] | None = None,
        dry_run: bool = False,
    ) -> Resource | PlannedRequest:
        """Dispatches on task_type to create_evaluation_task or create_run_experiment_task."""
        kind = parse_task_type(task_type)
        given = {
            "project": project,
            "evaluators": evaluators,
            "run_configuration": run_configuration,
            "experiment_ids": experiment_ids,
            "sampling_rate": sampling_rate,
            "is_continuous": is_continuous,
            "query_filter": query_filter,
            "query_filters": query_filters,
        }
        present = [k for k, v in given.items() if v is not None]
        if kind == _RUN:
            reject_unfit(present, _RUN_CREATE_FIELDS, "a RUN_EXPERIMENT task", action="created")
            if not dataset:
                raise ValidationError(
                    "A RUN_EXPERIMENT task needs a dataset (name or ID).",
                    valid_fields=list(_RUN_CREATE_FIELDS),
                )
            if run_configuration is None:
                raise ValidationError(
                    "A RUN_EXPERIMENT task needs a run_configuration (experiment_type "
                    "LLM_GENERATION, TEMPLATE_EVALUATION or AGENT_CALL).",
                    valid_fields=list(_RUN_CREATE_FIELDS),
                )
            return self.create_run_experiment_task(
                name=name,
                dataset=dataset,
                run_configuration=run_configuration,
                space=space,
                dry_run=dry_run,
            )
        reject_unfit(present, _EVAL_CREATE_FIELDS, f"a {kind} task", action="created")
        if evaluators is None:
            raise ValidationError(
                f"A {kind} task needs evaluators (at least one).",
                valid_fields=list(_EVAL_CREATE_FIELDS),
            )
        return self.create_evaluation_task(
            name=name,
            task_type=kind,
            evaluators=evaluators,
            space=space,
            project=project,
            dataset=dataset,
            experiment_ids=experiment_ids,
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=query_filters,
            dry_run=dry_run,
        )

    def create_evaluation_task(
        self,
        *,
        name: str,
        task_type: str,
        evaluators: Sequence[Mapping[str, Any]],
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        experiment_ids: Sequence[str] | None = None,
        sampling_rate: float | None = None,
        is_continuous: bool | None = None,
        query_filter: str | None = None,
        query_filters: Mapping[str, Any] | None = None,
        dry_run: bool = False,
    ) -> Resource | PlannedRequest:
        """Evaluator entries may give `evaluator` (a name) instead of `evaluator_id`;
        experiment_ids may be experiment names of the dataset."""
        kind = parse_task_type(task_type)
        if kind not in EVALUATION_TYPES:
            raise ValidationError(
                f"create_evaluation_task makes {' or '.join(EVALUATION_TYPES)} tasks; for "
                f"{kind} use create_run_experiment_task (or create_task)."
            )
        check_name(name, "task name")
        if bool(project) == bool(dataset):
            raise ValidationError(
                "An evaluation task scores either a project's spans (give project) or a "
                "dataset's experiments (give dataset and experiment_ids): give exactly one of "
                f"project and dataset{', not both' if project else ''}."
            )
        if query_filter is not None and query_filters is not None:
            raise ValidationError(
                "query_filter (span filter) and query_filters (trace/session filters) are "
                "mutually exclusive: give one."
            )
        check_rate(sampling_rate)
        if dataset:
            if not experiment_ids:
                raise ValidationError(
                    "A dataset evaluation task needs experiment_ids (at least one experiment "
                    "of the dataset, by name or ID)."
                )
            if sampling_rate is not None or is_continuous:
                raise ValidationError(
                    "sampling_rate and is_continuous apply to project tasks only; a dataset "
                    "task scores the experiments it is given."
                )
        elif experiment_ids:
            raise ValidationError(
                "experiment_ids apply to dataset tasks only; a project task scores spans."
            )
        filters = validate_query_filters(query_filters) if query_filters is not None else None
        evaluators_body = self._evaluators(evaluators, space)
        body: dict[str, Any] = {"name": name, "type": kind}
        notes: list[str] = []
        if project:
            body["project_id"] = self.resolver.project_id(project, space)
            if body["project_id"] != project:
                notes.append(f"project {project!r} is {body['project_id']}")
        else:
            dataset_id = self.resolver.dataset_id(str(dataset), space)
            body["dataset_id"] = dataset_id
            if dataset_id != dataset:
                notes.append(f"dataset {dataset!r} is {dataset_id}")
            body["experiment_ids"] = self._experiment_ids(
                experiment_ids, dataset_id=dataset_id, space=space
            )
        if sampling_rate is not None:
            body["sampling_rate"] = sampling_rate
        if is_continuous is not None:
            body["is_continuous"] = is_continuous
        if query_filter is not None:
            body["query_filter"] = query_filter
        if filters is not None:
            body["query_filters"] = filters
        body["evaluators"] = evaluators_body
        return self._create(body, space, dry_run=dry_run, notes=notes)

    def create_run_experiment_task(
        self,
        *,
        name: str,
        dataset: str,
        run_configuration: Mapping[str, Any],
        space: str | None = None,
        dry_run: bool = False,
    ) -> Resource | PlannedRequest:
        """run_configuration enums in any case; input_variable_format inferred when missing
        (MUSTACHE for {{var}}, F_STRING for {var}); ai_integration_id may be a name."""
        check_name(name, "task name")
        if not dataset:
            raise ValidationError("A RUN_EXPERIMENT task needs a dataset (name or ID).")
        validate_run_configuration(run_configuration)  # shape first: no read for a bad config
        dataset_id = self.resolver.dataset_id(dataset, space)
        body: dict[str, Any] = {
            "name": name,
            "type": _RUN,
            "dataset_id": dataset_id,
            "run_configuration": self._run_configuration(run_configuration, space),
        }
        notes = [f"dataset {dataset!r} is {dataset_id}"] if dataset_id != dataset else []
        return self._create(body, space, dry_run=dry_run, notes=notes)

    def _create(
        self, body: Mapping[str, Any], space: str | None, *, dry_run: bool, notes: list[str]
    ) -> Resource | PlannedRequest:
        checked = self._api.check_create(body)
        if dry_run:
            return self._api.plan("POST", self._api.task_path(), checked, notes)
        sent_at = self._now()
        return send_reconciled(
            lambda: self._api.create_task(checked),
            find=lambda cause: self._find_created(checked, sent_at, cause),
            unknown=lambda cause: self._unknown_create(checked, cause),
            max_resends=self._max_resends,
            refusals=(ValidationError, ConflictError),
        )

    def _unknown_create(self, body: Mapping[str, Any], cause: str) -> UnknownOutcomeError:
        name = body.get("name")
        return UnknownOutcomeError.for_write(
            f"create task {name!r}",
            f"look for it (list the tasks named {name!r}) and create it only if it is missing",
            cause=cause,
        )

    def _find_created(
        self, body: Mapping[str, Any], sent_at: datetime, cause: str
    ) -> Resource | None:
        """The task this create made, if it landed: exact name (unique in a space), same type
        and scope, created since the request was sent."""
        since = sent_at - self._skew
        query = {
            "name": body.get("name"),
            "project_id": body.get("project_id"),
            "dataset_id": body.get("dataset_id"),
        }

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self._api.list_page("tasks", limit=MAX_PAGE_SIZE, cursor=cursor, **query)
            return page.items, page.next_cursor

        try:
            matches = [
                item
                for item in iterate_pages(fetch, "tasks")
                if item.get("name") == body.get("name")
                and normalize_enum(item.get("type")) == body.get("type")
                and _created_since(item, since)
            ]
        except AxTasksError as exc:
            raise self._unknown_create(body, cause) from exc
        if not matches:
            return None
        return max(matches, key=lambda item: parse_time(item.get("created_at")) or since)

    def update_task(
        self,
        task: str,
        *,
        space: str | None = None,
        name: str | Unchanged = UNCHANGED,
        sampling_rate: float | Unchanged = UNCHANGED,
        is_continuous: bool | Unchanged = UNCHANGED,
        query_filter: str | Unchanged | None = UNCHANGED,
        query_filters: Mapping[str, Any] | Unchanged | None = UNCHANGED,
        evaluators: Sequence[Mapping[str, Any]] | Unchanged = UNCHANGED,
        run_configuration: Mapping[str, Any] | Unchanged = UNCHANGED,
        dry_run: bool = False,
    ) -> Resource | PlannedRequest:
        """UNCHANGED leaves a field alone, None clears it (sends null). At least one field.
        Fields that do not fit the task's type raise ValidationError listing those that do."""
        fields: dict[str, Any] = {
            "name": name,
            "sampling_rate": sampling_rate,
            "is_continuous": is_continuous,
            "query_filter": query_filter,
            "query_filters": query_filters,
            "evaluators": evaluators,
            "run_configuration": run_configuration,
        }
        given = {k: v for k, v in fields.items() if v is not UNCHANGED}
        every = list(fields)
        if not given:
            raise ValidationError(
                f"Nothing to update: give at least one field to change ({', '.join(every)}).",
                valid_fields=every,
            )
        for key in ("name", "sampling_rate", "is_continuous", "evaluators", "run_configuration"):
            if key in given and given[key] is None:
                raise ValidationError(
                    f"{key} cannot be cleared; only query_filter and query_filters can be set "
                    "to null. Leave it out to keep it as it is."
                )
        if "name" in given:
            check_name(given["name"], "task name")
        check_rate(given.get("sampling_rate"))
        if given.get("query_filter") is not None and given.get("query_filters") is not None:
            raise ValidationError(
                "query_filter (span filter) and query_filters (trace/session filters) are "
                "mutually exclusive: give one."
            )
        reject_mixed(list(given), _UPDATE_FIELDS, action="updated")
        if given.get("run_configuration") is not None:
            validate_run_configuration(given["run_configuration"])
        if given.get("query_filters") is not None:
            given["query_filters"] = validate_query_filters(given["query_filters"])

        resolved, obj = self._task_with_type(task, space)
        kind = _type_of(obj)
        label = _label(resolved.id, obj)
        allowed = _UPDATE_FIELDS[_group(kind)]
        reject_unfit(list(given), allowed, f"{label}, a {kind} task", action="updated")

        body: dict[str, Any] = dict(given)
        if "evaluators" in body:
            body["evaluators"] = self._evaluators(body["evaluators"], space)
        if "run_configuration" in body:
            body["run_configuration"] = self._run_configuration(body["run_configuration"], space)
        checked = self._api.check_update(kind, body)
        if dry_run:
            return self._api.plan("PATCH", self._api.task_path(resolved.id), checked, [label])
        result = self._api.update_task(resolved.id, kind, checked)
        self.resolver.forget(resolved.id)
        self.resolver.remember_task(result)
        return result

    def delete_task(
        self, task: str, *, space: str | None = None, dry_run: bool = False
    ) -> Resource | PlannedRequest:
        """Returns the task as it was before deletion (by an ID not seen in the last few
        seconds, that costs a GET first)."""
        resolved = self.resolver.task(task, space)
        if dry_run:
            notes = [_label(resolved.id, resolved.task)]
            return self._api.plan("DELETE", self._api.task_path(resolved.id), None, notes)
        # The task as resolution (or a read moments ago) saw it; by ID and unseen: one GET.
        before = resolved.task if resolved.task is not None else self._api.get_task(resolved.id)
        self._api.delete_task(resolved.id)
        self.resolver.forget(resolved.id)
        return before
