"""Benchmarks of CLI commands: cold start, requests per command, and read commands against
the httpx floor."""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime, timedelta

import httpx
from bench_harness import (
    API_KEY,
    HELP_MIB_TARGET,
    HELP_SECONDS_TARGET,
    OFFICIAL_HELP_MIB,
    OFFICIAL_HELP_SECONDS,
    Bench,
    Sample,
    Section,
    api,
    checked,
    fixtures,
    iso,
    make_task,
    measure,
    median,
    mib,
    prepare_run,
    progress,
    ratio,
    secs,
    trigger,
    verdict,
)
from bench_servers import CountingProxy, Hit, SandboxServer


def bench_cold_start(bench: Bench) -> Section:
    progress("cold start and peak memory")
    db = bench.seeded_db("cold.db")
    commands: list[tuple[str, list[str], dict[str, str]]] = [
        ("`python -c pass`", [sys.executable, "-c", "pass"], bench.env()),
        ("`ax-tasks --help`", [bench.ax_tasks, "--help"], bench.env()),
        (
            "`ax-tasks --sandbox list`",
            [bench.ax_tasks, "--sandbox", "list"],
            bench.env(AX_TASKS_SANDBOX_DB=str(db)),
        ),
    ]
    if bench.official_ax:
        commands.append(
            ("`ax tasks --help` (official)", [bench.official_ax, "tasks", "--help"], bench.env())
        )
    samples: dict[str, list[Sample]] = {label: [] for label, _, _ in commands}
    for label, argv, env in commands:  # warm the file cache; not counted
        checked(measure(argv, env), label)
    for _ in range(bench.runs):  # interleaved, so drift hits every command alike
        for label, argv, env in commands:
            samples[label].append(checked(measure(argv, env), label))

    def med_time(label: str) -> float:
        return median([s.seconds for s in samples[label]])

    def med_mem(label: str) -> float:
        return median([s.maxrss_mib for s in samples[label]])

    base = commands[0][0]
    section = Section(
        "Cold start and peak memory",
        ["Command", "Wall time", "vs `python -c pass`", "Peak RSS", "Target", "Met"],
    )
    for label, _, _ in commands:
        t, m = med_time(label), med_mem(label)
        target, ok = "", None
        if label == "`ax-tasks --help`":
            target = f"≤ {secs(HELP_SECONDS_TARGET)} and ≤ {HELP_MIB_TARGET:.0f} MiB"
            ok = t <= HELP_SECONDS_TARGET and m <= HELP_MIB_TARGET
        section.rows.append(
            [label, secs(t), ratio(t, med_time(base)), mib(m), target or "-", verdict(ok)]
        )
    help_label = "`ax-tasks --help`"
    if bench.official_ax:
        official = commands[-1][0]
        section.notes.append(
            "`ax tasks --help` (official CLI) took "
            f"{ratio(med_time(official), med_time(help_label))} the time and "
            f"{ratio(med_mem(official), med_mem(help_label))} the memory of "
            "`ax-tasks --help`, measured in this run."
        )
    else:
        section.notes.append(
            f"Official CLI not measured here (pass `--official-ax PATH`); the figures quoted for "
            f"it are about {OFFICIAL_HELP_SECONDS:g} s and {OFFICIAL_HELP_MIB:g} MiB, i.e. "
            f"{ratio(OFFICIAL_HELP_SECONDS, med_time(help_label))} the time and "
            f"{ratio(OFFICIAL_HELP_MIB, med_mem(help_label))} the memory of `ax-tasks --help`."
        )
    section.notes.append(
        f"Median of {bench.runs} runs after one warm-up run each (a warm file cache: this is "
        "process start-up, not disk). `--sandbox list` includes opening the SQLite sandbox "
        "in-process and printing the first page. Peak RSS is the child's own `ru_maxrss`, "
        "read by a fresh minimal parent, so that the benchmark's own size cannot leak into it."
    )
    return section


