"""Benchmarks of waiting and listing: wait-for-run's lag and polls, its schedule on a
virtual clock, and list --all."""

from __future__ import annotations

import contextlib
import math
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench_harness import (
    FIXED_POLL_INTERVAL,
    LIST_SIZES,
    RUN_LENGTHS,
    Bench,
    Section,
    checked,
    fixtures,
    make_task,
    measure,
    median,
    mib,
    prepare_run,
    progress,
    ratio,
    secs,
    verdict,
)
from bench_servers import CountingProxy, SandboxServer


@dataclass(frozen=True)
class WaitResult:
    length: float
    lag: float
    polls: int
    fixed_polls: int
    fixed_lag: float


def _wait_once(
    bench: Bench, client: httpx.Client, proxy: CountingProxy, db: Path, task_id: str, length: float
) -> WaitResult:
    run_id, ends_at = prepare_run(client, db, task_id, length)
    argv = bench.cli(proxy.url, "wait-for-run", run_id, "--timeout", str(int(length * 3 + 60)))
    sample = checked(measure(argv, bench.api_env(), timeout=length * 3 + 120), "wait-for-run")
    path = f"/v2/task-runs/{run_id}"
    polls = [h for h in proxy.since(0) if h.method == "GET" and h.path == path]
    first = polls[0].at if polls else sample.ended_at
    remaining = max(0.0, ends_at - first)
    fixed_polls = 1 + math.ceil(remaining / FIXED_POLL_INTERVAL)
    fixed_lag = first + FIXED_POLL_INTERVAL * (fixed_polls - 1) - ends_at
    return WaitResult(length, sample.ended_at - ends_at, len(polls), fixed_polls, fixed_lag)


