"""The Tab key, in-process: what ``ax-tasks`` answers a completion script (the scripts in real
shells are in test_cli_completion_shells.py).  Names come from the embedded sandbox."""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from ax_tasks_cli.completing import complete
from ax_tasks_cli.completion_cache import FRESH, NameCache
from ax_tasks_cli.completion_names import _within
from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime

GROUP = typer.main.get_group(app)
KEY = "ak-completion-5d1e9b7c3a20"

Tab = Callable[..., list[str]]


@pytest.fixture
def tab(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> Tab:
    """``tab("ax-tasks li", into="bash")``: the lines ax-tasks answers the shell with."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(isolated_env / "cache"))

    def ask(line: str, into: str = "bash", **env: str) -> list[str]:
        environ = {**os.environ, "_AX_TASKS_COMPLETE": into, **env}
        argv: list[str] = []
        if into == "bash":
            environ.update(COMP_LINE=line, COMP_POINT=str(len(line)))
        else:
            words = line.split(" ")
            argv = words[1:]
        out = io.StringIO()
        assert complete(GROUP, argv, env=environ, out=out) == 0
        return out.getvalue().splitlines()

    return ask


def test_the_script_is_printed_for_each_shell_and_a_wrong_one_is_refused(ax) -> None:
    for shell, loads in (("bash", "complete -F"), ("zsh", "#compdef"), ("FISH", "complete --c")):
        printed = ax("completion", shell)
        assert printed.exit_code == 0
        assert "_AX_TASKS_COMPLETE" in printed.stdout
        assert loads in printed.stdout
    refused = ax("completion", "tcsh")
    assert refused.exit_code == 2
    assert "bash, zsh or fish" in refused.stderr


def test_the_help_names_the_shells_to_choose_from(ax) -> None:
    shown = ax("help", "completion").stdout
    assert "Usage: ax-tasks completion [OPTIONS] {bash|zsh|fish}" in shown
    assert "  bash|zsh|fish " in shown  # the argument's line
    assert "SHELL" not in shown


def test_commands_complete_by_prefix(tab: Tab) -> None:
    assert tab("ax-tasks li") == ["list", "list-runs"]
    assert tab("ax-tasks sandbox ") == ["serve", "info", "reset"]


def test_options_complete_without_a_request(tab: Tab) -> None:
    assert tab("ax-tasks list --ta") == ["--task-type"]
    assert "--wait" in tab("ax-tasks trigger-run x --")


@pytest.mark.parametrize(
    ("line", "values"),
    [
        (
            "ax-tasks list --task-type ",
            ["template_evaluation", "code_evaluation", "run_experiment"],
        ),
        ("ax-tasks create-evaluation --task-type ", ["template_evaluation", "code_evaluation"]),
        ("ax-tasks list-runs x --status C", ["completed", "cancelled"]),
        ("ax-tasks list -o N", ["ndjson"]),
        ("ax-tasks completion z", ["zsh"]),
    ],
)
def test_fixed_values_complete_in_any_case(tab: Tab, line: str, values: list[str]) -> None:
    assert tab(line) == values


def test_a_file_is_left_to_the_shell(tab: Tab) -> None:
    assert tab("ax-tasks list -o tasks.c") == [":files"]
    assert tab("ax-tasks plan -f ") == [":files"]
    assert tab("ax-tasks sandbox info --db ") == [":files"]
    assert tab("ax-tasks plan -o tasks.c") == []  # plan writes no file: table or json only


def test_each_command_offers_its_own_formats(tab: Tab) -> None:
    assert tab("ax-tasks export -o ") == ["yaml", "json"]
    assert tab("ax-tasks apply -o ") == ["table", "json"]


def test_task_names_come_from_the_space_on_the_line_in_any_case(tab: Tab) -> None:
    assert tab("ax-tasks --sandbox get -s demo CHAT") == ["chatbot-hallucination"]
    assert tab("ax-tasks --sandbox trigger-run --space=production-llm che") == [
        "checkout-nightly-generation"
    ]


def test_with_no_space_given_no_name_is_offered_that_the_command_would_refuse(tab: Tab) -> None:
    # Names are looked up within a space: none on the line and no default, so a task, project
    # or dataset name would be refused. In a task's own place, the option that gives a space.
    assert tab("ax-tasks --sandbox get ") == ["--space"]
    assert tab("ax-tasks --sandbox list-runs ", into="fish") == [
        "--space\tnames are looked up within a space"
    ]
    assert tab("ax-tasks --sandbox get ch") == []
    assert tab("ax-tasks --sandbox list --project ") == []
    assert tab("ax-tasks --sandbox experiments --dataset ") == []
    # A default space is as good as one on the line; a filter by name needs none.
    assert tab("ax-tasks --sandbox get ch", ARIZE_SPACE="demo") == ["chatbot-hallucination"]
    assert tab("ax-tasks --sandbox list --name che") == ["checkout-nightly-generation"]


def test_zsh_and_fish_get_a_description_beside_each_name(tab: Tab) -> None:
    for shell in ("zsh", "fish"):
        assert tab("ax-tasks --sandbox list --space de", into=shell)[0].startswith("demo\t")
        assert tab("ax-tasks --sandbox get -s demo chat", into=shell) == [
            "chatbot-hallucination\ttemplate_evaluation"
        ]


def test_an_option_written_with_equals_keeps_its_name_where_the_shell_needs_it(
    tab: Tab,
) -> None:
    # bash replaces only what follows "=" (a word break); zsh replaces the whole word.
    assert tab("ax-tasks --sandbox list --space=de") == ["demo"]
    assert tab("ax-tasks --sandbox list --space=de", into="zsh")[0].startswith("--space=demo\t")


def test_the_lookups_name_filters_complete_their_own_kind(tab: Tab) -> None:
    assert tab("ax-tasks --sandbox evaluators -s demo --name hall") == ["hallucination"]
    assert tab("ax-tasks --sandbox ai-integrations -s demo --name OPEN") == ["openai-prod"]
    assert tab("ax-tasks --sandbox datasets -s demo --name qa") == ["qa-golden"]


def test_run_ids_complete_for_the_task_given_with_task(tab: Tab, ax) -> None:
    run = ax.json("--sandbox", "trigger-run", "chatbot-hallucination", "-s", "demo")
    listed = tab("ax-tasks --sandbox wait-for-run --task chatbot-hallucination -s demo ")
    assert run["id"] in listed
    assert tab("ax-tasks --sandbox wait-for-run ") == []  # no task: no runs to offer


def test_a_name_with_a_space_is_quoted_for_bash(tab: Tab, ax) -> None:
    created = ax(
        "--sandbox", "create-evaluation", "-n", "QA relevance", "--task-type",
        "template_evaluation", "-s", "demo", "--project", "chatbot",
        "--evaluators", '[{"evaluator_id": "hallucination"}]', "-o", "json",
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    assert tab("ax-tasks --sandbox get -s demo qa") == ["'QA relevance'", "qa-golden-json-check"]


def test_a_broken_setting_gives_no_candidate_and_no_message(
    tab: Tab, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tab("ax-tasks --sandbox get -s demo ch", AX_TASKS_CONNECT_TIMEOUT="soon") == []
    assert tab("ax-tasks --profile nope get ch") == []
    captured = capsys.readouterr()
    assert captured.err == ""


def test_an_eager_option_on_the_line_prints_nothing(tab: Tab) -> None:
    assert tab("ax-tasks --version --verb") == ["--verbose"]


def test_the_key_is_in_no_candidate_and_in_no_cached_file(tab: Tab, isolated_env: Path) -> None:
    assert tab("ax-tasks --sandbox list --space ", ARIZE_API_KEY=KEY)
    cached = list((isolated_env / "cache").rglob("*.json"))
    assert cached
    assert all(KEY not in path.read_text() for path in cached)


def test_completion_starts_no_trace(tab: Tab) -> None:
    from ax_tasks_mcp import telemetry

    assert tab("ax-tasks li", OTEL_TRACES_EXPORTER="console") == ["list", "list-runs"]
    assert not telemetry.active()


def test_the_timeout_setting_is_documented_in_config(ax) -> None:
    runtime = Runtime(env={"AX_TASKS_COMPLETION_TIMEOUT": "0.5", "AX_TASKS_NO_ALPHA_NOTICE": "1"})
    result = ax.runner.invoke(app, ["config", "-o", "json"], obj=runtime)
    rows = {row["setting"]: row for row in json.loads(result.stdout)}
    assert rows["completion_timeout"]["value"] == 0.5
    assert rows["completion_timeout"]["source"] == "env AX_TASKS_COMPLETION_TIMEOUT"


# -- the cache and the wait, on their own -----------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_cached_answer_is_fresh_for_two_minutes_then_stale_not_gone(tmp_path: Path) -> None:
    clock = Clock()
    cache = NameCache(tmp_path, clock=clock)
    question = ["http://127.0.0.1:1", "", "tasks", "demo", "", ""]
    assert cache.get(question) is None
    cache.put(question, [("chatbot", "template_evaluation")])
    cached = cache.get(question)
    assert cached is not None
    assert (cached.items, cached.fresh) == ([("chatbot", "template_evaluation")], True)
    clock.now += FRESH
    stale = cache.get(question)
    assert stale is not None
    assert (stale.items, stale.fresh) == ([("chatbot", "template_evaluation")], False)
    assert cache.get([*question[:3], "prod", "", ""]) is None  # another space, another answer


def test_a_write_makes_every_cached_answer_stale_not_gone(tmp_path: Path) -> None:
    clock = Clock()
    cache = NameCache(tmp_path, clock=clock)
    cache.put(["q"], [("old-name", "")])
    clock.now += 1
    cache.mark_stale()
    stale = cache.get(["q"])
    assert stale is not None
    assert (stale.items, stale.fresh) == ([("old-name", "")], False)
    clock.now += 1
    cache.put(["q"], [("new-name", "")])
    fresh = cache.get(["q"])
    assert fresh is not None
    assert (fresh.items, fresh.fresh) == ([("new-name", "")], True)


def test_a_write_command_marks_the_names_stale_and_a_read_does_not(ax, isolated_env: Path) -> None:
    written = isolated_env / "cache" / "ax-tasks" / "completion" / "written"
    assert ax("--sandbox", "list", "-s", "demo").exit_code == 0
    assert not written.exists()
    changed = ax(
        "--sandbox", "update", "chatbot-hallucination", "-s", "demo", "--sampling-rate", "0.5"
    )
    assert changed.exit_code == 0, changed.stderr
    assert written.exists()


def test_an_unwritable_or_corrupt_cache_is_a_miss(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    NameCache(blocked / "sub").put(["q"], [("a", "")])  # cannot create: no error
    cache = NameCache(tmp_path)
    cache.put(["q"], [("a", "")])
    next(tmp_path.glob("*.json")).write_text("{not json")
    assert cache.get(["q"]) is None


def test_work_not_done_in_time_is_given_up_without_waiting_for_it() -> None:
    release = threading.Event()
    assert _within(0.0, lambda: [("late", "")] if release.wait() else []) is None
    release.set()
    assert _within(5.0, lambda: [("done", "")]) == [("done", "")]


def test_work_that_fails_gives_nothing() -> None:
    def broken() -> list[tuple[str, str]]:
        raise RuntimeError("no network")

    assert _within(5.0, broken) is None
