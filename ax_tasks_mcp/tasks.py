"""TasksService: every operation the faces need, over the generated client.

The signatures below are the contract between the service layer and its two faces (cli/,
ax_tasks_mcp/server.py).  Every name-or-ID argument accepts either; names resolve exactly within
the space (resolve.py).  Enum arguments (task_type, status, experiment_type, roles) accept any
case.  Every write method takes dry_run: with it, names are resolved (reads only) and the write
is returned as a PlannedRequest instead of being sent.

Costs, in requests: a task given by name is resolved by listing (the list item *is* the task, so
update and trigger by name cost resolution + the write); a task given by ID costs one GET to learn
its type before an update or a trigger (cached briefly: types never change).

Writes whose answer was lost (the transport never resends those) are reconciled before anything
is sent again: a create looks the task up by its exact name, a trigger looks for a run created
since the request was sent, a cancel reads the run.  Only when nothing landed is the write sent
again (bounded); when it cannot be known, UnknownOutcomeError says what to check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import httpx

from ax_tasks_mcp.api import (
    ArizeApi,
    normalize_enum,
    validate_evaluator,
    validate_query_filters,
    validate_run_configuration,
)
from ax_tasks_mcp.arguments import (
    MAX_PAGE_SIZE,
    as_datetime,
    check_experiment_name,
    check_limit,
    check_name,
    check_positive_int,
    check_rate,
    parse_run_status,
    parse_task_type,
    parse_time,
    reject_mixed,
    reject_unfit,
    string_list,
    string_map,
)
from ax_tasks_mcp.errors import (
    AxTasksError,
    ConflictError,
    UnknownOutcomeError,
    ValidationError,
)
from ax_tasks_mcp.ids import check_id_type, require_id
from ax_tasks_mcp.models import (
    EVALUATION_TYPES,
    TASK_TYPES,
    TERMINAL_STATUSES,
    UNCHANGED,
    Page,
    PlannedRequest,
    ProgressCallback,
    Resource,
    RunProgress,
    Unchanged,
)
from ax_tasks_mcp.polling import DEFAULT_MIN_INTERVAL, Progress, wait_for
from ax_tasks_mcp.reconcile import send_reconciled
from ax_tasks_mcp.resolve import DEFAULT_CACHE_TTL, ResolvedTask, Resolver, iterate_pages
from ax_tasks_mcp.settings import Settings
from ax_tasks_mcp.transport import build_http_client

__all__ = ["LOOKUP_KINDS", "SANDBOX_BASE_URL", "TasksService"]

#: The base URL the embedded sandbox answers on (no network is involved).
SANDBOX_BASE_URL: Final = "http://sandbox.ax-tasks.invalid"
SANDBOX_API_KEY: Final = "sandbox"

MAX_WINDOW: Final = timedelta(days=30)
DEFAULT_MAX_RESENDS: Final = 2
DEFAULT_RECONCILE_SKEW: Final = 60.0
LOOKUP_KINDS: Final = (
    "spaces",
    "projects",
    "datasets",
    "evaluators",
    "ai_integrations",
    "experiments",
)

_RUN: Final = "RUN_EXPERIMENT"
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
_TRIGGER_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "EVALUATION": (
        "data_start_time",
        "data_end_time",
        "max_spans",
        "override_evaluations",
        "experiment_ids",
    ),
    _RUN: (
        "experiment_name",
        "dataset_version_id",
        "example_ids",
        "max_examples",
        "query_filter",
        "tracing_metadata",
        "evaluation_task_ids",
    ),
}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _group(task_type: str) -> str:
    return _RUN if task_type == _RUN else "EVALUATION"


def _type_of(task: Mapping[str, Any]) -> str:
    value = normalize_enum(task.get("type"))
    if value not in TASK_TYPES:
        raise AxTasksError(
            f"Task {task.get('id')} has type {task.get('type')!r}, which this version of "
            "ax-tasks does not know; upgrade ax-tasks."
        )
    return str(value)


def _label(task_id: str, task: Mapping[str, Any] | None) -> str:
    name = task.get("name") if task else None
    return f"task {name!r} ({task_id})" if isinstance(name, str) else f"task {task_id}"


class TasksService:
    """The operations over the Arize tasks API.  Create with :meth:`from_settings` or
    :meth:`sandbox`; close with :meth:`close` (or use it as a context manager).

    Options (keyword arguments of the constructor, ``from_settings`` and ``sandbox``):

    * ``transport``: an ``httpx.BaseTransport`` replacing the network (retries still wrap it);
    * ``http_client``: a ready ``httpx.Client`` to use as is (no retries added);
    * ``clock``: monotonic seconds (waiting deadlines, the resolution cache);
    * ``sleep``: how to wait (polling and the transport's retry backoff);
    * ``now``: the wall-clock time as an aware datetime (evaluation windows, reconciliation);
    * ``cache_ttl``: seconds a resolved name is remembered (0 disables);
    * ``max_resends``: how many times a write whose answer was lost may be sent again;
    * ``reconcile_skew``: seconds of clock difference tolerated when matching a lost write.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        now: Callable[[], datetime] = _utcnow,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        max_resends: int = DEFAULT_MAX_RESENDS,
        reconcile_skew: float = DEFAULT_RECONCILE_SKEW,
        user_agent: str | None = None,
    ) -> None:
        self.settings = settings
        self._owns_http = http_client is None
        self._http = http_client or build_http_client(
            settings, transport=transport, sleep=sleep, user_agent=user_agent
        )
        self._api = ArizeApi(self._http, check_auth=settings.require_api_key)
        self._clock = clock
        self._sleep = sleep
        self._now = now
        self._max_resends = max(0, int(max_resends))
        self._skew = timedelta(seconds=reconcile_skew)
        # Runs this service has triggered: a lost answer is never reconciled onto one of them.
        self._triggered: set[str] = set()
        self.resolver = Resolver(
            self._api, default_space=settings.space, clock=clock, ttl=cache_ttl
        )

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> TasksService:
        """The real service (or whatever settings.base_url points at)."""
        return cls(settings, **options)

    @classmethod
    def sandbox(cls, db_path: str | None = None, **options: Any) -> TasksService:
        """The embedded sandbox: no server process, no key needed, state in SQLite.

        Extra options: ``space`` (the default space), ``sandbox_clock`` (the sandbox's own
        wall clock, a callable returning an aware datetime), ``speed`` (how fast simulated runs
        progress), ``settings`` (timeouts and default space to keep).
        """
        from ax_tasks_mcp.sandbox.embedded import embedded_transport

        base: Settings | None = options.pop("settings", None)
        space = options.pop("space", None) or (base.space if base is not None else None)
        sandbox_clock = options.pop("sandbox_clock", None)
        speed = options.pop("speed", None)
        settings = Settings(
            api_key=SANDBOX_API_KEY,
            base_url=SANDBOX_BASE_URL,
            space=space,
            connect_timeout=base.connect_timeout if base is not None else 5.0,
            read_timeout=base.read_timeout if base is not None else 30.0,
            max_retries=base.max_retries if base is not None else 4,
            sources={"api_key": "sandbox", "base_url": "sandbox"},
        )
        transport = embedded_transport(db_path=db_path, clock=sandbox_clock, speed=speed)
        return cls(settings, transport=transport, **options)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> TasksService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        return self._api.base_url

    # -- helpers -------------------------------------------------------------------------

    def _fetch_task(self, task_id: str) -> Resource:
        task = self._api.get_task(task_id)
        self.resolver.remember_task(task)
        return task

    def _task_with_type(self, task: str, space: str | None) -> tuple[ResolvedTask, Resource]:
        """The task and its object: from resolution when it saw it, else one GET."""
        resolved = self.resolver.task(task, space)
        obj = resolved.task if resolved.task is not None else self._fetch_task(resolved.id)
        return resolved, obj

    def _evaluators(self, entries: Any, space: str | None) -> list[Resource]:
        """Spec-checked evaluator entries, names (``evaluator``) resolved to IDs."""
        if isinstance(entries, str | bytes) or not isinstance(entries, Sequence) or not entries:
            raise ValidationError(
                "evaluators must be a non-empty list of entries such as "
                '{"evaluator": "hallucination", "column_mappings": {...}} or '
                '{"evaluator_id": "...", ...}.'
            )
        checked: list[tuple[Resource, str]] = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                raise ValidationError(
                    f"evaluators[{index}] must be a JSON object with an evaluator or evaluator_id."
                )
            data = dict(entry)
            if "evaluator" in data:
                if "evaluator_id" in data:
                    raise ValidationError(
                        f"evaluators[{index}] gives both evaluator and evaluator_id; give one "
                        "(evaluator takes a name or an ID)."
                    )
                data["evaluator_id"] = data.pop("evaluator")
            ref = data.get("evaluator_id")
            if not isinstance(ref, str) or not ref.strip():
                raise ValidationError(
                    f"evaluators[{index}] needs an evaluator (name or ID) or an evaluator_id."
                )
            checked.append((validate_evaluator(data, index), ref))
        result: list[Resource] = []
        for body, ref in checked:
            body["evaluator_id"] = self.resolver.evaluator_id(ref, space)
            result.append(body)
        ids = [str(e["evaluator_id"]) for e in result]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValidationError(
                f"Each evaluator may appear once per task; repeated: {', '.join(duplicates)}."
            )
        return result

    def _run_configuration(self, config: Any, space: str | None) -> Resource:
        """A spec-checked run configuration; an AI integration given by name resolved."""
        checked = validate_run_configuration(config)
        for key in ("ai_integration_id", "integration_id"):
            value = checked.get(key)
            if isinstance(value, str) and value.strip():
                checked[key] = self.resolver.ai_integration_id(value, space)
        return checked

    def _experiment_ids(
        self, values: Any, *, dataset_id: str | None, space: str | None
    ) -> list[str]:
        items = string_list(values, "experiment_ids")
        return self.resolver.experiment_ids(items, dataset_id=dataset_id, space=space)

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

    # -- runs ------------------------------------------------------------------------------

    def trigger_run(
        self,
        task: str,
        *,
        space: str | None = None,
        data_start_time: datetime | None = None,
        data_end_time: datetime | None = None,
        max_spans: int | None = None,
        override_evaluations: bool | None = None,
        experiment_ids: Sequence[str] | None = None,
        experiment_name: str | None = None,
        dataset_version_id: str | None = None,
        example_ids: Sequence[str] | None = None,
        max_examples: int | None = None,
        query_filter: str | None = None,
        tracing_metadata: Mapping[str, str] | None = None,
        evaluation_task_ids: Sequence[str] | None = None,
        dry_run: bool = False,
    ) -> Resource | PlannedRequest:
        """Checks fields against the task's type before sending; a start with no end gets now;
        a window over 30 days or with start >= end is refused before anything is sent."""
        fields: dict[str, Any] = {
            "data_start_time": data_start_time,
            "data_end_time": data_end_time,
            "max_spans": max_spans,
            "override_evaluations": override_evaluations,
            "experiment_ids": experiment_ids,
            "experiment_name": experiment_name,
            "dataset_version_id": dataset_version_id,
            "example_ids": example_ids,
            "max_examples": max_examples,
            "query_filter": query_filter,
            "tracing_metadata": tracing_metadata,
            "evaluation_task_ids": evaluation_task_ids,
        }
        given = {k: v for k, v in fields.items() if v is not None}
        reject_mixed(list(given), _TRIGGER_FIELDS, action="triggered")
        if example_ids is not None and max_examples is not None:
            raise ValidationError(
                "example_ids and max_examples are mutually exclusive: give one (example_ids "
                "picks examples, max_examples takes the first N)."
            )
        check_positive_int(max_spans, "max_spans")
        check_positive_int(max_examples, "max_examples")
        start = as_datetime(data_start_time, "data_start_time") if data_start_time else None
        end = as_datetime(data_end_time, "data_end_time") if data_end_time else None

        resolved, obj = self._task_with_type(task, space)
        kind = _type_of(obj)
        label = _label(resolved.id, obj)
        allowed = _TRIGGER_FIELDS[_group(kind)]
        reject_unfit(list(given), allowed, f"{label}, a {kind} task", action="triggered")

        body: dict[str, Any] = {}
        if kind == _RUN:
            if experiment_name is None:
                raise ValidationError(
                    f"Triggering {label} (RUN_EXPERIMENT) needs experiment_name: the name of the "
                    "experiment the run creates, unique within the dataset.",
                    valid_fields=list(allowed),
                )
            check_experiment_name(experiment_name)
            body["experiment_name"] = experiment_name
            if dataset_version_id is not None:
                check_id_type(dataset_version_id, "DatasetVersion", "dataset version")
                body["dataset_version_id"] = dataset_version_id
            if example_ids is not None:
                body["example_ids"] = string_list(example_ids, "example_ids")
            if max_examples is not None:
                body["max_examples"] = max_examples
            if query_filter is not None:
                body["query_filter"] = query_filter
            if tracing_metadata is not None:
                body["tracing_metadata"] = string_map(tracing_metadata, "tracing_metadata")
            if evaluation_task_ids is not None:
                body["evaluation_task_ids"] = [
                    self.resolver.task(t, space).id
                    for t in string_list(evaluation_task_ids, "evaluation_task_ids")
                ]
        else:
            start, end = self._window(start, end)
            if start is not None:
                body["data_start_time"] = start.isoformat()
            if end is not None:
                body["data_end_time"] = end.isoformat()
            if max_spans is not None:
                body["max_spans"] = max_spans
            if override_evaluations is not None:
                body["override_evaluations"] = override_evaluations
            if experiment_ids is not None:
                dataset_id = obj.get("dataset_id")
                if not dataset_id:
                    raise ValidationError(
                        f"experiment_ids apply to dataset-based evaluation tasks; {label} scores "
                        "a project's spans (give a time window instead)."
                    )
                body["experiment_ids"] = self._experiment_ids(
                    experiment_ids, dataset_id=str(dataset_id), space=space
                )
        checked = self._api.check_trigger(kind, body)
        if dry_run:
            path = self._api.task_path(resolved.id, "/trigger")
            return self._api.plan("POST", path, checked, [label])
        return self._trigger(
            resolved.id,
            kind,
            checked,
            label,
            last_run_at=parse_time(obj.get("last_run_at")),
        )

    def _window(
        self, begin: datetime | None, finish: datetime | None
    ) -> tuple[datetime | None, datetime | None]:
        """The evaluation window: a start alone ends now; start < end; at most 30 days."""
        given_end = finish is not None
        if begin is not None and finish is None:
            finish = as_datetime(self._now(), "now")
        if begin is not None and finish is not None:
            if begin >= finish:
                raise ValidationError(
                    f"The window is empty: data_start_time ({begin.isoformat()}) must be before "
                    f"data_end_time ({finish.isoformat()}"
                    f"{'' if given_end else ', which defaults to now'})."
                )
            if finish - begin > MAX_WINDOW:
                days = (finish - begin).total_seconds() / 86400
                raise ValidationError(
                    f"The window spans {days:.1f} days; the API allows at most 30. Split it into "
                    "several runs of up to 30 days each."
                )
        return begin, finish

    def _trigger(
        self,
        task_id: str,
        kind: str,
        body: Mapping[str, Any],
        label: str,
        *,
        last_run_at: datetime | None,
    ) -> Resource:
        # A run created before this trigger must never pass for its lost answer: it is older
        # than the task's last run as we read it, or one this service triggered itself.
        since = self._now() - self._skew
        if last_run_at is not None:
            since = max(since, last_run_at + timedelta(microseconds=1))

        def unknown(cause: str) -> UnknownOutcomeError:
            return UnknownOutcomeError.for_write(
                f"trigger a run of {label}",
                f"list the task's runs ({task_id}) to see whether it started",
                cause=cause,
            )

        run = send_reconciled(
            lambda: self._api.trigger_run(task_id, kind, body),
            find=lambda cause: self._find_new_run(task_id, body, since, unknown(cause)),
            unknown=unknown,
            max_resends=self._max_resends,
            refusals=(ConflictError,),  # the resend's experiment name clashed with the first's
        )
        self._triggered.add(str(run.get("id")))
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
            page = self._api.list_runs(task_id, limit=MAX_PAGE_SIZE)
        except AxTasksError as exc:
            raise unknown from exc
        wanted_start = parse_time(body.get("data_start_time"))
        wanted_end = parse_time(body.get("data_end_time"))
        candidates = []
        for run in page.items:
            if run.get("id") in self._triggered or not _created_since(run, since):
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
        state = parse_run_status(status) if status else None
        task_id = self.resolver.task(task, space).id
        return self._api.list_runs(task_id, status=state, limit=limit, cursor=cursor)

    def iter_runs(
        self,
        task: str,
        *,
        space: str | None = None,
        status: str | None = None,
        page_size: int = 100,
    ) -> Iterator[Resource]:
        check_limit(page_size, "page_size")
        state = parse_run_status(status) if status else None
        task_id = self.resolver.task(task, space).id

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self._api.list_runs(task_id, status=state, limit=page_size, cursor=cursor)
            return page.items, page.next_cursor

        return iterate_pages(fetch, "runs")

    def get_run(self, run_id: str) -> Resource:
        require_id(run_id, "TaskRun", "run")
        return self._api.get_run(run_id)

    def cancel_run(self, run_id: str, *, dry_run: bool = False) -> Resource | PlannedRequest:
        require_id(run_id, "TaskRun", "run")
        if dry_run:
            return self._api.plan("POST", self._api.run_path(run_id, "/cancel"))

        def unknown(cause: str) -> UnknownOutcomeError:
            return UnknownOutcomeError.for_write(
                f"cancel run {run_id}", f"check the run ({run_id})", cause=cause
            )

        def find_cancelled(cause: str) -> Resource | None:
            try:
                run = self._api.get_run(run_id)
            except AxTasksError as exc:
                raise unknown(cause) from exc
            return run if normalize_enum(run.get("status")) == "CANCELLED" else None

        return send_reconciled(
            lambda: self._api.cancel_run(run_id),
            find=find_cancelled,
            unknown=unknown,
            max_resends=self._max_resends,
        )

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
        """Returns the final run even when FAILED or CANCELLED; WaitTimeoutError past timeout.
        poll_interval fixes the interval; otherwise it adapts up to max_interval.
        `known` is the run as just read (a trigger's answer): it stands for the first poll,
        so waiting right after a trigger spends no request on what the trigger said."""
        require_id(run_id, "TaskRun", "run")
        unread = [known] if known is not None and known.get("id") == run_id else []

        def fetch() -> Resource:
            return unread.pop() if unread else self._api.get_run(run_id)

        def report(progress: Progress[Resource]) -> None:
            if on_progress is None:
                return
            last = progress.last or {}
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
                )
            )

        min_interval = DEFAULT_MIN_INTERVAL
        if isinstance(max_interval, int | float) and 0 < max_interval < min_interval:
            min_interval = max_interval
        return wait_for(
            fetch,
            is_terminal=lambda run: normalize_enum(run.get("status")) in TERMINAL_STATUSES,
            describe=lambda run: str(normalize_enum(run.get("status")) or "unknown"),
            run_id=run_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_interval,
            min_interval=min_interval,
            on_progress=report,
            clock=self._clock,
            sleep=self._sleep,
        )

    # -- lookups ---------------------------------------------------------------------------

    def _lookup_query(
        self,
        kind: str,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
    ) -> dict[str, Any]:
        query: dict[str, Any] = {"name": name or None}
        if kind == "spaces":
            if space or dataset:
                raise ValidationError("Spaces are not filtered by space or dataset.")
            return query
        if dataset and kind != "experiments":
            raise ValidationError(f"{kind} are not filtered by dataset.")
        if kind == "experiments" and dataset:
            query["dataset_id"] = self.resolver.dataset_id(dataset, space)
        else:
            query["space_id"] = self.resolver.space_id(space)
        return query

    def _lookup(
        self,
        kind: str,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        check_limit(limit)
        query = self._lookup_query(kind, space=space, dataset=dataset, name=name)
        return self._api.list_page(kind, limit=limit, cursor=cursor, **query)

    def list_spaces(
        self, *, name: str | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Page:
        return self._lookup("spaces", name=name, limit=limit, cursor=cursor)

    def list_projects(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("projects", space=space, name=name, limit=limit, cursor=cursor)

    def list_datasets(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("datasets", space=space, name=name, limit=limit, cursor=cursor)

    def list_evaluators(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("evaluators", space=space, name=name, limit=limit, cursor=cursor)

    def list_ai_integrations(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("ai_integrations", space=space, name=name, limit=limit, cursor=cursor)

    def list_experiments(
        self,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup(
            "experiments", space=space, dataset=dataset, name=name, limit=limit, cursor=cursor
        )

    def iter_lookup(self, kind: str, **filters: Any) -> Iterator[Resource]:
        """Every item of a lookup list (kind: spaces, projects, datasets, evaluators,
        ai_integrations, experiments), following cursors.  Filters: space, dataset
        (experiments only), name, page_size."""
        key = kind.strip().lower().replace("-", "_")
        if key not in LOOKUP_KINDS:
            raise ValidationError(f"Unknown list {kind!r}: use one of {', '.join(LOOKUP_KINDS)}.")
        page_size = filters.pop("page_size", MAX_PAGE_SIZE)
        check_limit(page_size, "page_size")
        unknown = sorted(set(filters) - {"space", "dataset", "name"})
        if unknown:
            raise ValidationError(
                f"{key} take no {', '.join(unknown)} filter; filters: space, dataset "
                "(experiments), name, page_size."
            )
        query = self._lookup_query(key, **filters)

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self._api.list_page(key, limit=page_size, cursor=cursor, **query)
            return page.items, page.next_cursor

        return iterate_pages(fetch, key)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _created_since(item: Mapping[str, Any], since: datetime) -> bool:
    created = parse_time(item.get("created_at"))
    return created is not None and created >= since


def _same_time(value: Any, wanted: datetime) -> bool:
    found = parse_time(value)
    return found is not None and abs((found - wanted).total_seconds()) < 1.0
