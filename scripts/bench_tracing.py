"""Benchmarks of the opt-in extras: tracing off against tracing on, side by side, and the Tab
key (shell completion) with and without its cache."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench_harness import (
    HELP_SECONDS_TARGET,
    Bench,
    Sample,
    Section,
    checked,
    measure,
    median,
    progress,
    ratio,
    secs,
    verdict,
)
from bench_mcp import StdioMCP
from bench_servers import OtlpSink, SandboxServer


def _interleaved(runs: int, commands: dict[str, Callable[[], float]]) -> dict[str, float]:
    """The median seconds of each command, run in turns after one warm-up run each."""
    for run in commands.values():  # warm-up: file cache and bytecode, not counted
        run()
    seconds: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, run in commands.items():
            seconds[label].append(run())
    return {label: median(values) for label, values in seconds.items()}


def _timed(bench: Bench, argv: list[str], env: dict[str, str], what: str) -> Callable[[], float]:
    def run() -> float:
        sample: Sample = checked(measure(argv, env), what)
        return sample.seconds

    return run


def _mcp_startup(bench: Bench, env: dict[str, str]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        client = StdioMCP([bench.ax_tasks_mcp, "--sandbox"], env, bench.path("mcp.log"))
        try:
            client.initialize()
            client.request("tools/list")
            return time.perf_counter() - start
        finally:
            client.close()

    return run


def bench_tracing(bench: Bench) -> Section:
    """``--help``, a read command and MCP start-up with tracing off (no OTEL_* variable) and
    on (an OTLP/HTTP endpoint on loopback that accepts the export), interleaved."""
    progress("tracing off and on, side by side")
    db = bench.seeded_db("tracing.db")
    cache = bench.path("pycache")
    with OtlpSink() as sink, SandboxServer(db, bench.path("tracing.log"), bench.env()) as server:
        off = {**bench.api_env(), "PYTHONPYCACHEPREFIX": str(cache)}
        off.pop("PYTHONDONTWRITEBYTECODE", None)
        on = {**off, "OTEL_EXPORTER_OTLP_ENDPOINT": sink.url}
        read = [bench.ax_tasks, "--base-url", server.url, "list", "-o", "json"]
        sandbox = {"AX_TASKS_SANDBOX_DB": str(db)}
        commands: dict[str, Callable[[], float]] = {}
        for state, env in (("off", off), ("on", on)):
            commands[f"help {state}"] = _timed(bench, [bench.ax_tasks, "--help"], env, "--help")
            commands[f"read {state}"] = _timed(bench, read, env, "list")
            commands[f"mcp {state}"] = _mcp_startup(bench, {**env, **sandbox})
        med = _interleaved(bench.runs, commands)
        exports = sink.requests
    section = Section(
        "Tracing off and on, side by side",
        ["Measure", "Tracing off", "Tracing on", "On / off", "Target (off)", "Met"],
    )
    rows = [
        ("`ax-tasks --help`", "help", f"≤ {secs(HELP_SECONDS_TARGET)}", HELP_SECONDS_TARGET),
        ("`ax-tasks list` over loopback", "read", "unchanged", None),
        ("`ax-tasks-mcp --sandbox` start → `tools/list`", "mcp", "unchanged", None),
    ]
    for label, key, target, limit in rows:
        t_off, t_on = med[f"{key} off"], med[f"{key} on"]
        met = verdict(t_off <= limit) if limit is not None else "-"
        section.rows.append([label, secs(t_off), secs(t_on), ratio(t_on, t_off), target, met])
    section.notes.append(
        f"Medians of {bench.runs} interleaved runs after a warm-up each, bytecode cached. Off: no "
        "OTEL_* variable, so nothing of OpenTelemetry is imported (the CLI reads the "
        "environment and goes on; the MCP server's SDK imports only the OpenTelemetry API, as "
        "before). On: OTEL_EXPORTER_OTLP_ENDPOINT names a loopback sink that accepts the "
        f"export ({exports} export requests reached it); the time includes importing the SDK "
        "and the OTLP exporter and, for a command, exporting its spans before it exits. "
        "'Unchanged' is checked against the cold-start, floor and MCP sections' figures."
    )
    return section


def _tab(bench: Bench, line: str, env: dict[str, str]) -> Callable[[], float]:
    tab = {**env, "_AX_TASKS_COMPLETE": "bash", "COMP_LINE": line, "COMP_POINT": str(len(line))}
    return _timed(bench, [bench.ax_tasks], tab, f"Tab after {line!r}")


def bench_completion(bench: Bench) -> Section:
    """What a Tab costs: a command name (no request), task names from a fresh cache, and task
    names asked of a loopback sandbox (the cache emptied before each run)."""
    progress("shell completion")
    db = bench.seeded_db("completion.db")
    cache = bench.path("completion-cache")
    env = {**bench.api_env(), "XDG_CACHE_HOME": str(cache)}
    with SandboxServer(db, bench.path("completion.log"), bench.env()) as server:
        names = f"ax-tasks --base-url {server.url} get --space demo ch"
        cold = _tab(bench, names, env)

        def uncached() -> float:
            for path in cache.rglob("*.json"):
                path.unlink()
            return cold()

        med = _interleaved(
            bench.runs,
            {
                "command": _tab(bench, "ax-tasks li", env),
                "cached": _tab(bench, names, env),
                "asked": uncached,
            },
        )
    section = Section("Shell completion (one Tab, bash protocol)", ["Tab after", "Time"])
    section.rows += [
        ["`ax-tasks li` (commands: no request)", secs(med["command"])],
        ["`ax-tasks get --space demo ch`, names cached", secs(med["cached"])],
        ["the same, asking a loopback sandbox (space, then tasks)", secs(med["asked"])],
    ]
    section.notes.append(
        f"Medians of {bench.runs} runs of `ax-tasks` as the bash script runs it "
        "(_AX_TASKS_COMPLETE, COMP_LINE, COMP_POINT). A name question waits at most "
        "AX_TASKS_COMPLETION_TIMEOUT (2 s by default) for the API; the cached answer sends "
        "nothing for two minutes."
    )
    return section
