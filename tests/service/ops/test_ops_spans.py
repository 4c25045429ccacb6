"""The service's spans: a write with its name resolution, a wait with an event per poll, a lost
answer reconciled, and an HTTP span per request sent (retries counted), after OpenTelemetry's
HTTP conventions.  Spans are kept in memory; nothing is exported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ax_tasks_mcp import RunRequest, task_spec, telemetry
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import NotFoundError
from tests.support.fake_arize import BASE, FakeArize
from tests.support.spans import Trace, recorded, recording


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    with recording() as spans:
        yield spans


def spans(exporter: InMemorySpanExporter) -> Trace:
    return recorded(exporter)


def trigger_and_wait(service: TasksService, fake: FakeArize) -> dict[str, Any]:
    run = service.trigger_run("nightly-hallucination", RunRequest())
    fake.run_script[run["id"]] = ["RUNNING", "COMPLETED"]
    return service.wait_for_run(run["id"], known=run)


def test_a_trigger_by_name_then_a_wait_make_this_tree(
    service: TasksService, fake: FakeArize, exporter: InMemorySpanExporter
) -> None:
    trigger_and_wait(service, fake)
    assert spans(exporter).tree() == [
        "write trigger_task_run",
        "  resolve space",
        "    GET /v2/spaces",
        "  resolve task",
        "    GET /v2/tasks",
        "  POST /v2/tasks/{task_id}/trigger",
        "wait task_run",
        "  GET /v2/task-runs/{run_id}",
        "  GET /v2/task-runs/{run_id}",
    ]


def test_the_write_names_what_it_was_given_and_what_it_made(
    service: TasksService, fake: FakeArize, world: dict[str, Any], exporter: InMemorySpanExporter
) -> None:
    run = trigger_and_wait(service, fake)
    trace = spans(exporter)
    write = trace.one("write trigger_task_run")
    assert write.attributes["ax_tasks.operation"] == "trigger_task_run"
    assert write.attributes["ax_tasks.task"] == "nightly-hallucination"
    assert write.attributes["ax_tasks.run.id"] == run["id"]
    resolve = trace.one("resolve task")
    assert resolve.attributes["ax_tasks.names"] == ("nightly-hallucination",)
    assert resolve.attributes["ax_tasks.cache_hit"] is False


def test_the_wait_has_an_event_per_poll_and_its_outcome(
    service: TasksService, fake: FakeArize, exporter: InMemorySpanExporter
) -> None:
    run = trigger_and_wait(service, fake)
    wait = spans(exporter).one("wait task_run")
    assert wait.attributes["ax_tasks.run.id"] == run["id"]
    assert wait.attributes["ax_tasks.run.status"] == "COMPLETED"
    assert wait.attributes["ax_tasks.wait.polls"] == 3
    polls = [attrs for name, attrs in wait.events if name == "poll"]
    assert [p["ax_tasks.run.status"] for p in polls] == ["PENDING", "RUNNING", "COMPLETED"]
    assert [p["ax_tasks.wait.poll"] for p in polls] == [1, 2, 3]
    assert polls[-1]["ax_tasks.run.num_successes"] == 20
    assert polls[-1]["ax_tasks.wait.elapsed_seconds"] > 0


def test_a_failed_operation_says_so_in_its_span(
    service: TasksService, world: dict[str, Any], exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(NotFoundError):
        service.trigger_run("no-such-task", RunRequest())
    trace = spans(exporter)
    for name in ("write trigger_task_run", "resolve task"):
        span = trace.one(name)
        assert span.status == "ERROR"
        assert span.attributes["error.type"] == "NotFoundError"
        assert "no-such-task" in span.status_message


def test_a_name_resolved_again_comes_from_the_cache_and_sends_nothing(
    service: TasksService, world: dict[str, Any], exporter: InMemorySpanExporter
) -> None:
    service.get_task("nightly-hallucination")
    exporter.clear()
    service.update_task("nightly-hallucination", _rename())
    trace = spans(exporter)
    resolve = trace.one("resolve task")
    assert resolve.attributes["ax_tasks.cache_hit"] is True
    assert trace.children(resolve) == []


def _rename() -> Any:
    from ax_tasks_mcp import TaskChanges

    return TaskChanges(name="nightly-hallucination-v2")


def test_a_lost_answer_is_reconciled_inside_its_write(
    service: TasksService, fake: FakeArize, world: dict[str, Any], exporter: InMemorySpanExporter
) -> None:
    fake.lose_next("POST", "/v2/tasks", landed=True, how="timeout")
    service.create_task(
        task_spec(
            name="fresh",
            task_type="TEMPLATE_EVALUATION",
            project=world["chatbot"]["id"],
            evaluators=[{"evaluator_id": world["hallucination"]["id"]}],
        )
    )
    trace = spans(exporter)
    write = trace.one("write create_task")
    reconcile = trace.one("reconcile")
    assert trace.parent(reconcile) == write
    assert reconcile.attributes["ax_tasks.cause"] == "ReadTimeout"
    assert reconcile.attributes["ax_tasks.found"] is True
    post = trace.one("POST /v2/tasks")
    assert post.attributes["error.type"] == "ReadTimeout"
    assert post.status == "ERROR"
    assert write.attributes["ax_tasks.task.id"] == fake.world.tasks[0]["id"]


def test_each_attempt_is_an_http_span_and_a_retry_counts_its_resends(
    service: TasksService, fake: FakeArize, world: dict[str, Any], exporter: InMemorySpanExporter
) -> None:
    task_id = world["eval_task"]["id"]
    fake.lose_next("GET", f"/v2/tasks/{task_id}", landed=True, how="gateway")
    service.get_task(task_id)
    first, second = spans(exporter).named("GET /v2/tasks/{task_id}")
    assert first.kind == second.kind == "CLIENT"
    assert first.attributes["http.response.status_code"] == 502
    assert first.attributes["error.type"] == "502"
    assert first.status == "ERROR"
    assert "http.request.resend_count" not in first.attributes
    assert second.attributes["http.request.resend_count"] == 1
    assert second.attributes["http.response.status_code"] == 200
    assert "error.type" not in second.attributes
    assert second.attributes == {
        **second.attributes,
        "http.request.method": "GET",
        "url.template": "/v2/tasks/{task_id}",
        "url.full": f"{BASE}/v2/tasks/{quote(task_id, safe='')}",
        "server.address": "api.test",
        "server.port": 443,
    }


def test_the_trace_context_goes_to_the_server(
    service: TasksService, fake: FakeArize, world: dict[str, Any], exporter: InMemorySpanExporter
) -> None:
    service.get_task(world["eval_task"]["id"])
    sent = fake.router.calls[-1].request.headers["traceparent"]
    span = spans(exporter).one("GET /v2/tasks/{task_id}")
    assert sent.startswith(f"00-{span.trace_id}-{span.span_id}-")


def test_tracing_off_records_nothing_and_sends_no_trace_context(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    assert not telemetry.active()
    service.get_task(world["eval_task"]["id"])
    assert "traceparent" not in fake.router.calls[-1].request.headers
