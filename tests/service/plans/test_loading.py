"""Tasks files read and checked before any request: every problem is one FileError that
names file:line:column and the field in the file's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from ax_tasks_mcp import FileError, load_tasks
from ax_tasks_mcp.service.plans import locations, marked

GOOD = """\
space: demo
tasks:
  - name: nightly
    type: Template-Evaluation
    project: chatbot
    sampling_rate: 0.5
    evaluators:
      - evaluator: hallucination
        column_mappings: {output: attributes.output.value}
  - name: generate
    type: run_experiment
    dataset: qa-golden
    run_configuration:
      experiment_type: llm_generation
      ai_integration: openai-prod
      messages: [{role: user, content: "{{question}}"}]
"""


def problem(text: str, name: str = "tasks.yaml") -> FileError:
    """The one problem of a file that has one."""
    with pytest.raises(FileError) as caught:
        load_tasks(texts=[(name, text)])
    assert "\n" not in str(caught.value)
    return caught.value


def problems(text: str, name: str = "tasks.yaml") -> list[str]:
    """Every problem of a file, a line each."""
    with pytest.raises(FileError) as caught:
        load_tasks(texts=[(name, text)])
    lines = str(caught.value).split("\n")
    told = [p.message for p in caught.value.problems]
    assert told == lines[: len(told)]  # and a count of those past the bound
    return lines


def test_a_good_file_is_read_with_enums_in_uppercase_and_the_variable_format_inferred() -> None:
    [space] = load_tasks(texts=[("tasks.yaml", GOOD)])
    nightly, generate = space.tasks
    assert space.space == "demo"
    assert nightly.task_type == "TEMPLATE_EVALUATION"
    config = generate.data["run_configuration"]
    assert config["experiment_type"] == "LLM_GENERATION"
    assert config["messages"][0]["role"] == "USER"
    assert config["input_variable_format"] == "MUSTACHE"
    assert str(generate.where()) == "tasks.yaml:10:5"


def test_a_value_of_the_wrong_type_is_named_at_its_place() -> None:
    error = problem(GOOD.replace("sampling_rate: 0.5", "sampling_rate: half"))
    assert (
        str(error)
        == "tasks.yaml:6:20: task 'nightly', sampling_rate: must be a number, not 'half'."
    )
    assert (error.where.line, error.where.column) == (6, 20)


def test_a_number_out_of_range_says_the_bound() -> None:
    error = problem(GOOD.replace("sampling_rate: 0.5", "sampling_rate: 1.5"))
    assert str(error).startswith(
        "tasks.yaml:6:20: task 'nightly', sampling_rate: must be at most 1"
    )


def test_an_unknown_field_is_named_at_its_key_with_the_closest_known_one() -> None:
    error = problem(GOOD.replace("sampling_rate: 0.5", "sampling: 0.5"))
    assert str(error).startswith(
        "tasks.yaml:6:5: task 'nightly', sampling: unknown field (did you mean sampling_rate?)"
    )


def test_an_unknown_field_in_a_nested_object_is_named_by_its_path() -> None:
    error = problem(GOOD.replace("column_mappings:", "column_mapping:"))
    assert str(error).startswith(
        "tasks.yaml:9:9: task 'nightly', evaluators[0].column_mapping: unknown field"
    )


def test_a_fixed_value_that_is_not_one_lists_those_that_are_in_any_case() -> None:
    error = problem(GOOD.replace("role: user", "role: boss"))
    assert (
        "run_configuration.messages[0].role: must be one of USER, ASSISTANT, SYSTEM, TOOL"
        in str(error)
    )
    assert "(any case)" in str(error)


def test_yes_or_no_as_a_name_is_told_to_be_quoted() -> None:
    error = problem(GOOD.replace("name: nightly", "name: no"))
    assert "tasks[0], name: must be text, not no (it reads as false: quote it" in str(error)


def test_a_missing_required_field_is_named_at_its_task() -> None:
    error = problem(GOOD.replace("    dataset: qa-golden\n", ""))
    assert str(error) == (
        "tasks.yaml:10:5: task 'generate': dataset is missing: every task in a file is "
        "described whole, and it is needed to create the task where it does not exist."
    )


def test_the_rules_of_a_type_of_task_are_checked_at_the_field_they_name() -> None:
    error = problem(
        GOOD.replace("    project: chatbot\n", "    project: chatbot\n    dataset: qa\n")
    )
    assert str(error).startswith("tasks.yaml:5:14: task 'nightly', project: An evaluation task")
    assert "give exactly one of project and dataset" in str(error)  # the file's words


def test_a_task_name_given_twice_in_a_space_points_at_both() -> None:
    twice = GOOD + GOOD.split("tasks:\n", 1)[1].split("  - name: generate")[0]
    error = problem(twice)
    assert str(error).startswith("tasks.yaml:17:11: task 'nightly', name: the task name 'nightly'")
    assert "(first at tasks.yaml:3:5)" in str(error)


def test_a_task_name_given_in_two_files_for_one_space_is_refused() -> None:
    with pytest.raises(FileError, match=r"^b.yaml:3:11: .*first at a.yaml:3:5"):
        load_tasks(texts=[("a.yaml", GOOD), ("b.yaml", GOOD)])


def test_one_id_given_to_two_tasks_is_refused() -> None:
    text = GOOD.replace("name: nightly\n", "name: nightly\n    id: T25saW5lVGFzazoxOm9zemE=\n")
    text = text.replace("name: generate\n", "name: generate\n    id: T25saW5lVGFzazoxOm9zemE=\n")
    assert "each task has its own" in str(problem(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("space: demo\ntasks: [\n", "tasks.yaml:3:1: not valid YAML: while parsing a flow"),
        ("space: demo\n  tasks: []\n", "tasks.yaml:2:8: not valid YAML: mapping values"),
        ("space: a\n---\nspace: b\n", "tasks.yaml:2:1: not valid YAML: expected a single document"),
        ("space: a\nspace: b\ntasks: []\n", "tasks.yaml:2:1: 'space' is given twice"),
        ("1: x\n", "tasks.yaml:1:1: a key must be text"),
        ("tasks: &a [*a]\n", "tasks.yaml:1:8: an alias refers to a value that contains it"),
        ("- one\n", "tasks.yaml:1:1: a tasks file is an object"),
        ("", "tasks.yaml:1:1: a tasks file is an object"),
        ("space: demo\n", "tasks.yaml:1:1: a file lists tasks"),
        ("spaces: [{space: a, tasks: []}]\ntasks: []\n", "tasks.yaml:1:1: give either space"),
    ],
)
def test_a_file_that_is_no_tasks_file_is_one_line_at_its_place(text: str, expected: str) -> None:
    assert str(problem(text)).startswith(expected)


def test_json_errors_and_repeated_keys_have_their_place_too() -> None:
    assert str(problem('{"tasks": [}', "t.json")).startswith("t.json:1:12: not valid JSON")
    assert str(problem('{"tasks": [], "tasks": []}', "t.json")).startswith(
        "t.json:1:15: 'tasks' is given twice"
    )


def test_json_is_read_by_json_rules_and_tab_indented_json_keeps_its_places() -> None:
    task = '{"name": "x", "type": "code_evaluation", "project": 1e1, "evaluators": []}'
    assert problems(f'{{\n\t"space": "demo",\n\t"tasks": [{task}]\n}}', "t.json") == [
        "t.json:3:64: task 'x', project: must be text, not 1e1 (it reads as a number: "
        "quote it to make it text).",
        "t.json:3:83: task 'x', evaluators: needs at least 1 entry.",
    ]


def test_aliases_that_expand_without_bound_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marked, "MAX_NODES", 1000)
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    layers += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 4)]
    assert "expands to more than 1,000 values" in str(problem("\n".join(layers) + "\n"))


def test_shared_settings_may_be_merged_into_tasks_and_overridden() -> None:
    text = """\
