"""Where settings come from: arguments, environment, our profiles, the ax CLI's, defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_mcp.service.errors import AuthenticationError, ConfigError
from ax_tasks_mcp.service.settings import (
    DEFAULT_BASE_URL,
    Settings,
    load_settings,
    normalize_base_url,
    profiles_path,
)

Loader = Callable[..., Settings]


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config" / "ax-tasks"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def env() -> dict[str, str]:
    return {}


@pytest.fixture
def load(cfg: Path, home: Path, env: dict[str, str]) -> Loader:
    def run(**kwargs: Any) -> Settings:
        return load_settings(env=env, config_dir=cfg, home=home, **kwargs)

    return run


def write_own(cfg: Path, text: str) -> Path:
    cfg.mkdir(parents=True, exist_ok=True)
    path = cfg / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write_ax(home: Path, name: str, text: str, *, active: bool = True) -> Path:
    folder = home / ".arize" / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    if active:
        (home / ".arize" / ".active_profile").write_text(name + "\n", encoding="utf-8")
    return path


# -- defaults and the environment -----------------------------------------------------------


def test_defaults_with_nothing_configured(load: Loader) -> None:
    settings = load()
    assert settings.api_key is None
    assert settings.base_url == DEFAULT_BASE_URL == "https://api.arize.com"
    assert settings.space is None
    assert (settings.connect_timeout, settings.read_timeout, settings.max_retries) == (5.0, 30.0, 4)
    assert settings.profile is None
    assert settings.source("api_key") == settings.source("base_url") == "default"


def test_arize_api_key_alone_is_enough(load: Loader, env: dict[str, str]) -> None:
    env["ARIZE_API_KEY"] = "ak-env"
    settings = load()
    assert settings.api_key == "ak-env"
    assert settings.require_api_key() == "ak-env"
    assert settings.source("api_key") == "env ARIZE_API_KEY"
    assert settings.base_url == "https://api.arize.com"


def test_missing_key_is_explained_when_required(load: Loader) -> None:
    with pytest.raises(AuthenticationError, match="ARIZE_API_KEY"):
        load().require_api_key()


def test_environment_settings(load: Loader, env: dict[str, str]) -> None:
    env.update(
        ARIZE_SPACE="my-space",
        ARIZE_REGION="eu-west-1a",
        AX_TASKS_CONNECT_TIMEOUT="2",
        AX_TASKS_READ_TIMEOUT="45.5",
    )
    settings = load()
    assert settings.space == "my-space"
    assert settings.base_url == "https://api.eu-west-1a.arize.com"
    assert settings.connect_timeout == 2.0
    assert settings.read_timeout == 45.5
    assert settings.source("read_timeout") == "env AX_TASKS_READ_TIMEOUT"


def test_empty_environment_values_count_as_unset(load: Loader, env: dict[str, str]) -> None:
    env.update(ARIZE_API_KEY="", ARIZE_BASE_URL="  ")
    settings = load()
    assert settings.api_key is None
    assert settings.base_url == DEFAULT_BASE_URL


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_bad_timeouts_in_the_environment_are_config_errors(
    load: Loader, env: dict[str, str], value: str
) -> None:
    env["AX_TASKS_READ_TIMEOUT"] = value
    with pytest.raises(ConfigError, match="AX_TASKS_READ_TIMEOUT"):
        load()


def test_base_url_beats_host_beats_region_in_the_environment(
    load: Loader, env: dict[str, str]
) -> None:
    env.update(ARIZE_REGION="eu-west-1a", ARIZE_API_HOST="arize.internal", ARIZE_API_PORT="8443")
    assert load().base_url == "https://arize.internal:8443"
    env["ARIZE_BASE_URL"] = "http://localhost:9000/"
    assert load().base_url == "http://localhost:9000"


def test_sdk_style_host_with_port_zero_leaves_the_port_out(
    load: Loader, env: dict[str, str]
) -> None:
    env.update(ARIZE_API_HOST="arize.internal", ARIZE_API_SCHEME="http", ARIZE_API_PORT="0")
    assert load().base_url == "http://arize.internal"


# -- precedence, layer by layer --------------------------------------------------------------


@pytest.fixture
def all_layers(cfg: Path, home: Path, env: dict[str, str]) -> None:
    env.update(ARIZE_API_KEY="ak-env", ARIZE_BASE_URL="https://env.example", ARIZE_SPACE="env-sp")
    write_own(
        cfg,
        '[profiles.default]\napi_key = "ak-own"\nbase_url = "https://own.example"\n'
        'space = "own-sp"\n',
    )
    write_ax(home, "main", '[auth]\napi_key = "ak-ax"\n[routing]\nbase_domain = "ax.example"\n')


def _strip(layer: str, cfg: Path, home: Path, env: dict[str, str]) -> None:
    if layer == "env":
        env.clear()
    elif layer == "own":
        (cfg / "profiles.toml").unlink()
    elif layer == "ax":
        (home / ".arize" / "profiles" / "main.toml").unlink()


@pytest.mark.usefixtures("all_layers")
@pytest.mark.parametrize(
    ("removed", "explicit", "expected_key", "expected_url", "expected_space", "source"),
    [
        ([], True, "ak-arg", "https://arg.example", "arg-sp", "argument"),
        ([], False, "ak-env", "https://env.example", "env-sp", "env ARIZE_API_KEY"),
        (["env"], False, "ak-own", "https://own.example", "own-sp", "profile 'default'"),
        (["env", "own"], False, "ak-ax", "https://api.ax.example", None, "ax CLI profile 'main'"),
        (["env", "own", "ax"], False, None, DEFAULT_BASE_URL, None, "default"),
    ],
)
def test_precedence_table(
    load: Loader,
    cfg: Path,
    home: Path,
    env: dict[str, str],
    removed: list[str],
    explicit: bool,
    expected_key: str | None,
    expected_url: str,
    expected_space: str | None,
    source: str,
) -> None:
    for layer in removed:
        _strip(layer, cfg, home, env)
    kwargs = (
        {"api_key": "ak-arg", "base_url": "https://arg.example", "space": "arg-sp"}
        if explicit
        else {}
    )
    settings = load(**kwargs)
    assert (settings.api_key, settings.base_url, settings.space) == (
        expected_key,
        expected_url,
        expected_space,
    )
    assert settings.source("api_key").startswith(source)


def test_layers_merge_field_by_field(load: Loader, cfg: Path, home: Path) -> None:
    write_own(cfg, '[profiles.default]\nspace = "own-space"\n')
    write_ax(home, "main", '[auth]\napi_key = "ak-ax"\n[routing]\nregion = "ca-central-1a"\n')
    settings = load()
    assert settings.space == "own-space"
    assert settings.api_key == "ak-ax"
    assert settings.base_url == "https://api.ca-central-1a.arize.com"
    assert settings.profile == "default"


def test_explicit_region_beats_environment_base_url(load: Loader, env: dict[str, str]) -> None:
    env["ARIZE_BASE_URL"] = "https://env.example"
    settings = load(region="eu-west-1a")
    assert settings.base_url == "https://api.eu-west-1a.arize.com"
    assert settings.source("base_url") == "argument (region)"


def test_explicit_base_url_and_region_together_are_refused(load: Loader) -> None:
    with pytest.raises(ConfigError, match="either a base URL or a region"):
        load(base_url="https://x.example", region="eu-west-1a")


def test_a_bad_region_is_a_config_error(load: Loader) -> None:
    with pytest.raises(ConfigError, match="not a region name"):
        load(region="eu west")


# -- choosing a profile ---------------------------------------------------------------------


OWN_PROFILES = """\
active = "work"

