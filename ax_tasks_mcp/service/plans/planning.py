"""The plan: what apply would do to bring each space to what its files say.

For each space: its tasks are listed (pages of 100) and the names the files use are resolved
through one catalog (each kind listed once), so a plan costs a few pages whatever the number of
tasks, and never a request per task.  A file's task is matched to a task of the space by its
``id`` when the space has that ID, else by its name (the change notes an ID the space does not
have: the task was deleted, or the file is another space's); then, field by field:

* no match: **create**;
* a field the API cannot change in place (type, project, dataset, experiments) differs:
  **replace** (delete, then create: the task's run history goes);
* other fields differ (a new name with the same ID is a rename): **update**;
* nothing differs: **unchanged**.  A field the file leaves out is left as it is.

Tasks of the space that no file names are **deleted** with ``prune``, and kept otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.service.errors import AxTasksError
from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.plans.catalog import Catalog
from ax_tasks_mcp.service.plans.loading import FILE_WORDS, DesiredTask, SpaceTasks, check_unique
from ax_tasks_mcp.service.plans.locations import FileError
from ax_tasks_mcp.service.plans.model import (
    Action,
    FieldChange,
    Plan,
    Progress,
    ProgressHook,
    TaskChange,
)
from ax_tasks_mcp.service.plans.shapes import (
    current_form,
    named_form,
    replace_fields,
    resolved_form,
    same,
)
from ax_tasks_mcp.service.words import field

if TYPE_CHECKING:
    from ax_tasks_mcp.service.connect import TasksService

__all__ = ["plan_spaces"]

PAGE_SIZE: Final = 100


def plan_spaces(
    service: TasksService,
    groups: Sequence[SpaceTasks],
    *,
    prune: bool = False,
    space: str | None = None,
    on_progress: ProgressHook | None = None,
) -> Plan:
    """The plan for the spaces ``groups`` describe (``space``: for a file that names none)."""
    changes: list[TaskChange] = []
    kept: list[TaskChange] = []
    for space_id, (label, desired) in _by_space(service, groups, space).items():
        planner = _SpacePlanner(service, space_id, label, on_progress)
        found, left = planner.plan(desired, prune=prune)
        changes += found
        kept += left
    return Plan(tuple(changes), tuple(kept), prune=prune)


def _by_space(
    service: TasksService, groups: Sequence[SpaceTasks], default: str | None
) -> dict[str, tuple[str, list[DesiredTask]]]:
    """Each space's tasks, by its ID: files that name one space differently are merged."""
    spaces: dict[str, tuple[str, list[DesiredTask]]] = {}
    for group in groups:
        given = group.space or default
        if not given and not service.resolver.default_space:
            raise FileError(
                group.where,
                f"names no space: add space: to the file, or give one ({field('space')}, "
                "ARIZE_SPACE or the profile's space).",
            )
        try:
            space_id = service.resolver.require_space_id(given, needed_for="The space")
        except AxTasksError as exc:
            if group.space is None:
                raise
            raise FileError(group.where, exc.render(FILE_WORDS), field="space") from None
        label = given or service.resolver.default_space or space_id
        spaces.setdefault(space_id, (label, []))[1].extend(group.tasks)
    for _, tasks in spaces.values():
        check_unique(tasks)  # again: two files may name one space by name and by ID
    return spaces


