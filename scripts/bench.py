#!/usr/bin/env python3
"""Benchmarks for ax-tasks, printed as a markdown table and written to a file.

    uv run python scripts/bench.py [--quick] [--out bench-results.md] [--official-ax PATH]

What it measures (every figure is the median of several runs; every comparison is a ratio of
two figures measured in this same run, on this machine):

* cold start (wall time and peak memory) of ``ax-tasks --help`` and ``ax-tasks --sandbox list``
  against ``python -c pass`` and, with ``--official-ax``, against ``ax tasks --help``;
* HTTP requests each command makes, by ID and by name, counted at a loopback sandbox;
* how soon ``ax-tasks wait-for-run`` notices that a 2 s, 10 s or 60 s run ended, and how many
  polls it made, against what a fixed 5 s interval would have done from the same first poll;
* the same wait loop over runs of 2 s to an hour on a virtual clock (its schedule alone);
* ``ax-tasks list --all -o ndjson`` over 1,000 and 10,000 tasks: time and peak memory;
* MCP: time from starting ``ax-tasks-mcp --sandbox`` to its ``tools/list`` answer beside a
  one-tool ``MCPServer`` (bytecode cached, interleaved), and a ``list_tasks`` tool call against
  a direct ``GET /v2/tasks``; memory per open HTTP session; an agent's day of six jobs in calls
  and o200k tokens (bench_agent_day.py);
* ``ax-tasks list`` and ``ax-tasks get-run`` over loopback against the floor: a bare Python
  script that imports httpx, makes the same GET and prints the JSON (bytecode cached);
* tasks as code: ``export``, ``plan`` and ``apply`` over 100 and 1,000 tasks, their requests,
  beside ``list --all`` of the same space.
* tracing off against tracing on, side by side: ``--help``, ``ax-tasks list`` and MCP
  start-up, with and without OTEL_EXPORTER_OTLP_ENDPOINT (a loopback sink accepts the export);
* one Tab of shell completion: a command name, and task names cached and asked.

Peak memory is the child's own ``ru_maxrss``, read with ``os.wait4`` by a fresh, minimal
parent per measurement (the number ``getrusage(RUSAGE_CHILDREN)`` gives a process whose only
child it is; a minimal parent, because Linux carries the pre-exec size of a forked child
over).  Every server the script starts listens on 127.0.0.1 only and is stopped by its pid;
every request loop is bounded in count and time.  Standard library plus the project's own
dependencies only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_agent_day import bench_agent_day
from bench_commands import bench_cold_start, bench_floor, bench_requests
from bench_harness import Bench, Section, machine_lines, progress
from bench_mcp import bench_mcp, bench_mcp_agents, bench_mcp_sessions, bench_mcp_tokens
from bench_plans import bench_plans
from bench_runs import bench_listing, bench_wait, bench_wait_schedule
from bench_tracing import bench_completion, bench_tracing

BENCHES: dict[str, Callable[[Bench], Section]] = {
    "cold": bench_cold_start,
    "requests": bench_requests,
    "wait": bench_wait,
    "schedule": bench_wait_schedule,
    "list": bench_listing,
    "mcp": bench_mcp,
    "floor": bench_floor,
    "mcp-tokens": bench_mcp_tokens,
    "mcp-agents": bench_mcp_agents,
    "plans": bench_plans,
    "mcp-sessions": bench_mcp_sessions,
    "agent-day": bench_agent_day,
    "tracing": bench_tracing,
    "completion": bench_completion,
}


def render(sections: list[Section], *, quick: bool, runs: int, command: str) -> str:
    lines = ["## Benchmarks", ""]
    lines.extend(machine_lines())
    lines.append(f"- Command: `{command}` ({'quick, ' if quick else ''}{runs} runs per figure)")
    for section in sections:
        lines.extend(["", section.render()])
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure")
    parser.add_argument("--out", default="bench-results.md", help="markdown file to write")
    parser.add_argument(
        "--official-ax",
        default=None,
        metavar="PATH",
        help="the official `ax` executable (in its own environment) to compare --help with",
    )
    parser.add_argument(
        "--only",
        default=None,
        help=f"comma-separated subset of: {', '.join(BENCHES)}",
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per figure (default 5, 2 quick)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    if runs < 1:
        raise SystemExit("--runs must be at least 1")
    official = None
    if args.official_ax:
        official = shutil.which(args.official_ax) or args.official_ax
        if not os.access(official, os.X_OK):
            raise SystemExit(f"--official-ax: {args.official_ax} is not an executable")
    chosen = list(BENCHES) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in chosen if n not in BENCHES]
    if unknown:
        raise SystemExit(f"--only: unknown benchmark(s) {', '.join(unknown)}")
    shown = ["uv run python scripts/bench.py"]
    if args.quick:
        shown.append("--quick")
    if args.runs:
        shown += ["--runs", str(args.runs)]
    if args.only:
        shown += ["--only", args.only]
    if official:
        shown += ["--official-ax", "PATH"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ax-tasks-bench-") as tmp:
        bench = Bench(Path(tmp), runs=runs, quick=args.quick, official_ax=official)
        sections = [BENCHES[name](bench) for name in chosen]
    text = render(sections, quick=args.quick, runs=runs, command=" ".join(shown))
    text += f"\n_The whole benchmark took {time.monotonic() - started:.0f} s._\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    progress(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
