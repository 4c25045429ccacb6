"""Names and IDs in one space, each kind listed once: a plan of a thousand tasks asks the
API a handful of pages per kind, never once per task or per name.

A kind (projects, datasets, evaluators, AI integrations, experiments) is listed, every page,
the first time a name of that kind must be resolved or an ID of it named.  A value that is an
ID is taken as it is (its type checked); a name must match exactly one item (experiments:
one of the task's dataset).  The other way, an ID is written as its name where that name is
unique, and as the ID where it is not, so an exported file always resolves back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ax_tasks_mcp.service.errors import AmbiguousNameError, AxTasksError, NotFoundError
from ax_tasks_mcp.service.ids import check_id_type, is_resource_id
from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.resolve import closest_names

if TYPE_CHECKING:
    from ax_tasks_mcp.service.connect import TasksService

__all__ = ["KINDS", "Catalog", "RefKind"]


@dataclass(frozen=True)
class RefKind:
    """A kind of reference: how the file says it, how it is listed, what its IDs decode to."""

    noun: str
    lookup: str
    id_type: str


KINDS: Final = {
    "project": RefKind("project", "projects", "Model"),
    "dataset": RefKind("dataset", "datasets", "Dataset"),
    "evaluator": RefKind("evaluator", "evaluators", "Evaluator"),
    "ai_integration": RefKind("AI integration", "ai_integrations", "LlmIntegration"),
    "integration": RefKind("AI integration", "ai_integrations", "LlmIntegration"),
    "experiments": RefKind("experiment", "experiments", "Experiment"),
}


class _Index:
    """One kind's items by ID, and how many items share each (scope, name)."""

    def __init__(self, items: list[Resource], scoped: bool) -> None:
        self.items = items
        self.scoped = scoped
        self.by_id = {str(item["id"]): item for item in items if isinstance(item.get("id"), str)}
        self.twins = Counter((self.scope_of(item), item.get("name")) for item in items)

    def scope_of(self, item: Resource) -> str | None:
        return str(item.get("dataset_id")) if self.scoped else None

    def in_scope(self, dataset_id: str | None) -> list[Resource]:
        if not self.scoped:
            return self.items
        return [item for item in self.items if item.get("dataset_id") == dataset_id]


class Catalog:
    """The names of one space's resources, read lazily through the service's lookups."""

    def __init__(
        self,
        service: TasksService,
        space_id: str,
        *,
        space_label: str,
        on_page: Callable[[str], None] | None = None,
    ) -> None:
        self._service = service
        self._space_id = space_id
        self._label = space_label
        self._on_page = on_page
        self._indexes: dict[str, _Index] = {}

    def _index(self, kind: RefKind) -> _Index:
        if kind.lookup not in self._indexes:
            items: list[Resource] = []
            for item in self._service.iter_lookup(kind.lookup, space=self._space_id):
                items.append(item)
                if self._on_page is not None and len(items) % 100 == 1:
                    self._on_page(kind.lookup)
            self._indexes[kind.lookup] = _Index(items, scoped=kind.lookup == "experiments")
        return self._indexes[kind.lookup]

    def resolve(self, word: str, value: str, *, dataset_id: str | None = None) -> str:
        """The ID ``value`` names: itself when it is an ID, else the one item of that name
        (experiments: in the dataset).  Raises NotFoundError or AmbiguousNameError."""
        kind = KINDS[word]
        if is_resource_id(value):
            check_id_type(value, kind.id_type, kind.noun)
            return value
        items = self._index(kind).in_scope(dataset_id)
        hits = [item for item in items if item.get("name") == value]
        where = f"dataset {self.name_of('dataset', dataset_id)!r}" if dataset_id else self._label
        if len(hits) > 1:
            matches = [(value, str(item.get("id"))) for item in hits]
            raise AmbiguousNameError(kind.noun, value, matches, hint=f"(In {where}.)")
        if not hits:
            seen = [str(item["name"]) for item in items if isinstance(item.get("name"), str)]
            raise NotFoundError.for_name(
                kind.noun,
                value,
                suggestions=closest_names(value, seen),
                hint=f"Looked in {where}; write the name as the {kind.lookup} list shows "
                "it, or its ID.",
            )
        found = hits[0].get("id")
        if not isinstance(found, str):
            raise AxTasksError(f"The API listed a {kind.noun} without an ID; try again.")
        return found

    def name_of(self, word: str, value: str | None) -> str:
        """How a file writes the ID ``value``: its name when no other item in its scope (the
        space; an experiment's dataset) has that name, else the ID itself."""
        if not value or not is_resource_id(value):
            return str(value)
        index = self._index(KINDS[word])
        item = index.by_id.get(value)
        name = item.get("name") if item is not None else None
        if item is None or not isinstance(name, str) or is_resource_id(name):
            return value
        return name if index.twins[(index.scope_of(item), name)] == 1 else value
