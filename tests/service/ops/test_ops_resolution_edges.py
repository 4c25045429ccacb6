"""Resolution edges mutation testing found untested: the cache (its scope, lifetime and
forgetting), experiments by space, the bounded did-you-mean scan, and what errors say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import (
    AmbiguousNameError,
    AxTasksError,
    NotFoundError,
    ValidationError,
)
from tests.support.clock import FakeTime
from tests.support.fake_arize import FakeArize


def test_one_name_in_two_spaces_resolves_to_each_space_s_own_within_the_cache_window(
    service: TasksService, world: dict[str, Any]
) -> None:
    assert service.resolver.project_id("chatbot", "demo") == world["chatbot"]["id"]
    assert service.resolver.project_id("chatbot", "prod") == world["prod_chatbot"]["id"]
    assert service.resolver.project_id("chatbot", "demo") == world["chatbot"]["id"]


def test_experiment_names_without_a_dataset_are_matched_in_the_space(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    found = service.resolver.experiment_ids(["prompt-v2", "baseline"], space="demo")
    assert found == [world["prompt_v2"]["id"], world["baseline"]["id"]]
    assert [repr(s) for s in fake.sent() if s.path == "/v2/experiments"] == [
        f"GET /v2/experiments?space_id={world['demo']['id']}&limit=100"
    ]
    assert service.resolver.experiment_id("baseline", space="demo") == world["baseline"]["id"]


def test_an_unknown_experiment_in_the_space_names_the_space(
    service: TasksService, world: dict[str, Any]
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.experiment_ids(["baselin"], space="demo")
    assert "baseline" in str(caught.value)  # the closest name is suggested
    assert world["demo"]["id"] in str(caught.value)


def test_the_did_you_mean_scan_reads_at_most_three_pages(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    for number in range(450):  # five pages of 100, after the world's one project
        fake.project(f"project-{number:03d}", world["demo"])
    with pytest.raises(NotFoundError) as caught:
        service.resolver.project_id("projekt-001", "demo")
    unfiltered = [s for s in fake.sent() if s.path == "/v2/projects" and "name" not in s.query]
    assert [s.query.get("cursor") for s in unfiltered] == [None, "100", "200"]
    assert "project-001" in str(caught.value)  # suggested from what those pages held


# -- where a name was looked for, and what the errors say --------------------------------------


def test_a_name_not_found_says_what_it_was_and_in_which_space(
    make_service: Callable[..., TasksService], world: dict[str, Any]
) -> None:
    resolver = make_service(space=None).resolver
    prod = world["prod"]["id"]
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: resolver.project_id("nope", "prod"), "project"),
        (lambda: resolver.dataset_id("nope", "prod"), "dataset"),
        (lambda: resolver.evaluator_id("nope", "prod"), "evaluator"),
        (lambda: resolver.ai_integration_id("nope", "prod"), "AI integration"),
        (lambda: resolver.task("nope", "prod"), "task"),
    ]
    for call, noun in cases:
        with pytest.raises(NotFoundError) as caught:
            call()
        message = caught.value.message
        assert message.startswith(f"No {noun} named 'nope'"), message
        assert f"Looked in space 'prod' ({prod})." in message


def test_a_space_given_by_id_is_named_by_its_id_alone(
    service: TasksService, world: dict[str, Any]
) -> None:
    prod = world["prod"]["id"]
    with pytest.raises(NotFoundError) as caught:
        service.resolver.project_id("nope", prod)
    assert f"Looked in space {prod}." in caught.value.message


def test_the_default_space_is_named_when_none_is_given(
    service: TasksService, world: dict[str, Any]
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.project_id("nope", None)
    assert f"Looked in space 'demo' ({world['demo']['id']})." in caught.value.message


def test_a_space_not_found_has_no_where(service: TasksService) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.space_id("nowhere")
    assert caught.value.message.startswith("No space named 'nowhere'")
    assert "Looked" not in caught.value.message
    assert "None" not in caught.value.message


def test_an_experiment_not_in_the_dataset_names_the_dataset(
    service: TasksService, world: dict[str, Any]
) -> None:
    dataset = world["qa"]["id"]
    with pytest.raises(NotFoundError, match=f"Looked in dataset {dataset}"):
        service.resolver.experiment_ids(["nope"], dataset_id=dataset)


def test_without_any_space_a_name_is_refused_naming_it(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    resolver = make_service(space=None).resolver
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: resolver.project_id("chatbot", None), "The project 'chatbot'"),
        (lambda: resolver.task("qa-eval", None), "The task 'qa-eval'"),
        (lambda: resolver.experiment_ids(["base", "line"]), "The experiment 'base'"),
    ]
    for call, start in cases:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.message.startswith(start), caught.value.message
    assert fake.sent() == []


def test_an_explicit_space_is_used_when_there_is_no_default(
    make_service: Callable[..., TasksService], world: dict[str, Any]
) -> None:
    resolver = make_service(space=None).resolver
    assert resolver.dataset_id("qa-golden", "demo") == world["qa"]["id"]
    assert resolver.evaluator_id("relevance", "demo") == world["relevance"]["id"]
    assert resolver.ai_integration_id("openai-prod", "demo") == world["openai"]["id"]
    assert resolver.experiment_id("baseline", space="demo") == world["baseline"]["id"]
    assert resolver.task("qa-eval", "demo").id == world["dataset_task"]["id"]


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.space_id("  "),
        lambda r: r.task("", None),
        lambda r: r.experiment_ids([" "]),
    ],
)
def test_blank_values_are_refused_naming_the_kind(
    service: TasksService, call: Callable[[Any], object]
) -> None:
    with pytest.raises(ValidationError, match=r"^The (space|task|experiment) must be"):
        call(service.resolver)


def test_ids_of_the_wrong_type_are_refused_for_spaces_and_experiments(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    project = world["chatbot"]["id"]
    with pytest.raises(ValidationError, match="a space ID"):
        service.resolver.space_id(project)
    with pytest.raises(ValidationError, match="an experiment ID"):
        service.resolver.experiment_ids([project], dataset_id=world["qa"]["id"])
    assert fake.sent() == []


def test_experiment_ids_alone_ask_nothing_even_with_a_dataset(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    ids = [world["baseline"]["id"], world["prompt_v2"]["id"]]
    assert service.resolver.experiment_ids(ids, dataset_id=world["qa"]["id"]) == ids
    assert fake.sent() == []


def test_ambiguity_within_a_space_says_where_and_among_spaces_does_not(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.project("twin", world["demo"])
    fake.project("twin", world["demo"])
    with pytest.raises(AmbiguousNameError) as caught:
        service.resolver.project_id("twin", "demo")
    assert f"(Looked in space 'demo' ({world['demo']['id']}).)" in caught.value.message
    fake.space("twin-space")
    fake.space("twin-space")
    with pytest.raises(AmbiguousNameError) as caught:
        service.resolver.space_id("twin-space")
    assert "Looked" not in caught.value.message


def test_a_filtered_scan_that_saw_other_names_does_not_scan_again(
    service: TasksService, fake: FakeArize
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.project_id("chat", "demo")
    assert fake.count("GET", "/v2/projects") == 1
    assert "'chatbot'" in caught.value.message  # what the filter saw is suggested


def test_a_name_of_255_characters_still_uses_the_server_filter(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    name = "n" * 255
    with pytest.raises(NotFoundError):
        service.resolver.project_id(name, world["demo"]["id"])
    assert fake.sent()[0].query.get("name") == name


def test_a_repeated_cursor_error_names_what_was_listed(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    def always_more(request: httpx.Request) -> httpx.Response:
        page = {"projects": [], "pagination": {"has_more": True, "next_cursor": "same"}}
        return httpx.Response(200, json=page)

    fake.override("GET", "/v2/projects", always_more)
    with pytest.raises(AxTasksError, match="while listing projects"):
        service.resolver.project_id("anything", world["demo"]["id"])


# -- the cache -------------------------------------------------------------------------------


def test_a_resolution_expires_exactly_at_the_end_of_its_lifetime(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    service.resolver.project_id("chatbot", world["demo"]["id"])
    fake_time.advance(30)
    service.resolver.project_id("chatbot", world["demo"]["id"])
    assert fake.count("GET", "/v2/projects") == 2


def test_a_one_second_cache_still_caches(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    resolver = make_service(cache_ttl=1).resolver
    first = resolver.task("qa-eval", "demo")
    again = resolver.task("qa-eval", "demo")
    by_id = resolver.task(first.id, None)
    assert fake.count("GET", "/v2/tasks") == 1
    assert (first.cached, again.cached) == (False, True)
    assert (by_id.by_name, by_id.cached, by_id.task) == (False, True, first.task)


def test_a_task_by_id_that_was_never_seen_is_not_cached(
    make_service: Callable[..., TasksService], fake_time: FakeTime, world: dict[str, Any]
) -> None:
    resolver = make_service().resolver
    task_id = world["eval_task"]["id"]
    assert resolver.task(task_id, None) == type(resolver.task(task_id, None))(task_id)
    resolver.task("nightly-hallucination", None)
    fake_time.advance(30)  # the remembered task expires exactly at the end of its lifetime
    assert resolver.task(task_id, None).task is None


def test_forgetting_a_resource_drops_only_what_led_to_it(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    demo = world["demo"]["id"]
    task = service.resolver.task("qa-eval", demo)
    service.resolver.project_id("chatbot", demo)
    service.resolver.forget(task.id)
    assert service.resolver.known_task(task.id) is None
    assert service.resolver.task("qa-eval", demo).cached is False
    assert service.resolver.project_id("chatbot", demo) == world["chatbot"]["id"]
    assert fake.count("GET", "/v2/projects") == 1  # the project's resolution was kept


def test_an_experiment_looked_for_in_another_space_than_the_default_names_that_space(
    service: TasksService, world: dict[str, Any]
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.resolver.experiment_ids(["nope"], space="prod")
    assert f"Looked in space 'prod' ({world['prod']['id']})." in caught.value.message
