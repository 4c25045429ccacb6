"""Benchmark of tasks as code: export, plan and apply over 100 and 1,000 tasks on a loopback
sandbox, beside a listing of the same space, with the requests each makes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from bench_harness import Bench, Sample, Section, checked, measure, median, progress, ratio, secs
from bench_runs import bulk_tasks
from bench_servers import CountingProxy, Hit, SandboxServer

PLAN_SIZES = (100, 1_000)
SEEDED_IN_DEMO = 2
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


@dataclass(frozen=True)
class Timing:
    """Medians of a command's wall and CPU seconds, and the requests of its last run."""

    wall: float
    cpu: float
    hits: list[Hit]


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
        [
            "Tasks in the space",
            "Command",
            "Wall time",
            "CPU time",
            "Requests",
            "Wall vs `list --all`",
        ],
    )
    for size in PLAN_SIZES:
        db = bench.seeded_db(f"plans-{size}.db")
        bulk_tasks(db, size - SEEDED_IN_DEMO)
        with (
            SandboxServer(db, bench.path(f"plans-{size}.log"), bench.env()) as server,
            CountingProxy(server.url) as proxy,
        ):

            def timed(label: str, *argv: str, runs: int = bench.runs) -> Timing:
                samples: list[Sample] = []
                hits: list[Hit] = []
                for _ in range(runs):
                    mark = proxy.mark()
                    sample = measure(bench.cli(proxy.url, *argv), bench.api_env())
                    samples.append(checked(sample, label))
                    hits = proxy.since(mark)
                wall = median([s.seconds for s in samples])
                return Timing(wall, median([s.cpu_seconds for s in samples]), hits)

            exported = bench.path(f"plans-{size}.yaml")
            changed = bench.path(f"plans-{size}-changed.yaml")
            file, other = str(exported), str(changed)
            listed = timed("list", "list", "--all", "-s", "demo", "-o", "ndjson")
            rows = [("`list --all -s demo -o ndjson`", listed)]
            rows.append(
                ("`export -s demo -o FILE`", timed("export", "export", "-s", "demo", "-o", file))
            )
            _every_rate_changed(exported, changed)
            rows.append(("`plan -f FILE`, nothing to change", timed("plan", "plan", "-f", file)))
            rows.append(
                ("`plan -f FILE`, every task to update", timed("plan", "plan", "-f", other))
            )
            unchanged = timed("apply", "apply", "-f", file, "--yes")
            rows.append(("`apply -f FILE --yes`, nothing to change", unchanged))
            # Each run changes every task: the files alternate, so the space always differs.
            applied = [
                timed("apply", "apply", "-f", other if run % 2 == 0 else file, "--yes", runs=1)
                for run in range(bench.runs)
            ]
            every = Timing(
                median([t.wall for t in applied]),
                median([t.cpu for t in applied]),
                applied[-1].hits,
            )
            rows.append(("`apply -f FILE --yes`, every task updated", every))
        listing = rows[0][1].wall
        for label, timing in rows:
            section.rows.append(
                [
                    f"{size:,}",
                    label,
                    secs(timing.wall),
                    secs(timing.cpu),
                    _requests(timing.hits),
                    ratio(timing.wall, listing),
                ]
            )
    section.notes.append(
        f"Each space holds its {SEEDED_IN_DEMO} seeded tasks and copies of one (bulk-inserted), "
        "served by `ax-tasks sandbox serve` on 127.0.0.1; every command is a fresh `ax-tasks` "
        f"process with `--base-url`, its requests counted by a proxy. Median of {bench.runs} runs "
        "(CPU: the `ax-tasks` process's own user + system time, steadier on a busy machine); "
        "requests are those of the last run. `plan` and `apply` read the file, list the space "
        "in pages of 100 and each kind of name once (spaces, projects, datasets, evaluators, "
        "experiments): no request per task. An apply with nothing to change sends no write."
    )
    return section