class _SpacePlanner:
    def __init__(
        self,
        service: TasksService,
        space_id: str,
        label: str,
        on_progress: ProgressHook | None,
    ) -> None:
        self.service = service
        self.space_id = space_id
        self.label = label
        self.on_progress = on_progress
        self.catalog = Catalog(service, space_id, space_label=f"space {label!r}")

    def _tasks(self) -> list[Resource]:
        tasks: list[Resource] = []
        for task in self.service.iter_tasks(space=self.space_id, page_size=PAGE_SIZE):
            tasks.append(task)
            if self.on_progress is not None and len(tasks) % PAGE_SIZE == 0:
                self.on_progress(Progress("reading", len(tasks), None, f"tasks of {self.label}"))
        return tasks

    def plan(
        self, desired: Sequence[DesiredTask], *, prune: bool
    ) -> tuple[list[TaskChange], list[TaskChange]]:
        current = self._tasks()
        matches = _match(desired, current)
        matched_ids = {str(task["id"]) for task in matches.values()}
        changes = [self._change(task, matches.get(id(task))) for task in desired]
        left = [task for task in current if str(task.get("id")) not in matched_ids]
        gone = [self._gone(task, "delete" if prune else "unchanged") for task in left]
        _check_names(changes, current, {c.task_id for c in gone if prune})
        return (changes + gone, []) if prune else (changes, gone)

    def _gone(self, task: Resource, action: Action) -> TaskChange:
        return TaskChange(
            action,
            self.label,
            self.space_id,
            str(task.get("name")),
            str(task.get("id")),
            current=task,
        )

    def _change(self, task: DesiredTask, current: Resource | None) -> TaskChange:
        desired = resolved_form(task, self.catalog)
        if current is None:
            shown = named_form(desired, self.catalog)
            made = [FieldChange(k, None, v) for k, v in shown.items() if k not in ("id", "name")]
            return self._made("create", task, None, desired, made)
        now = current_form(current)
        kind = task.task_type
        differ = [
            key
            for key in desired
            if key != "id" and not same(kind, key, now.get(key), desired[key])
        ]
        fields: list[FieldChange] = []
        if differ:  # shown by name: worth its copies only for what changes
            shown_old, shown_new = named_form(now, self.catalog), named_form(desired, self.catalog)
            fields = [FieldChange(k, shown_old.get(k), shown_new.get(k)) for k in differ]
        replaced_by = tuple(k for k in differ if k in replace_fields(kind))
        action: Action = "replace" if replaced_by else "update" if differ else "unchanged"
        return self._made(action, task, current, desired, fields, replaced_by)

    def _made(
        self,
        action: Action,
        task: DesiredTask,
        current: Resource | None,
        desired: dict[str, Any],
        fields: Sequence[FieldChange],
        replaced_by: tuple[str, ...] = (),
    ) -> TaskChange:
        found = str(current["id"]) if current is not None else None
        note = None
        if task.task_id is not None and task.task_id != found:
            done = "matched by its name instead" if found else "created anew"
            note = (
                f"no task of space {self.label!r} has the ID {task.task_id} (deleted, or the "
                f"file is another space's): {done}"
            )
        return TaskChange(
            action,
            self.label,
            self.space_id,
            task.name,
            found,
            tuple(fields),
            replaced_by,
            task.where(),
            current,
            desired,
            note,
        )


def _match(desired: Sequence[DesiredTask], current: Iterable[Resource]) -> dict[int, Resource]:
    """Each file task's task in the space (by ``id(task)``): by ID first, then by name."""
    by_id = {str(task.get("id")): task for task in current}
    matches: dict[int, Resource] = {}
    taken: set[str] = set()
    for task in desired:
        found = by_id.get(task.task_id) if task.task_id else None
        if found is not None:
            matches[id(task)] = found
            taken.add(str(found.get("id")))
    by_name: dict[str, Resource] = {}
    for found in by_id.values():
        if str(found.get("id")) not in taken and isinstance(found.get("name"), str):
            by_name.setdefault(str(found["name"]), found)
    for task in desired:
        if id(task) not in matches and task.name in by_name:
            found = by_name.pop(task.name)
            matches[id(task)] = found
            taken.add(str(found.get("id")))
    return matches


def _check_names(
    changes: Sequence[TaskChange], current: Sequence[Resource], deleted: set[str | None]
) -> None:
    """A task may take a name only from a task that gives it up in the same apply (renamed
    or deleted first), since names are unique in a space."""
    _check_no_circle(changes)
    holders = {str(t.get("name")): str(t.get("id")) for t in current}
    renamed = {c.task_id: c.name for c in changes if c.task_id is not None}
    for change in changes:
        holder = holders.get(change.name)
        if holder is None or holder == change.task_id or holder in deleted:
            continue
        if holder in renamed and change.action != "unchanged":
            continue  # the holder takes another name first (apply orders the renames)
        assert change.where is not None  # only a file's task takes a name
        raise FileError(
            change.where,
            f"the name {change.name!r} is taken in space {change.space!r} by task {holder}, "
            "which no file names: rename that task in the file too, or delete it (--prune).",
        )


def _check_no_circle(changes: Sequence[TaskChange]) -> None:
    """Renames that go round (a takes b's name, b takes a's) cannot be made one by one."""
    frees = {c.name_now: c for c in changes if c.renames}
    for start in frees.values():
        seen = [start]
        step = frees.get(start.name)
        while step is not None and step not in seen:
            seen.append(step)
            step = frees.get(step.name)
        if step is start:
            assert start.where is not None
            names = " → ".join(repr(c.name) for c in [*seen, start])
            raise FileError(
                start.where,
                f"these renames go round in a circle ({names}); names are unique in a space, "
                "so apply them in two steps, through a name no task has.",
                field="name",
            )