defaults: &span
  type: template_evaluation
  project: chatbot
  evaluators: [{evaluator: hallucination}]
"""
    assert "defaults: unknown field" in str(problem(text + "tasks: []\n"))  # only known keys
    text = (
        "tasks:\n  - &base {name: a, type: template_evaluation, project: chatbot, "
        "evaluators: [{evaluator: x}]}\n  - {<<: *base, name: b, project: rag-search}\n"
    )
    [space] = load_tasks(texts=[("t.yaml", text)])
    assert [t.data["project"] for t in space.tasks] == ["chatbot", "rag-search"]


def test_a_filter_may_be_null_to_clear_it() -> None:
    text = GOOD.replace("sampling_rate: 0.5", "sampling_rate: 0.5\n    query_filter: null")
    [space] = load_tasks(texts=[("tasks.yaml", text)])
    assert space.tasks[0].data["query_filter"] is None


def test_files_are_read_whole_as_utf8_and_bounded(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    assert load_tasks([good])[0].tasks[0].name == "nightly"
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"space: caf\xe9\n")
    with pytest.raises(FileError, match=r"latin1.yaml:1:11: is not UTF-8 text"):
        load_tasks([bad])
    with pytest.raises(FileError, match=r"good.yaml:1:1: is larger than 100 bytes"):
        load_tasks([good], max_bytes=100)
    with pytest.raises(FileError, match=r"missing.yaml:1:1: cannot be read"):
        load_tasks([tmp_path / "missing.yaml"])


def test_several_spaces_in_one_file() -> None:
    text = "spaces:\n  - space: demo\n    tasks: []\n  - space: research\n    tasks: []\n"
    assert [s.space for s in load_tasks(texts=[("t.yaml", text)])] == ["demo", "research"]


UNTYPED = """\
space: demo
tasks:
  - name: chatbot-hallucination
    project: chatbot
    sampling: 0.5
    is_continuous: "true"
    sampling_rate: 1.5
