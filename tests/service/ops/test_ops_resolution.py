"""Names → IDs: exact, all pages, ambiguity, not found, space rules, the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ax_tasks_mcp import TaskChanges
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import (
    AmbiguousNameError,
    AxTasksError,
    NotFoundError,
    ValidationError,
)
from ax_tasks_mcp.service.ids import encode_id
from tests.support.clock import FakeTime
from tests.support.fake_arize import FakeArize


def test_an_id_is_used_as_is_without_any_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    project_id = world["chatbot"]["id"]
    assert service.resolver.project_id(project_id, None) == project_id
    assert fake.sent() == []


def test_a_run_id_given_as_a_task_is_a_clear_validation_error_not_a_404(
    service: TasksService, fake: FakeArize
) -> None:
    run_id = encode_id("TaskRun", 99, "qRwX")
    with pytest.raises(ValidationError, match="TaskRun ID") as caught:
        service.get_task(run_id)
    assert "get_run" in str(caught.value)
    assert fake.sent() == []


def test_a_space_name_matches_exactly_among_substring_look_alikes(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    # The server's filter returns demo, demo-archive and Demo; only "demo" matches.
    assert service.resolver.space_id("demo") == world["demo"]["id"]
    assert [repr(s) for s in fake.sent()] == ["GET /v2/spaces?name=demo&limit=100"]


def test_a_project_by_name_resolves_its_space_first_then_filters_by_name(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    assert service.resolver.project_id("chatbot", "prod") == world["prod_chatbot"]["id"]
    assert [repr(s) for s in fake.sent()] == [
        "GET /v2/spaces?name=prod&limit=100",
        f"GET /v2/projects?space_id={world['prod']['id']}&name=chatbot&limit=100",
    ]


def test_the_default_space_applies_when_no_space_is_given(
    service: TasksService, world: dict[str, Any]
) -> None:
    assert service.resolver.project_id("chatbot", None) == world["chatbot"]["id"]


def test_a_space_given_by_id_is_not_looked_up(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    assert (
        service.resolver.project_id("chatbot", world["prod"]["id"]) == world["prod_chatbot"]["id"]
    )
    assert [s.path for s in fake.sent()] == ["/v2/projects"]


def test_a_name_without_any_space_says_to_pass_space_or_set_arize_space(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    service = make_service(space=None)
    with pytest.raises(ValidationError) as caught:
        service.update_task("nightly-hallucination", TaskChanges(name="x"))
    message = str(caught.value)
    assert "give one (space: a name or an ID)" in message
    assert caught.value.fields == ["space"]
    assert "ARIZE_SPACE" in message
    assert fake.sent() == []


def test_a_match_on_a_later_page_is_found_by_following_cursors(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    for index in range(150):
        fake.evaluator(f"judge-{index:03d}", world["demo"])
    target = fake.evaluator("judge", world["demo"])  # the 151st "judge" match: page 2
    assert service.resolver.evaluator_id("judge", None) == target["id"]
    evaluator_calls = [s for s in fake.sent() if s.path == "/v2/evaluators"]
    assert [s.query.get("cursor") for s in evaluator_calls] == [None, "100"]
    assert all(s.query["limit"] == "100" for s in evaluator_calls)


def test_an_ambiguous_name_lists_the_matching_ids(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    first = fake.dataset("dup", world["demo"])
    for index in range(120):
        fake.dataset(f"dup-{index}", world["demo"])
    second = fake.dataset("dup", world["demo"])  # on the second page
    with pytest.raises(AmbiguousNameError) as caught:
        service.resolver.dataset_id("dup", None)
    message = str(caught.value)
    assert first["id"] in message
    assert second["id"] in message
    assert "ambiguous" in message
    assert caught.value.to_dict()["matches"] == [
        {"name": "dup", "id": first["id"]},
        {"name": "dup", "id": second["id"]},
    ]


def test_tasks_are_checked_for_ambiguity_too(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.task("nightly-hallucination", world["demo"], project=world["chatbot"])
    with pytest.raises(AmbiguousNameError, match="task name 'nightly-hallucination'"):
        service.get_task("nightly-hallucination")


def test_not_found_suggests_the_closest_names_it_saw(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.project_id("Chatbot", None)  # the case differs
    assert caught.value.suggestions == ["chatbot"]
    assert "Did you mean: 'chatbot'?" in str(caught.value)
    assert "space 'demo'" in str(caught.value)


def test_not_found_with_nothing_similar_on_the_server_scans_some_names_to_suggest(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.evaluator_id("halucination", None)  # a typo: no substring match
    assert caught.value.suggestions[0] == "hallucination"
    evaluator_calls = [s for s in fake.sent() if s.path == "/v2/evaluators"]
    assert [s.query.get("name") for s in evaluator_calls] == ["halucination", None]


def test_experiments_are_listed_per_dataset_and_matched_client_side(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    found = service.resolver.experiment_id("baseline", dataset_id=world["qa"]["id"])
    assert found == world["baseline"]["id"]
    assert [repr(s) for s in fake.sent()] == [
        f"GET /v2/experiments?dataset_id={world['qa']['id']}&limit=100"
    ]


def test_an_ai_integration_name_resolves_in_the_space(
    service: TasksService, world: dict[str, Any]
) -> None:
    assert service.resolver.ai_integration_id("openai-prod", None) == world["openai"]["id"]


def test_a_second_resolution_within_the_cache_lifetime_asks_nothing(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    service.resolver.project_id("chatbot", None)
    first = len(fake.sent())
    fake_time.advance(10)
    service.resolver.project_id("chatbot", None)
    assert len(fake.sent()) == first
    fake_time.advance(25)  # 35 s after: both entries expired
    service.resolver.project_id("chatbot", None)
    assert len(fake.sent()) == 2 * first


def test_the_cache_can_be_turned_off(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    service = make_service(cache_ttl=0)
    service.resolver.space_id("demo")
    service.resolver.space_id("demo")
    assert fake.count("GET", "/v2/spaces") == 2


def test_a_task_resolved_by_name_comes_with_the_task_itself(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    resolved = service.resolver.task("nightly-hallucination", None)
    assert resolved.id == world["eval_task"]["id"]
    assert resolved.task is not None
    assert resolved.task["type"] == "TEMPLATE_EVALUATION"


def test_a_repeated_cursor_stops_with_an_error_instead_of_looping(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    import httpx

    def always_more(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"projects": [], "pagination": {"has_more": True, "next_cursor": "same"}},
        )

    fake.override("GET", "/v2/projects", always_more)
    with pytest.raises(AxTasksError, match="same page cursor twice"):
        service.resolver.project_id("anything", world["demo"]["id"])


def test_an_empty_name_is_refused(service: TasksService, fake: FakeArize) -> None:
    with pytest.raises(ValidationError, match="non-empty"):
        service.resolver.project_id("  ", None)
    assert fake.sent() == []
