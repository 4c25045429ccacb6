"""Profiles hold keys: nothing that describes the settings in force shows one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ax_tasks_cli.main import app
from ax_tasks_mcp.service.settings import load_settings
from tests.secrets.conftest import SECRET


def write_profile(config_dir: Path) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "profiles.toml"
    path.write_text(f'active = "work"\n\n[profiles.work]\napi_key = "{SECRET}"\n', "utf-8")
    return path


def test_descriptions_of_settings_never_show_the_key(config_dir: Path) -> None:
    write_profile(config_dir)
    settings = load_settings(config_dir=config_dir, env={})
    assert settings.api_key == SECRET
    for text in (repr(settings), str(settings), repr(settings.describe())):
        assert SECRET not in text


@pytest.mark.parametrize("output", ["table", "json", "yaml", "ndjson", "csv"])
@pytest.mark.parametrize("verbose", [[], ["--verbose"]])
def test_ax_tasks_config_never_shows_the_key(
    config_dir: Path, tmp_path: Path, output: str, verbose: list[str]
) -> None:
    path = write_profile(config_dir)
    env: dict[str, str | None] = {
        "AX_TASKS_CONFIG_DIR": str(config_dir),
        "HOME": str(tmp_path),
        "ARIZE_API_KEY": None,
        "ARIZE_PROFILE": None,
        "AX_TASKS_SANDBOX": None,
    }
    result = CliRunner().invoke(app, [*verbose, "config", "-o", output], env=env)
    assert result.exit_code == 0, result.output
    assert str(path) in result.stdout  # the key's source is shown ...
    assert SECRET not in result.stdout + result.stderr  # ... never the key
