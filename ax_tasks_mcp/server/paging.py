"""Pages a model can trust: filtered across the API's pages, cut to fit, one cursor for both.

A position in a listing is the API's cursor for a page and how many of that page's items were
already shown.  A tool's page starts where its ``cursor`` says and reads the API's pages from
there, keeping what a filter the API lacks wants (a task's evaluator, a run's time window), until
it holds ``limit`` items, the filter says nothing further can match, or :data:`MAX_SCANNED`
items were read.  If the items do not all fit the answer budget, the page ends early.  Either
way ``next_cursor`` is the position after the last item shown: the API's own cursor when that
is the start of a page, else ``ax+<skip>:<the API's cursor>``.  So a cut or filtered page never
loses an item, and an unfiltered page that fits costs one request, as before.

A cursor of ours that does not parse is refused here; one the API refuses (HTTP 400) comes back
in the tool's words: :func:`cursor_refused`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.server.calls import ShownError
from ax_tasks_mcp.server.clipping import BUDGET, LIST_TEXT_LIMIT, TEXT_LIMIT, clip, size_of

if TYPE_CHECKING:
    from ax_tasks_mcp import Page, Resource

__all__ = [
    "MAX_SCANNED",
    "Listing",
    "cursor_refused",
    "refusing_cursors",
    "render_page",
    "scan",
]

#: Items one call reads at most while a filter looks for matches (20 requests of 100).
MAX_SCANNED: Final = 2_000
_PAGE: Final = 100
_MARK: Final = "ax+"
#: Bytes kept free in a page for its envelope: next_cursor, notes, shared texts.
_ENVELOPE: Final = 1_500

Fetch = Callable[[str | None, int], "Page"]
Match = Callable[["Resource"], bool]


@dataclass
class Listing:
    """What a scan found: the items, the next_cursor after each one, and after the last."""

    items: list[Resource] = field(default_factory=list)
    after: list[str | None] = field(default_factory=list)
    end: str | None = None
    scanned: int = 0
    searched_out: bool = False  # stopped at MAX_SCANNED with more to read

    def first(self, count: int) -> Listing:
        """The first ``count`` items, next_cursor after them."""
        if count >= len(self.items):
            return self
        return Listing(self.items[:count], self.after[:count], self.after[count - 1], count)


def _position(cursor: str | None, shown: int) -> str:
    return f"{_MARK}{shown}:{cursor or ''}"


def _read_cursor(token: str | None, tool: str) -> tuple[str | None, int]:
    if not token:
        return None, 0
    if not token.startswith(_MARK):
        return token, 0
    skip, sep, cursor = token[len(_MARK) :].partition(":")
    if not sep or not skip.isdigit() or not 0 < int(skip) < _PAGE:
        raise ShownError(cursor_refused(tool) + " Nothing was done.")
    return cursor or None, int(skip)


def cursor_refused(tool: str, why: str = "") -> str:
    """The refusal of a cursor, in the tool's words."""
    because = f" ({why.rstrip('.')})" if why else ""
    return (
        f"cursor: not a next_cursor from {tool}{because}. Pass next_cursor exactly as the"
        f" previous {tool} answer gave it, or leave cursor out to start from the first page."
    )


def refusing_cursors(fetch: Fetch, tool: str) -> Fetch:
    """``fetch``, with the API's refusal (HTTP 400) of a cursor said in the tool's words."""
    from ax_tasks_mcp import AxTasksError

    def guarded(cursor: str | None, limit: int) -> Page:
        try:
            return fetch(cursor, limit)
        except AxTasksError as exc:
            if cursor is None or exc.status != 400:
                raise
            # The API's words name its own fields (pagination.next_cursor); say it in ours.
            refused = cursor_refused(tool, f"the API refused it, HTTP {exc.status}")
            raise ShownError(f"{refused} Nothing was done.") from None

    return guarded


def scan(
    fetch: Fetch,
    cursor: str | None,
    limit: int,
    *,
    tool: str,
    keep: Match | None = None,
    stop: Match | None = None,
) -> Listing:
    """Up to ``limit`` items from ``cursor`` on that ``keep`` wants (all, without it); ``stop``
    says an item and every later one can no longer match (the listing is ordered)."""
    api_cursor, skip = _read_cursor(cursor, tool)
    fetch = refusing_cursors(fetch, tool)
    found = Listing()
    filtered = keep is not None or stop is not None
    while True:
        want = limit - len(found.items)
        page = fetch(api_cursor, _PAGE if filtered else min(_PAGE, skip + want))
        rows = page.items
        for index in range(skip, len(rows)):
            row = rows[index]
            found.scanned += 1
            if stop is not None and stop(row):
                return found
            if keep is None or keep(row):
                found.items.append(row)
                shown = index + 1
                after = _position(api_cursor, shown) if shown < len(rows) else page.next_cursor
                found.after.append(after)
                if len(found.items) >= limit:
                    found.end = after
                    return found
        if not page.next_cursor:
            return found
        api_cursor, skip = page.next_cursor, 0
        if found.scanned >= MAX_SCANNED:
            found.end, found.searched_out = api_cursor, True
            return found


def render_page(
    key: str,
    listing: Listing,
    summary: Callable[[Resource], Any] | None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{key: items, next_cursor, ...extra}``: items summarised (``None``: whole objects),
    clipped, and as many as fit the answer budget; a ``note`` says what was left for later."""
    text_limit = LIST_TEXT_LIMIT if summary is not None else TEXT_LIMIT
    room = BUDGET - _ENVELOPE - (size_of(extra) if extra else 0)
    items: list[Any] = []
    for item in listing.items:
        shaped = clip(summary(item) if summary is not None else item, text_limit)
        room -= size_of(shaped) + 1
        if room < 0 and items:
            break
        items.append(shaped)
    answer: dict[str, Any] = {key: items, "next_cursor": listing.end, **(extra or {})}
    notes: list[str] = []
    if len(items) < len(listing.items):
        answer["next_cursor"] = listing.after[len(items) - 1]
        notes.append(
            f"{len(items)} of the {len(listing.items)} items found fit in this answer;"
            " next_cursor continues after them."
        )
    elif listing.searched_out:
        notes.append(
            f"Searched {listing.scanned:,} items without finding {key} enough to fill the"
            " page; next_cursor continues the search."
        )
    if notes:
        answer["note"] = " ".join(notes)
    return answer
