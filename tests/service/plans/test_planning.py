"""Plans: each task of a file matched to the space's (by ID, then by name) and compared field by
field; names resolved once per kind; only reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ax_tasks_mcp import FileError, dump_tasks, export_tasks, load_tasks, plan_tasks
from ax_tasks_mcp.service.connect import TasksService
from tests.service.plans.conftest import Sandboxed
from tests.support.fake_arize import FakeArize

CHATBOT_TASK = "T25saW5lVGFzazoxOm9zemE="


def exported(sandboxed: Sandboxed, *spaces: str) -> dict[str, Any]:
    document: dict[str, Any] = export_tasks(sandboxed.service, list(spaces) or ["demo"]).document
    sandboxed.service.resolver.clear()  # nothing read for the export helps the plan
    sandboxed.transport.requests.clear()
    return document


def text_of(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False)


def changed(plan: Any) -> list[tuple[str, str, list[str]]]:
    return [
        (c.action, c.name, [f.field for f in c.fields])
        for c in plan.changes
        if c.action != "unchanged"
    ]


def test_an_exported_space_plans_to_nothing_and_only_reads(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed, "demo", "production-llm", "research")
    plan = sandboxed.plan(text_of(document))
    assert not plan.has_changes
    assert plan.counts["unchanged"] == 4
    assert sandboxed.transport.writes() == []


def test_a_plan_reads_the_space_in_pages_and_each_kind_of_name_once(
    sandboxed: Sandboxed, bulk_tasks: Callable[[Path, int], None]
) -> None:
    bulk_tasks(sandboxed.db, 250)
    document = exported(sandboxed)
    plan = sandboxed.plan(text_of(document))
    assert plan.counts["unchanged"] == 252
    sent = Counter(sandboxed.transport.requests)
    assert sent == {
        "GET /v2/spaces": 1,
        "GET /v2/tasks": 3,  # 252 tasks, 100 a page
        "GET /v2/projects": 1,
        "GET /v2/datasets": 1,
        "GET /v2/evaluators": 1,
        "GET /v2/experiments": 1,
    }


def test_a_sampling_rate_a_rename_and_an_evaluator_list_are_three_updates(
    sandboxed: Sandboxed,
) -> None:
    document = exported(sandboxed)
    task = document["tasks"][0]
    assert task["id"] == CHATBOT_TASK
    task["name"] = "chatbot-hallucination-v2"
    task["sampling_rate"] = 0.25
    task["evaluators"].append({"evaluator": "toxicity"})
    plan = sandboxed.plan(text_of(document))
    assert changed(plan) == [
        ("update", "chatbot-hallucination-v2", ["name", "sampling_rate", "evaluators"])
    ]
    [update] = [c for c in plan.changes if c.action == "update"]
    assert update.task_id == CHATBOT_TASK
    assert [(f.old, f.new) for f in update.fields][:2] == [
        ("chatbot-hallucination", "chatbot-hallucination-v2"),
        (0.5, 0.25),
    ]
    assert [e["evaluator"] for e in update.fields[2].new] == [
        "hallucination",
        "relevance",
        "toxicity",
    ]


def test_a_new_name_without_an_id_is_a_new_task(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    del document["tasks"][0]["id"]
    document["tasks"][0]["name"] = "another"
    plan = sandboxed.plan(text_of(document))
    assert changed(plan)[0][:2] == ("create", "another")
    assert [c.name for c in plan.kept] == ["chatbot-hallucination"]


def test_an_id_the_space_does_not_have_falls_back_to_the_name_and_says_so(
    sandboxed: Sandboxed,
) -> None:
    document = exported(sandboxed)
    gone = "T25saW5lVGFzazo5OTk6YWJjZA=="
    document["tasks"][0]["id"] = gone
    plan = sandboxed.plan(text_of(document))
    assert not plan.has_changes
    matched = plan.changes[0]
    assert matched.task_id == CHATBOT_TASK
    assert matched.note == (
        f"no task of space 'demo' has the ID {gone} (deleted, or the file is another space's): "
        "matched by its name instead"
    )
    assert matched.to_dict()["note"] == matched.note
    # Under a name no task has, the task is created, and the plan says why.
    document["tasks"][0]["name"] = "restored"
    [created] = [c for c in sandboxed.plan(text_of(document)).changes if c.action == "create"]
    assert created.note is not None
    assert created.note.endswith(": created anew")
    assert [c.note for c in plan.changes[1:]] == [None]  # a task matched by its ID has none


def test_evaluators_in_another_order_and_null_fields_change_nothing(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    task = document["tasks"][0]
    task["evaluators"].reverse()
    task["evaluators"][0]["evaluator_version_id"] = None
    task["type"] = "template_evaluation"
    assert not sandboxed.plan(text_of(document)).has_changes


@pytest.mark.parametrize(
    ("edit", "fields"),
    [
        ({"dataset": "rag-questions", "experiments": ["retriever-k5"]}, ["dataset", "experiments"]),
        ({"experiments": ["baseline-gpt-4o"]}, ["experiments"]),
        ({"type": "TEMPLATE_EVALUATION"}, ["type"]),
    ],
)
def test_a_field_that_cannot_change_in_place_is_a_replace(
    sandboxed: Sandboxed, edit: dict[str, Any], fields: list[str]
) -> None:
    experiments = {e["name"] for e in sandboxed.service.iter_lookup("experiments", space="demo")}
    assert set(edit.get("experiments", [])) <= experiments
    document = exported(sandboxed)
    document["tasks"][1].update(edit)
    [change] = [c for c in sandboxed.plan(text_of(document)).changes if c.action != "unchanged"]
    assert change.action == "replace"
    assert list(change.replaced_by) == fields


def test_tasks_the_file_leaves_out_are_deleted_only_with_prune(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    gone = document["tasks"].pop()
    kept = sandboxed.plan(text_of(document))
    assert not kept.has_changes
    assert [c.name for c in kept.kept] == [gone["name"]]
    pruned = sandboxed.plan(text_of(document), prune=True)
    assert changed(pruned) == [("delete", gone["name"], [])]
    assert pruned.kept == ()


def test_a_name_that_resolves_to_nothing_is_told_at_its_place(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    document["tasks"][0]["evaluators"][1]["evaluator"] = "relevancy"
    with pytest.raises(FileError) as caught:
        sandboxed.plan(text_of(document))
    assert str(caught.value).startswith(
        "tasks.yaml:14:16: task 'chatbot-hallucination', evaluators[1].evaluator: No evaluator "
        "named 'relevancy'"
    )
    assert "Did you mean: 'relevance'?" in str(caught.value)
    assert sandboxed.transport.writes() == []


def test_a_name_two_projects_share_is_told_with_their_ids(sandboxed: Sandboxed) -> None:
    sandboxed.sql(
        "INSERT INTO projects (space_id, name, project_type, spans_per_hour, created_at) "
        "SELECT space_id, name, project_type, spans_per_hour, created_at FROM projects "
        "WHERE name = 'chatbot'"
    )
    document = exported(sandboxed)
    assert document["tasks"][0]["project"] != "chatbot"  # its ID: the name is not unique
    document["tasks"][0]["project"] = "chatbot"
    with pytest.raises(
        FileError,
        match=r"^tasks.yaml:6:12: .*project: The project name 'chatbot' is ambiguous: 2 projects",
    ):
        sandboxed.plan(text_of(document))


def test_a_space_that_does_not_exist_is_told_at_the_space(sandboxed: Sandboxed) -> None:
    with pytest.raises(FileError, match=r"^tasks.yaml:1:8: space: No space named 'dmeo'"):
        sandboxed.plan("space: dmeo\ntasks: []\n")


def test_the_same_evaluator_twice_by_name_and_by_id_is_refused(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    evaluators = {
        e["name"]: e["id"] for e in sandboxed.service.iter_lookup("evaluators", space="demo")
    }
    document["tasks"][0]["evaluators"].append({"evaluator": evaluators["hallucination"]})
    with pytest.raises(
        FileError, match=r"evaluators\[2\].evaluator: this evaluator is also evaluators\[0\]"
    ):
        sandboxed.plan(text_of(document))


def test_a_rename_onto_a_name_a_kept_task_holds_is_refused(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    other = document["tasks"].pop()
    document["tasks"][0]["name"] = other["name"]
    with pytest.raises(FileError, match=r"is taken in space 'demo' by task .*--prune"):
        sandboxed.plan(text_of(document))
    renamed = sandboxed.plan(text_of(document), prune=True)  # deleted first, then renamed
    assert [c.action for c in renamed.changes] == ["update", "delete"]


def test_renames_that_go_round_in_a_circle_are_refused(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    first, second = document["tasks"]
    first["name"], second["name"] = second["name"], first["name"]
    with pytest.raises(FileError, match="go round in a circle"):
        sandboxed.plan(text_of(document))


def test_files_naming_one_space_by_name_and_by_id_are_one_space(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    space_id = sandboxed.service.resolver.space_id("demo")
    second = {"space": space_id, "tasks": [document["tasks"].pop()]}
    spaces = load_tasks(texts=[("a.yaml", text_of(document)), ("b.yaml", text_of(second))])
    plan = plan_tasks(sandboxed.service, spaces, prune=True)
    assert plan.counts == {"create": 0, "update": 0, "replace": 0, "delete": 0, "unchanged": 2}


def test_one_task_in_two_files_naming_its_space_two_ways_is_refused(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    space_id = sandboxed.service.resolver.space_id("demo")
    twice = {"space": space_id, "tasks": [document["tasks"][0]]}
    spaces = load_tasks(texts=[("a.yaml", text_of(document)), ("b.yaml", text_of(twice))])
    with pytest.raises(
        FileError, match=r"^b.yaml:3:9: .*given twice in this space \(first at a.yaml"
    ):
        plan_tasks(sandboxed.service, spaces)
    assert sandboxed.transport.writes() == []


def test_a_file_without_a_space_uses_the_one_given_else_the_configured_one(
    sandboxed: Sandboxed,
) -> None:
    tasks = {"tasks": exported(sandboxed, "research")["tasks"]}
    assert not sandboxed.plan(text_of(tasks), space="research").has_changes
    with pytest.raises(FileError, match="Looked in space 'demo'"):  # the configured space
        sandboxed.plan(text_of(tasks))


def test_without_any_space_the_file_is_refused(
    make_service: Callable[..., TasksService], fake: FakeArize
) -> None:
    with pytest.raises(FileError, match=r"^t.yaml:1:1: names no space: add space: to the file"):
        plan_tasks(make_service(space=None), load_tasks(texts=[("t.yaml", "tasks: []\n")]))
    assert fake.sent() == []


def test_progress_is_reported_per_page_read(
    sandboxed: Sandboxed, bulk_tasks: Callable[[Path, int], None]
) -> None:
    bulk_tasks(sandboxed.db, 200)
    seen: list[tuple[str, int]] = []
    text = dump_tasks(export_tasks(sandboxed.service, ["demo"]))
    plan_tasks(
        sandboxed.service,
        load_tasks(texts=[("t.yaml", text)]),
        on_progress=lambda p: seen.append((p.stage, p.done)),
    )
    assert seen == [("reading", 100), ("reading", 200)]