[profiles.default]
api_key = "ak-default"

[profiles.work]
api_key = "ak-work"
region = "eu-west-1a"
space = "team"

[profiles.play]
api_key = "ak-play"
base_url = "http://localhost:8080/"
"""


def test_profile_choice_argument_then_env_then_active(
    load: Loader, cfg: Path, env: dict[str, str]
) -> None:
    write_own(cfg, OWN_PROFILES)
    work = load()
    assert (work.profile, work.api_key, work.space) == ("work", "ak-work", "team")
    assert work.base_url == "https://api.eu-west-1a.arize.com"
    env["ARIZE_PROFILE"] = "default"
    assert load().api_key == "ak-default"
    play = load(profile="play")
    assert (play.profile, play.base_url) == ("play", "http://localhost:8080")


def test_the_profile_in_force_says_where_it_was_chosen(
    load: Loader, cfg: Path, env: dict[str, str]
) -> None:
    assert load().source("profile") == "default"  # no file: the implicit default
    path = write_own(cfg, OWN_PROFILES)
    assert load().source("profile") == f"'active' in {path}"
    env["ARIZE_PROFILE"] = "default"
    assert load().source("profile") == "env ARIZE_PROFILE"
    assert load(profile="play").source("profile") == "argument"


def test_a_missing_named_profile_lists_the_available_ones(
    load: Loader, cfg: Path, home: Path
) -> None:
    write_own(cfg, OWN_PROFILES)
    write_ax(home, "ax-only", '[auth]\napi_key = "x"\n', active=False)
    with pytest.raises(ConfigError) as caught:
        load(profile="nope")
    message = str(caught.value)
    assert "'nope'" in message
    assert "default, play, work" in message
    assert "ax-only" in message


def test_an_active_profile_that_does_not_exist_is_an_error(load: Loader, cfg: Path) -> None:
    write_own(cfg, 'active = "gone"\n[profiles.default]\napi_key = "k"\n')
    with pytest.raises(ConfigError, match=r"'gone'.*'active'"):
        load()


def test_the_implicit_default_profile_may_be_absent(load: Loader, cfg: Path) -> None:
    write_own(cfg, '[profiles.other]\napi_key = "k"\n')
    settings = load()
    assert settings.profile is None
    assert settings.api_key is None


def test_a_named_profile_may_be_an_ax_cli_profile(load: Loader, home: Path) -> None:
    write_ax(home, "staging", '[auth]\napi_key = "ak-staging"\n', active=False)
    write_ax(home, "main", '[auth]\napi_key = "ak-main"\n')
    assert load().api_key == "ak-main"
    settings = load(profile="staging")
    assert settings.api_key == "ak-staging"
    assert settings.profile is None
    assert "staging.toml" in settings.source("api_key")


def test_profile_names_cannot_escape_the_folder(load: Loader) -> None:
    with pytest.raises(ConfigError, match="not a valid profile name"):
        load(profile="../../etc/passwd")


def test_config_dir_can_come_from_the_environment(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "elsewhere"
    write_own(folder, '[profiles.default]\napi_key = "ak-there"\n')
    env = {"AX_TASKS_CONFIG_DIR": str(folder)}
    assert load_settings(env=env, home=home).api_key == "ak-there"
    assert profiles_path(env=env) == folder / "profiles.toml"


# -- the ax CLI's profile files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("routing", "expected"),
    [
        ('region = "eu-west-1a"', "https://api.eu-west-1a.arize.com"),
        ('base_domain = "arize.example.com"', "https://api.arize.example.com"),
        (
            'single_host = "arize.corp"\nsingle_port = 8443\napi_scheme = "https"',
            "https://arize.corp:8443",
        ),
        ('single_host = "localhost"\nsingle_port = 0\napi_scheme = "http"', "http://localhost"),
        ('single_host = "arize.corp"', "https://arize.corp"),
        ('single_host = "arize.corp"\nsingle_port = "9000"', "https://arize.corp:9000"),
        ("", DEFAULT_BASE_URL),
    ],
)
def test_ax_routing_forms(load: Loader, home: Path, routing: str, expected: str) -> None:
    write_ax(home, "main", f'[auth]\napi_key = "k"\n[routing]\n{routing}\n')
    assert load().base_url == expected


def test_ax_values_expand_environment_references(
    load: Loader, home: Path, env: dict[str, str]
) -> None:
    write_ax(
        home,
        "main",
        '[auth]\napi_key = "${MY_ARIZE_KEY}"\n'
        '[routing]\nsingle_host = "${AX_HOST:localhost}"\n'
        'single_port = "${AX_PORT:8080}"\napi_scheme = "${AX_SCHEME:http}"\n',
    )
    env.update(MY_ARIZE_KEY="ak-from-var", AX_PORT="9999")
    settings = load()
    assert settings.api_key == "ak-from-var"
    assert settings.base_url == "http://localhost:9999"


def test_ax_unset_reference_without_default_counts_as_missing(load: Loader, home: Path) -> None:
    write_ax(home, "main", '[auth]\napi_key = "${NOT_SET_ANYWHERE}"\n')
    assert load().api_key is None


def test_ax_default_profile_is_used_without_an_active_marker(load: Loader, home: Path) -> None:
    write_ax(home, "default", '[auth]\napi_key = "ak-ax-default"\n', active=False)
    assert load().api_key == "ak-ax-default"


def test_ax_bad_port_is_a_config_error(load: Loader, home: Path) -> None:
    write_ax(home, "main", '[routing]\nsingle_host = "h"\nsingle_port = "eighty"\n')
    with pytest.raises(ConfigError, match=r"line 3 \(\[routing\] single_port\): the port must be"):
        load().check_files()


# -- broken files ----------------------------------------------------------------------------


def test_malformed_own_toml_names_file_and_line(load: Loader, cfg: Path) -> None:
    path = write_own(cfg, '[profiles.default]\napi_key = "k"\nspace = \n')
    with pytest.raises(ConfigError) as caught:
        load().check_files()
    assert str(path) in str(caught.value)
    assert "line 3" in str(caught.value)
    assert caught.value.__cause__ is None


def test_malformed_ax_toml_names_file_and_line(load: Loader, home: Path) -> None:
    path = write_ax(home, "main", "[auth\napi_key = 1\n")
    with pytest.raises(ConfigError) as caught:
        load().check_files()
    assert str(path) in str(caught.value)
    assert "line 1" in str(caught.value)


def test_unknown_keys_in_our_profile_are_reported(load: Loader, cfg: Path) -> None:
    write_own(cfg, '[profiles.default]\napikey = "k"\n')
    with pytest.raises(
        ConfigError, match=r"line 2 \(\[profiles.default\] apikey\): unknown key; valid"
    ):
        load().check_files()


def test_non_string_values_are_reported(load: Loader, cfg: Path) -> None:
    write_own(cfg, "[profiles.default]\napi_key = 42\n")
    with pytest.raises(ConfigError, match="must be a string"):
        load().check_files()


# -- Settings itself -------------------------------------------------------------------------


def test_repr_never_shows_the_key() -> None:
    settings = Settings(api_key="ak-very-secret")
    assert "ak-very-secret" not in repr(settings)
    assert "ak-very-secret" not in str(settings)
    assert "api_key='***'" in repr(settings)
    assert "api_key=None" in repr(Settings())
    assert settings.describe()["api_key"] == "***"
    assert "ak-very-secret" not in str(settings.describe())


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.api_key = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.arize.com/", "https://api.arize.com"),
        ("https://api.arize.com/v2", "https://api.arize.com"),
        ("https://api.arize.com/v2/", "https://api.arize.com"),
        ("api.eu-west-1a.arize.com", "https://api.eu-west-1a.arize.com"),
        ("http://localhost:8080/proxy/", "http://localhost:8080/proxy"),
        ("  https://API.arize.com  ", "https://api.arize.com"),
    ],
)
def test_base_url_normalisation(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected
    assert Settings(base_url=given).base_url == expected


@pytest.mark.parametrize("bad", ["ftp://x.example", "https://", "https://u:p@x.example", ""])
def test_bad_base_urls_are_config_errors(bad: str) -> None:
    with pytest.raises(ConfigError):
        normalize_base_url(bad)


@pytest.mark.parametrize(
    "kwargs", [{"connect_timeout": 0}, {"read_timeout": -1.0}, {"max_retries": -1}]
)
def test_settings_validate_numbers(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        Settings(**kwargs)


def test_bad_base_url_error_names_its_source(load: Loader, env: dict[str, str]) -> None:
    env["ARIZE_BASE_URL"] = "ftp://nope"
    with pytest.raises(ConfigError, match="env ARIZE_BASE_URL"):
        load()
