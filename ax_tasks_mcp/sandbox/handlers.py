"""Which function answers which operation of the spec (by operationId)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import catalog_api, runs_api, tasks_api
from .context import Context

Handler = Callable[[Context], tuple[int, Any]]

OPERATIONS: dict[str, Handler] = {
    "list_tasks": tasks_api.list_tasks,
    "create_task": tasks_api.create_task,
    "get_task": tasks_api.get_task,
    "update_task": tasks_api.update_task,
    "delete_task": tasks_api.delete_task,
    "trigger_task_run": runs_api.trigger_task_run,
    "list_task_runs": runs_api.list_task_runs,
    "get_task_run": runs_api.get_task_run,
    "cancel_task_run": runs_api.cancel_task_run,
    "list_spaces": catalog_api.list_spaces,
    "list_projects": catalog_api.list_projects,
    "list_datasets": catalog_api.list_datasets,
    "list_evaluators": catalog_api.list_evaluators,
    "list_experiments": catalog_api.list_experiments,
    "list_ai_integrations": catalog_api.list_ai_integrations,
}

# Operations whose body shape depends on the stored task: the handler checks the body after
# looking the task up, so the error can name the fields that fit the task's type.
BODY_CHECKED_BY_HANDLER = frozenset({"update_task", "trigger_task_run"})
