"""A profile file that cannot be read blocks only what needs it: it is skipped when the flags
and the environment give the key and the base URL (or the sandbox needs neither), and refused
naming its file, line and key when it may hold what is missing; a key set to spaces is a
configuration error, never "no key"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import AuthenticationError, ConfigError
from ax_tasks_mcp.service.settings import load_settings

BROKEN_AX = '[auth]\napi_key = "ak-unterminated\n'
BROKEN_OWN = '[profiles.default]\nspace = "demo"\nregoin = "eu-west-1a"\n'


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home" / ".arize" / "profiles"
    folder.mkdir(parents=True)
    (folder / "default.toml").write_text(BROKEN_AX, encoding="utf-8")
    return tmp_path / "home"


def test_a_broken_file_is_skipped_when_the_key_and_base_url_are_given(
    home: Path, tmp_path: Path
) -> None:
    settings = load_settings(
        env={"ARIZE_API_KEY": "ak-env"},
        base_url="http://127.0.0.1:9",
        home=home,
        config_dir=tmp_path / "config",
    )
    assert settings.api_key == "ak-env"
    assert len(settings.unread) == 1
    settings.check_files()  # nothing it might hold is missing
    TasksService.from_settings(settings).close()


def test_a_broken_file_that_may_hold_the_key_is_refused_naming_file_line_and_key(
    home: Path, tmp_path: Path
) -> None:
    settings = load_settings(env={}, home=home, config_dir=tmp_path / "config")
    with pytest.raises(ConfigError) as caught:
        settings.require_api_key()
    message = caught.value.message
    assert f"{home}/.arize/profiles/default.toml, line 2 (api_key): not valid TOML" in message
    assert "official ax CLI" in message
    assert "delete" not in message.lower()
    assert "no API key came from the command line or the environment" in message
    with pytest.raises(ConfigError):
        TasksService.from_settings(settings)


def test_a_broken_file_that_may_set_the_base_url_is_refused(home: Path, tmp_path: Path) -> None:
    settings = load_settings(
        env={"ARIZE_API_KEY": "ak-env"}, home=home, config_dir=tmp_path / "config"
    )
    with pytest.raises(ConfigError, match="it may set the base URL"):
        settings.check_files()


def test_our_broken_file_names_the_line_and_key_and_says_it_is_ours(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text(BROKEN_OWN, encoding="utf-8")
    settings = load_settings(env={}, home=tmp_path, config_dir=config)
    with pytest.raises(ConfigError) as caught:
        settings.check_files()
    assert "profiles.toml, line 3 ([profiles.default] regoin): unknown key" in caught.value.message
    assert "the file is yours to edit" in caught.value.message


def test_a_profile_asked_for_by_name_in_a_broken_file_is_refused_at_once(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text(BROKEN_OWN, encoding="utf-8")
    with pytest.raises(ConfigError, match="line 3"):
        load_settings(env={}, home=tmp_path, config_dir=config, profile="work")


def test_a_key_of_spaces_is_set_but_blank(tmp_path: Path) -> None:
    settings = load_settings(env={"ARIZE_API_KEY": "  "}, home=tmp_path, config_dir=tmp_path)
    assert settings.api_key is None
    with pytest.raises(ConfigError, match="ARIZE_API_KEY is set but blank"):
        settings.require_api_key()


def test_an_empty_key_still_means_unset(tmp_path: Path) -> None:
    settings = load_settings(env={"ARIZE_API_KEY": ""}, home=tmp_path, config_dir=tmp_path)
    with pytest.raises(AuthenticationError):
        settings.require_api_key()


def test_what_a_broken_file_may_hold_is_unknown_unless_a_higher_layer_set_it(
    home: Path, tmp_path: Path
) -> None:
    """The ax CLI's file is the lowest layer: our profile's key is known past it, its base
    URL is not; our file sits below the environment only."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text('[profiles.default]\napi_key = "ak-own"\n')
    settings = load_settings(env={}, home=home, config_dir=config)
    assert dict(settings.unknown) == {
        "base_url": f"{home}/.arize/profiles/default.toml, line 2 (api_key)"
    }
    (config / "profiles.toml").write_text(BROKEN_OWN)
    settings = load_settings(env={"ARIZE_SPACE": "s"}, home=tmp_path / "nohome", config_dir=config)
    where = f"{config}/profiles.toml, line 3 ([profiles.default] regoin)"
    assert dict(settings.unknown) == {"profile": where, "api_key": where, "base_url": where}
