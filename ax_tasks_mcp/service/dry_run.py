"""What a dry run checks beyond the request's shape: the spaces the send would meet.

A task lives in the space of its project or dataset, and the API refuses (422) a task whose
evaluators are in another space, or whose name another task of the space has.  A dry run
costs reads only, so it looks these up and refuses what the send would refuse; and it names
the space it resolved to, so a ``--space`` that does not match the task's own space is said
out loud instead of passing silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.resolve import iterate_pages
from ax_tasks_mcp.service.words import operation, quoted

if TYPE_CHECKING:
    from ax_tasks_mcp.service.models import Resource
    from ax_tasks_mcp.service.wire import ArizeApi

__all__ = ["check_create", "space_of", "task_space_notes"]

_PAGE = 100


def _every(api: ArizeApi, kind: str, **params: Any) -> Iterator[Resource]:
    def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
        page = api.list_page(kind, limit=_PAGE, cursor=cursor, **params)
        return page.items, page.next_cursor

    return iterate_pages(fetch, kind)


def _space_label(api: ArizeApi, space_id: str) -> str:
    for space in _every(api, "spaces"):
        if space.get("id") == space_id:
            return f"space {quoted(space.get('name'))} ({space_id})"
    return f"space {space_id}"


def _target(item: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(list kind, noun, ID) of what a task or a create body points at."""
    if item.get("project_id"):
        return "projects", "project", str(item["project_id"])
    if item.get("dataset_id"):
        return "datasets", "dataset", str(item["dataset_id"])
    return None


def _space_of(api: ArizeApi, kind: str, noun: str, ident: str) -> str:
    for item in _every(api, kind):
        if item.get("id") == ident:
            return str(item.get("space_id") or "")
    raise ValidationError(f"The {noun} {ident} does not exist; the send would be refused.")


def space_of(api: ArizeApi, item: Mapping[str, Any]) -> tuple[str, str] | None:
    """(space ID, label) of the space a task or a create body lives in: its project's or
    dataset's."""
    target = _target(item)
    if target is None:
        return None
    space_id = _space_of(api, *target)
    return space_id, _space_label(api, space_id)


def check_create(api: ArizeApi, body: Mapping[str, Any]) -> list[str]:
    """Refuse what the create would be refused for (the name taken in the space; an
    evaluator outside the space of the task's project or dataset); the note naming that
    space."""
    from ax_tasks_mcp.service.conflicts import name_taken

    target = _target(body)
    if target is None:
        return []
    kind, noun, ident = target
    space_id = _space_of(api, kind, noun, ident)
    label = _space_label(api, space_id)
    taken = name_taken(api, str(body.get("name")), space_id, label)
    if taken is not None:
        raise taken
    wanted = [str(e.get("evaluator_id")) for e in body.get("evaluators") or []]
    present = (
        {str(e.get("id")) for e in _every(api, "evaluators", space_id=space_id)}
        if wanted
        else set()
    )
    for evaluator in wanted:
        if evaluator not in present:
            raise ValidationError(
                f"The evaluator {evaluator} is not in {label}, the space of the task's "
                f"{noun} {ident}; the send would be refused (422). Use an evaluator of that "
                f"space ({operation('list_evaluators')} lists them)."
            )
    return [f"resolved to {label} (the {noun}'s space)"]


def task_space_notes(
    api: ArizeApi, task: Mapping[str, Any], given_space_id: str | None
) -> list[str]:
    """The space the task lives in, and a warning when it is not the space that was given
    (no space given: nothing to compare, and no request spent)."""
    target = _target(task)
    if target is None or not given_space_id:
        return []
    kind, noun, ident = target
    space_id = _space_of(api, kind, noun, ident)
    label = _space_label(api, space_id)
    notes = [f"resolved to {label} (the space of the task's {noun})"]
    if given_space_id != space_id:
        notes.append(
            f"warning: the task is in {label}, not in the space given "
            f"({_space_label(api, given_space_id)}); the send would still act on it."
        )
    return notes
