"""The Typer internals the CLI relies on (cli/ax_tasks_cli/compat.py): an upgrade that moves one
fails here naming it, and the CLI falls back to Typer's own conversion instead of breaking."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.core import _TyperParameter
from typer.testing import CliRunner

from ax_tasks_cli import compat
from ax_tasks_cli.compat import completion_context, completion_target
from ax_tasks_cli.main import app


@pytest.mark.parametrize("path", compat.PRIVATE)
def test_typer_still_has_each_private_name_the_cli_relies_on(path: str) -> None:
    if path in compat.missing():
        pytest.fail(
            f"Typer no longer has {path}: the CLI falls back to Typer's own (pydantic) "
            "conversion; update cli/ax_tasks_cli/compat.py for this Typer."
        )


def test_a_name_typer_lost_is_reported_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(_TyperParameter, "get_runtime_param")
    assert compat.missing() == ["typer.core:_TyperParameter.get_runtime_param"]


# A process whose Typer lacks the names (compat.PRIVATE pointed at one that does not exist).
WITHOUT_THE_NAMES = """
from ax_tasks_cli import compat
compat.PRIVATE = ("typer.core:_RenamedParameter",)
from typer.core import _TyperParameter
from typer.testing import CliRunner
from ax_tasks_cli.main import app
result = CliRunner().invoke(app, ["--sandbox", "list", "--limit", "nope"])
print(result.exit_code, hasattr(_TyperParameter, "_ax_tasks_plain_conversion"))
print(result.output)
"""


@pytest.mark.e2e  # a fresh interpreter
def test_without_the_names_the_cli_keeps_typers_own_conversion_and_works() -> None:
    out = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_NAMES],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    status, output = out.split("\n", 1)
    assert status == "2 False"  # a usage error, and Typer left as it is
    assert "Input should be a valid integer" in output  # Typer's (pydantic's) own words


def test_the_plain_conversion_words_a_bad_number_itself() -> None:
    assert compat.use_plain_conversion() is True
    result = CliRunner().invoke(app, ["--sandbox", "list", "--limit", "nan"])
    assert result.exit_code == 2
    assert "not a whole number" in result.output


# -- completion: the words before the cursor, read as Click's completion reads them ------

GROUP = typer.main.get_group(app)


def test_the_context_is_the_innermost_command_s_with_what_was_typed() -> None:
    context = completion_context(GROUP, "ax-tasks", ["--sandbox", "get", "x", "-s", "demo"])
    assert context.command.name == "get"
    assert context.params["task"] == "x"
    assert context.params["space"] == "demo"
    assert context.find_root().params["sandbox"] is True


def test_an_option_awaiting_its_value_is_the_target() -> None:
    args = ["list", "--task-type"]
    target, word = completion_target(completion_context(GROUP, "ax-tasks", args), args, "tem")
    assert (target.name, word) == ("task_type", "tem")


def test_an_option_written_with_equals_gives_its_value_as_the_word() -> None:
    args = ["list"]
    target, word = completion_target(completion_context(GROUP, "ax-tasks", args), args, "-s=de")
    assert (target.name, word) == ("space", "de")


def test_a_dash_completes_the_command_s_options_by_its_own_shell_complete() -> None:
    args = ["list"]
    context = completion_context(GROUP, "ax-tasks", args)
    target, word = completion_target(context, args, "--ta")
    assert target is context.command
    assert [item.value for item in target.shell_complete(context, word)] == ["--task-type"]


@pytest.mark.parametrize("path", compat.USAGE_ERRORS)
def test_typers_click_still_has_the_usage_errors_the_cli_reads(path: str) -> None:
    module_name, _, name = path.partition(":")
    error_class = getattr(__import__(module_name, fromlist=[name]), name, None)
    assert error_class is not None, f"{path} moved: update cli/ax_tasks_cli/compat.py"
    assert compat.unknown_option(error_class("--sandbox")) == "--sandbox"
