"""The lookup lists that turn names into IDs: spaces, projects, datasets, evaluators, AI
integrations and experiments, one page at a time or every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ax_tasks_mcp.service.arguments import (
    MAX_PAGE_SIZE,
    check_limit,
)
from ax_tasks_mcp.service.core import ServiceCore
from ax_tasks_mcp.service.errors import (
    ValidationError,
)
from ax_tasks_mcp.service.models import (
    Page,
    Resource,
)
from ax_tasks_mcp.service.resolve import iterate_pages

LOOKUP_KINDS: Final = (
    "spaces",
    "projects",
    "datasets",
    "evaluators",
    "ai_integrations",
    "experiments",
)


class LookupOperations(ServiceCore):
    # -- lookups ---------------------------------------------------------------------------

    def _lookup_query(
        self,
        kind: str,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
    ) -> dict[str, Any]:
        query: dict[str, Any] = {"name": name or None}
        if kind == "spaces":
            if space or dataset:
                raise ValidationError("Spaces are not filtered by space or dataset.")
            return query
        if dataset and kind != "experiments":
            raise ValidationError(f"{kind} are not filtered by dataset.")
        if kind == "experiments" and dataset:
            query["dataset_id"] = self.resolver.dataset_id(dataset, space)
        else:
            query["space_id"] = self.resolver.space_id(space)
        return query

    def _lookup(
        self,
        kind: str,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        check_limit(limit)
        query = self._lookup_query(kind, space=space, dataset=dataset, name=name)
        return self._api.list_page(kind, limit=limit, cursor=cursor, **query)

    def list_spaces(
        self, *, name: str | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Page:
        return self._lookup("spaces", name=name, limit=limit, cursor=cursor)

    def list_projects(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("projects", space=space, name=name, limit=limit, cursor=cursor)

    def list_datasets(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("datasets", space=space, name=name, limit=limit, cursor=cursor)

    def list_evaluators(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("evaluators", space=space, name=name, limit=limit, cursor=cursor)

    def list_ai_integrations(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup("ai_integrations", space=space, name=name, limit=limit, cursor=cursor)

    def list_experiments(
        self,
        *,
        space: str | None = None,
        dataset: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        return self._lookup(
            "experiments", space=space, dataset=dataset, name=name, limit=limit, cursor=cursor
        )

    def iter_lookup(self, kind: str, **filters: Any) -> Iterator[Resource]:
        """Every item of a lookup list (kind: spaces, projects, datasets, evaluators,
        ai_integrations, experiments), following cursors.  Filters: space, dataset
        (experiments only), name, page_size."""
        key = kind.strip().lower().replace("-", "_")
        if key not in LOOKUP_KINDS:
            raise ValidationError(f"Unknown list {kind!r}: use one of {', '.join(LOOKUP_KINDS)}.")
        page_size = filters.pop("page_size", MAX_PAGE_SIZE)
        check_limit(page_size, "page_size")
        unknown = sorted(set(filters) - {"space", "dataset", "name"})
        if unknown:
            raise ValidationError(
                f"{key} take no {', '.join(unknown)} filter; filters: space, dataset "
                "(experiments), name, page_size."
            )
        query = self._lookup_query(key, **filters)

        def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
            page = self._api.list_page(key, limit=page_size, cursor=cursor, **query)
            return page.items, page.next_cursor

        return iterate_pages(fetch, key)
