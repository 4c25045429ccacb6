"""Task commands (list, get, create*, update, delete) against the embedded sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SB = "--sandbox"
RELEVANCE = '[{"evaluator": "relevance"}]'
RUN_CONFIG = (
    '{"experiment_type": "llm_generation", "ai_integration_id": "openai-prod", '
    '"model_name": "gpt-4o", "messages": [{"role": "user", "content": "{{input}}"}]}'
)


def create_monitor(ax, name: str = "Relevance Monitor") -> dict:
    return ax.json(
        SB,
        "create",
        "--name",
        name,
        "--task-type",
        "template_evaluation",
        "--space",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        RELEVANCE,
        "--is-continuous",
        "--sampling-rate",
        "0.1",
    )


def names(ax, *args: str) -> list[str]:
    return [t["name"] for t in ax.json(SB, "list", "--space", "demo", "--all", *args)]


# -- list ------------------------------------------------------------------------------------


def test_list_prints_json_when_stdout_is_not_a_terminal(ax) -> None:
    result = ax(SB, "list", "--space", "demo")
    assert result.exit_code == 0
    tasks = json.loads(result.stdout)
    assert {t["name"] for t in tasks} == {"chatbot-hallucination", "qa-golden-json-check"}
    assert result.stderr == ""


def test_list_prints_a_table_on_a_terminal(ax) -> None:
    result = ax(SB, "list", "--space", "demo", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ID")
    assert "NAME" in lines[0]
    assert any("chatbot-" in line for line in lines[1:])
    assert "\x1b[" not in result.stdout


def test_list_table_is_coloured_on_a_terminal_without_no_color(ax) -> None:
    result = ax(SB, "list", "--space", "demo", tty=True)
    assert "\x1b[1m" in result.stdout


def test_list_filters_by_type_in_any_case(ax) -> None:
    assert names(ax, "--task-type", "Code_Evaluation") == ["qa-golden-json-check"]


def test_list_warns_that_a_task_type_it_does_not_know_is_sent_as_given(ax) -> None:
    """As --status does: the API may know a newer type; this one it refuses, in our words."""
    result = ax(SB, "list", "-s", "demo", "--task-type", "template", tty={"stderr"})
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "ax-tasks: warning: TEMPLATE is not a task type this version knows (TEMPLATE_EVALUATION,"
        " CODE_EVALUATION, RUN_EXPERIMENT); it is sent as given."
    )
    assert "query parameter --task-type:" in lines[1]
    assert "'type'" not in result.stderr
    known = ax(SB, "list", "-s", "demo", "--task-type", "code-evaluation")
    assert known.exit_code == 0
    assert "warning" not in known.stderr


def test_list_filters_by_name_project_and_dataset(ax) -> None:
    assert names(ax, "--name", "HALLU") == ["chatbot-hallucination"]
    assert names(ax, "--project", "chatbot") == ["chatbot-hallucination"]
    assert names(ax, "--dataset", "qa-golden") == ["qa-golden-json-check"]


def test_list_pages_with_a_cursor_hint_on_stderr(ax) -> None:
    first = ax(SB, "list", "--space", "demo", "--limit", "1")
    assert first.exit_code == 0
    assert len(json.loads(first.stdout)) == 1
    assert "--cursor " in first.stderr
    cursor = first.stderr.split("--cursor ", 1)[1].split()[0]
    second = ax(SB, "list", "--space", "demo", "-l", "1", "-c", cursor)
    assert second.exit_code == 0
    assert json.loads(second.stdout) != json.loads(first.stdout)
    assert "--cursor" not in second.stderr


def test_list_all_follows_every_cursor_as_ndjson(ax) -> None:
    for index in range(3):
        create_monitor(ax, f"monitor {index}")
    result = ax(SB, "list", "--all", "-o", "ndjson")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 7
    assert all(json.loads(line)["id"] for line in lines)
    assert "--cursor" not in result.stderr


def test_list_all_with_cursor_is_a_usage_error(ax) -> None:
    result = ax(SB, "list", "--all", "--cursor", "abc")
    assert result.exit_code == 2
    assert "--all and --cursor" in result.stderr


def test_list_to_a_file_writes_the_file_and_says_so(ax, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = ax(SB, "list", "--space", "demo", "--output", "tasks.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Wrote 2 tasks to tasks.json\n"
    assert len(json.loads((tmp_path / "tasks.json").read_text())) == 2


def test_empty_list_says_so_on_stderr_for_tables(ax) -> None:
    result = ax(SB, "list", "--space", "demo", "--name", "zzz", "-o", "table")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No tasks found.\n"
    assert ax.json(SB, "list", "--space", "demo", "--name", "zzz") == []


def test_list_uses_the_default_space_from_the_environment(ax) -> None:
    result = ax(SB, "list", env={"ARIZE_SPACE": "production-llm"})
    assert [t["name"] for t in json.loads(result.stdout)] == ["checkout-nightly-generation"]


def test_list_limit_out_of_range_is_a_usage_error(ax) -> None:
    result = ax(SB, "list", "--limit", "0")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "--limit" in result.stderr


# -- get -------------------------------------------------------------------------------------


def test_get_by_name_with_space_and_by_id(ax) -> None:
    task = ax.json(SB, "get", "chatbot-hallucination", "--space", "demo")
    assert task["type"] == "TEMPLATE_EVALUATION"
    assert ax.json(SB, "get", task["id"]) == task


def test_get_shows_a_detail_view_on_a_terminal(ax) -> None:
    result = ax(SB, "get", "chatbot-hallucination", "-s", "demo", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("name ")
    assert "\nevaluators\n  - evaluator_id: " in result.stdout


def test_get_an_unknown_name_exits_4_with_a_teaching_message(ax) -> None:
    result = ax(SB, "get", "chatbot-halucination", "--space", "demo", tty=True)
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("ax-tasks: error: ")
    assert "chatbot-hallucination" in result.stderr  # did you mean
    assert "Traceback" not in result.stderr


def test_get_errors_are_json_with_a_machine_format(ax) -> None:
    result = ax(SB, "get", "nope", "--space", "demo", "-o", "json", tty=True)
    assert result.exit_code == 4
    error = ax.error_of(result)
    assert error["kind"] == "not_found"
    assert error["exit_code"] == 4
    assert error["message"]


def test_get_errors_are_json_when_nobody_watches_stderr(ax) -> None:
    result = ax(SB, "get", "nope", "--space", "demo")
    assert ax.error_of(result)["kind"] == "not_found"


def test_get_errors_are_text_when_json_was_only_the_default_and_a_person_watches(ax) -> None:
    result = ax(SB, "get", "nope", "--space", "demo", tty={"stderr"})
    assert result.exit_code == 4
    assert result.stderr.startswith("ax-tasks: error: ")


def test_get_a_run_id_as_a_task_is_refused_with_a_hint(ax) -> None:
    run = ax.json(SB, "list-runs", "chatbot-hallucination", "-s", "demo", "-l", "1")[0]
    result = ax(SB, "get", run["id"], tty=True)
    assert result.exit_code in (2, 4)
    assert "get-run" in result.stderr


# -- create ----------------------------------------------------------------------------------


def test_create_a_project_evaluation_task(ax) -> None:
    task = create_monitor(ax)
    assert task["name"] == "Relevance Monitor"
    assert task["type"] == "TEMPLATE_EVALUATION"
    assert task["is_continuous"] is True
    assert task["sampling_rate"] == 0.1
    assert task["evaluators"][0]["evaluator_name"] == "relevance"


def test_create_on_a_terminal_says_what_was_created(ax) -> None:
    result = ax(
        SB,
        "create",
        "-n",
        "tty monitor",
        "--task-type",
        "TEMPLATE_EVALUATION",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        RELEVANCE,
        tty=True,
    )
    assert result.exit_code == 0
    assert result.stderr.startswith("Created task 'tty monitor' (")


def test_create_a_dataset_evaluation_task_with_experiment_names(ax) -> None:
    task = ax.json(
        SB,
        "create",
        "--name",
        "Experiment Evaluation",
        "--task-type",
        "template_evaluation",
        "--space",
        "demo",
        "--dataset",
        "qa-golden",
        "--experiment-ids",
        "baseline-gpt-4o,prompt-v2",
        "--evaluators",
        '[{"evaluator": "hallucination"}]',
        "--no-continuous",
    )
    assert len(task["experiment_ids"]) == 2
    assert task["is_continuous"] is False


def test_create_a_run_experiment_task_from_a_file(ax, tmp_path: Path) -> None:
    config = tmp_path / "run_config.json"
    config.write_text(RUN_CONFIG)
    task = ax.json(
        SB,
        "create",
        "--name",
        "GPT-4o Summarization",
        "--task-type",
        "run_experiment",
        "--space",
        "demo",
        "--dataset",
        "qa-golden",
        "--run-configuration",
        f"@{config}",
    )
    assert task["type"] == "RUN_EXPERIMENT"
    assert task["run_configuration"]["experiment_type"] == "LLM_GENERATION"
    assert task["run_configuration"]["input_variable_format"] == "MUSTACHE"


def test_create_reads_json_from_stdin(ax) -> None:
    result = ax(
        SB,
        "create",
        "-n",
        "stdin monitor",
        "--task-type",
        "code_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        "-",
        "-o",
        "json",
        input='[{"evaluator": "json-validity"}]',
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["type"] == "CODE_EVALUATION"


def test_create_evaluation_and_create_run_experiment(ax) -> None:
    evaluation = ax.json(
        SB,
        "create-evaluation",
        "--name",
        "Relevance Monitor",
        "--task-type",
        "template_evaluation",
        "--space",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        RELEVANCE,
        "--sampling-rate",
        "0.1",
        "--is-continuous",
    )
    assert evaluation["sampling_rate"] == 0.1
    experiment = ax.json(
        SB,
        "create-run-experiment",
        "--name",
        "GPT-4o Summarization",
        "--space",
        "demo",
        "--dataset",
        "qa-golden",
        "--run-configuration",
        RUN_CONFIG,
    )
    assert experiment["type"] == "RUN_EXPERIMENT"


def test_create_dry_run_prints_the_request_and_sends_nothing(ax) -> None:
    before = names(ax)
    result = ax(
        SB,
        "create",
        "-n",
        "dry",
        "--task-type",
        "template_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        RELEVANCE,
        "--dry-run",
        "-o",
        "json",
    )
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["dry_run"] is True
    assert plan["method"] == "POST"
    assert plan["url"].endswith("/v2/tasks")
    assert plan["body"]["type"] == "TEMPLATE_EVALUATION"
    assert plan["body"]["project_id"]
    assert result.stderr == "Dry run: nothing was sent.\n"
    assert names(ax) == before


def test_create_with_broken_json_names_line_and_column(ax) -> None:
    result = ax(
        SB,
        "create",
        "-n",
        "x",
        "--task-type",
        "template_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        '[{"evaluator": relevance}]',
        tty=True,
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "ax-tasks: error: --evaluators: invalid JSON at line 1, column 16: Expecting value.\n"
    )


def test_create_with_fields_of_the_other_type_lists_the_valid_ones(ax) -> None:
    result = ax(
        SB,
        "create",
        "-n",
        "x",
        "--task-type",
        "run_experiment",
        "-s",
        "demo",
        "--dataset",
        "qa-golden",
        "--run-configuration",
        RUN_CONFIG,
        "--sampling-rate",
        "0.5",
        "-o",
        "json",
    )
    assert result.exit_code == 2
    error = ax.error_of(result)
    assert error["kind"] == "validation_error"
    assert "--sampling-rate does not apply" in error["message"]
    assert error["fields"][0] == "sampling_rate"  # machines get the API's names


def test_create_without_required_options_is_a_usage_error(ax) -> None:
    result = ax(SB, "create", "--task-type", "template_evaluation")
    assert result.exit_code == 2
    assert "--name" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_sampling_rate_out_of_range_is_a_usage_error(ax) -> None:
    result = ax(SB, "update", "x", "--sampling-rate", "1.5")
    assert result.exit_code == 2
    assert "--sampling-rate" in result.stderr


# -- update ----------------------------------------------------------------------------------


def test_update_name_and_sampling_rate(ax) -> None:
    task = create_monitor(ax)
    updated = ax.json(
        SB, "update", task["id"], "--name", "Relevance Monitor v2", "--sampling-rate", "0.25"
    )
    assert updated["name"] == "Relevance Monitor v2"
    assert updated["sampling_rate"] == 0.25
    assert updated["is_continuous"] is True


def test_update_query_filter_empty_string_clears_it(ax) -> None:
    task = ax.json(SB, "get", "chatbot-hallucination", "-s", "demo")
    assert task["query_filter"]
    plan = ax.json(SB, "update", task["id"], "--query-filter", "", "--dry-run")
    assert plan["method"] == "PATCH"
    assert plan["body"] == {"query_filter": None}
    updated = ax.json(SB, "update", "chatbot-hallucination", "-s", "demo", "--query-filter", "")
    assert updated["query_filter"] is None


def test_update_a_field_of_the_wrong_type_lists_the_valid_fields(ax) -> None:
    result = ax(
        SB,
        "update",
        "checkout-nightly-generation",
        "-s",
        "production-llm",
        "--sampling-rate",
        "0.5",
        tty=True,
    )
    assert result.exit_code == 2
    assert "--sampling-rate does not apply" in result.stderr
    assert "Fields that do: --name, --run-configuration." in result.stderr


def test_update_with_nothing_to_change_is_refused(ax) -> None:
    result = ax(SB, "update", "chatbot-hallucination", "-s", "demo", tty=True)
    assert result.exit_code == 2
    assert result.stderr.startswith("ax-tasks: error: ")


def test_update_run_configuration_replaces_it(ax) -> None:
    updated = ax.json(
        SB,
        "update",
        "checkout-nightly-generation",
        "-s",
        "production-llm",
        "--run-configuration",
        RUN_CONFIG,
    )
    assert updated["run_configuration"]["model_name"] == "gpt-4o"


# -- delete ----------------------------------------------------------------------------------


def test_delete_without_a_terminal_or_force_refuses_at_once(ax) -> None:
    task = create_monitor(ax)
    result = ax(SB, "delete", task["id"])
    assert result.exit_code == 2
    assert "--force" in ax.error_of(result)["message"]
    assert "Relevance Monitor" in names(ax)


def test_delete_force_deletes_and_prints_the_deleted_task(ax) -> None:
    task = create_monitor(ax)
    result = ax(SB, "delete", task["id"], "--force")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == task["id"]
    assert result.stderr == f"Deleted task 'Relevance Monitor' ({task['id']}).\n"
    assert "Relevance Monitor" not in names(ax)


def test_delete_on_a_terminal_asks_showing_name_and_id(ax) -> None:
    task = create_monitor(ax)
    result = ax(SB, "delete", "Relevance Monitor", "-s", "demo", tty=True, input="y\n")
    assert result.exit_code == 0
    assert f"Delete task 'Relevance Monitor' ({task['id']})? This cannot be undone." in (
        result.stderr
    )
    assert result.stdout == ""  # a table view says it on stderr only
    assert "Relevance Monitor" not in names(ax)


@pytest.mark.parametrize("answer", ["n\n", "\n", ""])
def test_declining_the_delete_changes_nothing_and_exits_1(ax, answer: str) -> None:
    create_monitor(ax)
    result = ax(SB, "delete", "Relevance Monitor", "-s", "demo", tty=True, input=answer)
    assert result.exit_code == 1
    assert "Nothing was deleted" in result.stderr
    assert "Relevance Monitor" in names(ax)


def test_delete_dry_run_shows_the_request(ax) -> None:
    task = create_monitor(ax)
    plan = ax.json(SB, "delete", task["id"], "--dry-run")
    assert plan["method"] == "DELETE"
    assert plan["url"].endswith(task["id"].replace("=", "%3D"))
    assert "Relevance Monitor" in names(ax)


def test_delete_unknown_task_exits_4(ax) -> None:
    result = ax(SB, "delete", "nope", "-s", "demo", "--force", tty=True)
    assert result.exit_code == 4


def test_update_query_filters_null_clears_them(ax) -> None:
    plan = ax.json(
        SB,
        "update",
        "agent-goal-completion",
        "-s",
        "research",
        "--query-filters",
        "null",
        "--dry-run",
    )
    assert plan["body"] == {"query_filters": None}


def test_update_query_filters_from_a_file(ax, tmp_path: Path) -> None:
    path = tmp_path / "filters.json"
    path.write_text(
        '{"filters": [{"id": "A", "filter": "attributes.llm.model_name = \'gpt-4o\'"}]}'
    )
    plan = ax.json(
        SB,
        "update",
        "agent-goal-completion",
        "-s",
        "research",
        "--query-filters",
        str(path),
        "--dry-run",
    )
    assert plan["body"]["query_filters"]["filters"][0]["id"] == "A"
