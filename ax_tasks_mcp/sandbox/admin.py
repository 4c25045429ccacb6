"""What is in a sandbox (info) and starting it over (reset)."""

from __future__ import annotations

import json
import os
from typing import Any

from . import ids, seed, workload
from .clock import Clock, epoch, iso, system_clock
from .store import Store

SAMPLE_EXAMPLES = 5


def reset(db_path: str | os.PathLike[str] | None = None, clock: Clock | None = None) -> None:
    """Wipe the sandbox database and seed it again."""
    store = Store(db_path)
    try:
        store.reset(seed.seed, epoch((clock or system_clock)()))
    finally:
        store.close()


def info(db_path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """A structured summary of the sandbox: every resource a client may name, with its ID."""
    store = Store(db_path)
    try:
        store.ensure_ready(seed.seed, epoch(system_clock()))
        with store.read() as conn:
            spaces = []
            for space in conn.execute("SELECT * FROM spaces ORDER BY id").fetchall():
                sid = space["id"]
                spaces.append(
                    {
                        "id": ids.encode(ids.SPACE, sid),
                        "name": space["name"],
                        "description": space["description"],
                        "projects": [
                            {
                                "id": ids.encode(ids.PROJECT, p["id"]),
                                "name": p["name"],
                                "project_type": p["project_type"],
                                "spans_per_hour": p["spans_per_hour"],
                            }
                            for p in conn.execute(
                                "SELECT * FROM projects WHERE space_id = ? ORDER BY id", (sid,)
                            )
                        ],
                        "datasets": [
                            _dataset(conn, d)
                            for d in conn.execute(
                                "SELECT * FROM datasets WHERE space_id = ? ORDER BY id", (sid,)
                            ).fetchall()
                        ],
                        "evaluators": [
                            {
                                "id": ids.encode(ids.EVALUATOR, e["id"]),
                                "name": e["name"],
                                "type": e["type"],
                                "data_scope": e["data_scope"],
                                "fails": e["failure"] is not None,
                                "version_ids": [
                                    ids.encode(ids.EVALUATOR_VERSION, v["id"])
                                    for v in conn.execute(
                                        "SELECT id FROM evaluator_versions WHERE evaluator_id = ? "
                                        "ORDER BY id",
                                        (e["id"],),
                                    )
                                ],
                            }
                            for e in conn.execute(
                                "SELECT * FROM evaluators WHERE space_id = ? ORDER BY id", (sid,)
                            ).fetchall()
                        ],
                        "tasks": [
                            {
                                "id": ids.encode(ids.TASK, t["id"]),
                                "name": t["name"],
                                "type": t["type"],
                                "is_continuous": t["continuous_since"] is not None,
                            }
                            for t in conn.execute(
                                "SELECT * FROM tasks WHERE space_id = ? ORDER BY id", (sid,)
                            )
                        ],
                    }
                )
            integrations = [
                {
                    "id": ids.encode(ids.INTEGRATION, i["id"]),
                    "name": i["name"],
                    "provider": i["provider"],
                    "is_agent": bool(i["is_agent"]),
                    "model_names": json.loads(i["doc"])["model_names"],
                }
                for i in conn.execute("SELECT * FROM integrations ORDER BY id")
            ]
            seeded = conn.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone()
        return {
            "db_path": store.path,
            "seeded_at": iso(float(seeded["value"])) if seeded else None,
            "organization_id": ids.encode(ids.ORGANIZATION, seed.ORGANIZATION_NUMBER),
            "user_id": ids.encode(ids.USER, seed.SANDBOX_USER_NUMBER),
            "spaces": spaces,
            "ai_integrations": integrations,
        }
    finally:
        store.close()


def _dataset(conn: Any, row: Any) -> dict[str, Any]:
    versions = conn.execute(
        "SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY id", (row["id"],)
    ).fetchall()
    return {
        "id": ids.encode(ids.DATASET, row["id"]),
        "name": row["name"],
        "versions": [
            {
                "id": ids.encode(ids.DATASET_VERSION, v["id"]),
                "name": v["name"],
                "example_count": v["example_count"],
                "first_example_ids": workload.example_ids(
                    row["id"], min(SAMPLE_EXAMPLES, v["example_count"])
                ),
            }
            for v in versions
        ],
        "experiments": [
            {"id": ids.encode(ids.EXPERIMENT, e["id"]), "name": e["name"]}
            for e in conn.execute(
                "SELECT id, name FROM experiments WHERE dataset_id = ? ORDER BY id", (row["id"],)
            )
        ],
    }


def format_info(summary: dict[str, Any]) -> str:
    """The summary as text for people."""
    lines = [f"sandbox database: {summary['db_path']}"]
    for space in summary["spaces"]:
        lines.append(f"\nspace {space['name']}  {space['id']}")
        for p in space["projects"]:
            lines.append(f"  project    {p['name']:<28} {p['id']}  ~{p['spans_per_hour']} spans/h")
        for d in space["datasets"]:
            lines.append(f"  dataset    {d['name']:<28} {d['id']}")
            for v in d["versions"]:
                lines.append(
                    f"    version  {v['name']:<28} {v['id']}  {v['example_count']} examples"
                )
            for e in d["experiments"]:
                lines.append(f"    experiment {e['name']:<26} {e['id']}")
        for e in space["evaluators"]:
            note = f"{e['type']}/{e['data_scope']}" + (", fails" if e["fails"] else "")
            lines.append(f"  evaluator  {e['name']:<28} {e['id']}  {note}")
        for t in space["tasks"]:
            lines.append(f"  task       {t['name']:<28} {t['id']}  {t['type']}")
    lines.append("\nAI integrations")
    for i in summary["ai_integrations"]:
        kind = "AGENT" if i["is_agent"] else i["provider"]
        lines.append(f"  {i['name']:<37} {i['id']}  {kind}")
    return "\n".join(lines)
