"""Global options, lookups, errors and exit codes, sandbox and mcp."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from ax_tasks_cli import exitcodes
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import (
    AmbiguousNameError,
    AuthenticationError,
    AxTasksError,
    ConfigError,
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    ProxyFailedError,
    RateLimitedError,
    ServerError,
    UnknownOutcomeError,
    ValidationError,
    WaitTimeoutError,
)
from ax_tasks_mcp.service.plans.locations import FileError, Where
from ax_tasks_mcp.service.profile_files import ProfileFileError
from ax_tasks_mcp.service.proxies import ProxyProblem
from ax_tasks_mcp.service.settings import Settings
from ax_tasks_mcp.version import __version__
from tests.support.processes import reap

SB = "--sandbox"
KEY = "sk-test-0123456789abcdef"
UNREACHABLE = "http://127.0.0.1:9"


# -- exit codes ------------------------------------------------------------------------------


EXITS = [
    (AxTasksError("x"), 1),
    (ConflictError("x"), 1),
    (RateLimitedError("x"), 1),
    (ServerError("x"), 1),
    (ConnectionFailedError("x"), 1),
    (ProxyFailedError("x"), 1),
    (UnknownOutcomeError("x"), 1),
    (ValidationError("x"), 2),
    (ConfigError("x"), 2),
    (ProfileFileError("x", path=Path("profiles.toml")), 2),
    (ProxyProblem("x", variable="HTTPS_PROXY", reason="no host"), 2),
    (AuthenticationError("x"), 3),
    (PermissionDeniedError("x"), 3),
    (NotFoundError("x"), 4),
    (AmbiguousNameError("task", "n", [("n", "1"), ("n", "2")]), 4),
    (WaitTimeoutError("run", None, 1.0), 7),
    (FileError(Where("tasks.yaml", 3, 5), "x"), 2),
]


@pytest.mark.parametrize(("error", "code"), EXITS, ids=lambda v: type(v).__name__)
def test_each_service_error_exits_with_its_documented_code(error: Exception, code: int) -> None:
    assert exitcodes.code_for(error) == code


def test_every_service_error_class_has_its_exit_code_checked() -> None:
    def every(cls: type[AxTasksError]) -> set[type[AxTasksError]]:
        return {cls}.union(*(every(sub) for sub in cls.__subclasses__()))

    assert {type(error) for error, _ in EXITS} == every(AxTasksError)


def test_the_documented_exit_codes_are_the_ones_the_cli_uses() -> None:
    documented = [code for code, _ in exitcodes.TABLE]
    assert documented == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130]
    assert {code for _, code in EXITS} <= set(documented)


def test_root_help_lists_every_exit_code(ax) -> None:
    result = ax("--help")
    assert result.exit_code == 0
    for code, meaning in exitcodes.TABLE:
        assert f"{code:>3}  {meaning}" in result.stdout


# -- global options --------------------------------------------------------------------------


def test_version(ax) -> None:
    result = ax("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ax-tasks {__version__}\n"


def test_no_arguments_shows_help_and_exits_2(ax) -> None:
    result = ax()
    assert result.exit_code == 2
    assert "Usage: ax-tasks" in result.stderr
    assert result.stdout == ""


def test_sandbox_needs_no_key(ax) -> None:
    result = ax(SB, "spaces")
    assert result.exit_code == 0


def test_sandbox_can_be_enabled_from_the_environment(ax) -> None:
    result = ax("spaces", env={"AX_TASKS_SANDBOX": "1"})
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3


def test_sandbox_and_base_url_together_are_a_usage_error(ax) -> None:
    result = ax(SB, "--base-url", UNREACHABLE, "spaces", tty=True)
    assert result.exit_code == 2
    assert "--sandbox and --base-url" in result.stderr


def test_missing_key_exits_3_with_what_to_do(ax) -> None:
    result = ax("--base-url", UNREACHABLE, "list", tty=True)
    assert result.exit_code == 3
    assert "ARIZE_API_KEY" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_an_unknown_profile_is_a_configuration_error_naming_where_it_was_asked(ax) -> None:
    result = ax("--profile", "nope", "list", tty=True)
    assert result.exit_code == 2
    assert "Profile 'nope' (from --profile) does not exist" in result.stderr
    result = ax("list", env={"ARIZE_PROFILE": "nope"}, tty=True)
    assert result.exit_code == 2
    assert "Profile 'nope' (from env ARIZE_PROFILE) does not exist" in result.stderr


def test_a_network_failure_exits_1_without_a_traceback(ax) -> None:
    result = ax("--base-url", UNREACHABLE, "spaces", env={"ARIZE_API_KEY": KEY}, tty=True)
    assert result.exit_code == 1
    *retries, error = result.stderr.splitlines()
    assert error.startswith("ax-tasks: error: ")
    assert len(retries) == 5  # four retries announced, then giving up
    assert all("could not connect" in line for line in retries)
    assert "Traceback" not in result.stderr
    assert KEY not in result.stderr


def test_verbose_shows_diagnostics_but_never_the_key(ax) -> None:
    result = ax(
        "--base-url",
        UNREACHABLE,
        "-v",
        "spaces",
        "-o",
        "json",
        env={"ARIZE_API_KEY": KEY},
    )
    assert result.exit_code == 1
    assert "ax_tasks: DEBUG: settings:" in result.stderr
    assert "Traceback" in result.stderr
    assert KEY not in result.stderr
    assert KEY not in result.stdout
    assert ax.error_of(result)["kind"] == "connection_failed"


def test_an_unexpected_error_is_one_line_and_a_traceback_only_with_verbose(ax) -> None:
    def broken(runtime: Any) -> Any:
        raise RuntimeError("boom")

    result = ax(SB, "list", service_factory=broken, tty=True)
    assert result.exit_code == 1
    assert result.stderr == (
        "ax-tasks: error: unexpected RuntimeError: boom. "
        "Re-run with --verbose to see the details.\n"
    )
    verbose = ax(SB, "-v", "list", service_factory=broken, tty=True)
    assert "Traceback (most recent call last)" in verbose.stderr
    assert 'raise RuntimeError("boom")' in verbose.stderr


# -- usage errors ----------------------------------------------------------------------------


def test_an_unknown_option_is_one_line_and_exit_2(ax) -> None:
    result = ax(SB, "list", "--bogus", tty=["stderr"])
    assert result.exit_code == 2
    assert result.stderr == (
        "ax-tasks list: error: No such option: --bogus (see 'ax-tasks list --help')\n"
    )


def test_an_unknown_command_suggests_one(ax) -> None:
    result = ax("lst")
    assert result.exit_code == 2
    assert "Did you mean 'list'?" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_missing_argument_is_a_usage_error(ax) -> None:
    result = ax(SB, "get-run")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_usage_errors_are_json_with_a_machine_format(ax) -> None:
    result = ax(SB, "list", "--limit", "abc", "-o", "json")
    assert result.exit_code == 2
    error = ax.error_of(result)
    assert error["kind"] == "usage_error"
    assert error["exit_code"] == 2


def test_an_unknown_output_format_is_a_usage_error(ax) -> None:
    result = ax(SB, "spaces", "-o", "xml", tty=True)
    assert result.exit_code == 2
    assert "--output: 'xml' is neither a format" in result.stderr


# -- lookups ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["spaces"], {"demo", "production-llm", "research"}),
        (["projects", "-s", "demo"], {"chatbot", "rag-search", "support-agent"}),
        (["datasets", "--space", "demo"], {"qa-golden", "rag-questions"}),
        (
            ["experiments", "-s", "demo", "--dataset", "qa-golden"],
            {"baseline-gpt-4o", "claude-sonnet", "prompt-v2"},
        ),
    ],
)
def test_lookups_list_what_names_refer_to(ax, args: list[str], expected: set[str]) -> None:
    items = ax.json(SB, *args, "--all")
    assert {item["name"] for item in items} == expected


def test_lookup_evaluators_and_ai_integrations(ax) -> None:
    evaluators = ax.json(SB, "evaluators", "-s", "demo", "--name", "regex")
    assert [e["name"] for e in evaluators] == ["pii-regex-check"]
    integrations = ax.json(SB, "ai-integrations", "-s", "demo", "--all")
    assert "openai-prod" in {i["name"] for i in integrations}


def test_lookups_page_with_a_cursor_hint(ax) -> None:
    result = ax(SB, "spaces", "--limit", "2")
    assert len(json.loads(result.stdout)) == 2
    assert "More spaces: add --cursor " in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["spaces"],
        ["projects", "-s", "demo"],
        ["datasets", "-s", "demo"],
        ["evaluators", "-s", "demo"],
        ["ai-integrations", "-s", "demo"],
        ["experiments", "-s", "demo"],
    ],
)
def test_lookup_tables_on_a_terminal(ax, args: list[str]) -> None:
    result = ax(SB, *args, tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stdout.startswith("ID  ")
    assert all(len(line) <= 100 for line in result.stdout.splitlines())


def test_lookup_of_an_unknown_space_exits_4(ax) -> None:
    result = ax(SB, "projects", "-s", "nowhere", tty=True)
    assert result.exit_code == 4


# -- sandbox and mcp -------------------------------------------------------------------------


def test_sandbox_info_and_reset(ax, isolated_env: Path) -> None:
    db = str(isolated_env / "sandbox.db")
    info = ax.json("sandbox", "info")
    assert info["db_path"] == db
    assert {s["name"] for s in info["spaces"]} == {"demo", "production-llm", "research"}
    text = ax("sandbox", "info", tty=True)
    assert text.stdout.startswith(f"sandbox database: {db}")
    ax.json(
        SB,
        "create-evaluation",
        "-n",
        "temp",
        "--task-type",
        "code_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        '[{"evaluator": "json-validity"}]',
    )
    reset = ax("sandbox", "reset")
    assert reset.exit_code == 0
    assert reset.stderr == "Sandbox reset to its seed data.\n"
    assert "temp" not in {t["name"] for t in ax.json(SB, "list", "--all")}


def test_sandbox_serve_passes_its_options(ax, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("ax_tasks_mcp.sandbox.serve.serve", lambda **kwargs: calls.append(kwargs))
    result = ax("sandbox", "serve", "--port", "0", "--speed", "50", "--db", "x.db")
    assert result.exit_code == 0
    assert calls == [
        {
            "host": "127.0.0.1",
            "port": 0,
            "db_path": "x.db",
            "fault_rate": 0.0,
            "latency": 0.0,
            "hang": False,
            "speed": 50.0,
            "future": None,  # None: AX_TASKS_SANDBOX_FUTURE decides
            "api_key": None,
            "read_only_key": None,
            "access_log": False,
        }
    ]
    assert ax("sandbox", "serve", "--future", "--access-log").exit_code == 0
    assert calls[-1]["future"] is True
    assert calls[-1]["access_log"] is True


def test_sandbox_serve_stopped_with_ctrl_c_exits_130(ax, monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn stops gracefully on Ctrl-C, then raises it again: the table's 130, not 0."""

    def interrupted(**_: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("ax_tasks_mcp.sandbox.serve.serve", interrupted)
    result = ax("sandbox", "serve", "--port", "0")
    assert result.exit_code == 130
    assert result.stderr == "ax-tasks: interrupted.\n"


@pytest.mark.e2e
def test_sandbox_serve_in_a_real_process_stopped_with_ctrl_c_exits_130(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env["HOME"] = str(tmp_path)
    command = [sys.executable, "-m", "ax_tasks_cli.main", "sandbox", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--db", str(tmp_path / "s.db")], stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stderr is not None
        assert "listening on" in process.stderr.readline()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 130
        assert process.stderr.read() == "ax-tasks: interrupted.\n"
    finally:
        reap(process)


def test_sandbox_serve_reports_a_refused_setting(ax, monkeypatch: pytest.MonkeyPatch) -> None:
    result = ax("sandbox", "serve", "--host", "192.0.2.7", tty=True)
    assert result.exit_code == 2
    assert "refusing to serve the sandbox on '192.0.2.7'" in result.stderr
    assert "Use --host 127.0.0.1" in result.stderr


def test_mcp_starts_the_server_with_the_global_options(ax, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_main(argv: list[str], *, prog: str) -> int:
        seen.append(list(argv))
        assert prog == "ax-tasks mcp"  # its help and errors name the command typed
        return 0

    monkeypatch.setattr("ax_tasks_mcp.server.app.main", fake_main)
    result = ax(SB, "mcp", "--read-only", "--transport", "stdio")
    assert result.exit_code == 0
    assert seen == [["--sandbox", "--read-only", "--transport", "stdio"]]
    result = ax("--profile", "work", "mcp", "--help")
    assert seen[-1] == ["--profile", "work", "--help"]


# -- every kind of API failure, at the HTTP seam ---------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        (400, "validation_error", 2),
        (401, "authentication_failed", 3),
        (403, "permission_denied", 3),
        (404, "not_found", 4),
        (409, "conflict", 1),
        (422, "validation_error", 2),
        (429, "rate_limited", 1),
        (500, "server_error", 1),
    ],
)
def test_api_failures_map_to_documented_exit_codes(ax, status: int, kind: str, code: int) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {KEY}"
        problem = {"title": "Problem", "status": status, "detail": f"detail {status}"}
        return httpx.Response(
            status, json=problem, headers={"content-type": "application/problem+json"}
        )

    def factory(runtime: Any) -> TasksService:
        settings = Settings(api_key=KEY, base_url="https://api.example.test")
        return TasksService.from_settings(
            settings, transport=httpx.MockTransport(answer), sleep=ax.time.sleep
        )

    run_id = "VGFza1J1bjo5OTpxUndY"
    text = ax("get-run", run_id, service_factory=factory, tty=True)
    assert text.exit_code == code
    assert text.stdout == ""
    *retries, error = text.stderr.splitlines()
    assert error.startswith("ax-tasks: error: ")
    assert len(retries) == (5 if status == 429 else 0)  # the retries of a 429, announced
    assert KEY not in text.stderr
    machine = ax("get-run", run_id, "-o", "yaml", service_factory=factory, tty=True)
    assert machine.exit_code == code
    error = ax.error_of(machine)
    assert error["kind"] == kind
    assert error["exit_code"] == code
