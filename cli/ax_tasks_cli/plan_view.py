"""A plan as a person reads it on a terminal, and what the progress line says of long work.

Per space, each task that changes gets a sign (``+`` create, ``~`` update, ``-/+`` replace,
``-`` delete), its name and ID, where the file says it, and then its fields, old → new:
scalars as written, lists of evaluators and experiments as what is added, removed or changed,
nested objects (a run configuration, filters) by the path of each value that changes.  The
unchanged tasks are counted, not listed; the last line sums it all up.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ax_tasks_cli.progress import Progress as Line
    from ax_tasks_mcp import FieldChange, Plan, Progress, TaskChange

__all__ = ["StepLine", "render_plan"]

_SIGNS: Final = {
    "create": ("+", "32"),
    "update": ("~", "33"),
    "replace": ("-/+", "35"),
    "delete": ("-", "31"),
}
_SHOWN: Final = 60
_LISTED_KEPT: Final = 5


def render_plan(plan: Plan, *, color: bool = False) -> str:
    """The plan as lines of text, ending with its one-line summary."""
    lines: list[str] = []
    for space, changes in _by_space(plan.changes).items():
        lines.append(f"Space {space!r}:")
        unchanged = 0
        for change in changes:
            if change.action == "unchanged":
                unchanged += 1
                continue
            lines.extend(_change_lines(change, color))
        if unchanged:
            lines.append(f"  {unchanged} unchanged")
        kept = [c for c in plan.kept if c.space == space]
        if kept:
            names = ", ".join(repr(c.name) for c in kept[:_LISTED_KEPT])
            more = f" and {len(kept) - _LISTED_KEPT} more" if len(kept) > _LISTED_KEPT else ""
            lines.append(
                f"  {len(kept)} not in the files, kept: {names}{more} (--prune deletes them)"
            )
    lines.append("")
    lines.append(f"Plan: {plan.summary()}.")
    return "\n".join(lines) + "\n"


def _by_space(changes: Sequence[TaskChange]) -> dict[str, list[TaskChange]]:
    spaces: dict[str, list[TaskChange]] = {}
    for change in changes:
        spaces.setdefault(change.space, []).append(change)
    return spaces


def _change_lines(change: TaskChange, color: bool) -> Iterator[str]:
    sign, code = _SIGNS[change.action]
    head = f"{sign} {change.action} {change.label}"
    if color:
        head = f"\x1b[{code}m{head}\x1b[0m"
    where = f"  ({change.where})" if change.where is not None else ""
    yield f"  {head}{where}"
    if change.note:
        yield f"      note: {change.note}"
    if change.replaced_by:
        yield f"      {', '.join(change.replaced_by)} cannot change in place (apply --replace)"
    if change.action == "create":
        said = [f"{f.field} {_brief(f.new)}" for f in change.fields]
        yield "      " + " · ".join(said)
        return
    for field in change.fields:
        for line in _field_lines(field):
            yield f"      {line}"


def _field_lines(field: FieldChange) -> list[str]:
    old, new = field.old, field.new
    if field.field == "evaluators" and isinstance(old, list) and isinstance(new, list):
        return [f"evaluators: {_keyed_diff(old, new, 'evaluator')}"]
    if field.field == "experiments" and isinstance(old, list) and isinstance(new, list):
        return [f"experiments: {_set_diff(old, new)}"]
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return [
            f"{path}: {_brief(a)} → {_brief(b)}" for path, a, b in _leaves(old, new, field.field)
        ]
    return [f"{field.field}: {_brief(old)} → {_brief(new)}"]


def _keyed_diff(old: Sequence[Any], new: Sequence[Any], key: str) -> str:
    """``+ toxicity, - relevance, ~ hallucination (column_mappings)``."""
    before = {str(e.get(key)): e for e in old if isinstance(e, Mapping)}
    after = {str(e.get(key)): e for e in new if isinstance(e, Mapping)}
    said = [f"+ {name}" for name in after if name not in before]
    said += [f"- {name}" for name in before if name not in after]
    for name, entry in after.items():
        if name in before and before[name] != entry:
            keys = sorted(k for k in {*entry, *before[name]} if before[name].get(k) != entry.get(k))
            said.append(f"~ {name} ({', '.join(keys)})")
    return ", ".join(said) or "reordered"


def _set_diff(old: Sequence[Any], new: Sequence[Any]) -> str:
    said = [f"+ {v}" for v in new if v not in old] + [f"- {v}" for v in old if v not in new]
    return ", ".join(said) or "reordered"


def _leaves(old: Any, new: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """Each value that differs between two objects, by its dotted path."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in dict.fromkeys([*old, *new]):
            yield from _leaves(old.get(key), new.get(key), f"{path}.{key}")
    elif old != new:
        yield path, old, new


def _brief(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list) and all(isinstance(v, Mapping) and "evaluator" in v for v in value):
        value = [v["evaluator"] for v in value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = ", ".join(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class StepLine:
    """A ``ProgressHook`` onto the progress line (``ax_tasks_cli.progress``: a terminal's stderr
    only): the stage, how far it has come and what was just done, redrawn at each step."""

    def __init__(self, line: Line) -> None:
        self.line = line

    def __call__(self, progress: Progress) -> None:
        count = f"{progress.done}/{progress.total}" if progress.total else f"{progress.done}"
        self.line.show(f"{progress.stage.capitalize()} {count}: {progress.detail}")
        self.line.start()  # at the first step: work that fails before it draws nothing

    def finish(self) -> None:
        """Erase the line, so what follows starts clean."""
        self.line.stop()
