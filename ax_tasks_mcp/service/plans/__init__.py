"""Tasks as code: a space's tasks as a file, the plan that brings the space to it, and the
apply that makes the plan's changes through the service's reconciled writes.

    from ax_tasks_mcp import apply_plan, connect, load_tasks, plan_tasks

    with connect(sandbox=True) as service:
        plan = plan_tasks(service, load_tasks(files=["tasks.yaml"]), prune=False)
        print(plan.summary())
        report = apply_plan(service, plan)

Everything a file says is checked before the first request (:func:`load_tasks` raises a
:class:`FileError` naming ``file:line:column`` and the field); a plan only reads; an apply
writes only what its plan lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ax_tasks_mcp.service.plans.applying import apply_changes
from ax_tasks_mcp.service.plans.export import Export, dump_document, export_spaces
from ax_tasks_mcp.service.plans.loading import MAX_FILE_BYTES, SpaceTasks, load_texts, read_files
from ax_tasks_mcp.service.plans.locations import FileError, Where
from ax_tasks_mcp.service.plans.model import (
    AppliedStep,
    ApplyReport,
    FieldChange,
    Plan,
    Progress,
    ProgressHook,
    TaskChange,
)
from ax_tasks_mcp.service.plans.planning import plan_spaces

if TYPE_CHECKING:
    from ax_tasks_mcp.service.connect import TasksService

MAX_TASKS_FILE_BYTES = MAX_FILE_BYTES

__all__ = [
    "MAX_TASKS_FILE_BYTES",
    "AppliedStep",
    "ApplyReport",
    "Export",
    "FieldChange",
    "FileError",
    "Plan",
    "Progress",
    "ProgressHook",
    "SpaceTasks",
    "TaskChange",
    "Where",
    "apply_plan",
    "dump_tasks",
    "export_tasks",
    "load_tasks",
    "plan_tasks",
]


def load_tasks(
    files: Iterable[str | Path] = (),
    texts: Sequence[tuple[str, str | bytes]] = (),
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[SpaceTasks]:
    """The spaces and tasks of files (paths) and texts ((name, text) pairs; bytes are read as
    UTF-8, at most ``max_bytes``), checked locally: the first problem raises FileError;
    nothing is sent."""
    return load_texts([*read_files(files, max_bytes), *texts], max_bytes)


def plan_tasks(
    service: TasksService,
    spaces: Sequence[SpaceTasks],
    *,
    prune: bool = False,
    space: str | None = None,
    on_progress: ProgressHook | None = None,
) -> Plan:
    """What apply would do (reads only).  ``prune``: delete the tasks of these spaces that
    no file names; ``space``: the space of a file that names none (else the configured one)."""
    return plan_spaces(service, spaces, prune=prune, space=space, on_progress=on_progress)


def apply_plan(
    service: TasksService,
    plan: Plan,
    *,
    replace: bool = False,
    on_progress: ProgressHook | None = None,
) -> ApplyReport:
    """Make the plan's changes, stopping at the first failure (the report says what landed).
    ``replace``: allow deleting and re-creating tasks whose type, project, dataset or
    experiments changed (their run history goes)."""
    return apply_changes(service, plan, replace=replace, on_progress=on_progress)


def export_tasks(
    service: TasksService,
    spaces: Sequence[str | None] = (None,),
    *,
    tasks: Sequence[str] = (),
    on_progress: ProgressHook | None = None,
) -> Export:
    """The tasks of each space (None: the configured one), or only ``tasks`` (names or IDs),
    as a document a tasks file holds."""
    return export_spaces(service, spaces, tasks=tasks, on_progress=on_progress)


def dump_tasks(export: Export, fmt: str = "yaml") -> str:
    """An export's text: ``yaml`` (with the editor's modeline) or ``json``."""
    return dump_document(export.document, fmt)
