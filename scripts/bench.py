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
* MCP: time from starting ``ax-tasks-mcp --sandbox`` to its ``tools/list`` answer, and a
  ``list_tasks`` tool call against a direct ``GET /v2/tasks``;
* ``ax-tasks list`` and ``ax-tasks get-run`` over loopback against the floor: a bare Python
  script that imports httpx, makes the same GET and prints the JSON (bytecode cached).

Peak memory is the child's own ``ru_maxrss``, read with ``os.wait4`` by a fresh, minimal
parent per measurement (the number ``getrusage(RUSAGE_CHILDREN)`` gives a process whose only
child it is; a minimal parent, because Linux carries the pre-exec size of a forked child
over).  Every server the script starts listens on 127.0.0.1 only and is stopped by its pid;
every request loop is bounded in count and time.  Standard library plus the project's own
dependencies only.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import json
import math
import os
import platform
import re
import selectors
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import quote, unquote

import httpx

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "bench-key-not-a-secret"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
MIB = 1024 * 1024

# Targets (from the issue).
HELP_SECONDS_TARGET = 0.15
HELP_MIB_TARGET = 40.0
OFFICIAL_HELP_SECONDS = 2.0
OFFICIAL_HELP_MIB = 180.0
FIXED_POLL_INTERVAL = 5.0
RUN_LENGTHS = (2.0, 10.0, 60.0)
LIST_SIZES = (1_000, 10_000)
MCP_CALLS = 20


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(row) + " |")
        if self.notes:
            lines.append("")
            lines.extend(self.notes)
        return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    if ok is None:
        return "-"
    return "yes" if ok else "**no**"


