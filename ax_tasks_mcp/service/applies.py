"""What applies to a task as it stands: checks that need its stored state (what it targets,
whether it ever ran), made once the task is read and before anything is written, so the API
never has to refuse what the docs promise is refused locally."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.words import field, fields

__all__ = ["check_trigger_applies", "check_update_applies"]

_PROJECT_ONLY = ("sampling_rate", "is_continuous")


def check_update_applies(task: Mapping[str, Any], given: Iterable[str], label: str) -> None:
    """A dataset task has no sampling rate and never runs continuously."""
    wrong = [name for name in given if name in _PROJECT_ONLY]
    if wrong and task.get("dataset_id") and not task.get("project_id"):
        verb = "applies" if len(wrong) == 1 else "apply"
        raise ValidationError(
            f"{fields(wrong)} {verb} to project tasks only; {label} scores a dataset's"
            " experiments, so nothing was updated."
        )


def check_trigger_applies(task: Mapping[str, Any], data_start_time: object, label: str) -> None:
    """A project task's first run needs the start of its window (later ones default to the
    end of the previous run's)."""
    if task.get("project_id") and task.get("last_run_at") is None and data_start_time is None:
        raise ValidationError(
            f"{label} has never run, so its first run needs {field('data_start_time')} (the"
            " start of the span window, RFC 3339); later runs start where the previous one"
            " ended. Nothing was triggered."
        )
