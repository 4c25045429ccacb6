"""Tracing is asked for by OpenTelemetry's own variables, costs nothing when it is not, and
refuses in words what it cannot do."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ax_tasks_mcp import telemetry
from ax_tasks_mcp.telemetry.http import ROUTES, route_of
from ax_tasks_mcp.telemetry.setup import provider_from_environment
from tests.support.served_sandbox import ROOT, ax_tasks, cli_env

ENDPOINT = "http://127.0.0.1:9/v1/traces"


@pytest.mark.parametrize(
    ("env", "asked"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ENDPOINT}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT}, False),
        ({"OTEL_SDK_DISABLED": "TRUE", "OTEL_TRACES_EXPORTER": "otlp"}, False),
        ({"OTEL_SERVICE_NAME": "ci"}, False),  # naming a service asks for nothing
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "}, False),
    ],
)
def test_the_standard_variables_ask_for_traces(env: dict[str, str], asked: bool) -> None:
    assert telemetry.requested(env) is asked


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "OTEL_TRACES_EXPORTER=zipkin is not supported"),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not"),
        ({"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json"}, "=http/json is not supported"),
    ],
)
def test_what_cannot_be_exported_is_said_and_nothing_starts(
    env: dict[str, str], problem: str
) -> None:
    provider, said = provider_from_environment("ax-tasks", env)
    assert provider is None
    assert said is not None
    assert problem in said


def test_one_exporter_that_cannot_be_made_leaves_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider, said = provider_from_environment(
        "ax-tasks", {"OTEL_TRACES_EXPORTER": "console,jaeger"}
    )
    assert provider is not None
    assert said == "OTEL_TRACES_EXPORTER=jaeger is not supported; use otlp, console, none"
    provider.shutdown()


def test_the_service_is_named_unless_the_environment_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider, _ = provider_from_environment("ax-tasks-mcp", {"OTEL_TRACES_EXPORTER": "console"})
    assert provider is not None
    assert provider.resource.attributes["service.name"] == "ax-tasks-mcp"
    assert provider.resource.attributes["service.version"]
    provider.shutdown()
    monkeypatch.setenv("OTEL_SERVICE_NAME", "nightly-evals")
    provider, _ = provider_from_environment("ax-tasks-mcp", {"OTEL_TRACES_EXPORTER": "console"})
    assert provider is not None
    assert provider.resource.attributes["service.name"] == "nightly-evals"
    provider.shutdown()


def test_the_route_templates_are_the_spec_s_paths() -> None:
    spec = yaml.safe_load((ROOT / "openapi" / "tasks.yaml").read_text())
    assert sorted(ROUTES) == sorted(spec["paths"])


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/v2/tasks", "/v2/tasks"),
        ("/v2/tasks/T25saW5lVGFzazox", "/v2/tasks/{task_id}"),
        ("/v2/tasks/T25saW5lVGFzazox/trigger", "/v2/tasks/{task_id}/trigger"),
        ("/v2/task-runs/VGFza1J1bjox/cancel", "/v2/task-runs/{run_id}/cancel"),
        ("/v2/ai-integrations", "/v2/ai-integrations"),
        ("/v2/tasks/a/b/c", None),
        ("/v3/tasks", None),
    ],
)
def test_a_path_is_matched_to_its_route(path: str, route: str | None) -> None:
    assert route_of(path) == route


# -- free when off -------------------------------------------------------------------------

PROBE = """
import json, sys
{setup}
{work}
print(json.dumps(sorted(m for m, v in sys.modules.items() if v and m.startswith("opentelemetry"))))
"""
CLI_READ = (
    "from ax_tasks_cli.main import app\n"
    "app(['--sandbox', 'list', '-s', 'demo', '-o', 'json'], standalone_mode=False)"
)
CLI_HELP = "from ax_tasks_cli.main import app\napp(['--help'], standalone_mode=False)"
NO_EXTRA = "sys.modules['opentelemetry.sdk'] = None  # as if the otel extra were not installed"


def loaded(work: str, tmp_path: Path, *, setup: str = "", **env: str) -> list[str]:
    """The opentelemetry modules a fresh interpreter has loaded after ``work``."""
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AX_TASKS_SANDBOX_DB": str(tmp_path / "sandbox.db"),
        "AX_TASKS_CONFIG_DIR": str(tmp_path / "config"),
        "AX_TASKS_NO_ALPHA_NOTICE": "1",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup, work=work)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ,
        check=True,
        timeout=120,
    )
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


@pytest.mark.e2e  # a fresh interpreter
def test_without_configuration_the_cli_loads_nothing_of_opentelemetry(tmp_path: Path) -> None:
    assert loaded(CLI_HELP, tmp_path) == []
    assert loaded(CLI_READ, tmp_path) == []


@pytest.mark.e2e  # a fresh interpreter
def test_without_the_extra_the_cli_loads_no_sdk_even_when_asked(tmp_path: Path) -> None:
    modules = loaded(CLI_READ, tmp_path, setup=NO_EXTRA, OTEL_EXPORTER_OTLP_ENDPOINT=ENDPOINT)
    assert [m for m in modules if m.startswith("opentelemetry.sdk")] == []


@pytest.mark.e2e  # a fresh interpreter
def test_without_configuration_the_mcp_server_loads_no_sdk(tmp_path: Path) -> None:
    # The mcp SDK itself imports the OpenTelemetry API; the SDK is never loaded.
    work = (
        "from ax_tasks_mcp.server.app import build_server, _start_tracing\n"
        "from ax_tasks_mcp import connect\n"
        "_start_tracing()\n"
        "build_server(connect(sandbox=True, space='demo'))"
    )
    modules = loaded(work, tmp_path)
    assert "opentelemetry.trace" in modules  # the mcp SDK's own import: the check is real
    assert [m for m in modules if m.startswith("opentelemetry.sdk")] == []


@pytest.mark.e2e  # a fresh interpreter
def test_a_collector_that_cannot_be_reached_costs_one_warning_line(tmp_path: Path) -> None:
    with socket.socket() as closed:  # a port bound and never listened on refuses connections
        closed.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{closed.getsockname()[1]}"
        done = subprocess.run(
            [*ax_tasks(), "--sandbox", "get", "chatbot-hallucination", "-s", "demo", "-o", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=cli_env(
                tmp_path,
                AX_TASKS_SANDBOX_DB=str(tmp_path / "sandbox.db"),
                OTEL_EXPORTER_OTLP_ENDPOINT=endpoint,
                OTEL_EXPORTER_OTLP_TIMEOUT="1",
            ),
        )
    assert done.returncode == 0
    assert json.loads(done.stdout)["name"] == "chatbot-hallucination"
    (line,) = done.stderr.splitlines()  # the SDK's retries are not announced
    assert line.startswith("ax-tasks: warning: traces: ")
    assert "export" in line
