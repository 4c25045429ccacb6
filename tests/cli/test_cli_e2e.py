"""End to end: ``ax-tasks`` as a process against ``python -m ax_tasks_mcp.sandbox serve``.

Every example of the official ``ax tasks`` reference runs here as written, with ``ax-tasks`` for
``ax tasks`` and the sandbox's real IDs for the placeholders.  The base URL and key come from the
environment (ARIZE_BASE_URL, ARIZE_API_KEY) so the command lines stay exactly the reference's.

Two servers: a fast one (runs finish within milliseconds, so ``--wait`` never sleeps) and one at
real speed, where a fresh run stays cancellable long enough for ``cancel-run``.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

FAST = "1000000"
REAL_TIME = "1"
CLI = Path(sys.executable).with_name("ax-tasks")


@dataclass
class Server:
    url: str
    db: Path
    pid: int


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _python_env(base: dict[str, str], cache: Path) -> dict[str, str]:
    """Let the child processes share compiled bytecode in a temporary directory (this keeps
    the repository clean and spares each process compiling everything again)."""
    env = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


@pytest.fixture(scope="session")
def pycache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pycache")


def _serve(directory: Path, speed: str, cache: Path) -> Iterator[Server]:
    db = directory / "sandbox.db"
    env = _python_env({**os.environ, "AX_TASKS_SANDBOX_SPEED": speed}, cache)
    command = [
        sys.executable,
        "-m",
        "ax_tasks_mcp.sandbox",
        "serve",
        "--port",
        str(_free_port()),
        "--db",
        str(db),
    ]
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # blocks until the server says where it listens
    assert "listening on" in line, line
    drain = threading.Thread(target=proc.stderr.read, daemon=True)
    drain.start()
    try:
        yield Server(line.split("listening on", 1)[1].strip(), db, proc.pid)
    finally:
        os.kill(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        drain.join(timeout=5)
        proc.stderr.close()


@pytest.fixture(scope="module")
def fast_server(tmp_path_factory: pytest.TempPathFactory, pycache: Path) -> Iterator[Server]:
    yield from _serve(tmp_path_factory.mktemp("fast"), FAST, pycache)


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory: pytest.TempPathFactory, pycache: Path) -> Iterator[Server]:
    yield from _serve(tmp_path_factory.mktemp("slow"), REAL_TIME, pycache)


@pytest.fixture
def fresh_server(tmp_path: Path, pycache: Path) -> Iterator[Server]:
    """A fast server of its own: the seeded task's next run covers days of spans."""
    yield from _serve(tmp_path, FAST, pycache)


Run = Callable[..., subprocess.CompletedProcess[str]]


def _runner(server: Server, home: Path, cache: Path) -> Run:
    env = _python_env(
        {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))},
        cache,
    )
    env.update(
        {
            "HOME": str(home),
            "AX_TASKS_CONFIG_DIR": str(home / "config"),
            "ARIZE_BASE_URL": server.url,
            "ARIZE_API_KEY": "e2e-test-key",
            "AX_TASKS_NO_ALPHA_NOTICE": "1",
        }
    )

    def run(command: str, *, cwd: Path | None = None, **extra_env: str) -> Any:
        argv = shlex.split(command)
        assert argv[0] == "ax-tasks"
        return subprocess.run(
            [str(CLI), *argv[1:]],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=cwd or home,
            env={**env, **extra_env},
            stdin=subprocess.DEVNULL,
        )

    return run


@pytest.fixture(scope="module")
def fast(fast_server: Server, tmp_path_factory: pytest.TempPathFactory, pycache: Path) -> Run:
    return _runner(fast_server, tmp_path_factory.mktemp("home"), pycache)


@pytest.fixture(scope="module")
def slow(slow_server: Server, tmp_path_factory: pytest.TempPathFactory, pycache: Path) -> Run:
    return _runner(slow_server, tmp_path_factory.mktemp("home-slow"), pycache)


@pytest.fixture
def fresh(fresh_server: Server, tmp_path: Path, pycache: Path) -> Run:
    home = tmp_path / "fresh-home"
    home.mkdir()
    return _runner(fresh_server, home, pycache)


def ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return json.loads(result.stdout) if result.stdout.strip() else None


