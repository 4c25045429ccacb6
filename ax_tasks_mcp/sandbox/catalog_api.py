"""The lists clients use to turn names into IDs: spaces, projects, datasets, evaluators,
experiments and AI integrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from . import ids, render
from .context import Context, contains, lookup
from .pagination import page
from .problems import bad_request, not_found
from .seed import ORGANIZATION_NUMBER

Result = tuple[int, Any]


def _listing(
    ctx: Context,
    conn: sqlite3.Connection,
    *,
    key: str,
    rows: list[sqlite3.Row],
    to_wire: Callable[[sqlite3.Row], dict[str, Any]],
) -> Result:
    p = ctx.params
    chosen = [r for r in rows if contains(r["name"], p.get("name"))]
    items, pagination = page(
        [(r["id"], r) for r in chosen],
        scope=key,
        limit=p["limit"],
        cursor=p.get("cursor"),
        descending=False,
    )
    return 200, {key: [to_wire(r) for r in items], "pagination": pagination}


def _space_scoped(
    ctx: Context, conn: sqlite3.Connection, table: str, extra: str = "", args: tuple[Any, ...] = ()
) -> list[sqlite3.Row]:
    """Rows of a table that has space_id, narrowed by the space_id and space_name filters."""
    p = ctx.params
    sql = (
        f"SELECT t.*, s.name AS space_name FROM {table} t "  # noqa: S608 - fixed table names
        "JOIN spaces s ON s.id = t.space_id WHERE 1 = 1" + extra
    )
    values = list(args)
    if "space_id" in p:
        sql += " AND t.space_id = ?"
        values.append(lookup(conn, p["space_id"], ids.SPACE, "space_id")["id"])
    rows = conn.execute(sql + " ORDER BY t.id", values).fetchall()
    return [r for r in rows if contains(r["space_name"], p.get("space_name"))]


def list_spaces(ctx: Context) -> Result:
    with ctx.store.read() as conn:
        org = ctx.params.get("org_id")
        if org is not None:
            try:
                number = ids.number_of(org, ids.ORGANIZATION)
            except ids.MalformedIdError as exc:
                raise bad_request(f"org_id: {org!r} is not a valid ID.") from exc
            if number != ORGANIZATION_NUMBER:
                raise not_found(f"org_id: no organization with ID {org}.")
        rows = conn.execute("SELECT * FROM spaces ORDER BY id").fetchall()
        return _listing(ctx, conn, key="spaces", rows=rows, to_wire=render.space)


def list_projects(ctx: Context) -> Result:
    with ctx.store.read() as conn:
        extra, args = "", tuple[Any, ...]()
        if "project_type" in ctx.params:
            extra, args = " AND t.project_type = ?", (ctx.params["project_type"],)
        rows = _space_scoped(ctx, conn, "projects", extra, args)
        return _listing(ctx, conn, key="projects", rows=rows, to_wire=render.project)


def list_datasets(ctx: Context) -> Result:
    with ctx.store.read() as conn:
        rows = _space_scoped(ctx, conn, "datasets")
        return _listing(ctx, conn, key="datasets", rows=rows, to_wire=render.dataset)


def list_evaluators(ctx: Context) -> Result:
    with ctx.store.read() as conn:
        rows = _space_scoped(ctx, conn, "evaluators")
        return _listing(ctx, conn, key="evaluators", rows=rows, to_wire=render.evaluator)


def list_experiments(ctx: Context) -> Result:
    p = ctx.params
    if "dataset_id" in p and "space_id" in p:
        raise bad_request("Give at most one of dataset_id and space_id.")
    with ctx.store.read() as conn:
        extra = " AND t.visible_from <= ?"
        args: tuple[Any, ...] = (ctx.now,)
        if "dataset_id" in p:
            dataset = lookup(conn, p["dataset_id"], ids.DATASET, "dataset_id")
            extra += " AND t.dataset_id = ?"
            args = (ctx.now, dataset["id"])
        rows = _space_scoped(ctx, conn, "experiments", extra, args)
        return _listing(ctx, conn, key="experiments", rows=rows, to_wire=render.experiment)


def list_ai_integrations(ctx: Context) -> Result:
    p = ctx.params
    with ctx.store.read() as conn:
        # Every integration is scoped to the whole organization, so a space filter keeps all of
        # them as long as the space itself exists (or some space matches the name).
        if "space_id" in p:
            lookup(conn, p["space_id"], ids.SPACE, "space_id")
        rows = conn.execute("SELECT * FROM integrations ORDER BY id").fetchall()
        if "space_name" in p:
            spaces = conn.execute("SELECT name FROM spaces").fetchall()
            if not any(contains(s["name"], p["space_name"]) for s in spaces):
                rows = []
        return _listing(ctx, conn, key="ai_integrations", rows=rows, to_wire=render.integration)
