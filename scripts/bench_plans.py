"""Benchmark of tasks as code: export, plan and apply over 100 and 1,000 tasks on a loopback
sandbox, beside a listing of the same space, with the requests each makes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from bench_harness import Bench, Section, checked, measure, median, progress, ratio, secs
from bench_runs import bulk_tasks
from bench_servers import CountingProxy, Hit, SandboxServer

PLAN_SIZES = (100, 1_000)
SEEDED_IN_DEMO = 2
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _every_rate_changed(source: Path, target: Path) -> None:
    """The exported file with every project task's sampling rate moved (one update each)."""
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    for task in document["tasks"]:
        if "sampling_rate" in task:
            task["sampling_rate"] = 0.25 if task["sampling_rate"] != 0.25 else 0.75
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _requests(hits: Sequence[Hit]) -> str:
    writes = sum(1 for hit in hits if hit.method in WRITES)
    return f"{len(hits):,} ({writes:,} writes)"


def bench_plans(bench: Bench) -> Section:
    progress("tasks as code: export, plan and apply over 100 and 1,000 tasks")
    section = Section(
        "Tasks as code: `export`, `plan` and `apply` over loopback",
        ["Tasks in the space", "Command", "Wall time", "Requests", "Time vs `list --all`"],
    )
    for size in PLAN_SIZES:
        db = bench.seeded_db(f"plans-{size}.db")
        bulk_tasks(db, size - SEEDED_IN_DEMO)
        with (
            SandboxServer(db, bench.path(f"plans-{size}.log"), bench.env()) as server,
            CountingProxy(server.url) as proxy,
        ):

            def timed(label: str, *argv: str, runs: int = bench.runs) -> tuple[float, list[Hit]]:
                seconds: list[float] = []
                hits: list[Hit] = []
                for _ in range(runs):
                    mark = proxy.mark()
                    sample = measure(bench.cli(proxy.url, *argv), bench.api_env())
                    seconds.append(checked(sample, label).seconds)
                    hits = proxy.since(mark)
                return median(seconds), hits

            exported = bench.path(f"plans-{size}.yaml")
            changed = bench.path(f"plans-{size}-changed.yaml")
            listing, list_hits = timed("list --all", "list", "--all", "-s", "demo", "-o", "ndjson")
            rows = [("`list --all -s demo -o ndjson`", listing, list_hits)]
            rows.append(
                (
                    "`export -s demo -o FILE`",
                    *timed("export", "export", "-s", "demo", "-o", str(exported)),
                )
            )
            _every_rate_changed(exported, changed)
            rows.append(
                ("`plan -f FILE`, nothing to change", *timed("plan", "plan", "-f", str(exported)))
            )
            rows.append(
                ("`plan -f FILE`, every task to update", *timed("plan", "plan", "-f", str(changed)))
            )
            rows.append(
                (
                    "`apply -f FILE --yes`, nothing to change",
                    *timed("apply", "apply", "-f", str(exported), "--yes"),
                )
            )
            # Each run changes every task: the files alternate, so the space always differs.
            seconds: list[float] = []
            hits: list[Hit] = []
            for run in range(bench.runs):
                target = changed if run % 2 == 0 else exported
                one, hits = timed("apply", "apply", "-f", str(target), "--yes", runs=1)
                seconds.append(one)
            rows.append(("`apply -f FILE --yes`, every task updated", median(seconds), hits))
        for label, seconds_taken, counted in rows:
            section.rows.append(
                [
                    f"{size:,}",
                    label,
                    secs(seconds_taken),
                    _requests(counted),
                    ratio(seconds_taken, listing),
                ]
            )
    section.notes.append(
        f"Each space holds its {SEEDED_IN_DEMO} seeded tasks and copies of one (bulk-inserted), "
        "served by `ax-tasks sandbox serve` on 127.0.0.1; every command is a fresh `ax-tasks` "
        f"process with `--base-url`, its requests counted by a proxy. Median of {bench.runs} runs; "
        "requests are those of the last run. `plan` and `apply` read the file, list the space "
        "in pages of 100 and each kind of name once (spaces, projects, datasets, evaluators, "
        "experiments): no request per task. An apply with nothing to change sends no write."
    )
    return section
