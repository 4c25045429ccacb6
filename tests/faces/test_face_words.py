"""Each face speaks its own words: a CLI user never reads an MCP tool or parameter name, a model
never reads a flag or an ax-tasks command.

Every error path below is driven through both faces (the CLI runner and the in-process MCP
client) over the same sandbox; each face's text must name the field or operation its own way and
hold no word of the other face.  The source scans at the end cover the marks no path drives: every
field and operation a service message names must have a word on both faces.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from mcp import Client
from typer.testing import CliRunner

from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime
from ax_tasks_cli.words import CLI_WORDS, COMMANDS
from ax_tasks_mcp import RunRequest, TasksService
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.words import MCP_WORDS
from ax_tasks_mcp.service.lookups import LOOKUP_KINDS
from tests.server.mcp_helpers import START, make_service, text
from tests.support.clock import FakeTime

ROOT = Path(__file__).resolve().parents[2]
RUN_ID = "VGFza1J1bjo5OTpxUndY"  # TaskRun:99:qRwX
TASK_ID = "T25saW5lVGFzazo0NTpxUndY"  # OnlineTask:45:qRwX
RELEVANCE = [{"evaluator": "relevance"}]
LLM = {
    "experiment_type": "llm_generation",
    "ai_integration_id": "openai-prod",
    "model_name": "gpt-4o",
    "messages": [{"role": "user", "content": "{{input}}"}],
}
FILTERS = {"filters": [{"id": "A", "filter": "b = 1"}]}
# Shell-quoted JSON for the command lines below.
EVAL_JSON = shlex.quote(json.dumps(RELEVANCE))
LLM_JSON = shlex.quote(json.dumps(LLM))
FILTERS_JSON = shlex.quote(json.dumps(FILTERS))
RUN_TASK = "checkout-nightly-generation -s production-llm"
EVAL_TASK = "chatbot-hallucination -s demo"
NEW_EVAL = "create-evaluation -n x --task-type template_evaluation -s demo"
RUN_TASK_ARGS = {"task": "checkout-nightly-generation", "space": "production-llm"}
EVAL_TASK_ARGS = {"task": "chatbot-hallucination", "space": "demo"}
NEW_EVAL_ARGS = {"name": "x", "task_type": "template_evaluation", "space": "demo"}


@dataclass(frozen=True)
class Path_:
    """One service error path, as each face reaches it, and the word each must show."""

    id: str
    cli: str
    """The command line after ``ax-tasks`` (split like a shell does)."""
    tool: str
    arguments: dict[str, Any]
    cli_word: str
    mcp_word: str
    needs_run: bool = False


# (id, CLI line, tool, tool arguments, what the CLI must say, what the model must read)
PATHS = [
    Path_(
        "update-field-of-other-type",
        f"update {RUN_TASK} --sampling-rate 0.5",
        "update_task",
        {**RUN_TASK_ARGS, "sampling_rate": 0.5},
        "--sampling-rate does not apply",
        "sampling_rate does not apply",
    ),
    Path_(
        "nothing-to-update",
        f"update {EVAL_TASK}",
        "update_task",
        EVAL_TASK_ARGS,
        "--query-filters",
        "query_filters",
    ),
    Path_(
        "trigger-without-experiment-name",
        f"trigger-run {RUN_TASK}",
        "trigger_task_run",
        RUN_TASK_ARGS,
        "needs --experiment-name",
        "needs experiment_name",
    ),
    Path_(
        "trigger-field-of-other-type",
        f"trigger-run {RUN_TASK} --max-spans 5",
        "trigger_task_run",
        {**RUN_TASK_ARGS, "max_spans": 5},
        "--max-spans does not apply",
        "max_spans does not apply",
    ),
    Path_(
        "trigger-fields-of-both-types",
        f"trigger-run {EVAL_TASK} --max-spans 5 --experiment-name x",
        "trigger_task_run",
        {**EVAL_TASK_ARGS, "max_spans": 5, "experiment_name": "x"},
        "--max-spans is for evaluation tasks, --experiment-name for RUN_EXPERIMENT",
        "max_spans is for evaluation tasks, experiment_name for RUN_EXPERIMENT",
    ),
    Path_(
        "empty-window",
        f"trigger-run {EVAL_TASK} --data-start-time 2026-03-02T00:00:00Z"
        " --data-end-time 2026-03-01T00:00:00Z",
        "trigger_task_run",
        {
            **EVAL_TASK_ARGS,
            "data_start_time": "2026-03-02T00:00:00Z",
            "data_end_time": "2026-03-01T00:00:00Z",
        },
        "--data-start-time",
        "data_start_time",
    ),
    Path_(
        "examples-two-ways",
        f"trigger-run {RUN_TASK} --experiment-name x --example-ids a --max-examples 2",
        "trigger_task_run",
        {**RUN_TASK_ARGS, "experiment_name": "x", "example_ids": ["a"], "max_examples": 2},
        "--example-ids and --max-examples are mutually exclusive",
        "example_ids and max_examples are mutually exclusive",
    ),
    Path_(
        "experiments-of-a-project-task",
        f"trigger-run {EVAL_TASK} --experiment-ids x",
        "trigger_task_run",
        {**EVAL_TASK_ARGS, "experiment_ids": ["x"]},
        "--experiment-ids apply to dataset-based",
        "experiment_ids apply to dataset-based",
    ),
    Path_(
        "run-id-given-as-task",
        f"get {RUN_ID}",
        "get_task",
        {"task": RUN_ID},
        "use ax-tasks get-run, ax-tasks wait-for-run or ax-tasks cancel-run",
        "use get_task_run, wait_for_task_run or cancel_task_run",
    ),
    Path_(
        "task-id-given-as-run",
        f"get-run {TASK_ID}",
        "get_task_run",
        {"run_id": TASK_ID},
        "listed by ax-tasks list-runs",
        "listed by list_task_runs",
    ),
    Path_(
        "name-without-a-space",
        "get chatbot-hallucination",
        "get_task",
        {"task": "chatbot-hallucination"},
        "give one (--space: a name or an ID)",
        "give one (space: a name or an ID)",
    ),
    Path_(
        "evaluation-spec-of-run-type",
        f"create-evaluation -n x --task-type run_experiment -s demo --project chatbot"
        f" --evaluators {EVAL_JSON}",
        "create_evaluation_task",
        {
            **NEW_EVAL_ARGS,
            "task_type": "run_experiment",
            "project": "chatbot",
            "evaluators": RELEVANCE,
        },
        "created with ax-tasks create-run-experiment",
        "created with create_run_experiment_task",
    ),
    Path_(
        "project-and-dataset",
        f"{NEW_EVAL} --project chatbot --dataset qa-golden --evaluators {EVAL_JSON}",
        "create_evaluation_task",
        {**NEW_EVAL_ARGS, "project": "chatbot", "dataset": "qa-golden", "evaluators": RELEVANCE},
        "exactly one of --project and --dataset",
        "exactly one of project and dataset",
    ),
    Path_(
        "dataset-task-without-experiments",
        f"{NEW_EVAL} --dataset qa-golden --evaluators {EVAL_JSON}",
        "create_evaluation_task",
        {**NEW_EVAL_ARGS, "dataset": "qa-golden", "evaluators": RELEVANCE},
        "needs --experiment-ids",
        "needs experiment_ids",
    ),
    Path_(
        "both-filters",
        f"{NEW_EVAL} --project chatbot --evaluators {EVAL_JSON} --query-filter 'a = 1'"
        f" --query-filters {FILTERS_JSON}",
        "create_evaluation_task",
        {
            **NEW_EVAL_ARGS,
            "project": "chatbot",
            "evaluators": RELEVANCE,
            "query_filter": "a = 1",
            "query_filters": FILTERS,
        },
        "--query-filter (span filter) and --query-filters",
        "query_filter (span filter) and query_filters",
    ),
    Path_(
        "evaluator-entry-without-evaluator",
        f"{NEW_EVAL} --project chatbot --evaluators '[{{\"column_mappings\": {{}}}}]'",
        "create_evaluation_task",
        {**NEW_EVAL_ARGS, "project": "chatbot", "evaluators": [{"column_mappings": {}}]},
        "--evaluators[0] needs an evaluator",
        "evaluators[0] needs an evaluator",
    ),
    Path_(
        "run-task-of-a-missing-dataset",
        f"create-run-experiment -n x -s demo --dataset qa-goldn --run-configuration {LLM_JSON}",
        "create_run_experiment_task",
        {"name": "x", "space": "demo", "dataset": "qa-goldn", "run_configuration": LLM},
        "Did you mean: 'qa-golden'",
        "Did you mean: 'qa-golden'",
    ),
    Path_(  # the API's refusal of a query parameter, in each face's name for the filter
        "api-refuses-a-task-type-filter",
        "list -s demo --task-type template",
        "list_tasks",
        {"space": "demo", "task_type": "template"},
        "Invalid query parameter --task-type: 'TEMPLATE' is not one of",
        "Invalid query parameter task_type: 'TEMPLATE' is not one of",
    ),
]
RUN_CONFIG_WITHOUT_TYPE = Path_(
    "run-configuration-without-type",
    "create-run-experiment -n x -s demo --dataset qa-golden --run-configuration {}",
    "create_run_experiment_task",
    {"name": "x", "space": "demo", "dataset": "qa-golden", "run_configuration": {}},
    "--run-configuration needs experiment_type",
    "run_configuration needs experiment_type",
)
ALL_PATHS = [
    *(pytest.param(p, id=p.id) for p in PATHS),
    pytest.param(RUN_CONFIG_WITHOUT_TYPE, id=RUN_CONFIG_WITHOUT_TYPE.id),
]

# -- what counts as the other face's words -----------------------------------------------------

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
CLI_COMMAND = re.compile(r"\bax-tasks [a-z]")
HYPHENATED_COMMANDS = sorted(c for c in COMMANDS.values() if "-" in c)
# Not after a quote: a quoted word is a JSON key both faces write the same ("query_filter" inside
# --evaluators), not a parameter.
SNAKE = re.compile(r"(?<![\w.\"-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")


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
    return tmp_path / "sandbox.db", FakeTime(START)


@pytest.fixture
async def mcp_client(world: tuple[Path, FakeTime]) -> AsyncIterator[Client]:
    service = make_service(*world)
    # the server pauses between polls with the fake time too, so a wait never waits
    async with Client(build_server(service, sleep=world[1].pause), mode="legacy") as client:
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
    cli_text = cli_error(world, tuple(shlex.split(with_run(path.cli, run))))
    mcp_text = await mcp_error(mcp_client, path.tool, with_run(path.arguments, run))
    tools, parameters = await mcp_vocabulary(mcp_client)

    assert path.cli_word in cli_text
    assert path.mcp_word in mcp_text
    assert cli_leaks(cli_text, tools, parameters) == [], cli_text
    assert mcp_leaks(mcp_text) == [], mcp_text


@pytest.mark.anyio
async def test_a_wait_that_times_out_is_an_error_on_the_cli_and_an_answer_over_mcp(
    world: tuple[Path, FakeTime], mcp_client: Client
) -> None:
    run = running_run(world)
    cli_text = cli_error(world, ("wait-for-run", run, "--timeout", "1"))
    assert "wait again (ax-tasks wait-for-run) with a longer --timeout" in cli_text
    # a model gets the run with timed_out: true, so it never retries a trigger
    result = await mcp_client.call_tool("wait_for_task_run", {"run_id": run, "timeout_seconds": 1})
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["timed_out"] is True
    assert mcp_leaks(text(result)) == []


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
    lookups = {f"list_{kind}" for kind in LOOKUP_KINDS}  # list_lookup(kind), one per list
    assert operations <= set(dir(TasksService)) | lookups | {
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
