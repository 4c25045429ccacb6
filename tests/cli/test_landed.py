"""After a write has landed (cli/ax_tasks_cli/landed.py): a later failure exits 8 naming what
landed, the result goes to stdout when its file could not take it, and the command's own
outcomes pass untouched."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import typer

from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.exitcodes import LANDED
from ax_tasks_cli.landed import WriteLanded, after_write, positive_seconds
from ax_tasks_mcp import WaitTimeoutError


@dataclass
class Choice:
    path: str | None = None


@dataclass
class FakeSession:
    """What after_write uses of a session: where the output goes, and stdout."""

    choice: Choice = field(default_factory=Choice)
    stdout: io.StringIO = field(default_factory=io.StringIO)


def session_with(path: str | None = None) -> Any:
    return FakeSession(Choice(path=path))


class Described(Exception):
    """An error that describes itself (as service errors do), here without a message."""

    def __init__(self, description: dict[str, Any]) -> None:
        super().__init__("not this text")
        self.description = description

    def to_dict(self) -> dict[str, Any]:
        return dict(self.description)


def test_a_later_failure_names_what_landed_and_exits_8() -> None:
    problem = WriteLanded("Created task 'x' (T1)", OSError("disk full."))
    assert str(problem) == "Created task 'x' (T1), but then: disk full."
    assert problem.exit_code == LANDED == 8
    assert problem.kind == "write_landed"


@pytest.mark.parametrize(
    "cause",
    [ValueError(), Described({"kind": "x"}), Described({"kind": "x", "message": ""})],
    ids=["no text", "no message", "empty message"],
)
def test_a_failure_without_words_is_named_by_its_kind(cause: Exception) -> None:
    name = type(cause).__name__
    assert str(WriteLanded("Deleted task 'x'", cause)) == f"Deleted task 'x', but then: {name}."


def test_a_failure_after_the_write_becomes_write_landed_and_the_result_reaches_stdout() -> None:
    session = session_with("out.json")
    result = {"id": "T1", "name": "é"}
    with (
        pytest.raises(WriteLanded) as caught,
        after_write(session, "Created task 'é' (T1)", result),
    ):
        raise PermissionError("out.json: permission denied")
    assert str(caught.value) == "Created task 'é' (T1), but then: out.json: permission denied."
    assert isinstance(caught.value.__cause__, PermissionError)
    assert json.loads(session.stdout.getvalue()) == result
    assert "é" in session.stdout.getvalue()  # as written, not escaped


@pytest.mark.parametrize(
    ("path", "result"), [(None, {"id": "T1"}), ("out.json", None)], ids=["stdout", "no result"]
)
def test_the_result_is_printed_again_only_when_a_file_was_to_take_it(
    path: str | None, result: dict[str, Any] | None
) -> None:
    session = session_with(path)
    with pytest.raises(WriteLanded), after_write(session, "done", result):
        raise RuntimeError("later")
    assert session.stdout.getvalue() == ""


@pytest.mark.parametrize(
    "outcome",
    [
        typer.Exit(3),
        KeyboardInterrupt(),
        WriteLanded("earlier", ValueError("x")),
        WaitTimeoutError("R1", "RUNNING", 5.0),
    ],
    ids=["exit", "ctrl-c", "already landed", "wait timeout"],
)
def test_the_commands_own_outcomes_pass_untouched(outcome: BaseException) -> None:
    session = session_with("out.json")
    with pytest.raises(type(outcome)) as caught, after_write(session, "done", {"id": "T1"}):
        raise outcome
    assert caught.value is outcome
    assert session.stdout.getvalue() == ""


def test_nothing_failing_is_nothing_to_say() -> None:
    session = session_with()
    with after_write(session, "done", {"id": "T1"}):
        pass
    assert session.stdout.getvalue() == ""


@pytest.mark.parametrize("value", [None, 0.001, 5])
def test_positive_seconds_are_taken(value: float | None) -> None:
    positive_seconds("--timeout", value)


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (-2.5, "-2.5")])
def test_zero_or_negative_seconds_are_refused_before_anything_is_sent(
    value: float, shown: str
) -> None:
    with pytest.raises(UsageProblem) as caught:
        positive_seconds("--timeout", value)
    assert str(caught.value) == f"--timeout must be a positive number of seconds, not {shown}."