def secs(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def mib(value: float) -> str:
    return f"{value:.1f} MiB"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b > 0 else "n/a"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


# --------------------------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------------------------


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def _memory_total() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    return "unknown"


def machine_lines() -> list[str]:
    return [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores",
        f"- Memory: {_memory_total()}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
    ]


# --------------------------------------------------------------------------------------------
# Running a child and measuring it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    maxrss_mib: float
    returncode: int
    ended_at: float
    """Wall-clock (epoch) time the child was reaped."""
    stderr: str
    cpu_seconds: float = 0.0
    """The child's user + system CPU time: steadier than wall time on a busy machine."""


# A tiny measuring parent.  Linux keeps a process's peak RSS across exec, and subprocess starts
# children with vfork, so a child of this benchmark would report at least the benchmark's own
# size; forked from this minimal interpreter (``-I -S``, about 8 MiB) it reports its own.  It
# times the child itself and reports: peak RSS in KiB, exit code, seconds, end (epoch).
_MEASURER = """
import os, sys, time
report = sys.argv[1]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execve(sys.argv[2], sys.argv[2:], os.environ)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
ended = time.time()
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as handle:
    cpu = usage.ru_utime + usage.ru_stime
    code = code if code >= 0 else 128 - code
    handle.write(f"{usage.ru_maxrss} {code} {elapsed!r} {ended!r} {cpu!r}")
"""


def measure(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    stdout: Path | None = None,
    timeout: float = 300.0,
) -> Sample:
    """Run ``argv`` to completion: its wall time and its own peak RSS (``ru_maxrss`` of
    ``os.wait4`` in a fresh minimal parent)."""
    executable = argv[0] if os.sep in argv[0] else shutil.which(argv[0], path=env.get("PATH"))
    if executable is None:
        raise RuntimeError(f"{argv[0]} not found")
    with contextlib.ExitStack() as stack:
        out: IO[bytes] | int = subprocess.DEVNULL
        if stdout is not None:
            out = stack.enter_context(stdout.open("wb"))
        err = stack.enter_context(tempfile.TemporaryFile())
        report = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "report"
        measurer = [sys.executable, "-I", "-S", "-c", _MEASURER, str(report)]
        proc = subprocess.Popen(
            [*measurer, executable, *argv[1:]],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait(timeout=10)
            raise RuntimeError(f"{' '.join(argv)} did not finish within {timeout:g}s") from None
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        try:
            rss_kib, code, elapsed, ended, cpu = report.read_text().split()
        except (OSError, ValueError):
            raise RuntimeError(f"measuring {argv[0]} failed: {text[-500:]}") from None
    # Linux reports ru_maxrss in KiB.
    return Sample(float(elapsed), int(rss_kib) / 1024, int(code), float(ended), text, float(cpu))


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """Stop a child we started, by its pid: SIGTERM, then SIGKILL after a grace period."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill(proc.pid)
            proc.wait(timeout=10)


def checked(sample: Sample, what: str, expected: int = 0) -> Sample:
    if sample.returncode != expected:
        tail = sample.stderr.strip().splitlines()[-5:]
        raise RuntimeError(
            f"{what} exited {sample.returncode} (expected {expected}): " + " / ".join(tail)
        )
    return sample


# --------------------------------------------------------------------------------------------
# The sandbox server, and a counting reverse proxy in front of it
# --------------------------------------------------------------------------------------------

_LISTENING = re.compile(r"sandbox listening on (http://\S+)")


class SandboxServer:
    """``python -m ax_tasks_mcp.sandbox serve`` on a free loopback port, stopped by its pid."""

    def __init__(self, db: Path, log: Path, env: dict[str, str], *extra: str) -> None:
        self.db = db
        self.log = log
        self.env = env
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> SandboxServer:
        argv = [sys.executable, "-m", "ax_tasks_mcp.sandbox", "serve", "--host", "127.0.0.1"]
        argv += ["--port", "0", "--db", str(self.db), *self.extra]
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=ROOT
            )
        try:
            self._wait_ready(timeout=60.0)
        except BaseException:
            stop_process(self.proc)
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the sandbox exited: {self.log.read_text()[-2000:]}")
            found = _LISTENING.search(self.log.read_text(errors="replace"))
            if found:
                self.url = found.group(1)
                with contextlib.suppress(httpx.HTTPError):
                    answer = httpx.get(f"{self.url}/v2/spaces?limit=1", headers=AUTH, timeout=2)
                    if answer.status_code == 200:
                        return
            time.sleep(0.05)
        raise RuntimeError(f"the sandbox did not start within {timeout:g}s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.proc is not None:
            stop_process(self.proc)


_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
        "date",
        "server",
    }
)


@dataclass(frozen=True)
class Hit:
    at: float
    method: str
    path: str
    """The decoded path without the query."""


class CountingProxy:
    """A loopback reverse proxy that records every request it forwards."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.client = httpx.Client(timeout=httpx.Timeout(60.0), follow_redirects=False)
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.record(self.command, self.path)
                headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
                try:
                    answer = proxy.client.request(
                        self.command, proxy.upstream + self.path, headers=headers, content=body
                    )
                except httpx.HTTPError as exc:
                    data = f"proxy: {type(exc).__name__}".encode()
                    self.send_response(502)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.multi_items():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def do_PATCH(self) -> None:
                self._forward()

            def do_PUT(self) -> None:
                self._forward()

            def do_DELETE(self) -> None:
                self._forward()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def record(self, method: str, raw_path: str) -> None:
        hit = Hit(time.time(), method.upper(), unquote(raw_path.split("?", 1)[0]))
        with self._lock:
            self._hits.append(hit)

    def mark(self) -> int:
        with self._lock:
            return len(self._hits)

    def since(self, mark: int) -> list[Hit]:
        with self._lock:
            return list(self._hits[mark:])

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
        self.client.close()


# --------------------------------------------------------------------------------------------
# The environment the benchmarks run in
# --------------------------------------------------------------------------------------------


def _executable(name: str) -> str:
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed: run `uv sync` first.")
    return found


@dataclass
class Bench:
    tmp: Path
    runs: int
    quick: bool
    official_ax: str | None
    ax_tasks: str = field(default_factory=lambda: _executable("ax-tasks"))
    ax_tasks_mcp: str = field(default_factory=lambda: _executable("ax-tasks-mcp"))
    _counter: int = 0

    def env(self, **extra: str) -> dict[str, str]:
        """A clean environment: no real key or profile, no notice, no colour."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ARIZE_", "AX_TASKS_", "VIRTUAL_ENV", "UV_"))
        }
        home = self.tmp / "home"
        home.mkdir(exist_ok=True)
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            AX_TASKS_CONFIG_DIR=str(self.tmp / "config"),
            AX_TASKS_NO_ALPHA_NOTICE="1",
            NO_COLOR="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(extra)
        return env

    def path(self, name: str) -> Path:
        self._counter += 1
        return self.tmp / f"{self._counter:03d}-{name}"

    def cli(self, base_url: str, *args: str) -> list[str]:
        return [self.ax_tasks, "--base-url", base_url, *args]

    def api_env(self) -> dict[str, str]:
        return self.env(ARIZE_API_KEY=API_KEY)

    def seeded_db(self, name: str) -> Path:
        """A fresh sandbox database, seeded the way the sandbox seeds it."""
        from ax_tasks_mcp.sandbox.admin import reset

        db = self.path(name)
        reset(str(db))
        return db


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Direct API helpers (set-up only, never measured)
# --------------------------------------------------------------------------------------------


def api(client: httpx.Client, method: str, path: str, body: Any = None) -> Any:
    answer = client.request(method, path, json=body, headers=AUTH)
    if answer.status_code >= 400:
        raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
    return answer.json() if answer.content else None


def find_one(client: httpx.Client, kind: str, name: str, **params: str) -> dict[str, Any]:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in {"name": name, **params}.items())
    items = api(client, "GET", f"/v2/{kind}?limit=100&{query}")[kind]
    exact = [item for item in items if item["name"] == name]
    if len(exact) != 1:
        raise RuntimeError(f"expected one {kind} named {name!r}, found {len(exact)}")
    found: dict[str, Any] = exact[0]
    return found


def number_of(global_id: str) -> int:
    """The row number inside a global ID (padded base64 of ``Type:number[:suffix]``)."""
    try:
        text = base64.b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise RuntimeError(f"{global_id!r} is not a global ID") from exc
    return int(text.split(":")[1])


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# --------------------------------------------------------------------------------------------
# 1. Cold start and memory
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# 2. HTTP requests per command
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixtures:
    space: dict[str, Any]
    project: dict[str, Any]
    dataset: dict[str, Any]
    evaluator: dict[str, Any]
    experiment: dict[str, Any]


def fixtures(client: httpx.Client) -> Fixtures:
    space = find_one(client, "spaces", "demo")
    return Fixtures(
        space=space,
        project=find_one(client, "projects", "chatbot", space_id=space["id"]),
        dataset=find_one(client, "datasets", "qa-golden", space_id=space["id"]),
        evaluator=find_one(client, "evaluators", "hallucination", space_id=space["id"]),
        experiment=find_one(client, "experiments", "baseline-gpt-4o"),
    )


def make_task(client: httpx.Client, fx: Fixtures, name: str) -> dict[str, Any]:
    body = {
        "name": name,
        "type": "TEMPLATE_EVALUATION",
        "project_id": fx.project["id"],
        "evaluators": [{"evaluator_id": fx.evaluator["id"]}],
        "sampling_rate": 0.5,
    }
    created: dict[str, Any] = api(client, "POST", "/v2/tasks", body)
    return created


def trigger(client: httpx.Client, task_id: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    body = {
        "data_start_time": iso(now - timedelta(hours=1)),
        "data_end_time": iso(now),
        "override_evaluations": True,
    }
    run: dict[str, Any] = api(client, "POST", f"/v2/tasks/{quote(task_id, safe='')}/trigger", body)
    return run


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
        long_run, _ = _prepare_run(client, db, t["runs"]["id"], 3600.0)

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


# --------------------------------------------------------------------------------------------
# 3. Noticing the end of a run
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitResult:
    length: float
    lag: float
    polls: int
    fixed_polls: int
    fixed_lag: float


def _prepare_run(client: httpx.Client, db: Path, task_id: str, length: float) -> tuple[str, float]:
    """Trigger a run, then set its plan so it ends COMPLETED ``length`` s after it was created.

    Returns the run ID and the epoch time it ends.
    """
    run = trigger(client, task_id)
    number = number_of(run["id"])
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn, conn:
        plan_text, created_at = conn.execute(
            "SELECT plan, created_at FROM task_runs WHERE id = ?", (number,)
        ).fetchone()
        plan = json.loads(plan_text)
        pending = min(float(plan.get("pending", 1.0)), length / 4)
        plan.update(
            pending=pending, duration=length - pending, outcome="COMPLETED", failure_reason=None
        )
        conn.execute("UPDATE task_runs SET plan = ? WHERE id = ?", (json.dumps(plan), number))
    return str(run["id"]), float(created_at) + length


def _wait_once(
    bench: Bench, client: httpx.Client, proxy: CountingProxy, db: Path, task_id: str, length: float
) -> WaitResult:
    run_id, ends_at = _prepare_run(client, db, task_id, length)
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


# --------------------------------------------------------------------------------------------
# 4. Listing many tasks
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# 5. MCP
# --------------------------------------------------------------------------------------------

MCP_PROTOCOL = "2025-06-18"


class StdioMCP:
    """A minimal MCP client over a child's stdio (newline-delimited JSON-RPC)."""

    def __init__(self, argv: list[str], env: dict[str, str], stderr: Path) -> None:
        self._err = stderr.open("wb")
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            cwd=ROOT,
        )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self._stdin = self.proc.stdin
        self._stdout = self.proc.stdout
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._stdout, selectors.EVENT_READ)
        self._buffer = b""
        self._next_id = 0

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, notify: bool = False
    ) -> int:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            self._next_id += 1
            message["id"] = self._next_id
        self._stdin.write(json.dumps(message).encode() + b"\n")
        self._stdin.flush()
        return self._next_id

    def receive(self, request_id: int, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                message = json.loads(line)
                if isinstance(message, dict) and message.get("id") == request_id:
                    if "error" in message:
                        raise RuntimeError(f"MCP error: {message['error']}")
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("the MCP server did not answer in time")
            if not self._selector.select(timeout=left):
                continue
            chunk = os.read(self._stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the MCP server closed its stdout")
            self._buffer += chunk

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.receive(self.send(method, params))

    def initialize(self) -> None:
        self.request(
            "initialize",
            {
                "protocolVersion": MCP_PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "ax-tasks-bench", "version": "0"},
            },
        )
        self.send("notifications/initialized", notify=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stop_process(self.proc)
        self._selector.close()
        self._stdout.close()
        self._err.close()


def bench_mcp(bench: Bench) -> Section:
    progress("MCP: start-up to tools/list, and list_tasks against GET /v2/tasks")
    db = bench.seeded_db("mcp.db")
    startups: list[float] = []
    tool_count = 0
    for _ in range(bench.runs):
        start = time.perf_counter()
        client = StdioMCP(
            [bench.ax_tasks_mcp, "--sandbox"],
            bench.env(AX_TASKS_SANDBOX_DB=str(db)),
            bench.path("mcp-startup.log"),
        )
        try:
            client.initialize()
            listed = client.request("tools/list")
            startups.append(time.perf_counter() - start)
            tool_count = len(listed["result"]["tools"])
        finally:
            client.close()

    with SandboxServer(db, bench.path("mcp-server.log"), bench.env()) as server:
        mcp = StdioMCP(
            [bench.ax_tasks_mcp, "--base-url", server.url],
            bench.api_env(),
            bench.path("mcp-calls.log"),
        )
        tool_times: list[float] = []
        http_times: list[float] = []
        try:
            mcp.initialize()
            arguments = {"name": "list_tasks", "arguments": {"limit": 15}}
            answer = mcp.request("tools/call", arguments)  # warm-up: builds the service
            if answer["result"].get("isError"):
                raise RuntimeError(f"list_tasks failed: {answer['result']}")
            with httpx.Client(base_url=server.url, timeout=30) as http:
                http.get("/v2/tasks?limit=15", headers=AUTH).raise_for_status()
                for _ in range(MCP_CALLS):
                    start = time.perf_counter()
                    mcp.request("tools/call", arguments)
                    tool_times.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    http.get("/v2/tasks?limit=15", headers=AUTH).raise_for_status()
                    http_times.append(time.perf_counter() - start)
        finally:
            mcp.close()

    t_tool, t_http = median(tool_times), median(http_times)
    section = Section("MCP server", ["Measure", "Result", "Comparison"])
    section.rows.append(
        [
            "`ax-tasks-mcp --sandbox` start → `tools/list` answer (stdio)",
            secs(median(startups)),
            f"{tool_count} tools listed",
        ]
    )
    section.rows.append(
        [
            "`list_tasks` tool call (limit 15), over stdio to a loopback sandbox",
            secs(t_tool),
            f"{ratio(t_tool, t_http)} a direct call; overhead {secs(t_tool - t_http)}",
        ]
    )
    section.rows.append(["direct `GET /v2/tasks?limit=15` (httpx, keep-alive)", secs(t_http), "1×"])
    section.notes.append(
        f"Start-up: median of {bench.runs} fresh processes, timed from spawning to the "
        f"`tools/list` response (initialize handshake included). Calls: median of {MCP_CALLS} "
        "calls each, interleaved, after one warm-up call."
    )
    return section


def bench_mcp_tokens(bench: Bench) -> Section:
    import mcp_budget  # scripts/ is on sys.path when this script runs

    progress("MCP: tokens of the tool definitions and of default answers (o200k)")
    section = Section("MCP: tokens a model pays", ["Measure", "Before", "After", "Target"])
    section.rows.extend(mcp_budget.token_rows(mcp_budget.measure_tokens()))
    section.notes.append(
        "o200k tokens (offline, bpe-openai) of compact JSON, in process over the embedded"
        " sandbox. Before: the server at 91fce19, measured with the same code"
        " (`scripts/mcp_budget.py`)."
    )
    return section


def bench_mcp_agents(bench: Bench) -> Section:
    import mcp_budget

    progress(f"MCP: list_tasks over HTTP while {mcp_budget.WAITERS} waits are open")
    result = mcp_budget.measure_agents(bench.ax_tasks_mcp, bench.env(), bench.path("agents.log"))
    section = Section("MCP: many agents at once", ["Measure", "Result", "Comparison"])
    section.rows.extend(mcp_budget.agent_rows(result))
    section.notes.append(
        f"One `ax-tasks-mcp --transport http --sandbox` on 127.0.0.1; {mcp_budget.WAITERS}"
        " agents (a session each) wait on one very slow run while another session calls"
        f" `list_tasks` {mcp_budget.LIST_CALLS} times in a row."
    )
    return section


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------
# 7. Read commands against the floor: a bare httpx script making the same GET
# --------------------------------------------------------------------------------------------

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
