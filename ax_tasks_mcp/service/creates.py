"""Creating tasks: one creator per spec type, a dry run that resolves names and sends nothing,
and a create whose answer was lost looked up by its exact name before anything is sent again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service import dry_run as dry_run_checks
from ax_tasks_mcp.service.arguments import MAX_PAGE_SIZE, parse_time
from ax_tasks_mcp.service.conflicts import name_taken, refused_as_conflict
from ax_tasks_mcp.service.core import Core, created_since
from ax_tasks_mcp.service.errors import (
    AxTasksError,
    ConflictError,
    UnknownOutcomeError,
    ValidationError,
)
from ax_tasks_mcp.service.lenient import normalize_enum
from ax_tasks_mcp.service.models import PlannedRequest, Resource
from ax_tasks_mcp.service.reconcile import send_reconciled
from ax_tasks_mcp.service.requests import EvaluationTaskSpec, RunExperimentTaskSpec, TaskSpec
from ax_tasks_mcp.service.resolve import iterate_pages
from ax_tasks_mcp.service.words import quoted

if TYPE_CHECKING:
    from ax_tasks_mcp.service.bodies import CreateBody


class Creates:
    """Create tasks from their specs (and plan the create)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def create_task(self, spec: TaskSpec) -> Resource:
        """Create the task ``spec`` describes (names resolved within ``spec.space``)."""
        body, _ = self._create_body(spec)
        sent_at = self.core.now()
        return refused_as_conflict(
            lambda: send_reconciled(
                lambda: self.core.api.create_task(body),
                find=lambda cause: self._find_created(body.to_dict(), sent_at, cause),
                unknown=lambda cause: self._unknown_create(body.name, cause),
                max_resends=self.core.max_resends,
                refusals=(ValidationError, ConflictError),
            ),
            lambda: self._name_taken(body.to_dict()),
        )

    def _name_taken(self, body: Mapping[str, Any]) -> ConflictError | None:
        space = dry_run_checks.space_of(self.core.api, body)
        return None if space is None else name_taken(self.core.api, body["name"], *space)

    def plan_create(self, spec: TaskSpec) -> PlannedRequest:
        """The request :meth:`create_task` would send: names resolved (reads only), nothing
        written."""
        body, notes = self._create_body(spec)
        sent = body.to_dict()
        notes += dry_run_checks.check_create(self.core.api, sent)
        return self.core.api.plan("POST", self.core.api.task_path(), sent, notes)

    def _create_body(self, spec: TaskSpec) -> tuple[CreateBody, list[str]]:
        """The body of the create, as its model, and notes on the names it resolved."""
        if isinstance(spec, RunExperimentTaskSpec):
            return self._run_experiment_body(spec)
        return self._evaluation_body(spec)

    def _evaluation_body(self, spec: EvaluationTaskSpec) -> tuple[CreateBody, list[str]]:
        space = spec.space
        evaluators = self.core.evaluators(spec.evaluators, space)
        notes: list[str] = []
        project_id = dataset_id = experiment_ids = None
        if spec.project:
            project_id = self.core.resolver.project_id(spec.project, space)
            if project_id != spec.project:
                notes.append(f"project {quoted(spec.project)} is {project_id}")
        else:
            dataset_id = self.core.resolver.dataset_id(str(spec.dataset), space)
            if dataset_id != spec.dataset:
                notes.append(f"dataset {quoted(spec.dataset)} is {dataset_id}")
            experiment_ids = self.core.experiment_ids(
                spec.experiment_ids or (), dataset_id=dataset_id, space=space
            )
        body = bodies.create_evaluation(
            spec.task_type,
            name=spec.name,
            evaluators=evaluators,
            project_id=project_id,
            dataset_id=dataset_id,
            experiment_ids=experiment_ids,
            sampling_rate=spec.sampling_rate,
            is_continuous=spec.is_continuous,
            query_filter=spec.query_filter,
            query_filters=spec.query_filters_model,
        )
        return body, notes

    def _run_experiment_body(self, spec: RunExperimentTaskSpec) -> tuple[CreateBody, list[str]]:
        dataset_id = self.core.resolver.dataset_id(spec.dataset, spec.space)
        body = bodies.create_run_experiment(
            name=spec.name,
            dataset_id=dataset_id,
            run_configuration=self.core.run_configuration(spec.run_configuration_model, spec.space),
        )
        notes = (
            [f"dataset {quoted(spec.dataset)} is {dataset_id}"]
            if dataset_id != spec.dataset
            else []
        )
        return body, notes

    def _unknown_create(self, name: str, cause: str) -> UnknownOutcomeError:
        return UnknownOutcomeError.for_write(
            f"create task {quoted(name)}",
            f"look for it (list the tasks named {quoted(name)}) and create it only if it is "
            "missing",
            cause=cause,
        )

    def _find_created(
        self, body: Mapping[str, Any], sent_at: datetime, cause: str
    ) -> Resource | None:
        """The task this create made, if it landed: exact name (unique in a space), same type
        and scope, created since the request was sent."""
        since = sent_at - self.core.skew
        query = {
            "name": body.get("name"),
            "project_id": body.get("project_id"),
            "dataset_id": body.get("dataset_id"),
        }

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self.core.api.list_page("tasks", limit=MAX_PAGE_SIZE, cursor=cursor, **query)
            return page.items, page.next_cursor

        try:
            matches = [
                item
                for item in iterate_pages(fetch, "tasks")
                if item.get("name") == body.get("name")
                and normalize_enum(item.get("type")) == body.get("type")
                and created_since(item, since)
            ]
        except AxTasksError as exc:
            raise self._unknown_create(str(body.get("name")), cause) from exc
        if not matches:
            return None
        return max(matches, key=lambda item: parse_time(item.get("created_at")) or since)