@pytest.fixture(scope="module")
def ids(fast: Run, fast_server: Server) -> dict[str, str]:
    """The reference's placeholders, bound to the sandbox's seeded resources."""
    info = ok(fast(f"ax-tasks sandbox info --db {fast_server.db} -o json"))
    demo = next(s for s in info["spaces"] if s["name"] == "demo")
    project = next(p for p in demo["projects"] if p["name"] == "chatbot")
    dataset = next(d for d in demo["datasets"] if d["name"] == "qa-golden")
    evaluator = next(e for e in demo["evaluators"] if e["name"] == "relevance")
    task = next(t for t in demo["tasks"] if t["name"] == "chatbot-hallucination")
    integration = next(i for i in info["ai_integrations"] if i["name"] == "openai-prod")
    runs = ok(fast(f"ax-tasks list-runs {task['id']} --status completed"))
    return {
        "sp_abc123": demo["id"],
        "proj_abc123": project["id"],
        "ds_xyz789": dataset["id"],
        "ev_abc123": evaluator["id"],
        "exp_abc123": dataset["experiments"][0]["id"],
        "exp_def456": dataset["experiments"][1]["id"],
        "ai_abc": integration["id"],
        "task_abc123": task["id"],
        "run_abc123": runs[0]["id"],
    }


def example(text: str, ids: dict[str, str], **more: str) -> str:
    """The reference's text with ``ax tasks`` → ``ax-tasks`` and placeholders → real IDs."""
    text = text.replace("\\\n", " ").replace("ax tasks ", "ax-tasks ")
    for placeholder, value in {**ids, **more}.items():
        text = text.replace(placeholder, value)
    return text


def delete_named(run: Run, *names: str) -> None:
    for name in names:
        run(f'ax-tasks delete "{name}" --space demo --force')


# -- ax tasks list ---------------------------------------------------------------------------


def test_list_examples(fast: Run, ids: dict[str, str], tmp_path: Path) -> None:
    tasks = ok(fast(example("ax tasks list --space sp_abc123", ids)))
    assert "chatbot-hallucination" in {t["name"] for t in tasks}
    typed = ok(
        fast(example("ax tasks list --space sp_abc123 --task-type template_evaluation", ids))
    )
    assert typed
    assert {t["type"] for t in typed} == {"TEMPLATE_EVALUATION"}
    result = fast(
        example("ax tasks list --project proj_abc123 --output tasks.json", ids), cwd=tmp_path
    )
    assert ok(result) is None
    assert "Wrote" in result.stderr
    saved = json.loads((tmp_path / "tasks.json").read_text())
    assert {t["project_id"] for t in saved} == {ids["proj_abc123"]}


# -- ax tasks create / create-evaluation / create-run-experiment ------------------------------

CREATE_CONTINUOUS = """ax tasks create \\
  --name "Relevance Monitor" \\
  --task-type template_evaluation \\
  --project proj_abc123 \\
  --evaluators '[{"evaluator_id": "ev_abc123"}]' \\
  --is-continuous \\
  --sampling-rate 0.1"""

CREATE_DATASET = """ax tasks create \\
  --name "Experiment Evaluation" \\
  --task-type template_evaluation \\
  --dataset ds_xyz789 \\
  --experiment-ids "exp_abc123,exp_def456" \\
  --evaluators '[{"evaluator_id": "ev_abc123"}]' \\
  --no-continuous"""

CREATE_RUN_EXPERIMENT = """ax tasks create \\
  --name "GPT-4o Summarization" \\
  --task-type run_experiment \\
  --dataset ds_xyz789 \\
  --run-configuration '{"experiment_type": "llm_generation", "ai_integration_id": "ai_abc", \
"model_name": "gpt-4o", "messages": [{"role": "user", "content": "{{input}}"}]}'"""

CREATE_EVALUATION = """ax tasks create-evaluation \\
  --name "Relevance Monitor" \\
  --task-type template_evaluation \\
  --project proj_abc123 \\
  --evaluators '[{"evaluator_id": "ev_abc123"}]' \\
  --sampling-rate 0.1 \\
  --is-continuous"""

CREATE_RUN_EXPERIMENT_FILE = """ax tasks create-run-experiment \\
  --name "GPT-4o Summarization" \\
  --dataset ds_xyz789 \\
  --run-configuration @./run_config.json"""