def bench_requests(bench: Bench) -> Section:
    progress("HTTP requests per command")
    db = bench.seeded_db("requests.db")
    section = Section(
        "HTTP requests per command (counted at a loopback sandbox)",
        ["Command", "By ID", "By name", "Requests by name"],
    )
    with (
        SandboxServer(db, bench.path("requests-server.log"), bench.env()) as server,
        CountingProxy(server.url) as proxy,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        fx = fixtures(client)
        space_name, space_id = fx.space["name"], fx.space["id"]
        evaluators_by_id = json.dumps([{"evaluator_id": fx.evaluator["id"]}])
        evaluators_by_name = json.dumps([{"evaluator": fx.evaluator["name"]}])

        def count(argv: list[str]) -> tuple[int, list[Hit]]:
            mark = proxy.mark()
            checked(measure(bench.cli(proxy.url, *argv), bench.api_env()), " ".join(argv))
            hits = proxy.since(mark)
            return len(hits), hits

        def pair(label: str, by_id: list[str] | None, by_name: list[str] | None) -> None:
            id_count = count(by_id)[0] if by_id is not None else None
            name_count, hits = count(by_name) if by_name is not None else (None, [])
            listing = ", ".join(f"{h.method} {h.path}" for h in hits)
            section.rows.append(
                [
                    label,
                    "-" if id_count is None else str(id_count),
                    "-" if name_count is None else str(name_count),
                    listing or "-",
                ]
            )

        t = {n: make_task(client, fx, f"bench-req-{n}") for n in ("get", "upd", "runs", "trig")}
        dels = [make_task(client, fx, f"bench-req-del-{i}") for i in (1, 2)]
        run = trigger(client, t["runs"]["id"])
        long_run, _ = prepare_run(client, db, t["runs"]["id"], 3600.0)

        pair("`get`", ["get", t["get"]["id"]], ["get", t["get"]["name"], "--space", space_name])
        pair(
            "`list --space`",
            ["list", "--space", space_id],
            ["list", "--space", space_name],
        )
        pair(
            "`list --project`",
            ["list", "--project", fx.project["id"]],
            ["list", "--space", space_name, "--project", fx.project["name"]],
        )
        pair(
            "`create` (evaluation task)",
            [
                "create",
                "--name",
                "bench-req-create-1",
                "--task-type",
                "template_evaluation",
                "--project",
                fx.project["id"],
                "--evaluators",
                evaluators_by_id,
            ],
            [
                "create",
                "--name",
                "bench-req-create-2",
                "--task-type",
                "template_evaluation",
                "--space",
                space_name,
                "--project",
                fx.project["name"],
                "--evaluators",
                evaluators_by_name,
            ],
        )
        pair(
            "`update --sampling-rate`",
            ["update", t["upd"]["id"], "--sampling-rate", "0.25"],
            ["update", t["upd"]["name"], "--space", space_name, "--sampling-rate", "0.3"],
        )
        pair(
            "`list-runs`",
            ["list-runs", t["runs"]["id"]],
            ["list-runs", t["runs"]["name"], "--space", space_name],
        )
        start = iso(datetime.now(UTC) - timedelta(hours=2))
        pair(
            "`trigger-run`",
            ["trigger-run", t["trig"]["id"], "--data-start-time", start],
            [
                "trigger-run",
                t["trig"]["name"],
                "--space",
                space_name,
                "--data-start-time",
                start,
                "--override-evaluations",
            ],
        )
        pair(
            "`delete --force`",
            ["delete", dels[0]["id"], "--force"],
            ["delete", dels[1]["name"], "--space", space_name, "--force"],
        )
        pair("`get-run`", ["get-run", run["id"]], None)
        pair("`cancel-run --force`", ["cancel-run", long_run, "--force"], None)
    section.notes.append(
        "Each command ran once as its own process against `python -m ax_tasks_mcp.sandbox "
        "serve` through a counting reverse proxy on 127.0.0.1; the last column lists the "
        "requests of the by-name form. Names resolve with exact matching over every page, "
        "so a name costs the lookups shown; an ID costs none."
    )
    return section


FLOOR_RUNS = 9


FLOOR_RATIO_TARGET = 1.3


_FLOOR_SCRIPT = """
import json, sys
import httpx
answer = httpx.get(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
answer.raise_for_status()
print(json.dumps(answer.json(), indent=2))
"""


def bench_floor(bench: Bench) -> Section:
    """``ax-tasks list`` and ``get-run`` against a loopback sandbox, each against a bare Python
    script that imports httpx, makes the same GET and prints the JSON; bytecode cached (in a
    private folder), medians of at least nine interleaved runs."""
    progress("read commands against the httpx floor")
    runs = max(bench.runs, FLOOR_RUNS)
    cache = bench.path("pycache")
    env = {k: v for k, v in bench.api_env().items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    script = bench.path("floor.py")
    script.write_text(_FLOOR_SCRIPT, encoding="utf-8")
    db = bench.seeded_db("floor.db")
    with SandboxServer(db, bench.path("floor-sandbox.log"), bench.env()) as server:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            task = api(client, "GET", "/v2/tasks?limit=1")["tasks"][0]
            run = api(client, "GET", f"/v2/tasks/{task['id']}/runs?limit=1")["task_runs"][0]
        url = server.url
        pairs = {
            "`ax-tasks list`": (
                [bench.ax_tasks, "--base-url", url, "list", "-o", "json"],
                f"{url}/v2/tasks?limit=15",
            ),
            "`ax-tasks get-run ID`": (
                [bench.ax_tasks, "--base-url", url, "get-run", run["id"], "-o", "json"],
                f"{url}/v2/task-runs/{run['id']}",
            ),
        }
        commands: dict[str, list[str]] = {}
        for label, (argv, get) in pairs.items():
            commands[label] = argv
            commands[f"floor for {label}"] = [sys.executable, str(script), get, API_KEY]
        commands["`ax-tasks --help`"] = [bench.ax_tasks, "--help"]
        for label, argv in commands.items():  # warm-up: fills the bytecode cache, not counted
            checked(measure(argv, env), label)
        samples: dict[str, list[Sample]] = {label: [] for label in commands}
        for _ in range(runs):
            for label, argv in commands.items():
                samples[label].append(checked(measure(argv, env), label))
    med = {label: median([s.seconds for s in values]) for label, values in samples.items()}
    cpu = {label: median([s.cpu_seconds for s in values]) for label, values in samples.items()}
    section = Section(
        "Read commands against the floor (a bare httpx script, same GET)",
        ["Command", "Wall (floor)", "Ratio", "CPU (floor)", "CPU ratio", "Target", "Met"],
    )
    for label in pairs:
        floor = f"floor for {label}"
        share = med[label] / med[floor] if med[floor] > 0 else math.inf
        section.rows.append(
            [
                label,
                f"{secs(med[label])} ({secs(med[floor])})",
                ratio(med[label], med[floor]),
                f"{secs(cpu[label])} ({secs(cpu[floor])})",
                ratio(cpu[label], cpu[floor]),
                f"≤ {FLOOR_RATIO_TARGET:g}× wall",
                verdict(share <= FLOOR_RATIO_TARGET),
            ]
        )
    help_time = med["`ax-tasks --help`"]
    section.rows.append(
        [
            "`ax-tasks --help`",
            secs(help_time),
            "-",
            secs(cpu["`ax-tasks --help`"]),
            "-",
            f"≤ {secs(HELP_SECONDS_TARGET)}",
            verdict(help_time <= HELP_SECONDS_TARGET),
        ]
    )
    section.notes.append(
        f"Medians of {runs} interleaved runs after a warm-up run each, bytecode cached "
        "(PYTHONPYCACHEPREFIX), against `python -m ax_tasks_mcp.sandbox serve` on 127.0.0.1. "
        "The floor is `python floor.py URL KEY`: import httpx, one GET, print the JSON. CPU is "
        "the child's user + system time, steadier than wall time when other work shares the "
        "machine. ax-tasks does not import httpx's own command-line client (click, rich, "
        "pygments), which a bare `import httpx` loads."
    )
    return section
