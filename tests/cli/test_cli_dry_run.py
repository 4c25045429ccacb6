"""A dry run checks what the send would - evaluators in the task's space,
ID shapes - names the space it resolved to, and says when --space is not the task's space.
Nothing is written: the tests count the requests and the sandbox's rows."""

from __future__ import annotations

import json

from ax_tasks_cli import exitcodes

SB = "--sandbox"
RUN_TASK = "checkout-nightly-generation"


def _evaluator_of(ax, space: str) -> str:
    evaluators = ax.json(SB, "evaluators", "-s", space)
    return str(evaluators[0]["id"])


def _writes(transport) -> list[str]:
    return [r for r in transport.requests if not r.startswith("GET")]


def _create(ax, evaluator_id: str, factory) -> object:
    evaluators = json.dumps([{"evaluator_id": evaluator_id}])
    return ax(
        "create-evaluation",
        "-n",
        "dry",
        "--task-type",
        "template_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        evaluators,
        "--dry-run",
        "-o",
        "json",
        service_factory=factory,
    )


def test_an_evaluator_of_another_space_is_refused_like_the_send(ax, counted, sandbox_rows) -> None:
    factory, transport = counted
    foreign = _evaluator_of(ax, "research")
    before = sandbox_rows()
    result = _create(ax, foreign, factory)
    assert result.exit_code == exitcodes.USAGE
    assert f"The evaluator {foreign} is not in space 'demo'" in result.stderr
    assert "would be refused (422)" in result.stderr
    assert _writes(transport) == []
    assert sandbox_rows() == before


def test_a_dry_run_names_the_space_it_resolved_to(ax, counted) -> None:
    factory, transport = counted
    result = _create(ax, _evaluator_of(ax, "demo"), factory)
    assert result.exit_code == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert any(note.startswith("resolved to space 'demo' (") for note in notes), notes
    assert _writes(transport) == []


def test_a_dataset_version_that_is_not_an_id_is_refused(ax, counted) -> None:
    factory, transport = counted
    result = ax(
        "trigger-run",
        RUN_TASK,
        "-s",
        "production-llm",
        "--experiment-name",
        "x",
        "--dataset-version-id",
        "v1",
        "--dry-run",
        service_factory=factory,
    )
    assert result.exit_code == exitcodes.USAGE
    assert "'v1' is not a dataset version ID" in result.stderr
    assert _writes(transport) == []


def test_delete_dry_run_says_when_the_task_is_in_another_space(ax, counted, sandbox_rows) -> None:
    factory, transport = counted
    task = ax.json(SB, "get", RUN_TASK, "-s", "production-llm")
    before = sandbox_rows()
    result = ax(
        "delete", task["id"], "-s", "demo", "--dry-run", "-o", "json", service_factory=factory
    )
    assert result.exit_code == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert any("warning: the task is in space 'production-llm'" in n for n in notes), notes
    assert any("not in the space given (space 'demo'" in n for n in notes), notes
    assert _writes(transport) == []
    assert sandbox_rows() == before
