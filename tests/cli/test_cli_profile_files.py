"""A broken profile file the command does not need is one warning line, not a wall: the
sandbox, and the real API with the key and the base URL given, go on past it; a file the
command needs is exit 2 naming its line and key; a key of spaces is "set but blank"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ax_tasks_mcp.sandbox.serve import BackgroundServer
from tests.cli.conftest import Ax

BROKEN = '[auth]\napi_key = "ak-unterminated\n'


@pytest.fixture
def broken_ax_profile(isolated_env: Path) -> Path:
    folder = isolated_env / "home" / ".arize" / "profiles"
    folder.mkdir(parents=True)
    path = folder / "default.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ax-tasks: warning:")]


def test_the_sandbox_goes_on_past_a_broken_profile_with_one_warning(
    ax: Ax, broken_ax_profile: Path
) -> None:
    result = ax("--sandbox", "spaces", "-o", "json")
    assert result.exit_code == 0, result.stderr
    warnings = _warnings(result.stderr)
    assert len(warnings) == 1
    assert f"{broken_ax_profile}, line 2 (api_key)" in warnings[0]


@pytest.mark.e2e
def test_the_key_and_base_url_given_go_on_past_a_broken_profile(
    ax: Ax, broken_ax_profile: Path, served: BackgroundServer
) -> None:
    result = ax("--base-url", served.url, "spaces", "-o", "json", env={"ARIZE_API_KEY": "ak-k"})
    assert result.exit_code == 0, result.stderr
    assert "demo" in [space["name"] for space in json.loads(result.stdout)]
    assert len(_warnings(result.stderr)) == 1


def test_a_needed_broken_profile_is_exit_2_naming_its_line_and_key(
    ax: Ax, broken_ax_profile: Path
) -> None:
    result = ax("spaces", "-o", "json")
    assert result.exit_code == 2
    error = Ax.error_of(result)
    assert error["kind"] == "config_error"
    assert f"{broken_ax_profile}, line 2 (api_key): not valid TOML" in error["message"]
    assert "delete" not in error["message"].lower()


def test_a_key_of_spaces_is_set_but_blank(ax: Ax) -> None:
    env = {"ARIZE_API_KEY": "   "}
    result = ax("spaces", "-o", "json", env=env)
    assert result.exit_code == 2
    assert "ARIZE_API_KEY is set but blank" in Ax.error_of(result)["message"]
    rows = {row["setting"]: row for row in ax.json("config", env=env)}
    assert rows["api_key"]["value"] == "set but blank"
    assert rows["api_key"]["source"] == "env ARIZE_API_KEY"