"""
WHOLE = (
    ": every task in a file is described whole, and {} needed to create the task where it "
    "does not exist."
)


def test_every_problem_is_told_at_once_even_with_the_type_missing() -> None:
    assert problems(UNTYPED, "b1.yaml") == [
        "b1.yaml:3:5: task 'chatbot-hallucination': type is missing" + WHOLE.format("it is"),
        "b1.yaml:5:5: task 'chatbot-hallucination', sampling: unknown field (did you mean "
        "sampling_rate?); the fields of a task are: name, id, type, project, dataset, "
        "experiments, sampling_rate, is_continuous, query_filter, query_filters, evaluators, "
        "run_configuration.",
        "b1.yaml:6:20: task 'chatbot-hallucination', is_continuous: must be true or false, "
        "not 'true'.",
        "b1.yaml:7:20: task 'chatbot-hallucination', sampling_rate: must be at most 1, not 1.5.",
    ]


def test_with_the_type_given_a_missing_field_is_told_beside_the_others() -> None:
    typed = UNTYPED.replace("    project:", "    type: template_evaluation\n    project:")
    told = problems(typed)
    assert told[0] == (
        "tasks.yaml:3:5: task 'chatbot-hallucination': evaluators is missing"
        + WHOLE.format("it is")
    )
    assert [line.split(": ", 2)[1] for line in told[1:]] == [
        "task 'chatbot-hallucination', sampling",
        "task 'chatbot-hallucination', is_continuous",
        "task 'chatbot-hallucination', sampling_rate",
    ]


def test_a_type_that_is_none_is_quoted_as_written_and_the_fields_still_checked() -> None:
    told = problems(UNTYPED.replace("    project:", "    type: Templat\n    project:"))
    assert told[0] == (
        "tasks.yaml:4:11: task 'chatbot-hallucination', type: must be one of "
        "TEMPLATE_EVALUATION, CODE_EVALUATION, RUN_EXPERIMENT (any case), not 'Templat'."
    )
    assert len(told) == 4


def test_many_problems_are_told_up_to_a_bound_and_then_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(locations, "MAX_PROBLEMS", 3)
    told = problems(
        GOOD.replace(
            "sampling_rate: 0.5", "sampling_rate: 2\n    is_continuous: 1\n    x: 1\n    y: 1"
        )
    )
    assert len(told) == 4
    assert told[-1] == "tasks.yaml: 1 more problem."


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("0x10", "must be at most 1, not 0x10."),
        (".nan", "must be a number, not .nan."),
        (".NaN", "must be a number, not .NaN."),
        ("1e400", "must be at most 1, not 1e400."),
        ("-.inf", "must be at least 0, not -.inf."),
        ("'0.5'", "must be a number, not '0.5'."),
    ],
)
def test_a_value_is_quoted_as_the_file_writes_it_and_its_field_named_once(
    written: str, said: str
) -> None:
    error = problem(GOOD.replace("sampling_rate: 0.5", f"sampling_rate: {written}"))
    assert str(error) == f"tasks.yaml:6:20: task 'nightly', sampling_rate: {said}"


def test_exponent_numbers_read_as_numbers_as_in_json_and_yaml_1_2() -> None:
    [space] = load_tasks(
        texts=[("t.yaml", GOOD.replace("sampling_rate: 0.5", "sampling_rate: 5e-1"))]
    )
    assert space.tasks[0].data["sampling_rate"] == 0.5


def test_not_finite_numbers_anywhere_are_refused() -> None:
    text = GOOD + "      invocation_parameters: {temperature: .inf}\n"
    assert str(problem(text)) == (
        "tasks.yaml:17:44: task 'generate', run_configuration.invocation_parameters.temperature: "
        "must be a finite number, not .inf."
    )


def test_a_rule_whose_message_names_its_field_names_it_once() -> None:
    text = GOOD.replace("    project: chatbot\n", "    dataset: qa-golden\n    experiments: [a]\n")
    assert str(problem(text)) == (
        "tasks.yaml:7:20: task 'nightly': sampling_rate and is_continuous apply to project "
        "tasks only; a dataset task scores the experiments it is given."
    )


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("nonsense", "'nonsense' is not a task ID (export writes each task's, such as "),
        ("TW9kZWw6Mw==", "'TW9kZWw6Mw==' is a project ID, not a task ID; leave id out"),
    ],
)
def test_an_id_that_is_no_task_id_is_refused_at_its_line(written: str, said: str) -> None:
    text = GOOD.replace("name: nightly\n", f"name: nightly\n    id: {written}\n")
    assert str(problem(text)).startswith(f"tasks.yaml:4:9: task 'nightly', id: {said}")
