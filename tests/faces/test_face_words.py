"""Each face speaks its own words: a CLI user never reads an MCP tool or parameter name, a model
never reads a flag or an ax-tasks command.

Every error path below is driven through both faces (the CLI runner and the in-process MCP
client) over the same sandbox; each face's text must name the field or operation its own way and
hold no word of the other face.  The source scans at the end cover the marks no path drives: every
field and operation a service message names must have a word on both faces.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer
from mcp import Client
from typer.testing import CliRunner

from ax_tasks_mcp import RunRequest, TasksService
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.words import MCP_WORDS
from cli.main import app
from cli.runtime import Runtime
from cli.words import CLI_WORDS, COMMANDS
from tests.mcp.mcp_helpers import FakeTime, make_service, text

ROOT = Path(__file__).resolve().parents[2]
RUN_ID = "VGFza1J1bjo5OTpxUndY"  # TaskRun:99:qRwX
TASK_ID = "T25saW5lVGFzazo0NTpxUndY"  # OnlineTask:45:qRwX
EVALUATORS = '[{"evaluator": "relevance"}]'
RUN_CONFIG = (
    '{"experiment_type": "llm_generation", "ai_integration_id": "openai-prod", '
    '"model_name": "gpt-4o", "messages": [{"role": "user", "content": "{{input}}"}]}'
)


@dataclass(frozen=True)
class Path_:
    """One service error path, as each face reaches it, and the word each must show."""

    id: str
    cli: tuple[str, ...]
    tool: str
    arguments: dict[str, Any]
    cli_word: str
    mcp_word: str
    needs_run: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


PATHS = [
    Path_(
        "update-field-of-other-type",
        ("update", "checkout-nightly-generation", "-s", "production-llm", "--sampling-rate", "0.5"),
        "update_task",
        {"task": "checkout-nightly-generation", "space": "production-llm", "sampling_rate": 0.5},
        "--sampling-rate does not apply",
        "sampling_rate does not apply",
    ),
    Path_(
        "nothing-to-update",
        ("update", "chatbot-hallucination", "-s", "demo"),
        "update_task",
        {"task": "chatbot-hallucination", "space": "demo"},
        "--query-filters",
        "query_filters",
    ),
    Path_(
        "trigger-without-experiment-name",
        ("trigger-run", "checkout-nightly-generation", "-s", "production-llm"),
        "trigger_task_run",
        {"task": "checkout-nightly-generation", "space": "production-llm"},
        "needs --experiment-name",
        "needs experiment_name",
    ),
    Path_(
        "trigger-field-of-other-type",
        ("trigger-run", "checkout-nightly-generation", "-s", "production-llm", "--max-spans", "5"),
        "trigger_task_run",
        {"task": "checkout-nightly-generation", "space": "production-llm", "max_spans": 5},
        "--max-spans does not apply",
        "max_spans does not apply",
    ),
    Path_(
        "trigger-fields-of-both-types",
        (
            "trigger-run",
            "chatbot-hallucination",
            "-s",
            "demo",
            "--max-spans",
            "5",
            "--experiment-name",
            "x",
        ),
        "trigger_task_run",
        {"task": "chatbot-hallucination", "space": "demo", "max_spans": 5, "experiment_name": "x"},
        "--max-spans is for evaluation tasks, --experiment-name for RUN_EXPERIMENT",
        "max_spans is for evaluation tasks, experiment_name for RUN_EXPERIMENT",
    ),
    Path_(
        "empty-window",
        (
            "trigger-run",
            "chatbot-hallucination",
            "-s",
            "demo",
            "--data-start-time",
            "2026-03-02T00:00:00Z",
            "--data-end-time",
            "2026-03-01T00:00:00Z",
        ),
        "trigger_task_run",
        {
            "task": "chatbot-hallucination",
            "space": "demo",
            "data_start_time": "2026-03-02T00:00:00Z",
            "data_end_time": "2026-03-01T00:00:00Z",
        },
        "--data-start-time",
        "data_start_time",
    ),
    Path_(
        "examples-two-ways",
        (
            "trigger-run",
            "checkout-nightly-generation",
            "-s",
            "production-llm",
            "--experiment-name",
            "x",
            "--example-ids",
            "a",
            "--max-examples",
            "2",
        ),
        "trigger_task_run",
        {
            "task": "checkout-nightly-generation",
            "space": "production-llm",
            "experiment_name": "x",
            "example_ids": ["a"],
            "max_examples": 2,
        },
        "--example-ids and --max-examples are mutually exclusive",
        "example_ids and max_examples are mutually exclusive",
    ),
    Path_(
        "experiments-of-a-project-task",
        ("trigger-run", "chatbot-hallucination", "-s", "demo", "--experiment-ids", "x"),
        "trigger_task_run",
        {"task": "chatbot-hallucination", "space": "demo", "experiment_ids": ["x"]},
        "--experiment-ids apply to dataset-based",
        "experiment_ids apply to dataset-based",
    ),
    Path_(
        "run-id-given-as-task",
        ("get", RUN_ID),
        "get_task",
        {"task": RUN_ID},
        "use ax-tasks get-run, ax-tasks wait-for-run or ax-tasks cancel-run",
        "use get_task_run, wait_for_task_run or cancel_task_run",
    ),
    Path_(
        "task-id-given-as-run",
        ("get-run", TASK_ID),
        "get_task_run",
        {"run_id": TASK_ID},
        "listed by ax-tasks list-runs",
        "listed by list_task_runs",
    ),
    Path_(
        "name-without-a-space",
        ("get", "chatbot-hallucination"),
        "get_task",
        {"task": "chatbot-hallucination"},
        "give one (--space: a name or an ID)",
        "give one (space: a name or an ID)",
    ),
    Path_(
        "evaluation-spec-of-run-type",
        (
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "run_experiment",
            "-s",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            EVALUATORS,
        ),
        "create_evaluation_task",
        {
            "name": "x",
            "task_type": "run_experiment",
            "space": "demo",
            "project": "chatbot",
            "evaluators": [{"evaluator": "relevance"}],
        },
        "created with ax-tasks create-run-experiment",
        "created with create_run_experiment_task",
    ),
    Path_(
        "project-and-dataset",
        (
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "template_evaluation",
            "-s",
            "demo",
            "--project",
            "chatbot",
            "--dataset",
            "qa-golden",
            "--evaluators",
            EVALUATORS,
        ),
        "create_evaluation_task",
        {
            "name": "x",
            "task_type": "template_evaluation",
            "space": "demo",
            "project": "chatbot",
            "dataset": "qa-golden",
            "evaluators": [{"evaluator": "relevance"}],
        },
        "exactly one of --project and --dataset",
        "exactly one of project and dataset",
    ),
    Path_(
        "dataset-task-without-experiments",
        (
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "template_evaluation",
            "-s",
            "demo",
            "--dataset",
            "qa-golden",
            "--evaluators",
            EVALUATORS,
        ),
        "create_evaluation_task",
        {
            "name": "x",
            "task_type": "template_evaluation",
            "space": "demo",
            "dataset": "qa-golden",
            "evaluators": [{"evaluator": "relevance"}],
        },
        "needs --experiment-ids",
        "needs experiment_ids",
    ),
    Path_(
        "both-filters",
        (
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "template_evaluation",
            "-s",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            EVALUATORS,
            "--query-filter",
            "a = 1",
            "--query-filters",
            '{"filters": [{"id": "A", "filter": "b = 1"}]}',
        ),
        "create_evaluation_task",
        {
            "name": "x",
            "task_type": "template_evaluation",
            "space": "demo",
            "project": "chatbot",
            "evaluators": [{"evaluator": "relevance"}],
            "query_filter": "a = 1",
            "query_filters": {"filters": [{"id": "A", "filter": "b = 1"}]},
        },
        "--query-filter (span filter) and --query-filters",
        "query_filter (span filter) and query_filters",
    ),
    Path_(
        "evaluator-entry-without-evaluator",
        (
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "template_evaluation",
            "-s",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            '[{"column_mappings": {}}]',
        ),
        "create_evaluation_task",
        {
            "name": "x",
            "task_type": "template_evaluation",
            "space": "demo",
            "project": "chatbot",
            "evaluators": [{"column_mappings": {}}],
        },
        "--evaluators[0] needs an evaluator",
        "evaluators[0] needs an evaluator",
    ),
    Path_(
        "run-task-of-a-missing-dataset",
        (
            "create-run-experiment",
            "-n",
            "x",
            "-s",
            "demo",
            "--dataset",
            "qa-goldn",
            "--run-configuration",
            RUN_CONFIG,
        ),
        "create_run_experiment_task",
        {
            "name": "x",
            "space": "demo",
            "dataset": "qa-goldn",
            "run_configuration": {
                "experiment_type": "llm_generation",
                "ai_integration_id": "openai-prod",
                "model_name": "gpt-4o",
                "messages": [{"role": "user", "content": "{{input}}"}],
            },
        },
        "Did you mean: 'qa-golden'",
        "Did you mean: 'qa-golden'",
    ),
    Path_(
        "wait-times-out",
        ("wait-for-run", "{run}", "--timeout", "1"),
        "wait_for_task_run",
        {"run_id": "{run}", "timeout_seconds": 1},
        "wait again (ax-tasks wait-for-run) with a longer --timeout",
        "wait again (wait_for_task_run) with a longer timeout_seconds",
        needs_run=True,
    ),
]

RUN_CONFIG_WITHOUT_TYPE = Path_(
    "run-configuration-without-type",
    (
        "create-run-experiment",
        "-n",
        "x",
        "-s",
        "demo",
        "--dataset",
        "qa-golden",
        "--run-configuration",
        "{}",
    ),
    "create_run_experiment_task",
    {"name": "x", "space": "demo", "dataset": "qa-golden", "run_configuration": {}},
    "--run-configuration needs experiment_type",
    "run_configuration needs experiment_type",
)
ALL_PATHS = [
    *(pytest.param(p, id=p.id) for p in PATHS),
    pytest.param(
        RUN_CONFIG_WITHOUT_TYPE,
        id=RUN_CONFIG_WITHOUT_TYPE.id,
        marks=pytest.mark.xfail(
            strict=True,
            reason="service/wire.py (issue 12) writes run_configuration unmarked, not with "
            "words.field(): drop this mark once it does",
        ),
    ),
]

# -- what counts as the other face's words -----------------------------------------------------

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
CLI_COMMAND = re.compile(r"\bax-tasks [a-z]")
HYPHENATED_COMMANDS = sorted(c for c in COMMANDS.values() if "-" in c)
SNAKE = re.compile(r"(?<![\w.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")


def cli_leaks(message: str, tools: set[str], parameters: set[str]) -> list[str]:
    """Tool names and snake_case tool parameters (not --flags) in a CLI message."""
    return [w for w in SNAKE.findall(message) if w in tools or w in parameters]


def mcp_leaks(message: str) -> list[str]:
    """Flags, ax-tasks commands and hyphenated command names in a model's message."""
    found = FLAG.findall(message) + CLI_COMMAND.findall(message)
    found += [c for c in HYPHENATED_COMMANDS if re.search(rf"(?<![\w-]){c}(?![\w-])", message)]
    return found


