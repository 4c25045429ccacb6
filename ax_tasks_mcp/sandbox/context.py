"""What a handler gets, and the ID helpers every handler needs."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from . import ids
from .problems import ApiError, bad_request, not_found, unprocessable
from .store import Store
from .validation import Operation, Spec

NOUNS = {
    ids.SPACE: "space",
    ids.PROJECT: "project",
    ids.DATASET: "dataset",
    ids.DATASET_VERSION: "dataset version",
    ids.EVALUATOR: "evaluator",
    ids.EVALUATOR_VERSION: "evaluator version",
    ids.EXPERIMENT: "experiment",
    ids.INTEGRATION: "AI integration",
    ids.TASK: "task",
    ids.TASK_RUN: "task run",
    ids.USER: "user",
    ids.ORGANIZATION: "organization",
}

TABLES = {
    ids.SPACE: "spaces",
    ids.PROJECT: "projects",
    ids.DATASET: "datasets",
    ids.DATASET_VERSION: "dataset_versions",
    ids.EVALUATOR: "evaluators",
    ids.EVALUATOR_VERSION: "evaluator_versions",
    ids.EXPERIMENT: "experiments",
    ids.INTEGRATION: "integrations",
    ids.TASK: "tasks",
    ids.TASK_RUN: "task_runs",
}


@dataclass
class Context:
    store: Store
    spec: Spec
    op: Operation
    params: dict[str, Any]
    body: Any
    now: float
    speed: float
    user: int


def _decode(value: str, where: str) -> ids.GlobalId:
    try:
        return ids.decode(value)
    except ids.MalformedIdError as exc:
        raise bad_request(
            f"{where}: {value!r} is not a valid ID (IDs are padded base64 of "
            "'TypeName:number:suffix', as returned by the API)."
        ) from exc


def _row(conn: sqlite3.Connection, type_name: str, number: int) -> sqlite3.Row | None:
    table = TABLES[type_name]
    row: sqlite3.Row | None = conn.execute(
        f"SELECT * FROM {table} WHERE id = ?",  # noqa: S608 - table from a fixed map
        (number,),
    ).fetchone()
    return row


def lookup(
    conn: sqlite3.Connection, value: str, type_name: str, where: str, *, status: int = 404
) -> sqlite3.Row:
    """The row an ID names. Malformed: 400. Unknown or of another type: `status` (404 or 422)."""
    gid = _decode(value, where)
    noun = NOUNS[type_name]
    number = ids.number_of(value, type_name)
    if number is None:
        other = NOUNS.get(gid.type_name, gid.type_name)
        if gid.type_name != type_name:
            detail = f"{where}: {value} is the ID of a {other}, not of a {noun}."
        else:
            detail = f"{where}: no {noun} with ID {value}."
        raise _error(status, detail)
    row = _row(conn, type_name, number)
    if row is None:
        raise _error(status, f"{where}: no {noun} with ID {value}.")
    return row


def check_id(value: str, where: str) -> None:
    """400 unless the value is a well-formed ID (its type is checked later)."""
    _decode(value, where)


def _error(status: int, detail: str) -> ApiError:
    if status == 404:
        return not_found(detail)
    if status == 422:
        return unprocessable(detail)
    return ApiError(status, detail)


def contains_filter(column: str, needle: str | None, where: list[str], args: list[Any]) -> None:
    """Add to a WHERE clause a case-insensitive substring match of `needle` on `column`.

    casefold() is the Store's SQL function (Python's str.casefold) and instr() takes the needle
    literally, so '%', '_' and backslashes in a filter need no escaping.
    """
    if needle is not None:
        where.append(f"instr(casefold({column}), ?) > 0")
        args.append(needle.casefold())


def space_name_filter(column: str, needle: str | None, where: list[str], args: list[Any]) -> None:
    """Add a space_name filter: the space `column` refers to has a name that contains it.

    The unary + keeps SQLite from answering it through an index on `column`, which would read
    every row of the matching spaces and sort them; the list walks its key order instead.
    """
    if needle is not None:
        where.append(
            f"+{column} IN (SELECT id FROM spaces WHERE instr(casefold(name), ?) > 0)"  # noqa: S608
        )
        args.append(needle.casefold())