def bench_wait(bench: Bench) -> Section:
    progress("wait-for-run: 2 s, 10 s and 60 s runs (about 70 s)")
    db = bench.seeded_db("wait.db")
    results: dict[float, list[WaitResult]] = {length: [] for length in RUN_LENGTHS}
    errors: list[BaseException] = []
    lock = threading.Lock()
    with (
        SandboxServer(db, bench.path("wait-server.log"), bench.env()) as server,
        CountingProxy(server.url) as proxy,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        fx = fixtures(client)
        task = make_task(client, fx, "bench-wait")

        def one(length: float) -> None:
            try:
                result = _wait_once(bench, client, proxy, db, task["id"], length)
            except BaseException as exc:
                with lock:
                    errors.append(exc)
                return
            with lock:
                results[length].append(result)

        # The long runs wait concurrently (they mostly sleep), the short ones one at a time
        # meanwhile, so a full run of this section takes about as long as one long run.
        longest = RUN_LENGTHS[-1]
        threads = []
        for _ in range(bench.runs):
            thread = threading.Thread(target=one, args=(longest,), daemon=True)
            thread.start()
            threads.append(thread)
            time.sleep(0.5)
        time.sleep(2.0)  # let the long waits finish starting up before timing short ones
        for length in RUN_LENGTHS[:-1]:
            for _ in range(bench.runs):
                one(length)
        for thread in threads:
            thread.join(timeout=longest * 3 + 180)
    if errors:
        raise RuntimeError(f"wait-for-run failed: {errors[0]}") from errors[0]

    section = Section(
        "`wait-for-run`: noticing that a run ended",
        [
            "Run length",
            "Noticed after the end (worst)",
            "Allowed",
            "In time",
            "Polls",
            "Fixed 5 s interval: polls / lag",
            "Fewer polls",
        ],
    )
    for length in RUN_LENGTHS:
        items = results[length]
        lag = median([r.lag for r in items])
        worst = max(r.lag for r in items)
        polls = median([r.polls for r in items])
        fixed_polls = median([r.fixed_polls for r in items])
        fixed_lag = median([r.fixed_lag for r in items])
        allowed = max(0.2 * length, 1.0)
        section.rows.append(
            [
                f"{length:g} s",
                f"{secs(lag)} ({secs(worst)})",
                f"≤ {secs(allowed)}",
                verdict(lag <= allowed),
                f"{polls:g}",
                f"{fixed_polls:g} / {secs(fixed_lag)}",
                verdict(polls < fixed_polls),
            ]
        )
    section.notes.append(
        f"Real time, no speed-up: each run is triggered on a loopback sandbox and its plan set to "
        f"end COMPLETED exactly that many seconds after it was created; `ax-tasks wait-for-run` "
        f"(default options) starts at once. 'Noticed' is the time the process exited minus "
        f"the run's end; polls are the `GET /v2/task-runs/{{id}}` the proxy saw. The "
        f"fixed-interval figures are what polling every {FIXED_POLL_INTERVAL:g} s from the "
        f"same first poll would have needed. Median of {bench.runs} runs per length; the "
        f"{longest:g} s runs wait concurrently with the shorter ones. Target: noticed within "
        "20% of the run's length or 1 s, whichever is larger, in fewer polls than the fixed "
        "interval."
    )
    return section


SCHEDULE_LENGTHS = (2.0, 10.0, 60.0, 600.0, 3600.0)


def _simulated_wait(length: float, poll_interval: float | None) -> tuple[int, float]:
    """Polls and lag of the service's own wait loop over a run of ``length`` s, on a virtual
    clock: the real scheduling code, with time that passes only when it sleeps."""
    from ax_tasks_mcp.service.polling import wait_for

    now = [0.0]
    polls = [0]

    def fetch() -> str:
        polls[0] += 1
        return "COMPLETED" if now[0] >= length else "RUNNING"

    def sleep(seconds: float) -> None:
        now[0] += seconds

    wait_for(
        fetch,
        is_terminal=lambda status: status == "COMPLETED",
        describe=str,
        run_id="simulated",
        timeout=length * 10 + 60,
        poll_interval=poll_interval,
        clock=lambda: now[0],
        sleep=sleep,
    )
    return polls[0], now[0] - length


def bench_wait_schedule(bench: Bench) -> Section:
    progress("wait schedule on a virtual clock (2 s to 1 h runs)")
    section = Section(
        "Wait schedule over longer runs (virtual clock)",
        ["Run length", "Polls", "Lag", "Allowed", "Fixed 5 s: polls / lag", "Fewer polls"],
    )
    for length in SCHEDULE_LENGTHS:
        polls, lag = _simulated_wait(length, None)
        fixed_polls, fixed_lag = _simulated_wait(length, FIXED_POLL_INTERVAL)
        allowed = max(0.2 * length, 1.0)
        section.rows.append(
            [
                f"{length:g} s",
                f"{polls}",
                secs(lag),
                f"≤ {secs(allowed)}" + ("" if lag <= allowed else " **missed**"),
                f"{fixed_polls} / {secs(fixed_lag)}",
                verdict(polls < fixed_polls),
            ]
        )
    section.notes.append(
        "`ax_tasks_mcp.service.polling.wait_for`, the loop behind `wait-for-run`, `--wait` and "
        "the MCP wait tool, with its default schedule (0.5 s, growing 1.5x to 5 s, then to at "
        "most a fifth of the time waited, capped at 60 s) against a fixed 5 s interval, on a clock "
        "that moves only when the loop sleeps: a model of the schedule, not of the network. "
        "Lag is how long after the run's end the loop noticed; the run ends at the given "
        "length after the first poll, so whole multiples of 5 s flatter the fixed interval "
        "(lag 0); a run of random length would leave it 2.5 s late on average."
    )
    return section


def bulk_tasks(db: Path, count: int) -> None:
    """Add ``count`` tasks to a seeded database in one transaction (copies of a seeded task)."""
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn, conn:
        conn.row_factory = sqlite3.Row
        template = conn.execute(
            "SELECT * FROM tasks WHERE continuous_since IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
        if template is None:
            raise RuntimeError("the seeded sandbox has no task to copy")
        columns = [c for c in template.keys() if c != "id"]  # noqa: SIM118 - sqlite3.Row
        rows = []
        for i in range(count):
            values = dict(template)
            values["name"] = f"bulk-task-{i:06d}"
            rows.append(tuple(values[c] for c in columns))
        marks = ", ".join("?" for _ in columns)
        conn.executemany(
            f"INSERT INTO tasks ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def bench_listing(bench: Bench) -> Section:
    progress("list --all over 1,000 and 10,000 tasks")
    section = Section(
        "`ax-tasks list --all -o ndjson`: time and peak memory",
        ["Tasks", "Where", "Wall time", "Per 1,000 tasks", "Peak RSS", "Lines out"],
    )
    peaks: dict[str, list[float]] = {}
    for size in LIST_SIZES:
        db = bench.seeded_db(f"list-{size}.db")
        bulk_tasks(db, size)
        with SandboxServer(db, bench.path(f"list-{size}.log"), bench.env()) as server:
            modes: list[tuple[str, list[str], dict[str, str]]] = [
                (
                    "loopback server",
                    bench.cli(server.url, "list", "--all", "-o", "ndjson"),
                    bench.api_env(),
                ),
                (
                    "embedded `--sandbox`",
                    [bench.ax_tasks, "--sandbox", "list", "--all", "-o", "ndjson"],
                    bench.env(AX_TASKS_SANDBOX_DB=str(db)),
                ),
            ]
            for where, argv, env in modes:
                out = bench.path(f"list-{size}.ndjson")
                samples = [
                    checked(measure(argv, env, stdout=out), f"list --all ({where})")
                    for _ in range(bench.runs)
                ]
                lines = sum(1 for line in out.read_bytes().splitlines() if line.strip())
                if lines < size:
                    raise RuntimeError(f"list --all printed {lines} tasks, expected ≥ {size}")
                t = median([s.seconds for s in samples])
                m = median([s.maxrss_mib for s in samples])
                peaks.setdefault(where, []).append(m)
                section.rows.append(
                    [f"{size:,}", where, secs(t), secs(t / lines * 1000), mib(m), f"{lines:,}"]
                )
                out.unlink()
    for where, values in peaks.items():
        small, large = values[0], values[-1]
        flat = large - small <= max(5.0, 0.1 * small)
        section.notes.append(
            f"Memory growth from {LIST_SIZES[0]:,} to {LIST_SIZES[-1]:,} tasks ({where}): "
            f"{large - small:+.1f} MiB ({ratio(large, small)}); flat: {verdict(flat)}."
        )
    section.notes.append(
        "The loopback figures are the CLI alone; embedded, the sandbox runs inside the CLI's "
        "process, so its peak also holds the sandbox's own work for each page."
    )
    section.notes.append(
        f"Tasks were bulk-inserted into a seeded sandbox database (plus its few seeded tasks). "
        f"Median of {bench.runs} runs; stdout to a file. 'Flat' means growth within 5 MiB or "
        "10% while the task count grows tenfold."
    )
    return section