def test_the_leak_finders_see_the_other_faces_words() -> None:
    assert cli_leaks("use get_task_run, or sampling_rate", {"get_task_run"}, {"sampling_rate"})
    assert not cli_leaks("give --sampling-rate", {"get_task_run"}, {"sampling_rate"})
    assert mcp_leaks("pass --space") == ["--space"]
    assert mcp_leaks("run ax-tasks list") == ["ax-tasks l"]
    assert mcp_leaks("use get-run") == ["get-run"]
    assert not mcp_leaks("use get_task_run with space; a-b--c")


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, FakeTime]:
    for name in list(os.environ):
        if name.startswith(("ARIZE_", "AX_TASKS_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AX_TASKS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AX_TASKS_NO_ALPHA_NOTICE", "1")
    return tmp_path / "sandbox.db", FakeTime()


@pytest.fixture
async def mcp_client(world: tuple[Path, FakeTime]) -> AsyncIterator[Client]:
    service = make_service(*world)
    async with Client(build_server(service), mode="legacy") as client:
        yield client
    service.close()


def running_run(world: tuple[Path, FakeTime]) -> str:
    with make_service(*world) as service:
        run = service.trigger_run(
            "chatbot-hallucination",
            RunRequest(data_start_time="2026-03-01T00:00:00Z"),
            space="demo",
        )
    return str(run["id"])


def cli_error(world: tuple[Path, FakeTime], args: tuple[str, ...]) -> str:
    def service(_: Runtime) -> TasksService:
        return make_service(*world)

    runtime = Runtime(is_tty=lambda stream: stream == "stderr", service_factory=service)
    result = CliRunner().invoke(app, list(args), obj=runtime, catch_exceptions=False)
    assert result.exit_code != 0, result.stdout
    return result.stderr


async def mcp_error(client: Client, tool: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result
    return text(result)


async def mcp_vocabulary(client: Client) -> tuple[set[str], set[str]]:
    tools = (await client.list_tools()).tools
    parameters = {p for t in tools for p in (t.input_schema.get("properties") or {})}
    return {t.name for t in tools}, {p for p in parameters if "_" in p}


def with_run(value: Any, run: str) -> Any:
    if isinstance(value, str):
        return value.replace("{run}", run)
    if isinstance(value, dict):
        return {k: with_run(v, run) for k, v in value.items()}
    return value


# -- every error path, both faces -------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("path", ALL_PATHS)
async def test_each_face_names_the_error_in_its_own_words(
    path: Path_, world: tuple[Path, FakeTime], mcp_client: Client
) -> None:
    run = running_run(world) if path.needs_run else ""
    cli_text = cli_error(world, tuple(with_run(a, run) for a in path.cli))
    mcp_text = await mcp_error(mcp_client, path.tool, with_run(path.arguments, run))
    tools, parameters = await mcp_vocabulary(mcp_client)

    assert path.cli_word in cli_text
    assert path.mcp_word in mcp_text
    assert cli_leaks(cli_text, tools, parameters) == [], cli_text
    assert mcp_leaks(mcp_text) == [], mcp_text


# -- every mark the service writes has a word on both faces ----------------------------------

SERVICE = ROOT / "ax_tasks_mcp" / "service"
MARK = re.compile(r"""\b(field|operation)\(\s*['"]([a-z_]+)['"]\s*\)""")


def service_marks(kind: str) -> set[str]:
    found: set[str] = set()
    for path in SERVICE.glob("*.py"):
        found |= {name for what, name in MARK.findall(path.read_text()) if what == kind}
    return found


def cli_options() -> set[str]:
    """Every option of every command, and the metavar of every argument (Typer vendors its own
    Click, so the command tree is read by duck typing)."""
    group: Any = typer.main.get_command(app)
    found: set[str] = set()
    for command in group.commands.values():
        for param in command.params:
            found.update(param.opts if param.param_type_name == "option" else [param.metavar])
    return found


def test_the_service_marks_what_it_names() -> None:
    assert "sampling_rate" in service_marks("field")
    assert "get_run" in service_marks("operation")


def test_every_operation_a_message_names_is_a_command_and_a_tool() -> None:
    operations = service_marks("operation")
    assert operations <= set(dir(TasksService)) | {
        "create_evaluation_task",
        "create_run_experiment_task",
    }
    assert operations <= set(COMMANDS)


@pytest.mark.anyio
async def test_every_operation_a_message_names_is_an_mcp_tool(mcp_client: Client) -> None:
    tools, _ = await mcp_vocabulary(mcp_client)
    assert {MCP_WORDS.operation(op) for op in service_marks("operation")} <= tools


# Fields the service checks that neither face lets a person or a model set: the wait's own
# interval bounds, the page size the faces pick, and arguments a face fills in itself.
INTERNAL = {"min_interval", "max_interval", "page_size"}


def test_every_field_a_message_names_is_a_cli_option() -> None:
    options = cli_options()
    named = {CLI_WORDS.field(name) for name in service_marks("field") - INTERNAL}
    assert named - options == set()


@pytest.mark.anyio
async def test_every_field_a_message_names_is_an_mcp_parameter(mcp_client: Client) -> None:
    tools = (await mcp_client.list_tools()).tools
    parameters = {p for t in tools for p in (t.input_schema.get("properties") or {})}
    named = {MCP_WORDS.field(name) for name in service_marks("field") - INTERNAL}
    assert named - parameters == set()
