"""What every group of service operations shares (the one :class:`Core` the collaborators of
:class:`~ax_tasks_mcp.service.connect.TasksService` are built over): the HTTP client and the API
over it, the name resolver, the injected clocks, reading a task's type, and checking evaluators
and run configurations.

Costs, in requests: a task given by name is resolved by listing (the list item *is* the task, so
update and trigger by name cost resolution + the write); a task given by ID costs one GET to learn
its type before an update or a trigger (cached briefly: types never change).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import httpx

from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service.arguments import RUN_EXPERIMENT, parse_time
from ax_tasks_mcp.service.errors import (
    ValidationError,
)
from ax_tasks_mcp.service.lenient import normalize_enum
from ax_tasks_mcp.service.models import (
    TASK_TYPES,
    Resource,
)
from ax_tasks_mcp.service.resolve import DEFAULT_CACHE_TTL, ResolvedTask, Resolver
from ax_tasks_mcp.service.settings import Settings
from ax_tasks_mcp.service.transport import build_http_client
from ax_tasks_mcp.service.wire import ArizeApi
from ax_tasks_mcp.service.words import field, quoted

if TYPE_CHECKING:
    from ax_tasks_mcp.service.bodies import EvaluatorBody, RunConfigurationBody

DEFAULT_MAX_RESENDS: Final = 2
DEFAULT_RECONCILE_SKEW: Final = 60.0


def _utcnow() -> datetime:
    return datetime.now(UTC)


def group_of(task_type: str) -> str:
    """The group whose fields a task type takes: RUN_EXPERIMENT, or EVALUATION for the rest."""
    return RUN_EXPERIMENT if task_type == RUN_EXPERIMENT else "EVALUATION"


def type_of(task: Mapping[str, Any]) -> str:
    """The task's type, for a change that depends on it: a type this version does not know is
    refused before anything is sent (its fields are unknown), while reads still show it."""
    value = normalize_enum(task.get("type"))
    if value not in TASK_TYPES:
        label = task_label(str(task.get("id")), task)
        raise ValidationError(  # refused here, before anything is sent: not an API error
            f"{label[:1].upper()}{label[1:]} has type {task.get('type')!r}, "
            "which this version of ax-tasks does not know: it can be listed, shown and deleted, "
            "but not updated or triggered. Upgrade ax-tasks to change it."
        )
    return str(value)


def task_label(task_id: str, task: Mapping[str, Any] | None) -> str:
    """How a message names a task: by its name and ID when the name is known."""
    name = task.get("name") if task else None
    return f"task {quoted(name)} ({task_id})" if isinstance(name, str) else f"task {task_id}"


def created_since(item: Mapping[str, Any], since: datetime) -> bool:
    """Whether an item says it was created at or after ``since`` (a lost write's search)."""
    created = parse_time(item.get("created_at"))
    return created is not None and created >= since


class Core:
    """What the service's collaborators share: settings, the API over one HTTP client, the name
    resolver, the injected clocks and the limits on resending a lost write.  Close with
    :meth:`close`.

    Options (keyword arguments of the constructor, and of ``TasksService``, ``from_settings`` and
    ``sandbox``):

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
        self.owns_http = http_client is None
        self.http = http_client or build_http_client(
            settings, transport=transport, sleep=sleep, user_agent=user_agent
        )
        self.api = ArizeApi(self.http, check_auth=settings.require_api_key)
        self.clock = clock
        self.sleep = sleep
        self.now = now
        self.max_resends = max(0, int(max_resends))
        self.skew = timedelta(seconds=reconcile_skew)
        # Runs this service has triggered: a lost answer is never reconciled onto one of them.
        self.triggered: set[str] = set()
        self.resolver = Resolver(self.api, default_space=settings.space, clock=clock, ttl=cache_ttl)

    def close(self) -> None:
        """Close the HTTP client, unless it was handed in ready-made (its owner closes it)."""
        if self.owns_http:
            self.http.close()

    # -- what several operations need ----------------------------------------------------

    def fetch_task(self, task_id: str) -> Resource:
        """One GET of a task, remembered by the resolver."""
        task = self.api.get_task(task_id)
        self.resolver.remember_task(task)
        return task

    def task_with_type(self, task: str, space: str | None) -> tuple[ResolvedTask, Resource]:
        """The task and its object: from resolution when it saw it, else one GET."""
        resolved = self.resolver.task(task, space)
        obj = resolved.task if resolved.task is not None else self.fetch_task(resolved.id)
        return resolved, obj

    def evaluators(self, entries: Any, space: str | None) -> list[EvaluatorBody]:
        """Evaluator entries built into their models (every entry checked before any name is
        looked up), names (``evaluator``) resolved to IDs."""
        if isinstance(entries, str | bytes) or not isinstance(entries, Sequence) or not entries:
            raise ValidationError(
                f"{field('evaluators')} must be a non-empty list of entries such as "
                '{"evaluator": "hallucination", "column_mappings": {...}} or '
                '{"evaluator_id": "...", ...}.'
            )
        checked: list[tuple[EvaluatorBody, str]] = []
        for index, entry in enumerate(entries):
            where = f"{field('evaluators')}[{index}]"
            if not isinstance(entry, Mapping):
                raise ValidationError(
                    f"{where} must be a JSON object with an evaluator or evaluator_id."
                )
            data = dict(entry)
            if "evaluator" in data:
                if "evaluator_id" in data:
                    raise ValidationError(
                        f"{where} gives both evaluator and evaluator_id; give one (evaluator "
                        "takes a name or an ID)."
                    )
                data["evaluator_id"] = data.pop("evaluator")
            ref = data.get("evaluator_id")
            if not isinstance(ref, str) or not ref.strip():
                strange = [k for k in entry if k not in bodies.EVALUATOR_FIELDS]
                got = f"; it has {', '.join(map(repr, strange))}" if strange else ""
                raise ValidationError(
                    f"{where} needs an evaluator (name or ID) or an evaluator_id{got}."
                    f" {bodies.EVALUATOR_FORMS}",
                    valid_fields=list(bodies.EVALUATOR_FIELDS),
                )
            checked.append((bodies.evaluator(data, index), ref))
        result = [
            bodies.with_evaluator_id(body, self.resolver.evaluator_id(ref, space))
            for body, ref in checked
        ]
        ids = [e.evaluator_id for e in result]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValidationError(
                f"Each evaluator may appear once per task; repeated: {', '.join(duplicates)}."
            )
        return result

    def run_configuration(
        self, config: RunConfigurationBody, space: str | None
    ) -> RunConfigurationBody:
        """A run configuration its request already built, its AI integration resolved."""
        return bodies.with_integration(
            config, lambda ref: self.resolver.ai_integration_id(ref, space)
        )

    def experiment_ids(
        self, values: Sequence[str], *, dataset_id: str | None, space: str | None
    ) -> list[str]:
        """Experiments by name or ID, as IDs (within the dataset when it is known)."""
        return self.resolver.experiment_ids(list(values), dataset_id=dataset_id, space=space)
