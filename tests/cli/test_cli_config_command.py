"""``ax-tasks config``: what is in force, where each value came from, and never the key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime
from tests.cli.conftest import Ax

KEY = "ak-config-3f9a0c2b7e51"


def rows(data: list[dict[str, Any]]) -> dict[str, tuple[Any, str]]:
    return {row["setting"]: (row["value"], row["source"]) for row in data}


def write_profiles(config_dir: Path, text: str) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_set_shows_the_defaults(ax: Ax) -> None:
    shown = rows(ax.json("config"))
    assert shown["profile"] == (None, "default")
    assert shown["api_key"] == ("not set", "default")
    assert shown["base_url"] == ("https://api.arize.com", "default")
    assert shown["region"] == (None, "default")
    assert shown["connect_timeout"] == (5.0, "default")
    assert shown["read_timeout"] == (30.0, "default")
    assert shown["sandbox"] == (False, "default")
    assert shown["proxy"] == ("none (direct)", "default")
    assert shown["retry_budget"] == (40.0, "default")
    assert shown["tracing"] == ("off", "default")
    assert list(shown) == [
        "profile",
        "api_key",
        "base_url",
        "region",
        "space",
        "proxy",
        "connect_timeout",
        "read_timeout",
        "max_retries",
        "retry_budget",
        "sandbox",
        "sandbox_db",
        "tracing",
        "completion_timeout",
    ]


def test_each_value_names_its_variable(ax: Ax, isolated_env: Path) -> None:
    env = {
        "ARIZE_API_KEY": KEY,
        "ARIZE_REGION": "eu-west-1a",
        "ARIZE_SPACE": "team",
        "AX_TASKS_CONNECT_TIMEOUT": "2.5",
        "AX_TASKS_RETRY_BUDGET": "12",
    }
    shown = rows(ax.json("config", env=env))
    assert shown["retry_budget"] == (12.0, "env AX_TASKS_RETRY_BUDGET")
    assert shown["api_key"] == ("set (hidden)", "env ARIZE_API_KEY")
    assert shown["base_url"] == ("https://api.eu-west-1a.arize.com", "env ARIZE_REGION")
    assert shown["region"] == ("eu-west-1a", "env ARIZE_REGION")
    assert shown["space"] == ("team", "env ARIZE_SPACE")
    assert shown["connect_timeout"] == (2.5, "env AX_TASKS_CONNECT_TIMEOUT")
    assert shown["sandbox_db"] == (str(isolated_env / "sandbox.db"), "env AX_TASKS_SANDBOX_DB")


def test_profile_values_name_their_file(ax: Ax, isolated_env: Path) -> None:
    path = write_profiles(
        isolated_env / "config",
        f'active = "work"\n[profiles.work]\napi_key = "{KEY}"\nspace = "team"\n'
        '[profiles.play]\nbase_url = "http://127.0.0.1:8765"\n',
    )
    shown = rows(ax.json("config"))
    assert shown["profile"] == ("work", f"'active' in {path}")
    assert shown["api_key"] == ("set (hidden)", f"profile 'work' ({path})")
    assert shown["space"] == ("team", f"profile 'work' ({path})")

    shown = rows(ax.json("--profile", "play", "config"))
    assert shown["profile"] == ("play", "flag --profile")
    assert shown["base_url"] == ("http://127.0.0.1:8765", f"profile 'play' ({path})")

    shown = rows(ax.json("config", env={"ARIZE_PROFILE": "play"}))
    assert shown["profile"] == ("play", "env ARIZE_PROFILE")


def test_flags_are_named_as_flags(ax: Ax) -> None:
    shown = rows(ax.json("--base-url", "http://127.0.0.1:9/", "config"))
    assert shown["base_url"] == ("http://127.0.0.1:9", "flag --base-url")
    shown = rows(ax.json("--sandbox", "config"))
    assert shown["sandbox"] == (True, "flag --sandbox")
    assert shown["base_url"] == ("the embedded sandbox", "flag --sandbox")
    shown = rows(ax.json("config", env={"AX_TASKS_SANDBOX": "1"}))
    assert shown["sandbox"] == (True, "env AX_TASKS_SANDBOX")


def test_a_table_on_a_terminal_and_yaml_on_request(ax: Ax) -> None:
    table = ax("config", tty=True, env={"ARIZE_API_KEY": KEY, "NO_COLOR": "1"})
    assert table.exit_code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["SETTING", "VALUE", "SOURCE"]
    assert any(line.split()[:2] == ["api_key", "set"] for line in lines)
    document = yaml.safe_load(ax("config", "-o", "yaml").stdout)
    assert [row["setting"] for row in document][:3] == ["profile", "api_key", "base_url"]


def test_the_key_is_never_printed_in_any_format(ax: Ax) -> None:
    for output in ("table", "json", "yaml", "ndjson", "csv"):
        result = ax("--verbose", "config", "-o", output, env={"ARIZE_API_KEY": KEY})
        assert result.exit_code == 0, result.stderr
        assert KEY not in result.stdout + result.stderr


def test_a_broken_profile_file_is_shown_as_the_source_and_exits_2(
    ax: Ax, isolated_env: Path
) -> None:
    """config is the diagnosis: what the broken file may hold is not "not set" but unknown,
    its row names the file and line, and it exits 2 as a command that needs the file does."""
    path = write_profiles(
        isolated_env / "config",
        'active = "work"\n[profiles.work]\napi_key = "abc\nregion = "eu-west-1a"\n',
    )
    result = ax("config", "-o", "json")
    assert result.exit_code == 2, result.stderr
    shown = rows(json.loads(result.stdout))
    for name in ("profile", "api_key", "base_url", "region", "space"):
        assert shown[name] == ("unknown: file unreadable", f"{path}, line 3 (api_key)"), name
    assert shown["connect_timeout"] == (5.0, "default")
    error = Ax.error_of(result)
    assert error["kind"] == "config_error"
    assert f"{path}, line 3 (api_key): not valid TOML" in error["message"]
    assert "Traceback" not in result.stderr


def test_a_broken_profile_file_a_command_would_skip_is_a_warning(
    ax: Ax, isolated_env: Path
) -> None:
    """With the key and the region in the environment, commands go on past the file: so does
    config (exit 0), and only what the file alone could set stays unknown."""
    path = write_profiles(isolated_env / "config", "[profiles.work]\napi_key = 5\n")
    result = ax("config", "-o", "json", env={"ARIZE_API_KEY": KEY, "ARIZE_REGION": "eu-west-1a"})
    assert result.exit_code == 0, result.stderr
    shown = rows(json.loads(result.stdout))
    assert shown["api_key"] == ("set (hidden)", "env ARIZE_API_KEY")
    assert shown["region"] == ("eu-west-1a", "env ARIZE_REGION")
    where = f"{path}, line 2 ([profiles.work] api_key)"
    assert shown["space"] == ("unknown: file unreadable", where)
    assert result.stderr.startswith("ax-tasks: warning: skipped a profile file")
    assert f"{where}: must be a string" in result.stderr


def test_verbose_on_the_sandbox_logs_the_sandbox_not_the_real_service(ax: Ax) -> None:
    result = ax("--sandbox", "-v", "spaces", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert "settings: the embedded sandbox" in result.stderr
    assert "api.arize.com" not in result.stderr
    assert "api_key" not in result.stderr


def test_tracing_names_the_variable_that_turns_it_on_or_off(ax: Ax) -> None:
    def tracing(env: dict[str, str]) -> tuple[Any, str]:
        # The variables reach only the command (Runtime.env): this process starts no tracing.
        runtime = Runtime(env={"AX_TASKS_NO_ALPHA_NOTICE": "1", **env})
        result = ax.runner.invoke(app, ["config", "-o", "json"], obj=runtime)
        assert result.exit_code == 0, result.stderr
        return rows(json.loads(result.stdout))["tracing"]

    endpoint = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}
    assert tracing(endpoint) == ("on", "env OTEL_EXPORTER_OTLP_ENDPOINT")
    assert tracing({**endpoint, "OTEL_SDK_DISABLED": "true"}) == ("off", "env OTEL_SDK_DISABLED")
    assert tracing({**endpoint, "OTEL_TRACES_EXPORTER": "none"}) == (
        "off",
        "env OTEL_TRACES_EXPORTER",
    )
    # asked for, but with nothing that can export: off, and why
    assert tracing({"OTEL_TRACES_EXPORTER": "zipkin"}) == (
        "off (OTEL_TRACES_EXPORTER=zipkin is not supported; use otlp, console, none)",
        "env OTEL_TRACES_EXPORTER",
    )
    assert tracing({**endpoint, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"})[0].startswith(
        "off (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc is not supported"
    )
    assert tracing({"OTEL_TRACES_EXPORTER": "zipkin,console"})[0] == "on"


def test_a_proxy_variable_that_cannot_be_used_is_said_in_its_row(ax: Ax) -> None:
    """Every setting is still shown; the proxy's row says what is wrong (the password
    masked), and config exits 2, as any command on that proxy would."""
    for variable, value, said in (
        ("HTTPS_PROXY", "ftp://user:pw@x:1", "'ftp://***@x:1' is not a proxy URL"),
        ("ALL_PROXY", "socks5://127.0.0.1:1080", "needs pip install 'httpx[socks]'"),
    ):
        result = ax("config", "-o", "json", env={variable: value})
        assert result.exit_code == 2, result.stderr
        shown = rows(json.loads(result.stdout))
        assert len(shown) == 14
        proxy_value, source = shown["proxy"]
        assert proxy_value.startswith("unusable: ")
        assert said in proxy_value
        assert source == f"env {variable}"
        assert shown["api_key"] == ("not set", "default")
        assert Ax.error_of(result)["kind"] == "config_error"
        assert "pw" not in result.stdout + result.stderr
