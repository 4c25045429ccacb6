"""Answers bounded for a model: no string floods it, and no answer passes the budget.

Another client may have written a name of a million characters or a prompt the size of a book
(the API bounds names, but what was written before stays), and every model that lists the space
would read it.  So every answer is cut:

* each string to its field's bound (names and IDs 255, filters 2,000: the bounds inputs have),
  any other text to ``text_limit`` characters, with a marker that says how much was cut;
* then, while the answer is over :data:`BUDGET`, its longest strings are cut further, and as a
  last resort long lists lose their tail (a ``note`` says how many items).

The budget counts UTF-8 bytes of the compact JSON because every o200k token is at least one
byte: an answer of BUDGET bytes is never more than BUDGET tokens, whatever text it holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "BUDGET",
    "LIST_TEXT_LIMIT",
    "TEXT_LIMIT",
    "AnswerTooLarge",
    "clip",
    "cut_text",
    "fit",
    "size_of",
]

#: Bytes of compact JSON an answer may take: at most this many o200k tokens (the 25,000 a host
#: such as Claude Code accepts from a tool, less room for the envelope).
BUDGET: Final = 24_000
#: Characters of a string with no bound of its own (a template, a failure reason) in one object.
TEXT_LIMIT: Final = 8_000
#: The same in a list item, where twenty items share the budget.
LIST_TEXT_LIMIT: Final = 1_000
_NAME_LIMIT: Final = 255
_FILTER_LIMIT: Final = 2_000
_MIN_CUT: Final = 40
_NAMES: Final = frozenset({"name", "evaluator_name", "evaluator_names", "project", "dataset"})
_FILTERS: Final = frozenset({"query_filter", "filter", "expression"})
_NEVER_CUT: Final = frozenset({"next_cursor"})


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with a marker saying how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters cut]"


def size_of(value: Any) -> int:
    """Bytes of ``value`` as the text block carries it (compact JSON, UTF-8)."""
    text = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    return len(text.encode("utf-8", "surrogatepass"))


def _limit(key: str | None, text_limit: int) -> int | None:
    if key in _NEVER_CUT:
        return None
    if key is not None and (key in _NAMES or key == "id" or key.endswith(("_id", "_ids"))):
        return _NAME_LIMIT
    if key in _FILTERS:
        return _FILTER_LIMIT
    return text_limit


def clip(value: Any, text_limit: int = TEXT_LIMIT, key: str | None = None) -> Any:
    """``value`` with every string cut to its field's bound (see the module's docstring)."""
    if isinstance(value, str):
        limit = _limit(key, text_limit)
        return value if limit is None else cut_text(value, limit)
    if isinstance(value, Mapping):
        return {
            cut_text(str(k), _NAME_LIMIT): clip(v, text_limit, str(k)) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [clip(item, text_limit, key) for item in value]
    return value


class AnswerTooLarge(Exception):
    """Even cut down, the answer would not fit the budget (no list or map left to shorten)."""


def fit(value: Any, budget: int = BUDGET) -> Any:
    """``value`` clipped, then cut until its compact JSON is at most ``budget`` bytes."""
    value = clip(value)
    if size_of(value) <= budget:
        return value
    low, high = _MIN_CUT, TEXT_LIMIT  # the largest cut of the longest strings that fits
    while low < high:
        middle = (low + high + 1) // 2
        if size_of(clip(value, middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    value = clip(value, low)
    cuts: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}
    while size_of(value) > budget:
        longest = _longest_collection(value)
        if longest is None:
            raise AnswerTooLarge(size_of(value))
        owner, key = longest
        entries = owner[key]
        kept = len(entries) // 2
        owner[key] = (
            entries[:kept] if isinstance(entries, list) else dict(list(entries.items())[:kept])
        )
        counts = cuts.setdefault(id(owner), (owner, {}))[1]
        counts[key] = counts.get(key, 0) + len(entries) - kept
    for owner, counts in cuts.values():
        owner["note"] = " ".join(
            f"{key}: {count:,} more entries cut to fit the answer." for key, count in counts.items()
        )
    return value


def _longest_collection(value: Any) -> tuple[dict[str, Any], str] | None:
    """The largest list or map nested in ``value`` (not ``value`` itself), by its owner and key."""
    found: list[tuple[int, dict[str, Any], str]] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(item, list | dict) and len(item) > 1 and key not in _NEVER_CUT:
                    found.append((size_of(item), node, key))
                visit(item)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(value)
    if not found:
        return None
    _, owner, key = max(found, key=lambda entry: entry[0])
    return owner, key
