"""Configuration mistakes read as such (exit 2, what and where),
NaN and infinity are refused as such, and an empty CSV keeps its header."""

from __future__ import annotations

import csv
import io

import pytest

SB = "--sandbox"
KEY = "sk-test-0123456789abcdef"


@pytest.mark.parametrize("url", ["127.0.0.1:8765", "localhost:8765", "not-a-url"])
def test_a_base_url_without_a_scheme_is_a_configuration_error(ax, url: str) -> None:
    result = ax("--base-url", url, "spaces", env={"ARIZE_API_KEY": KEY}, tty=True)
    assert result.exit_code == 2
    assert f"The base URL {url!r} has no scheme" in result.stderr
    assert f"http://{url}" in result.stderr
    assert "(from --base-url)" in result.stderr


def test_a_base_url_from_the_environment_names_the_variable(ax) -> None:
    env = {"ARIZE_API_KEY": KEY, "ARIZE_BASE_URL": "127.0.0.1:8765"}
    result = ax("spaces", env=env, tty=True)
    assert result.exit_code == 2
    assert "(from env ARIZE_BASE_URL)" in result.stderr


def test_a_bare_domain_still_gets_https(ax) -> None:
    from ax_tasks_mcp.service.settings import normalize_base_url

    assert normalize_base_url("api.eu-west-1a.arize.com") == "https://api.eu-west-1a.arize.com"


def test_the_sandbox_switched_on_by_the_environment_is_named(ax) -> None:
    env = {"AX_TASKS_SANDBOX": "1"}
    result = ax("--base-url", "http://127.0.0.1:8765", "spaces", env=env, tty=True)
    assert result.exit_code == 2
    assert "AX_TASKS_SANDBOX is set in the environment" in result.stderr
    result = ax(SB, "--base-url", "http://127.0.0.1:8765", "spaces", tty=True)
    assert result.exit_code == 2
    assert "--sandbox and --base-url do not go together" in result.stderr


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_nan_and_infinity_are_refused_as_such(ax, value: str) -> None:
    result = ax(SB, "update", "chatbot-hallucination", "-s", "demo", "--sampling-rate", value)
    assert result.exit_code == 2
    assert "not a finite number (NaN and infinity are refused)" in result.stderr
    assert "less than or equal" not in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--sampling-rate", "0_5", "'0_5' is not a number"),
        ("--limit", "1_0", "'1_0' is not a whole"),
    ],
)
def test_a_number_with_an_underscore_is_refused_not_read_as_python_does(
    ax, option: str, value: str, said: str
) -> None:
    command = "update" if option == "--sampling-rate" else "list-runs"
    result = ax(SB, command, "chatbot-hallucination", "-s", "demo", option, value)
    assert result.exit_code == 2
    assert said in result.stderr


def test_a_rate_out_of_range_says_the_range(ax) -> None:
    result = ax(SB, "update", "chatbot-hallucination", "-s", "demo", "--sampling-rate", "2")
    assert result.exit_code == 2
    assert "give a number from 0 to 1" in result.stderr


@pytest.mark.parametrize(
    ("command", "first"),
    [
        (["list", "-s", "demo", "--name", "no-such-task"], "id,name,type,project_id"),
        (
            ["list-runs", "chatbot-hallucination", "-s", "demo", "--status", "cancelled"],
            "id,task_id,experiment_id,status",
        ),
        (["spaces", "--name", "nothing-like-this"], "id,organization_id,name"),
    ],
)
def test_an_empty_csv_keeps_its_header(ax, command: list[str], first: str) -> None:
    result = ax(SB, *command, "-o", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(first)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 1
