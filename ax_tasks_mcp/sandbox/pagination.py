"""Cursor pagination done by SQLite: signed cursors, keyset on the row number, LIMIT limit + 1.

A list is one SELECT whose filters are in its WHERE clause and whose order is its key column
(the table's INTEGER PRIMARY KEY, so the order is total and stable). The cursor holds the key of
the last row of the previous page, so the next page starts with `key < ?` (newest first) or
`key > ?` (oldest first) and reads at most limit + 1 rows: the extra row only tells has_more.
next_cursor is left out at the end. A cursor carries an HMAC under the database's own key, so a
forged one (a key it never gave out) is refused with 400 like a garbled one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from .problems import bad_request
from .store import cursor_secret


def _signature(secret: bytes, body: str) -> str:
    return hmac.new(secret, body.encode("ascii"), hashlib.sha256).hexdigest()[:16]


def encode_cursor(scope: str, key: int, secret: bytes) -> str:
    raw = json.dumps({"s": scope, "k": key}, separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    return f"{body}.{_signature(secret, body)}"


def decode_cursor(scope: str, cursor: str, secret: bytes) -> int:
    """The key a cursor this database signed holds; any other cursor, forged or garbled, is a
    400, as the real service answers one it did not give out."""
    try:
        body, _, signature = cursor.rpartition(".")
        if not hmac.compare_digest(signature, _signature(secret, body)):
            raise ValueError("not signed here")
        padded = body + "=" * (-len(body) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        key = data["k"]
        if data["s"] != scope or not isinstance(key, int) or isinstance(key, bool):
            raise ValueError(scope)
        if not -(2**63) <= key < 2**63:  # beyond SQLite's integers: never issued
            raise ValueError(key)
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
        raise bad_request(
            "Invalid cursor: pass the pagination.next_cursor of the previous page of this list."
        ) from exc
    return key


def fetch_page(
    conn: sqlite3.Connection,
    select: str,
    where: Sequence[str],
    args: Sequence[Any],
    *,
    scope: str,
    key: str,
    limit: int,
    cursor: str | None,
    descending: bool,
) -> tuple[list[sqlite3.Row], dict[str, Any]]:
    """One page of `select` (a SELECT ... FROM ... with no WHERE) and its pagination object.

    `where` are SQL conditions ANDed together, with `args` for their placeholders; `key` is the
    column (e.g. "t.id") the list is ordered by and the rows carry as "id".
    """
    conditions, values = list(where), list(args)
    secret = cursor_secret(conn)
    if cursor is not None:
        conditions.append(f"{key} {'<' if descending else '>'} ?")
        values.append(decode_cursor(scope, cursor, secret))
    sql = select
    if conditions:
        sql += " WHERE " + " AND ".join(f"({c})" for c in conditions)
    sql += f" ORDER BY {key} {'DESC' if descending else 'ASC'} LIMIT ?"
    values.append(limit + 1)
    rows = conn.execute(sql, values).fetchall()
    chosen = rows[:limit]
    pagination: dict[str, Any] = {"has_more": len(rows) > limit}
    if len(rows) > limit:
        pagination["next_cursor"] = encode_cursor(scope, chosen[-1]["id"], secret)
    return chosen, pagination
