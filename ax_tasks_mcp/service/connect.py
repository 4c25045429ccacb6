"""TasksService, and the one switch between the real API and the embedded sandbox.

Both faces build their service here: :func:`connect` takes settings (the real API, or whatever
base URL they name) or ``sandbox=True`` (no server process, no key, state in SQLite).
"""

from __future__ import annotations

import os
from typing import Any, Final

from ax_tasks_mcp.service.creates import CreateOperations
from ax_tasks_mcp.service.errors import ConfigError
from ax_tasks_mcp.service.lookups import LookupOperations
from ax_tasks_mcp.service.runs import RunOperations
from ax_tasks_mcp.service.settings import DEFAULT_RETRY_BUDGET, Settings
from ax_tasks_mcp.service.tasks import TaskOperations

__all__ = ["SANDBOX_BASE_URL", "SANDBOX_DB_ENV", "TasksService", "connect"]

#: The base URL the embedded sandbox answers on (no network is involved).
SANDBOX_BASE_URL: Final = "http://sandbox.ax-tasks.invalid"
#: Any non-empty key will do; not a word, so that masking the key never masks a word.
SANDBOX_API_KEY: Final = "embedded-sandbox-key-0"
#: Where the embedded sandbox keeps its state (default: the user data directory).
SANDBOX_DB_ENV: Final = "AX_TASKS_SANDBOX_DB"


class TasksService(TaskOperations, CreateOperations, RunOperations, LookupOperations):
    """Every operation over the Arize tasks API.  Build it with :func:`connect` (or
    :meth:`from_settings` / :meth:`sandbox`); close it with :meth:`close` or a ``with``."""

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
