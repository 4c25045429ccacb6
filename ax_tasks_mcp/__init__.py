"""ax-tasks as a library: manage Arize AX evaluation tasks and their runs from Python.

    from ax_tasks_mcp import EvaluationTaskSpec, connect

    with connect(sandbox=True) as service:
        task = service.create_task(EvaluationTaskSpec(...))

Everything here is imported on first use (module ``__getattr__``), so ``import ax_tasks_mcp``,
``ax_tasks_mcp.version`` or the sandbox stay cheap and ``ax-tasks --help`` loads no HTTP stack.
Both faces (the ``ax-tasks`` CLI and the MCP server) use only the names listed here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# "X as X": names re-exported for type checkers; at run time __getattr__ imports them.
if TYPE_CHECKING:
    from ax_tasks_mcp.service.api_text import (
        mark_api_fields as mark_api_fields,
    )
    from ax_tasks_mcp.service.bounds import FIELD_LIMITS as FIELD_LIMITS
    from ax_tasks_mcp.service.bounds import MAX_TEXT as MAX_TEXT
    from ax_tasks_mcp.service.bounds import check_lengths as check_lengths
    from ax_tasks_mcp.service.connect import (
        SANDBOX_DB_ENV as SANDBOX_DB_ENV,
    )
    from ax_tasks_mcp.service.connect import (
        TasksService as TasksService,
    )
    from ax_tasks_mcp.service.connect import (
        connect as connect,
    )
    from ax_tasks_mcp.service.errors import (
        AmbiguousNameError as AmbiguousNameError,
    )
    from ax_tasks_mcp.service.errors import (
        AuthenticationError as AuthenticationError,
    )
    from ax_tasks_mcp.service.errors import (
        AxTasksError as AxTasksError,
    )
    from ax_tasks_mcp.service.errors import (
        ConfigError as ConfigError,
    )
    from ax_tasks_mcp.service.errors import (
        ConflictError as ConflictError,
    )
    from ax_tasks_mcp.service.errors import (
        ConnectionFailedError as ConnectionFailedError,
    )
    from ax_tasks_mcp.service.errors import (
        NotFoundError as NotFoundError,
    )
    from ax_tasks_mcp.service.errors import (
        PermissionDeniedError as PermissionDeniedError,
    )
    from ax_tasks_mcp.service.errors import (
        RateLimitedError as RateLimitedError,
    )
    from ax_tasks_mcp.service.errors import (
        ServerError as ServerError,
    )
    from ax_tasks_mcp.service.errors import (
        UnknownOutcomeError as UnknownOutcomeError,
    )
    from ax_tasks_mcp.service.errors import (
        ValidationError as ValidationError,
    )
    from ax_tasks_mcp.service.errors import (
        WaitTimeoutError as WaitTimeoutError,
    )
    from ax_tasks_mcp.service.errors import (
        redact as redact,
    )
    from ax_tasks_mcp.service.ids import is_resource_id as is_resource_id
    from ax_tasks_mcp.service.models import (
        EVALUATION_TYPES as EVALUATION_TYPES,
    )
    from ax_tasks_mcp.service.models import (
        TASK_TYPES as TASK_TYPES,
    )
    from ax_tasks_mcp.service.models import (
        TERMINAL_STATUSES as TERMINAL_STATUSES,
    )
    from ax_tasks_mcp.service.models import (
        UNCHANGED as UNCHANGED,
    )
    from ax_tasks_mcp.service.models import (
        Page as Page,
    )
    from ax_tasks_mcp.service.models import (
        PlannedRequest as PlannedRequest,
    )
    from ax_tasks_mcp.service.models import (
        ProgressCallback as ProgressCallback,
    )
    from ax_tasks_mcp.service.models import (
        Resource as Resource,
    )
    from ax_tasks_mcp.service.models import (
        RunProgress as RunProgress,
    )
    from ax_tasks_mcp.service.models import (
        Unchanged as Unchanged,
    )
    from ax_tasks_mcp.service.plans import MAX_TASKS_FILE_BYTES as MAX_TASKS_FILE_BYTES
    from ax_tasks_mcp.service.plans import ApplyReport as ApplyReport
    from ax_tasks_mcp.service.plans import Export as Export
    from ax_tasks_mcp.service.plans import FieldChange as FieldChange
    from ax_tasks_mcp.service.plans import FileError as FileError
    from ax_tasks_mcp.service.plans import Plan as Plan
    from ax_tasks_mcp.service.plans import Progress as Progress
    from ax_tasks_mcp.service.plans import SpaceTasks as SpaceTasks
    from ax_tasks_mcp.service.plans import TaskChange as TaskChange
    from ax_tasks_mcp.service.plans import apply_plan as apply_plan
    from ax_tasks_mcp.service.plans import dump_tasks as dump_tasks
    from ax_tasks_mcp.service.plans import export_tasks as export_tasks
    from ax_tasks_mcp.service.plans import load_tasks as load_tasks
    from ax_tasks_mcp.service.plans import plan_tasks as plan_tasks
    from ax_tasks_mcp.service.proxies import (
        ProxyProblem as ProxyProblem,
    )
    from ax_tasks_mcp.service.proxies import (
        choose_proxy as choose_proxy,
    )
    from ax_tasks_mcp.service.requests import (
        EvaluationTaskSpec as EvaluationTaskSpec,
    )
    from ax_tasks_mcp.service.requests import (
        RunExperimentTaskSpec as RunExperimentTaskSpec,
    )
    from ax_tasks_mcp.service.requests import (
        RunRequest as RunRequest,
    )
    from ax_tasks_mcp.service.requests import (
        TaskChanges as TaskChanges,
    )
    from ax_tasks_mcp.service.requests import (
        TaskSpec as TaskSpec,
    )
    from ax_tasks_mcp.service.requests import (
        task_spec as task_spec,
    )
    from ax_tasks_mcp.service.sandbox_env import sandbox_speed as sandbox_speed
    from ax_tasks_mcp.service.settings import Settings as Settings
    from ax_tasks_mcp.service.settings import load_settings as load_settings
    from ax_tasks_mcp.service.wire import RUN_STATUSES as RUN_STATUSES
    from ax_tasks_mcp.service.words import Words as Words
    from ax_tasks_mcp.service.words import quoted as quoted

_HOMES: dict[str, tuple[str, ...]] = {
    "ax_tasks_mcp.service.api_text": ("mark_api_fields",),
    "ax_tasks_mcp.service.bounds": ("FIELD_LIMITS", "MAX_TEXT", "check_lengths"),
    "ax_tasks_mcp.service.connect": ("SANDBOX_DB_ENV", "TasksService", "connect"),
    "ax_tasks_mcp.service.ids": ("is_resource_id",),
    "ax_tasks_mcp.service.errors": (
        "AmbiguousNameError",
        "AuthenticationError",
        "AxTasksError",
        "ConfigError",
        "ConflictError",
        "ConnectionFailedError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitedError",
        "ServerError",
        "UnknownOutcomeError",
        "ValidationError",
        "WaitTimeoutError",
        "redact",
    ),
    "ax_tasks_mcp.service.models": (
        "EVALUATION_TYPES",
        "TASK_TYPES",
        "UNCHANGED",
        "Page",
        "PlannedRequest",
        "ProgressCallback",
        "Resource",
        "RunProgress",
        "TERMINAL_STATUSES",
        "Unchanged",
    ),
    "ax_tasks_mcp.service.plans": (
        "MAX_TASKS_FILE_BYTES",
        "ApplyReport",
        "Export",
        "FieldChange",
        "FileError",
        "Plan",
        "Progress",
        "SpaceTasks",
        "TaskChange",
        "apply_plan",
        "dump_tasks",
        "export_tasks",
        "load_tasks",
        "plan_tasks",
    ),
    "ax_tasks_mcp.service.proxies": ("ProxyProblem", "choose_proxy"),
    "ax_tasks_mcp.service.requests": (
        "EvaluationTaskSpec",
        "RunExperimentTaskSpec",
        "RunRequest",
        "TaskChanges",
        "TaskSpec",
        "task_spec",
    ),
    "ax_tasks_mcp.service.sandbox_env": ("sandbox_speed",),
    "ax_tasks_mcp.service.settings": ("Settings", "load_settings"),
    "ax_tasks_mcp.service.wire": ("RUN_STATUSES",),
    "ax_tasks_mcp.service.words": ("Words", "quoted"),
}
_HOME_OF: dict[str, str] = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # the next lookup is a plain attribute read
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
