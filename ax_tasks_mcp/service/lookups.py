"""The lookup lists that turn names into IDs: spaces, projects, datasets, evaluators, AI
integrations and experiments, one page at a time or every page, all driven by one table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ax_tasks_mcp.service.arguments import MAX_PAGE_SIZE, check_limit, check_name_filter
from ax_tasks_mcp.service.core import Core
from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.models import Page, Resource
from ax_tasks_mcp.service.resolve import iterate_pages
from ax_tasks_mcp.service.words import field, fields

#: Every lookup list, with the scope filters it takes besides ``name`` (``space`` is resolved
#: to a space_id; ``dataset``, experiments only, to a dataset_id).
LOOKUPS: Final[dict[str, tuple[str, ...]]] = {
    "spaces": (),
    "projects": ("space",),
    "datasets": ("space",),
    "evaluators": ("space",),
    "ai_integrations": ("space",),
    "experiments": ("space", "dataset"),
}
LOOKUP_KINDS: Final = tuple(LOOKUPS)


def _kind(kind: str) -> str:
    key = kind.strip().lower().replace("-", "_")
    if key not in LOOKUPS:
        raise ValidationError(f"Unknown list {kind!r}: use one of {', '.join(LOOKUP_KINDS)}.")
    return key


class Lookups:
    """The lookup lists, a page at a time or every page."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def list_lookup(
        self,
        kind: str,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        """One page of a lookup list (kind: spaces, projects, datasets, evaluators,
        ai_integrations, experiments); a name filter matches a substring."""
        key = _kind(kind)
        check_limit(limit)
        query = self._lookup_query(key, space=space, dataset=dataset, name=name)
        return self.core.api.list_page(key, limit=limit, cursor=cursor, **query)

    def iter_lookup(self, /, kind: str, **filters: Any) -> Iterator[Resource]:
        """Every item of a lookup list, following cursors.  Filters: space, dataset
        (experiments only), name, page_size."""
        key = _kind(kind)
        page_size = filters.pop("page_size", MAX_PAGE_SIZE)
        check_limit(page_size, "page_size")
        unknown = sorted(set(filters) - {"space", "dataset", "name"})
        if unknown:
            raise ValidationError(
                f"{key} take no {fields(unknown)} filter; filters: {field('space')}, "
                f"{field('dataset')} (experiments), {field('name')}, {field('page_size')}."
            )
        query = self._lookup_query(key, **filters)

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self.core.api.list_page(key, limit=page_size, cursor=cursor, **query)
            return page.items, page.next_cursor

        return iterate_pages(fetch, key)

    def _lookup_query(
        self,
        kind: str,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
    ) -> dict[str, Any]:
        takes = LOOKUPS[kind]
        refused = [f for f, value in (("space", space), ("dataset", dataset)) if value]
        refused = [f for f in refused if f not in takes]
        if refused:
            raise ValidationError(f"{kind} are not filtered by {fields(refused)}.")
        check_name_filter(name)
        query: dict[str, Any] = {"name": name or None}
        if dataset:
            query["dataset_id"] = self.core.resolver.dataset_id(dataset, space)
        elif "space" in takes:
            query["space_id"] = self.core.resolver.space_id(space)
        return query
