"""Names → IDs: exact, across every page, with teaching errors.

A value that is a global ID (:func:`ax_tasks_mcp.service.ids.is_resource_id`) is used as
is, once its decoded type is checked (a TaskRun ID given as a task is a clear ValidationError,
not a 404).
Anything else is a name, matched **exactly** (case included) within a space, over **all** pages
(``limit=100``, following ``next_cursor`` while it is truthy; the server's case-insensitive
substring ``name`` filter narrows the pages).  Several matches raise
:class:`~ax_tasks_mcp.service.errors.AmbiguousNameError` with their IDs; none raises
:class:`~ax_tasks_mcp.service.errors.NotFoundError` with the closest names seen.

A space given by name is resolved first; without any space (argument or the default from
settings) a name cannot be looked up and the error says how to give one.  Experiments are listed
per dataset (or space) and matched client-side.

Successful resolutions are cached for a short time (30 s by default, injectable clock) so that a
long-lived MCP server does not ask the same question twice in a row.  A task resolved by name
comes back with the task object itself, so callers need not GET it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ax_tasks_mcp.service.bounds import MAX_REFERENCE, check_reference
from ax_tasks_mcp.service.errors import (
    AmbiguousNameError,
    AxTasksError,
    NotFoundError,
    ValidationError,
    shown,
)
from ax_tasks_mcp.service.ids import check_id_type, is_resource_id
from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.tracing import traced_lookup
from ax_tasks_mcp.service.wire import ArizeApi
from ax_tasks_mcp.service.words import field, quoted

__all__ = ["DEFAULT_CACHE_TTL", "KINDS", "Kind", "ResolvedTask", "Resolver", "iterate_pages"]

DEFAULT_CACHE_TTL = 30.0
RESOLVE_PAGE_SIZE = 100
#: Pages read without the name filter, only to suggest names when the filter found nothing.
SUGGESTION_PAGES = 3
#: The server's name filter takes at most this many characters.
MAX_NAME_FILTER = 255
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Kind:
    """How one kind of resource is listed and named."""

    noun: str
    list_kind: str
    id_types: tuple[str, ...]
    server_filter: bool = True


KINDS: Final[dict[str, Kind]] = {
    "space": Kind("space", "spaces", ("Space",)),
    "project": Kind("project", "projects", ("Model",)),
    "dataset": Kind("dataset", "datasets", ("Dataset",)),
    "task": Kind("task", "tasks", ("OnlineTask",)),
    "evaluator": Kind("evaluator", "evaluators", ("Evaluator",)),
    "ai_integration": Kind("AI integration", "ai_integrations", ("LlmIntegration",)),
    "experiment": Kind("experiment", "experiments", ("Experiment",), server_filter=False),
}


@dataclass(frozen=True)
class ResolvedTask:
    """A task's ID and, when resolution saw it, the task itself (so no GET is needed)."""

    id: str
    task: Resource | None = None
    by_name: bool = False
    cached: bool = False


def iterate_pages(
    fetch: Callable[[str | None], tuple[list[Resource], str | None]], what: str
) -> Iterator[Resource]:
    """Every item of a cursor-paginated list, lazily; a repeated cursor is an error."""
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        items, next_cursor = fetch(cursor)
        yield from items
        if not next_cursor:
            return
        if next_cursor in seen:
            raise AxTasksError(
                f"The API returned the same page cursor twice while listing {what}; "
                "stopping instead of looping forever. Try again; if it persists, report it."
            )
        seen.add(next_cursor)
        cursor = next_cursor


@dataclass
class _Entry:
    expires: float
    item: Resource