def test_create_examples(fast: Run, ids: dict[str, str]) -> None:
    delete_named(fast, "Relevance Monitor", "Experiment Evaluation", "GPT-4o Summarization")
    monitor = ok(fast(example(CREATE_CONTINUOUS, ids)))
    assert monitor["is_continuous"] is True
    assert monitor["sampling_rate"] == 0.1
    dataset_task = ok(fast(example(CREATE_DATASET, ids)))
    assert sorted(dataset_task["experiment_ids"]) == sorted([ids["exp_abc123"], ids["exp_def456"]])
    experiment = ok(fast(example(CREATE_RUN_EXPERIMENT, ids)))
    config = experiment["run_configuration"]
    assert config["experiment_type"] == "LLM_GENERATION"
    assert config["messages"][0]["role"] == "USER"


def test_create_evaluation_example(fast: Run, ids: dict[str, str]) -> None:
    delete_named(fast, "Relevance Monitor")
    task = ok(fast(example(CREATE_EVALUATION, ids)))
    assert task["type"] == "TEMPLATE_EVALUATION"


def test_create_run_experiment_example(fast: Run, ids: dict[str, str], tmp_path: Path) -> None:
    delete_named(fast, "GPT-4o Summarization")
    (tmp_path / "run_config.json").write_text(
        json.dumps(
            {
                "experiment_type": "llm_generation",
                "ai_integration_id": ids["ai_abc"],
                "model_name": "gpt-4o",
                "messages": [{"role": "user", "content": "{{input}}"}],
            }
        )
    )
    task = ok(fast(example(CREATE_RUN_EXPERIMENT_FILE, ids), cwd=tmp_path))
    assert task["run_configuration"]["input_variable_format"] == "MUSTACHE"


# -- ax tasks get / update / delete ----------------------------------------------------------


def test_get_example(fast: Run, ids: dict[str, str]) -> None:
    task = ok(fast(example("ax tasks get task_abc123", ids)))
    assert task["id"] == ids["task_abc123"]


def fresh_task(run: Run, name: str) -> str:
    delete_named(run, name)
    created = ok(
        run(
            f'ax-tasks create --name "{name}" --task-type template_evaluation --space demo '
            '--project chatbot --evaluators \'[{"evaluator": "relevance"}]\''
        )
    )
    return str(created["id"])


def test_update_example(fast: Run, ids: dict[str, str]) -> None:
    delete_named(fast, "Relevance Monitor v2")
    task_id = fresh_task(fast, "to be renamed")
    text = 'ax tasks update task_abc123 --name "Relevance Monitor v2" --sampling-rate 0.25'
    updated = ok(fast(example(text, ids, task_abc123=task_id)))
    assert updated["name"] == "Relevance Monitor v2"
    assert updated["sampling_rate"] == 0.25


def test_delete_example(fast: Run, ids: dict[str, str]) -> None:
    task_id = fresh_task(fast, "to be deleted")
    deleted = ok(fast(example("ax tasks delete task_abc123 --force", ids, task_abc123=task_id)))
    assert deleted["id"] == task_id
    assert fast(f"ax-tasks get {task_id}").returncode == 4


# -- ax tasks trigger-run --------------------------------------------------------------------


def test_trigger_run_example(fast: Run, ids: dict[str, str]) -> None:
    run = ok(fast(example("ax tasks trigger-run task_abc123", ids)))
    assert run["task_id"] == ids["task_abc123"]
    assert run["status"] in ("PENDING", "RUNNING", "COMPLETED")


def test_trigger_run_over_31_days_is_refused_clearly(fast: Run, ids: dict[str, str]) -> None:
    text = """ax tasks trigger-run task_abc123 \\
  --data-start-time 2024-01-01T00:00:00Z \\
  --data-end-time 2024-02-01T00:00:00Z"""
    before = ok(fast(example("ax tasks list-runs task_abc123 --all", ids)))
    result = fast(example(text, ids))
    assert result.returncode == 2
    error = json.loads(result.stderr)["error"]
    assert error["kind"] == "validation_error"
    assert "31.0 days" in error["message"]
    assert "at most 30" in error["message"]
    assert ok(fast(example("ax tasks list-runs task_abc123 --all", ids))) == before


@pytest.mark.parametrize(
    "text",
    [
        "ax tasks trigger-run task_abc123 --wait",
        "ax tasks trigger-run task_abc123 --wait --timeout 300 --poll-interval 10",
    ],
)
def test_trigger_run_wait_examples(fresh: Run, ids: dict[str, str], text: str) -> None:
    result = fresh(example(text, ids))
    run = ok(result)
    assert run["status"] == "COMPLETED"
    assert run["num_successes"] > 0
    assert result.stderr == ""


