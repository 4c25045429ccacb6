"""The lists clients use to turn names into IDs: spaces, projects, datasets, evaluators,
experiments and AI integrations. Oldest first; filters and paging are done by the SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from . import ids, render
from .context import Context, contains_filter, lookup, space_name_filter
from .pagination import fetch_page
from .problems import bad_request, not_found
from .seed import ORGANIZATION_NUMBER

Result = tuple[int, Any]


def _listing(
    ctx: Context,
    conn: sqlite3.Connection,
    *,
    key: str,
    table: str,
    where: list[str],
    args: list[Any],
    to_wire: Callable[[sqlite3.Row], dict[str, Any]],
) -> Result:
    """One page of a table (aliased t), narrowed by `where` and the name filter."""
    p = ctx.params
    contains_filter("t.name", p.get("name"), where, args)
    rows, pagination = fetch_page(
        conn,
        f"SELECT t.* FROM {table} t",  # noqa: S608 - fixed table names
        where,
        args,
        scope=key,
        key="t.id",
        limit=p["limit"],
        cursor=p.get("cursor"),
        descending=False,
    )
    return 200, {key: [to_wire(r) for r in rows], "pagination": pagination}


def _space_filters(
    ctx: Context, conn: sqlite3.Connection, where: list[str], args: list[Any]
) -> None:
    """The space_id and space_name filters of a table that has space_id."""
    p = ctx.params
    if "space_id" in p:
        where.append("t.space_id = ?")
        args.append(lookup(conn, p["space_id"], ids.SPACE, "space_id")["id"])
    space_name_filter("t.space_id", p.get("space_name"), where, args)


def _space_scoped(
    ctx: Context,
    table: str,
    key: str,
    to_wire: Callable[[sqlite3.Row], dict[str, Any]],
    where: list[str] | None = None,
    args: list[Any] | None = None,
) -> Result:
    where, args = list(where or []), list(args or [])
    with ctx.store.read() as conn:
        _space_filters(ctx, conn, where, args)
        return _listing(ctx, conn, key=key, table=table, where=where, args=args, to_wire=to_wire)


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
        return _listing(
            ctx, conn, key="spaces", table="spaces", where=[], args=[], to_wire=render.space
        )


def list_projects(ctx: Context) -> Result:
    where: list[str] = []
    args: list[Any] = []
    if "project_type" in ctx.params:
        where.append("t.project_type = ?")
        args.append(ctx.params["project_type"])
    return _space_scoped(ctx, "projects", "projects", render.project, where, args)


def list_datasets(ctx: Context) -> Result:
    return _space_scoped(ctx, "datasets", "datasets", render.dataset)


def list_evaluators(ctx: Context) -> Result:
    return _space_scoped(ctx, "evaluators", "evaluators", render.evaluator)


def list_experiments(ctx: Context) -> Result:
    p = ctx.params
    if "dataset_id" in p and "space_id" in p:
        raise bad_request("Give at most one of dataset_id and space_id.")
    where = ["t.visible_from <= ?"]
    args: list[Any] = [ctx.now]
    with ctx.store.read() as conn:
        if "dataset_id" in p:
            dataset = lookup(conn, p["dataset_id"], ids.DATASET, "dataset_id")
            where.append("t.dataset_id = ?")
            args.append(dataset["id"])
        _space_filters(ctx, conn, where, args)
        return _listing(
            ctx,
            conn,
            key="experiments",
            table="experiments",
            where=where,
            args=args,
            to_wire=render.experiment,
        )


def list_ai_integrations(ctx: Context) -> Result:
    p = ctx.params
    where: list[str] = []
    args: list[Any] = []
    with ctx.store.read() as conn:
        # Every integration is scoped to the whole organization, so a space filter keeps all of
        # them as long as the space itself exists (or some space matches the name).
        if "space_id" in p:
            lookup(conn, p["space_id"], ids.SPACE, "space_id")
        if p.get("space_name") is not None:
            where.append("EXISTS (SELECT 1 FROM spaces WHERE instr(casefold(name), ?) > 0)")
            args.append(p["space_name"].casefold())
        return _listing(
            ctx,
            conn,
            key="ai_integrations",
            table="integrations",
            where=where,
            args=args,
            to_wire=render.integration,
        )
