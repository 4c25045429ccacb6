"""What a plan says and what an apply did: plain data both faces render in their own way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.plans.locations import Where
from ax_tasks_mcp.service.words import field as field_mark

__all__ = [
    "ACTIONS",
    "Action",
    "AppliedStep",
    "ApplyReport",
    "FieldChange",
    "Plan",
    "Progress",
    "ProgressHook",
    "TaskChange",
]

Action: TypeAlias = Literal["create", "update", "replace", "delete", "unchanged"]
#: Every action, in the order a summary counts them.
ACTIONS: Final[tuple[Action, ...]] = ("create", "update", "replace", "delete", "unchanged")


@dataclass(frozen=True)
class Progress:
    """How far long work has come: ``stage`` (reading, applying, exporting), ``done`` of
    ``total`` (None while unknown), and what was just done."""

    stage: str
    done: int
    total: int | None = None
    detail: str = ""


ProgressHook: TypeAlias = Callable[[Progress], None]


@dataclass(frozen=True)
class FieldChange:
    """One field of a task, as a file writes it (names where unique), before and after."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class TaskChange:
    """What apply would do to one task of one space."""

    action: Action
    space: str
    """The space as the file names it (or the configured space)."""
    space_id: str
    name: str
    """The task's name after the change (before it, for a delete)."""
    task_id: str | None
    """The task that exists now (None for a create)."""
    fields: tuple[FieldChange, ...] = ()
    replaced_by: tuple[str, ...] = ()
    """For a replace: the fields that cannot change in place."""
    where: Where | None = None
    """The task in the file (None for a delete)."""
    current: Resource | None = field(default=None, repr=False, compare=False)
    desired: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    """The file's task with its references resolved to IDs."""
    note: str | None = None
    """What a reader should know of how the task was matched (an ID the space lacks)."""

    @property
    def name_now(self) -> str:
        """The task's name before the change (its name in the file, for a create)."""
        name = (self.current or {}).get("name")
        return name if isinstance(name, str) else self.name

    @property
    def renames(self) -> bool:
        return self.action == "update" and self.name_now != self.name

    @property
    def label(self) -> str:
        suffix = f" ({self.task_id})" if self.task_id else ""
        return f"task {self.name!r}{suffix}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "space": self.space, "task": self.name}
        if self.task_id:
            data["id"] = self.task_id
        if self.where is not None:
            data["file"] = str(self.where)
        if self.replaced_by:
            data["replaced_by"] = list(self.replaced_by)
        if self.note:
            data["note"] = self.note
        if self.fields:
            data["fields"] = [change.to_dict() for change in self.fields]
        return data


@dataclass(frozen=True)
class Plan:
    """Every task of the files (in file order, then the deletes), and the tasks of their spaces
    that the files leave out and that stay (``kept``: without prune)."""

    changes: tuple[TaskChange, ...]
    kept: tuple[TaskChange, ...] = ()
    prune: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = dict.fromkeys(ACTIONS, 0)
        for change in self.changes:
            counted[change.action] += 1
        return counted

    @property
    def has_changes(self) -> bool:
        return any(change.action != "unchanged" for change in self.changes)

    def check_replace(self, allowed: bool) -> None:
        """Refuse (ValidationError) a plan that replaces tasks unless replacing is allowed:
        a replace deletes the task and its run history."""
        replaced = [c for c in self.changes if c.action == "replace"]
        if not replaced or allowed:
            return
        listed = "; ".join(f"{c.label}: {', '.join(c.replaced_by)}" for c in replaced)
        tasks = "1 task" if len(replaced) == 1 else f"{len(replaced)} tasks"
        raise ValidationError(
            f"{tasks} would be replaced, because a field that cannot change "
            f"in place differs ({listed}). A replace deletes the task and its run history and "
            f"creates it again under a new ID. Give {field_mark('replace')} to allow it; nothing "
            "was changed."
        )

    def summary(self) -> str:
        """``2 to create, 1 to update, 0 to replace, 0 to delete, 5 unchanged``."""
        counts = self.counts
        said = [f"{counts[a]} to {a}" for a in ACTIONS if a != "unchanged"]
        said.append(f"{counts['unchanged']} unchanged")
        if self.kept:
            said.append(f"{len(self.kept)} not in the files (kept; --prune deletes them)")
        return ", ".join(said)

    def totals(self) -> dict[str, int]:
        """The counts, and the tasks kept that no file names: the summary both faces give."""
        return {**self.counts, "not_in_files": len(self.kept)}

    def to_dict(self, *, unchanged: bool = True) -> dict[str, Any]:
        return {
            "summary": self.totals(),
            "changes": [c.to_dict() for c in self.changes if unchanged or c.action != "unchanged"],
            "not_in_files": [c.to_dict() for c in self.kept],
        }


@dataclass(frozen=True)
class AppliedStep:
    """One write of an apply: ``step`` is create, update or delete (a replace is a delete and
    then a create), ``result`` what the API answered (the task; for a delete, as it was)."""

    change: TaskChange
    step: str
    result: Resource

    def to_dict(self) -> dict[str, Any]:
        data = {**_brief(self.change), "step": self.step}
        if isinstance(self.result.get("id"), str):
            data["id"] = self.result["id"]
        return data


@dataclass
class ApplyReport:
    """What an apply did: the writes that landed, the one that failed, the ones not tried."""

    landed: list[AppliedStep] = field(default_factory=list)
    failed: tuple[TaskChange, str, BaseException] | None = None
    not_tried: list[tuple[TaskChange, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.failed is None

    def counts(self) -> dict[str, int]:
        """The changes that landed, in the plan's words: a replace counts as replaced once its
        create has landed (its delete alone, as deleted)."""
        counted: dict[str, int] = dict.fromkeys(_DONE, 0)
        for step in self._finished():
            counted[_action_of(step)] += 1
        return counted

    def summary(self) -> str:
        """``1 created, 1 replaced``, or ``nothing``."""
        said = [f"{n} {_DONE[action]}" for action, n in self.counts().items() if n]
        return ", ".join(said) or "nothing"

    def done(self) -> list[str]:
        """Each change that landed, in the order it landed: ``replaced task 'a' (ID)``."""
        return [f"{_DONE[_action_of(s)]} {s.change.label}" for s in self._finished()]

    def _finished(self) -> list[AppliedStep]:
        """The steps that finish a change: a replace's delete is left out once its create
        has landed (the replace is told at its create)."""
        created = {id(s.change) for s in self.landed if s.step == "create"}
        return [
            s
            for s in self.landed
            if not (s.change.action == "replace" and s.step == "delete" and id(s.change) in created)
        ]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "summary": self.counts(),
            "landed": [step.to_dict() for step in self.landed],
        }
        if self.failed is not None:
            change, step, error = self.failed
            data["failed"] = {**_brief(change), "step": step, "error": str(error)}
            data["not_tried"] = [{**_brief(c), "step": s} for c, s in self.not_tried]
        return data


#: What each action is called once done, in the order a summary counts them.
_DONE: Final = {
    "create": "created",
    "update": "updated",
    "replace": "replaced",
    "delete": "deleted",
}


def _action_of(step: AppliedStep) -> str:
    """The change a landed step made: a replace's create finishes a replace."""
    if step.change.action == "replace":
        return "replace" if step.step == "create" else "delete"
    return step.step


def _brief(change: TaskChange) -> dict[str, Any]:
    """A change without its field-by-field detail (for what an apply did)."""
    data = change.to_dict()
    data.pop("fields", None)
    return data
