"""Benchmark harness: result tables, timed child processes, the machine, the sandbox
fixtures and the run's settings (see bench.py)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent


API_KEY = "bench-key-not-a-secret"


AUTH = {"Authorization": f"Bearer {API_KEY}"}


MIB = 1024 * 1024


HELP_SECONDS_TARGET = 0.15


HELP_MIB_TARGET = 40.0


OFFICIAL_HELP_SECONDS = 2.0


OFFICIAL_HELP_MIB = 180.0


FIXED_POLL_INTERVAL = 5.0


RUN_LENGTHS = (2.0, 10.0, 60.0)


LIST_SIZES = (1_000, 10_000)


MCP_CALLS = 20


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


def prepare_run(client: httpx.Client, db: Path, task_id: str, length: float) -> tuple[str, float]:
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
