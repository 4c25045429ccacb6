"""TasksService, and the one switch between the real API and the embedded sandbox.

Both faces build their service here: :func:`connect` takes settings (the real API, or whatever
base URL they name) or ``sandbox=True`` (no server process, no key, state in SQLite).

TasksService is a flat facade: each operation is handed to the collaborator that does it
(tasks.py, creates.py, runs.py, waiting.py, lookups.py), all built over one :class:`Core`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, Concatenate, Final, ParamSpec, Self, TypeVar

from ax_tasks_mcp.service.core import Core
from ax_tasks_mcp.service.creates import Creates
from ax_tasks_mcp.service.errors import ConfigError
from ax_tasks_mcp.service.lookups import Lookups
from ax_tasks_mcp.service.resolve import Resolver
from ax_tasks_mcp.service.runs import Runs
from ax_tasks_mcp.service.settings import DEFAULT_RETRY_BUDGET, Settings
from ax_tasks_mcp.service.tasks import Tasks
from ax_tasks_mcp.service.tracing import traced_service
from ax_tasks_mcp.service.waiting import Waiting

__all__ = ["SANDBOX_BASE_URL", "SANDBOX_DB_ENV", "TasksService", "connect"]

#: The base URL the embedded sandbox answers on (no network is involved).
SANDBOX_BASE_URL: Final = "http://sandbox.ax-tasks.invalid"
#: Any non-empty key will do; not a word, so that masking the key never masks a word.
SANDBOX_API_KEY: Final = "embedded-sandbox-key-0"
#: Where the embedded sandbox keeps its state (default: the user data directory).
SANDBOX_DB_ENV: Final = "AX_TASKS_SANDBOX_DB"


P = ParamSpec("P")
R = TypeVar("R")
Part = TypeVar("Part")


def _handed_to(
    method: Callable[Concatenate[Part, P], R], part: Callable[[TasksService], Part]
) -> Callable[Concatenate[TasksService, P], R]:
    """A facade method that calls ``method`` on the collaborator ``part`` picks: same
    signature and docstring, checked by mypy like the collaborator's own."""

    @functools.wraps(method)
    def handed(self: TasksService, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return method(part(self), *args, **kwargs)

    return handed


@traced_service
class TasksService:
    """Every operation over the Arize tasks API.  Build it with :func:`connect` (or
    :meth:`from_settings` / :meth:`sandbox`); close it with :meth:`close` or a ``with``.

    Its options are :class:`~ax_tasks_mcp.service.core.Core`'s (transport, clock, sleep, now,
    cache_ttl, max_resends, reconcile_skew, user_agent, http_client)."""

    def __init__(self, settings: Settings, **options: Any) -> None:
        self.core = Core(settings, **options)
        self.tasks = Tasks(self.core)
        self.creates = Creates(self.core)
        self.runs = Runs(self.core)
        self.waiting = Waiting(self.core)
        self.lookups = Lookups(self.core)

    @property
    def settings(self) -> Settings:
        return self.core.settings

    @property
    def resolver(self) -> Resolver:
        """Names to IDs, with the short-lived cache every operation shares."""
        return self.core.resolver

    @property
    def base_url(self) -> str:
        return self.core.api.base_url

    def close(self) -> None:
        self.core.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- tasks.py ------------------------------------------------------------------------
    list_tasks = _handed_to(Tasks.list_tasks, lambda s: s.tasks)
    iter_tasks = _handed_to(Tasks.iter_tasks, lambda s: s.tasks)
    get_task = _handed_to(Tasks.get_task, lambda s: s.tasks)
    update_task = _handed_to(Tasks.update_task, lambda s: s.tasks)
    plan_update = _handed_to(Tasks.plan_update, lambda s: s.tasks)
    delete_task = _handed_to(Tasks.delete_task, lambda s: s.tasks)
    plan_delete = _handed_to(Tasks.plan_delete, lambda s: s.tasks)
    # -- creates.py ----------------------------------------------------------------------
    create_task = _handed_to(Creates.create_task, lambda s: s.creates)
    plan_create = _handed_to(Creates.plan_create, lambda s: s.creates)
    # -- runs.py -------------------------------------------------------------------------
    trigger_run = _handed_to(Runs.trigger_run, lambda s: s.runs)
    plan_trigger = _handed_to(Runs.plan_trigger, lambda s: s.runs)
    list_runs = _handed_to(Runs.list_runs, lambda s: s.runs)
    iter_runs = _handed_to(Runs.iter_runs, lambda s: s.runs)
    get_run = _handed_to(Runs.get_run, lambda s: s.runs)
    cancel_run = _handed_to(Runs.cancel_run, lambda s: s.runs)
    plan_cancel = _handed_to(Runs.plan_cancel, lambda s: s.runs)
    # -- waiting.py ----------------------------------------------------------------------
    wait_for_run = _handed_to(Waiting.wait_for_run, lambda s: s.waiting)
    wait_steps = _handed_to(Waiting.wait_steps, lambda s: s.waiting)
    # -- lookups.py ----------------------------------------------------------------------
    list_lookup = _handed_to(Lookups.list_lookup, lambda s: s.lookups)
    iter_lookup = _handed_to(Lookups.iter_lookup, lambda s: s.lookups)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> TasksService:
        """The real service (or whatever settings.base_url points at); a profile file that
        could not be read stops it only when it may hold what is missing."""
        settings.check_files()
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
            retry_budget=base.retry_budget if base is not None else DEFAULT_RETRY_BUDGET,
            sources={"api_key": "sandbox", "base_url": "sandbox"},
        )
        from ax_tasks_mcp.sandbox.settings import SandboxSettingError

        try:
            transport = embedded_transport(db_path=db_path, clock=sandbox_clock, speed=speed)
        except SandboxSettingError as exc:  # a setting of the sandbox: the user's to fix
            raise ConfigError(exc.message) from None
        return cls(settings, transport=transport, **options)


# Options only the embedded sandbox understands; the real service is built without them.
_SANDBOX_ONLY: Final = frozenset({"space", "sandbox_clock", "speed"})


def connect(
    settings: Settings | None = None,
    *,
    sandbox: bool = False,
    sandbox_db: str | None = None,
    **options: Any,
) -> TasksService:
    """The service for the real API (``settings``) or the embedded sandbox (``sandbox=True``;
    its state in ``sandbox_db``, else ``$AX_TASKS_SANDBOX_DB``, else the user data directory)."""
    if sandbox:
        db = sandbox_db or os.environ.get(SANDBOX_DB_ENV, "").strip() or None
        return TasksService.sandbox(db, settings=settings, **options)
    if settings is None:
        raise TypeError("connect() needs settings unless sandbox=True")
    real = {k: v for k, v in options.items() if k not in _SANDBOX_ONLY}
    return TasksService.from_settings(settings, **real)
