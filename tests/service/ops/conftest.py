"""Fixtures for the TasksService tests: a fake Arize API behind respx, fake time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.settings import Settings
from tests.support.clock import FakeTime
from tests.support.fake_arize import BASE, START, FakeArize


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def router() -> respx.MockRouter:
    return respx.MockRouter(base_url=BASE, assert_all_called=False)


@pytest.fixture
def fake(router: respx.MockRouter, fake_time: FakeTime) -> FakeArize:
    return FakeArize(router, fake_time.now)


@pytest.fixture
def world(fake: FakeArize) -> dict[str, Any]:
    """A small world: spaces demo (with look-alikes), prod; the usual resources in demo."""
    demo = fake.space("demo")
    fake.space("demo-archive")
    fake.space("Demo")
    prod = fake.space("prod")
    chatbot = fake.project("chatbot", demo)
    qa = fake.dataset("qa-golden", demo)
    return {
        "demo": demo,
        "prod": prod,
        "chatbot": chatbot,
        "prod_chatbot": fake.project("chatbot", prod),
        "qa": qa,
        "hallucination": fake.evaluator("hallucination", demo),
        "relevance": fake.evaluator("relevance", demo),
        "baseline": fake.experiment("baseline", qa),
        "prompt_v2": fake.experiment("prompt-v2", qa),
        "openai": fake.ai_integration("openai-prod", demo),
        # It has run before: a project task's first run needs the start of its window.
        "eval_task": fake.task(
            "nightly-hallucination", demo, project=chatbot, last_run_at=START - timedelta(days=1)
        ),
        "dataset_task": fake.task("qa-eval", demo, task_type="CODE_EVALUATION", dataset=qa),
        "run_task": fake.task("qa-generation", demo, task_type="RUN_EXPERIMENT", dataset=qa),
    }


@pytest.fixture
def make_service(
    router: respx.MockRouter, fake_time: FakeTime
) -> Iterator[Callable[..., TasksService]]:
    made: list[TasksService] = []

    def build(space: str | None = "demo", **options: Any) -> TasksService:
        settings = Settings(
            api_key=options.pop("api_key", "test-key"),
            base_url=BASE,
            space=space,
            max_retries=options.pop("max_retries", 2),
        )
        options.setdefault("clock", fake_time.monotonic)
        options.setdefault("sleep", fake_time.sleep)
        options.setdefault("now", fake_time.now)
        service = TasksService.from_settings(
            settings, transport=httpx.MockTransport(router.handler), **options
        )
        made.append(service)
        return service

    yield build
    for service in made:
        service.close()


@pytest.fixture
def service(make_service: Callable[..., TasksService], world: dict[str, Any]) -> TasksService:
    """The service with default space "demo" over the small world."""
    return make_service()
