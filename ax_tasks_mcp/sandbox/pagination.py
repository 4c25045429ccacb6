"""Cursor pagination: opaque cursors, keyset on the row number, next_cursor left out at the end."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from .problems import bad_request

T = TypeVar("T")


def encode_cursor(scope: str, key: int) -> str:
    raw = json.dumps({"s": scope, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(scope: str, cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        key = data["k"]
        if data["s"] != scope or not isinstance(key, int) or isinstance(key, bool):
            raise ValueError(scope)
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
        raise bad_request(
            "Invalid cursor: pass the pagination.next_cursor of the previous page of this list."
        ) from exc
    return key


def page(
    items: Sequence[tuple[int, T]],
    *,
    scope: str,
    limit: int,
    cursor: str | None,
    descending: bool,
) -> tuple[list[T], dict[str, Any]]:
    """One page of (key, item) pairs already in list order, and its pagination object."""
    if cursor is not None:
        after = decode_cursor(scope, cursor)
        items = [kv for kv in items if (kv[0] < after if descending else kv[0] > after)]
    chosen = items[:limit]
    pagination: dict[str, Any] = {"has_more": len(items) > limit}
    if len(items) > limit:
        pagination["next_cursor"] = encode_cursor(scope, chosen[-1][0])
    return [item for _, item in chosen], pagination
