"""``sandbox info`` on a terminal: what the sandbox holds, a table per space that fits the width.

Pipes and files keep the sandbox's own text (``format_info``) or the exact summary object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["info_groups"]

Row = dict[str, str | None]


def _row(kind: str, item: Mapping[str, Any], note: str | None = None) -> Row:
    return {"kind": kind, "name": str(item["name"]), "id": str(item["id"]), "note": note}


def _space_rows(space: Mapping[str, Any]) -> Iterator[Row]:
    for p in space["projects"]:
        yield _row("project", p, f"~{p['spans_per_hour']} spans/h")
    for d in space["datasets"]:
        yield _row("dataset", d)
        for v in d["versions"]:
            yield _row("version", v, f"{v['example_count']} examples")
        for e in d["experiments"]:
            yield _row("experiment", e)
    for e in space["evaluators"]:
        note = f"{e['type']}/{e['data_scope']}" + (", fails" if e["fails"] else "")
        yield _row("evaluator", e, note)
    for t in space["tasks"]:
        yield _row("task", t, str(t["type"]))


def info_groups(summary: Mapping[str, Any]) -> Iterator[tuple[str, list[Row]]]:
    """(title, rows) per space, then the AI integrations; a row has kind, name, ID and note."""
    for space in summary["spaces"]:
        yield f"space {space['name']}  {space['id']}", list(_space_rows(space))
    integrations = [
        _row("integration", i, "AGENT" if i["is_agent"] else str(i["provider"]))
        for i in summary["ai_integrations"]
    ]
    yield "AI integrations", integrations
