"""A space's tasks as a file: what apply reads back without a change.

Tasks are written by name order, each field in the schema's order, references by name where
the name is unique (the ID where it is not), read-only fields left out except the task's ID
(so a new name is a rename).  YAML starts with the ``yaml-language-server`` modeline, JSON with
``$schema``, so an editor completes and checks the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import yaml

from ax_tasks_mcp.service.errors import NotFoundError, ValidationError
from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.plans.catalog import Catalog
from ax_tasks_mcp.service.plans.model import Progress, ProgressHook
from ax_tasks_mcp.service.plans.schema import schema_url
from ax_tasks_mcp.service.plans.shapes import current_form, named_form, task_shape
from ax_tasks_mcp.service.resolve import closest_names
from ax_tasks_mcp.service.words import field as field_mark

if TYPE_CHECKING:
    from ax_tasks_mcp.service.connect import TasksService

__all__ = ["Export", "dump_document", "export_spaces"]

PAGE_SIZE: Final = 100


@dataclass(frozen=True)
class Export:
    """The document, and the tasks left out of it (a type this version cannot write)."""

    document: dict[str, Any]
    count: int
    skipped: list[str] = field(default_factory=list)


def export_spaces(
    service: TasksService,
    spaces: Sequence[str | None] = (None,),
    *,
    tasks: Sequence[str] = (),
    on_progress: ProgressHook | None = None,
) -> Export:
    """The tasks of each space (None: the configured one), or only ``tasks`` (names or IDs)."""
    groups: list[dict[str, Any]] = []
    skipped: list[str] = []
    wanted = set(tasks)
    found: set[str] = set()
    count = 0
    for space in spaces or (None,):
        if not space and not service.resolver.default_space:
            raise ValidationError(
                f"Which space? Give {field_mark('space')} (a name or an ID), or set ARIZE_SPACE or "
                "the profile's space."
            )
        space_id = service.resolver.require_space_id(space, needed_for="The space")
        label = space or service.resolver.default_space or space_id
        current = _read(service, space_id, label, count, on_progress)
        if wanted:
            current = [t for t in current if {t.get("name"), t.get("id")} & wanted]
            found |= {str(t.get(k)) for t in current for k in ("name", "id")}
        catalog = Catalog(service, space_id, space_label=f"space {label!r}")
        entries = []
        for task in sorted(current, key=lambda t: (str(t.get("name")), str(t.get("id")))):
            if not task_shape(str(task.get("type"))):
                skipped.append(f"task {task.get('name')!r} ({task.get('id')}): {task.get('type')}")
                continue
            entries.append(named_form(current_form(task), catalog))
        count += len(entries)
        groups.append({"space": label, "tasks": entries})
    missing = [name for name in tasks if name not in found]
    if missing:
        raise NotFoundError.for_name(
            "task",
            missing[0],
            suggestions=closest_names(missing[0], [str(t) for t in found]),
            hint=f"Looked in {', '.join(repr(g['space']) for g in groups)}.",
        )
    document = groups[0] if len(groups) == 1 else {"spaces": groups}
    return Export(document, count, skipped)


def _read(
    service: TasksService,
    space_id: str,
    label: str,
    before: int,
    on_progress: ProgressHook | None,
) -> list[Resource]:
    tasks: list[Resource] = []
    for task in service.iter_tasks(space=space_id, page_size=PAGE_SIZE):
        tasks.append(task)
        if on_progress is not None and len(tasks) % PAGE_SIZE == 0:
            on_progress(Progress("exporting", before + len(tasks), None, f"tasks of {label}"))
    return tasks


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style, no anchors (a reviewer reads every task whole); libyaml's emitter where
    PyYAML has it (five times faster), which writes the same text as PyYAML's own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # prompts and templates read as written
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_document(document: dict[str, Any], fmt: str = "yaml") -> str:
    """The file's text: YAML with the modeline first, or JSON with ``$schema`` first."""
    if fmt == "json":
        marked = {"$schema": schema_url(), **document}
        return json.dumps(marked, indent=2, ensure_ascii=False) + "\n"
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return f"# yaml-language-server: $schema={schema_url()}\n{body}"
