"""The API key never shows: every command, succeeding and failing, plain, --verbose and --dry-run.

The commands run in-process (CliRunner) against a sandbox served over loopback, with
ARIZE_API_KEY set to a recognisable secret; the key travels in the Authorization header (a proxy
records it) and must appear in no stdout, stderr, log record or error.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime
from tests.secrets.conftest import SECRET, Served

pytestmark = pytest.mark.e2e  # against a sandbox served over loopback

OK = "ok"
FAIL = "fail"
WRITE_COMMANDS = frozenset(
    {
        "create",
        "create-evaluation",
        "create-run-experiment",
        "update",
        "delete",
        "trigger-run",
        "cancel-run",
    }
)


@dataclass(frozen=True)
class Case:
    label: str
    expect: str
    args: Callable[[Served], list[str]]
    records: bool = True
    """False when the user typed the key as data: it is then in a lookup URL, so only what
    is shown (stdout, stderr, the error) is checked."""


def _evaluators(served: Served) -> str:
    return json.dumps([{"evaluator_id": served.ids["evaluator"]}])


RUN_CONFIG = json.dumps(
    {
        "experiment_type": "llm_generation",
        "ai_integration_id": "openai-prod",
        "model_name": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "{question}"}],
    }
)
MISSING_RUN = "VGFza1J1bjo5OTk5OTpxUndY"


def _completed_run(served: Served) -> str:
    task = served.api("GET", "/v2/tasks?name=chatbot-hallucination")["tasks"][0]
    runs = served.api("GET", f"/v2/tasks/{task['id']}/runs?status=COMPLETED")["task_runs"]
    run_id: str = runs[0]["id"]
    return run_id


CASES = [
    Case("list", OK, lambda s: ["list", "--space", "demo"]),
    Case("list --all ndjson", OK, lambda s: ["list", "--all", "-o", "ndjson"]),
    Case("list, unknown space", FAIL, lambda s: ["list", "--space", "no-such-space"]),
    Case("list, bad type", FAIL, lambda s: ["list", "--task-type", "nonsense"]),
    Case("get by name", OK, lambda s: ["get", s.fresh_task()["name"], "--space", "demo"]),
    Case("get by ID", OK, lambda s: ["get", s.fresh_task()["id"]]),
    Case("get, not found", FAIL, lambda s: ["get", "no-such-task", "--space", "demo"]),
    Case("get, the key as a name", FAIL, lambda s: ["get", SECRET, "--space", "demo"], False),
    Case(
        "create",
        OK,
        lambda s: [
            "create",
            "--name",
            s.unique("created"),
            "--task-type",
            "template_evaluation",
            "--space",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            '[{"evaluator": "hallucination"}]',
        ],
    ),
    Case(
        "create, broken JSON",
        FAIL,
        lambda s: [
            "create",
            "--name",
            s.unique("broken"),
            "--task-type",
            "template_evaluation",
            "--project",
            s.ids["project"],
            "--evaluators",
            "[{",
        ],
    ),
    Case(
        "create-evaluation",
        OK,
        lambda s: [
            "create-evaluation",
            "--name",
            s.unique("evaluation"),
            "--task-type",
            "code_evaluation",
            "--project",
            s.ids["project"],
            "--evaluators",
            _evaluators(s),
        ],
    ),
    Case(
        "create-evaluation, project and dataset",
        FAIL,
        lambda s: [
            "create-evaluation",
            "--name",
            s.unique("both"),
            "--task-type",
            "template_evaluation",
            "--space",
            "demo",
            "--project",
            "chatbot",
            "--dataset",
            "qa-golden",
            "--evaluators",
            _evaluators(s),
        ],
    ),
    Case(
        "create-run-experiment",
        OK,
        lambda s: [
            "create-run-experiment",
            "--name",
            s.unique("experiment"),
            "--space",
            "demo",
            "--dataset",
            "qa-golden",
            "--run-configuration",
            RUN_CONFIG,
        ],
    ),
    Case(
        "create-run-experiment, bad configuration",
        FAIL,
        lambda s: [
            "create-run-experiment",
            "--name",
            s.unique("bad-experiment"),
            "--space",
            "demo",
            "--dataset",
            "qa-golden",
            "--run-configuration",
            '{"experiment_type": "nonsense"}',
        ],
    ),
    Case("update", OK, lambda s: ["update", s.fresh_task()["id"], "--sampling-rate", "0.5"]),
    Case(
        "update, field of another type",
        FAIL,
        lambda s: ["update", s.fresh_task()["id"], "--run-configuration", RUN_CONFIG],
    ),
    Case("delete", OK, lambda s: ["delete", s.fresh_task()["id"], "--force"]),
    Case("delete, not found", FAIL, lambda s: ["delete", "gone", "--space", "demo", "--force"]),
    Case(
        "trigger-run",
        OK,
        lambda s: [
            "trigger-run",
            s.fresh_task()["id"],
            "--data-start-time",
            "2026-01-01T00:00:00Z",
            "--data-end-time",
            "2026-01-02T00:00:00Z",
        ],
    ),
    Case("trigger-run, no window", FAIL, lambda s: ["trigger-run", s.fresh_task()["id"]]),
    Case("list-runs", OK, lambda s: ["list-runs", "chatbot-hallucination", "--space", "demo"]),
    Case("list-runs, bad status", FAIL, lambda s: ["list-runs", "x", "--status", "sleeping"]),
    Case("get-run", OK, lambda s: ["get-run", _completed_run(s)]),
    Case("get-run, not found", FAIL, lambda s: ["get-run", MISSING_RUN]),
    Case("get-run, not an ID", FAIL, lambda s: ["get-run", "run-one"]),
    Case(
        "cancel-run",
        OK,
        lambda s: ["cancel-run", s.running_run(s.fresh_task()["id"]), "--force"],
    ),
    Case("cancel-run, finished", FAIL, lambda s: ["cancel-run", _completed_run(s), "--force"]),
    Case("wait-for-run", OK, lambda s: ["wait-for-run", _completed_run(s)]),
    Case(
        "wait-for-run, timeout",
        FAIL,
        lambda s: ["wait-for-run", s.running_run(s.fresh_task()["id"]), "--timeout", "0.2"],
    ),
    Case("spaces", OK, lambda s: ["spaces"]),
    Case("spaces, bad limit", FAIL, lambda s: ["spaces", "--limit", "0"]),
    Case("projects", OK, lambda s: ["projects", "--space", "demo"]),
    Case("projects, unknown space", FAIL, lambda s: ["projects", "--space", "nowhere"]),
    Case("datasets", OK, lambda s: ["datasets", "--space", "demo"]),
    Case("datasets, bad cursor", FAIL, lambda s: ["datasets", "--space", "demo", "-c", "junk"]),
    Case("evaluators", OK, lambda s: ["evaluators", "--space", "demo", "--all"]),
    Case("evaluators, unknown space", FAIL, lambda s: ["evaluators", "--space", "nowhere"]),
    Case("ai-integrations", OK, lambda s: ["ai-integrations", "-o", "yaml"]),
    Case("ai-integrations, bad output", FAIL, lambda s: ["ai-integrations", "-o", "xml"]),
    Case("experiments", OK, lambda s: ["experiments", "--space", "demo", "--dataset", "qa-golden"]),
    Case("experiments, unknown dataset", FAIL, lambda s: ["experiments", "--dataset", "nope"]),
]


def _variants(case: Case) -> list[tuple[str, bool, bool]]:
    found = [("plain", False, False), ("--verbose", True, False)]
    if _command_of(case) in WRITE_COMMANDS:
        found += [("--dry-run", False, True), ("--verbose --dry-run", True, True)]
    return found


def _command_of(case: Case) -> str:
    return case.label.split(",")[0].split(" ")[0]


PARAMS = [
    pytest.param(case, verbose, dry, id=f"{case.label} [{name}]")
    for case in CASES
    for name, verbose, dry in _variants(case)
]


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def _environment(tmp_path: Path) -> dict[str, str | None]:
    return {
        "ARIZE_API_KEY": SECRET,
        "ARIZE_PROFILE": None,
        "ARIZE_SPACE": None,
        "ARIZE_BASE_URL": None,
        "AX_TASKS_CONFIG_DIR": str(tmp_path / "config"),
        "AX_TASKS_NO_ALPHA_NOTICE": None,  # the notice shows too: it must not carry the key
        "HOME": str(tmp_path),
        "NO_COLOR": "1",
    }


def assert_no_secret(result: Result, caplog: pytest.LogCaptureFixture | None, what: str) -> None:
    assert SECRET not in result.stdout, f"{what}: the key is in stdout"
    assert SECRET not in result.stderr, f"{what}: the key is in stderr"
    for record in caplog.records if caplog is not None else []:
        text = record.getMessage() + (record.exc_text or "") + repr(record.args)
        assert SECRET not in text, f"{what}: the key is in a log record of {record.name}"
    if result.exception is not None:
        assert SECRET not in repr(result.exception), f"{what}: the key is in the error"
        assert SECRET not in str(result.exception), f"{what}: the key is in the error"


@pytest.mark.parametrize(("case", "verbose", "dry_run"), PARAMS)
def test_the_api_key_never_shows(
    case: Case,
    verbose: bool,
    dry_run: bool,
    served: Served,
    records: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["--base-url", served.url]
    if verbose:
        args.append("--verbose")
    args += case.args(served)
    if dry_run:
        args.append("--dry-run")
    seen = len(served.proxy.authorizations)
    result = CliRunner().invoke(app, args, env=_environment(tmp_path), obj=Runtime())
    what = f"{case.label} {args[2:]}"
    assert_no_secret(result, records if case.records else None, what)
    assert result.exception is None or isinstance(result.exception, SystemExit), what
    if case.expect == OK:
        assert result.exit_code == 0, f"{what}: {result.stderr}"
    elif not dry_run:  # a dry run does not reach the server, where some failures happen
        assert result.exit_code != 0, f"{what}: expected a failure"
        assert result.stderr.strip(), what
    if not dry_run and case.expect == OK:
        # The key did leave, in the Authorization header only.
        assert f"Bearer {SECRET}" in served.proxy.authorizations[seen:], what


def test_the_key_is_not_shown_when_the_server_cannot_be_reached(
    tmp_path: Path, records: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:  # a loopback port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for verbose in ([], ["--verbose"]):
        args = ["--base-url", f"http://127.0.0.1:{port}", *verbose, "list", "--space", "demo"]
        result = CliRunner().invoke(app, args, env=_environment(tmp_path), obj=Runtime())
        assert result.exit_code == 1, result.stderr
        assert "Could not connect" in result.stderr
        assert_no_secret(result, records, f"unreachable {args}")


def test_the_key_is_not_in_a_dry_run_plan(served: Served, tmp_path: Path) -> None:
    task = served.fresh_task()
    args = ["--base-url", served.url, "update", task["id"], "--name", "renamed", "--dry-run"]
    args += ["-o", "json"]
    result = CliRunner().invoke(app, args, env=_environment(tmp_path), obj=Runtime())
    assert result.exit_code == 0, result.stderr
    assert "PATCH" in result.stdout
    assert SECRET not in result.stdout
    assert "Authorization" not in result.stdout


# -- keys that cannot be sent, and short keys -------------------------------------------------


@pytest.mark.parametrize(
    ("key", "problem"),
    [("zq7\r\nw9x", "a line break"), ("clé-sécrète-42", "a non-ASCII character")],
)
@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_a_key_that_cannot_go_in_a_header_is_a_configuration_error(
    tmp_path: Path, key: str, problem: str, verbose: list[str]
) -> None:
    env = {**_environment(tmp_path), "ARIZE_API_KEY": key}
    args = ["--base-url", "http://127.0.0.1:9", *verbose, "spaces", "-o", "table"]
    result = CliRunner().invoke(app, args, env=env, obj=Runtime())
    assert result.exit_code == 2
    assert f"The API key (from env ARIZE_API_KEY) contains {problem}" in result.stderr
    assert "Traceback" not in result.stderr
    for part in ("zq7", "w9x", "clé", "sécrète", "42"):
        assert part not in result.stderr


def test_a_short_key_does_not_mangle_the_words_of_a_message(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a loopback port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**_environment(tmp_path), "ARIZE_API_KEY": "k", "AX_TASKS_RETRY_BUDGET": "0.01"}
    args = ["--base-url", f"http://127.0.0.1:{port}", "spaces", "-o", "table"]
    result = CliRunner().invoke(app, args, env=env, obj=Runtime())
    assert result.exit_code == 1
    assert "Check your network" in result.stderr
    assert "***" not in result.stderr


def test_redaction_masks_tokens_not_substrings() -> None:
    from ax_tasks_mcp.service.redaction import redact

    assert redact("check your network", ["k"]) == "check your network"
    assert redact("key=k&next=1 k", ["k"]) == "key=***&next=1 ***"
    assert redact("Authorization: Bearer abc.def", []) == "Authorization: Bearer ***"
    assert redact(f"x{SECRET}y", [SECRET]) == "x***y"  # a real key: masked wherever it is