# -- ax tasks list-runs / get-run / wait-for-run ---------------------------------------------


def test_list_runs_examples(fast: Run, ids: dict[str, str], tmp_path: Path) -> None:
    runs = ok(fast(example("ax tasks list-runs task_abc123", ids)))
    assert runs
    assert len(runs) <= 15
    completed = ok(fast(example("ax tasks list-runs task_abc123 --status completed", ids)))
    assert {r["status"] for r in completed} == {"COMPLETED"}
    text = "ax tasks list-runs task_abc123 --status failed --output runs.json"
    result = fast(example(text, ids), cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads((tmp_path / "runs.json").read_text()) == []


def test_get_run_example(fast: Run, ids: dict[str, str]) -> None:
    run = ok(fast(example("ax tasks get-run run_abc123", ids)))
    assert run["id"] == ids["run_abc123"]


def test_wait_for_run_examples(fresh: Run, ids: dict[str, str]) -> None:
    run = ok(fresh(example("ax tasks trigger-run task_abc123", ids)))
    for text in (
        "ax tasks wait-for-run run_abc123",
        "ax tasks wait-for-run run_abc123 --timeout 300 --poll-interval 10",
    ):
        final = ok(fresh(example(text, ids, run_abc123=run["id"])))
        assert final["status"] == "COMPLETED"


def test_waiting_reports_a_cancelled_run_with_exit_6(fast: Run, ids: dict[str, str]) -> None:
    """Back-to-back triggers leave an empty window: the sandbox cancels such a run, and the
    exit code and stderr say so."""
    fast(example("ax tasks trigger-run task_abc123 --wait", ids))
    result = fast(example("ax tasks trigger-run task_abc123 --wait", ids))
    assert result.returncode == 6, result.stderr
    assert json.loads(result.stdout)["status"] == "CANCELLED"
    assert "was CANCELLED: " in result.stderr


# -- ax tasks cancel-run (real-time server: the run is still going) --------------------------


def test_cancel_run_examples(slow: Run, ids: dict[str, str]) -> None:
    # A 29-day window: thousands of spans, so at real speed the run lasts minutes.
    start = (datetime.now(UTC) - timedelta(days=29)).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = ok(slow(example(f"ax tasks trigger-run task_abc123 --data-start-time {start}", ids)))
    assert run["status"] in ("PENDING", "RUNNING")
    # As written, without --force: no terminal to ask on, so it refuses and changes nothing.
    refused = slow(example("ax tasks cancel-run run_abc123", ids, run_abc123=run["id"]))
    assert refused.returncode == 2
    assert "--force" in refused.stderr
    cancelled = ok(
        slow(example("ax tasks cancel-run run_abc123 --force", ids, run_abc123=run["id"]))
    )
    assert cancelled["status"] == "CANCELLED"
    waited = slow(f"ax-tasks wait-for-run {run['id']}")
    assert waited.returncode == 6


# -- the process as a whole ------------------------------------------------------------------


def test_lookups_stay_light(fast_server: Server, tmp_path: Path, pycache: Path) -> None:
    """A lookup loads the HTTP client but neither the MCP server stack nor the sandbox."""
    code = (
        "import sys\n"
        "sys.argv = ['ax-tasks', 'spaces']\n"
        "from ax_tasks_cli.main import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    env = {
        **_python_env(dict(os.environ), pycache),
        "HOME": str(tmp_path),
        "AX_TASKS_CONFIG_DIR": str(tmp_path / "config"),
        "ARIZE_BASE_URL": fast_server.url,
        "ARIZE_API_KEY": "e2e-test-key",
        "AX_TASKS_NO_ALPHA_NOTICE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    heavy = ("mcp", "uvicorn", "starlette", "ax_tasks_mcp.sandbox", "ax_tasks_mcp.server.app")
    loaded = [m for m in done.stderr.split() if any(m == h or m.startswith(h + ".") for h in heavy)]
    assert loaded == []


def test_the_alpha_notice_once_per_config_dir(fast: Run, tmp_path: Path) -> None:
    env = {"AX_TASKS_NO_ALPHA_NOTICE": "", "AX_TASKS_CONFIG_DIR": str(tmp_path)}
    first = fast("ax-tasks spaces", **env)
    assert first.stderr == "ax-tasks: the tasks API is ALPHA and may change without notice.\n"
    assert "ALPHA" not in first.stdout
    assert fast("ax-tasks spaces", **env).stderr == ""
