"""The private Typer/Click APIs in ax_tasks_cli.compat still behave as the CLI relies on: an
upgrade that moves or changes one fails here, not at a user's Tab key."""

from __future__ import annotations

import typer

from ax_tasks_cli.compat import completion_context, completion_target
from ax_tasks_cli.main import app

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