class Resolver:
    """Names → IDs with a short-lived cache.  Thread-safe."""

    def __init__(
        self,
        api: ArizeApi,
        *,
        default_space: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = DEFAULT_CACHE_TTL,
    ) -> None:
        self._api = api
        self.default_space = default_space or None
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str], _Entry] = {}
        self._tasks_by_id: dict[str, _Entry] = {}

    # -- cache ---------------------------------------------------------------------------

    def _cached(self, key: tuple[str, str, str]) -> Resource | None:
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                return None
            if entry.expires <= self._clock():
                del self._cache[key]
                return None
            return entry.item

    def _store(self, key: tuple[str, str, str], item: Resource) -> None:
        if self._ttl <= 0:
            return
        with self._lock:
            self._cache[key] = _Entry(self._clock() + self._ttl, item)

    def remember_task(self, task: Resource) -> None:
        """Keep a task object seen by ID (its type and dataset never change)."""
        task_id = task.get("id")
        if self._ttl <= 0 or not isinstance(task_id, str):
            return
        with self._lock:
            self._tasks_by_id[task_id] = _Entry(self._clock() + self._ttl, task)

    def known_task(self, task_id: str) -> Resource | None:
        with self._lock:
            entry = self._tasks_by_id.get(task_id)
            if entry is None or entry.expires <= self._clock():
                self._tasks_by_id.pop(task_id, None)
                return None
            return entry.item

    def forget(self, resource_id: str) -> None:
        """Drop every cached resolution that led to ``resource_id`` (renamed or deleted)."""
        with self._lock:
            for key in [k for k, e in self._cache.items() if e.item.get("id") == resource_id]:
                del self._cache[key]
            self._tasks_by_id.pop(resource_id, None)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._tasks_by_id.clear()

    # -- spaces --------------------------------------------------------------------------

    def space_id(self, space: str | None) -> str | None:
        """The space's ID (explicit, else the default space), or None when there is none."""
        value = space if space else self.default_space
        if not value:
            return None
        return self._id_or_name(KINDS["space"], value, {}, None)

    def require_space_id(self, space: str | None, *, needed_for: str) -> str:
        """Like :meth:`space_id`, but a missing space is an error saying how to give one."""
        found = self.space_id(space)
        if found is None:
            raise ValidationError(
                f"{needed_for} is a name, and names are looked up within a space, but no space "
                f"was given: give one ({field('space')}: a name or an ID), set ARIZE_SPACE or "
                "the profile's space, or give the ID instead of the name."
            )
        return found

    def _space_label(self, space: str | None, space_id: str) -> str:
        value = space if space else self.default_space
        if value and value != space_id:
            return f"space {quoted(value)} ({space_id})"
        return f"space {space_id}"

    # -- kinds scoped by space -------------------------------------------------------------

    def _in_space(self, kind: Kind, value: str, space: str | None) -> Resource | str:
        _check_value(value, kind)
        if is_resource_id(value):
            check_id_type(value, kind.id_types, kind.noun)
            return value
        space_id = self.require_space_id(space, needed_for=f"The {kind.noun} {quoted(value)}")
        label = self._space_label(space, space_id)
        return self._by_name(kind, value, {"space_id": space_id}, label)

    def _id_or_name(
        self, kind: Kind, value: str, scope: Mapping[str, str], label: str | None
    ) -> str:
        _check_value(value, kind)
        if is_resource_id(value):
            check_id_type(value, kind.id_types, kind.noun)
            return value
        return _id_of(self._by_name(kind, value, scope, label))

    def project_id(self, project: str, space: str | None) -> str:
        return _id_of(self._in_space(KINDS["project"], project, space))

    def dataset_id(self, dataset: str, space: str | None) -> str:
        return _id_of(self._in_space(KINDS["dataset"], dataset, space))

    def evaluator_id(self, evaluator: str, space: str | None) -> str:
        return _id_of(self._in_space(KINDS["evaluator"], evaluator, space))

    def ai_integration_id(self, integration: str, space: str | None) -> str:
        return _id_of(self._in_space(KINDS["ai_integration"], integration, space))

    def task(self, task: str, space: str | None) -> ResolvedTask:
        """The task's ID, and the task itself when it was found by name (or is cached)."""
        kind = KINDS["task"]
        _check_value(task, kind)
        if is_resource_id(task):
            check_id_type(task, kind.id_types, kind.noun)
            known = self.known_task(task)
            return ResolvedTask(task, known, by_name=False, cached=known is not None)
        space_id = self.require_space_id(space, needed_for=f"The task {quoted(task)}")
        label = self._space_label(space, space_id)
        item, cached = self._lookup(kind, task, {"space_id": space_id}, label)
        self.remember_task(item)
        return ResolvedTask(_id_of(item), item, by_name=True, cached=cached)

    def experiment_id(
        self, experiment: str, *, dataset_id: str | None = None, space: str | None = None
    ) -> str:
        """An experiment by ID, or by name within the dataset (else within the space)."""
        return self.experiment_ids([experiment], dataset_id=dataset_id, space=space)[0]

    def experiment_ids(
        self, experiments: Sequence[str], *, dataset_id: str | None = None, space: str | None = None
    ) -> list[str]:
        """Experiments by ID or by name; all the names are matched in one listing of the
        dataset's experiments (else the space's: experiments are matched client-side)."""
        kind = KINDS["experiment"]
        names: list[str] = []
        for value in experiments:
            _check_value(value, kind)
            if is_resource_id(value):
                check_id_type(value, kind.id_types, kind.noun)
            else:
                names.append(value)
        found: dict[str, tuple[Resource, bool]] = {}
        if names and dataset_id:
            scope = {"dataset_id": dataset_id}
            found = self._lookup_many(kind, names, scope, f"dataset {dataset_id}")
        elif names:
            space_id = self.require_space_id(space, needed_for=f"The experiment {quoted(names[0])}")
            label = self._space_label(space, space_id)
            found = self._lookup_many(kind, names, {"space_id": space_id}, label)
        return [_id_of(found[v][0]) if v in found else v for v in experiments]

    # -- the search ----------------------------------------------------------------------

    def _scan(
        self, kind: Kind, scope: Mapping[str, str], name: str | None, max_pages: int | None = None
    ) -> Iterator[Resource]:
        pages = 0

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            nonlocal pages
            pages += 1
            page = self._api.list_page(
                kind.list_kind, limit=RESOLVE_PAGE_SIZE, cursor=cursor, name=name, **scope
            )
            more = page.next_cursor if max_pages is None or pages < max_pages else None
            return page.items, more

        return iterate_pages(fetch, f"{kind.noun}s")

    def _by_name(
        self, kind: Kind, name: str, scope: Mapping[str, str], label: str | None
    ) -> Resource:
        return self._lookup(kind, name, scope, label)[0]

    def _lookup(
        self, kind: Kind, name: str, scope: Mapping[str, str], label: str | None
    ) -> tuple[Resource, bool]:
        """(the one item named exactly ``name``, whether it came from the cache)."""
        return self._lookup_many(kind, [name], scope, label)[name]

    @traced_lookup
    def _lookup_many(
        self, kind: Kind, names: Sequence[str], scope: Mapping[str, str], label: str | None
    ) -> dict[str, tuple[Resource, bool]]:
        """Each name's one exact match (and whether it was cached), from a single scan.

        The server's name filter narrows the scan when exactly one name is looked up.
        """
        scope_text = ",".join(f"{k}={v}" for k, v in sorted(scope.items()))
        found: dict[str, tuple[Resource, bool]] = {}
        missing: list[str] = []
        for name in dict.fromkeys(names):
            cached = self._cached((kind.list_kind, scope_text, name))
            if cached is not None:
                found[name] = (cached, True)
            else:
                missing.append(name)
        if not missing:
            return found
        server_name = (
            missing[0]
            if kind.server_filter and len(missing) == 1 and len(missing[0]) <= MAX_NAME_FILTER
            else None
        )
        matches: dict[str, list[Resource]] = {name: [] for name in missing}
        seen: list[str] = []
        for item in self._scan(kind, scope, server_name):
            item_name = item.get("name")
            if isinstance(item_name, str):
                seen.append(item_name)
                if item_name in matches:
                    matches[item_name].append(item)
        where = f" in {label}" if label else ""
        for name in missing:
            hits = matches[name]
            if len(hits) > 1:
                raise AmbiguousNameError(
                    kind.noun,
                    name,
                    [(str(m.get("name")), str(m.get("id"))) for m in hits],
                    hint=f"(Looked{where}.)" if where else None,
                )
            if not hits:
                if not seen and server_name is not None:
                    # The substring filter found nothing: look at some names to suggest.
                    seen = [
                        str(item["name"])
                        for item in self._scan(kind, scope, None, max_pages=SUGGESTION_PAGES)
                        if isinstance(item.get("name"), str)
                    ]
                raise NotFoundError.for_name(
                    kind.noun,
                    name,
                    suggestions=closest_names(name, seen),
                    hint=(f"Looked{where}. " if where else "")
                    + f"Check the name (list the {kind.noun}s to see them) or pass the "
                    f"{kind.noun}'s ID instead.",
                )
            self._store((kind.list_kind, scope_text, name), hits[0])
            found[name] = (hits[0], False)
        return found


def closest_names(name: str, seen: list[str], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The seen names most like ``name``: same name in another case first, then difflib."""
    import difflib  # only when a name was not found

    unique = list(dict.fromkeys(seen))
    folded = [s for s in unique if s.casefold() == name.casefold()]
    # difflib is quadratic: names past any bound (another client's flood) are only searched
    comparable = [s for s in unique if len(s) <= 4 * MAX_REFERENCE]
    close = difflib.get_close_matches(name, comparable, n=limit, cutoff=0.6)
    lowered = {s.lower(): s for s in comparable}
    close += [lowered[s] for s in difflib.get_close_matches(name.lower(), list(lowered), n=limit)]
    contains = [s for s in unique if name.casefold() in s.casefold()]
    result = list(dict.fromkeys([*folded, *close, *contains]))
    return result[:limit]


def _check_value(value: Any, kind: Kind) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"The {kind.noun} must be a non-empty name or ID, not {shown(value)}."
        )
    check_reference(value, kind.noun)


def _id_of(item: Resource | str) -> str:
    if isinstance(item, str):
        return item
    value = item.get("id")
    if not isinstance(value, str):
        raise AxTasksError("The API listed an item without an ID; try again.")
    return value
