"""The calls, unit by unit (ax_tasks_mcp/service/wire.py and listing.py) over a mock transport:
each operation's method, path and query, the model a write sends, errors and lost answers in our
words, and answers read tolerantly."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import yaml

from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service.errors import (
    AuthenticationError,
    AxTasksError,
    ConnectionFailedError,
    NotFoundError,
    ValidationError,
)
from ax_tasks_mcp.service.models import UNCHANGED
from ax_tasks_mcp.service.transport import ATTEMPTS_EXTENSION, WriteOutcomeUnknown
from ax_tasks_mcp.service.wire import RUN_STATUSES, ArizeApi, LostAnswer
from tests.spec.spec_schemas import SPEC_PATH

BASE = "http://127.0.0.1:9"
TASK = {"id": "T1", "name": "nightly", "type": "TEMPLATE_EVALUATION"}
RUN = {"id": "R1", "task_id": "T1", "status": "running"}

Answer = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A mock API: records every request and answers with ``answer``."""

    def __init__(self, answer: Answer | None = None) -> None:
        self.seen: list[httpx.Request] = []
        self.answer = answer or (lambda request: httpx.Response(200, json=TASK))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.answer(request)

    @property
    def last(self) -> httpx.Request:
        return self.seen[-1]

    def line(self) -> str:
        url = self.last.url
        return f"{self.last.method} {url.raw_path.decode()}"


def api_over(recorder: Recorder, **options: Any) -> ArizeApi:
    http = httpx.Client(base_url=BASE, transport=httpx.MockTransport(recorder))
    return ArizeApi(http, **options)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def api(recorder: Recorder) -> ArizeApi:
    return api_over(recorder)


# -- one resource ------------------------------------------------------------------------------


def test_get_task_sends_a_get_on_its_path_and_reads_the_object(
    api: ArizeApi, recorder: Recorder
) -> None:
    assert api.get_task("T1") == TASK
    assert recorder.line() == "GET /v2/tasks/T1"


def test_an_id_is_quoted_whole_into_its_path(api: ArizeApi, recorder: Recorder) -> None:
    api.get_task("a/b c?")
    assert recorder.line() == "GET /v2/tasks/a%2Fb%20c%3F"


def test_runs_are_read_and_cancelled_on_their_own_paths_enums_read_uppercase(
    recorder: Recorder,
) -> None:
    recorder.answer = lambda request: httpx.Response(200, json=dict(RUN))
    api = api_over(recorder)
    assert api.get_run("R1")["status"] == "RUNNING"
    assert recorder.line() == "GET /v2/task-runs/R1"
    api.cancel_run("R1")
    assert recorder.line() == "POST /v2/task-runs/R1/cancel"


def test_delete_sends_a_delete(api: ArizeApi, recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(204)
    api.delete_task("T1")
    assert recorder.line() == "DELETE /v2/tasks/T1"


def test_a_delete_whose_retry_found_nothing_had_landed(recorder: Recorder) -> None:
    def gone_on_retry(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"title": "Not Found"}, extensions={ATTEMPTS_EXTENSION: 2})

    recorder.answer = gone_on_retry
    api_over(recorder).delete_task("T1")  # no NotFoundError: the delete is done
    assert recorder.line() == "DELETE /v2/tasks/T1"


def test_a_delete_of_a_task_that_never_was_is_not_found(recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(404, json={"detail": "No such task."})
    with pytest.raises(NotFoundError, match="No such task"):
        api_over(recorder).delete_task("T1")


def test_a_write_sends_its_model_as_json(api: ArizeApi, recorder: Recorder) -> None:
    body = bodies.update_evaluation(
        name="renamed",
        sampling_rate=0.5,
        is_continuous=UNCHANGED,
        query_filter=None,
        query_filters=UNCHANGED,
        evaluators=UNCHANGED,
    )
    api.update_task("T1", body)
    assert recorder.line() == "PATCH /v2/tasks/T1"
    assert recorder.last.headers["content-type"] == "application/json"
    assert json.loads(recorder.last.content) == {
        "name": "renamed",
        "sampling_rate": 0.5,
        "query_filter": None,
    }


def test_create_and_trigger_post_their_models(api: ArizeApi, recorder: Recorder) -> None:
    config = bodies.run_configuration(
        {"experiment_type": "agent_call", "integration_id": "I1", "input_template": {"q": "x"}}
    )
    create = bodies.create_run_experiment(name="n", dataset_id="D1", run_configuration=config)
    api.create_task(create)
    assert recorder.line() == "POST /v2/tasks"
    assert json.loads(recorder.last.content) == create.to_dict()
    trigger = bodies.trigger_run_experiment(
        experiment_name="e",
        dataset_version_id=None,
        example_ids=["x1"],
        max_examples=None,
        query_filter=None,
        tracing_metadata={"k": "v"},
        evaluation_task_ids=None,
    )
    api.trigger_run("T1", trigger)
    assert recorder.line() == "POST /v2/tasks/T1/trigger"
    assert json.loads(recorder.last.content) == {
        "experiment_name": "e",
        "example_ids": ["x1"],
        "tracing_metadata": {"k": "v"},
    }


# -- lists ---------------------------------------------------------------------------------------


def test_a_list_sends_the_filters_given_by_their_api_names(recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(
        200, json={"tasks": [TASK], "pagination": {"next_cursor": "c2"}}
    )
    page = api_over(recorder).list_page(
        "tasks", limit=5, cursor="c1", space_id="S1", name=None, type="code-evaluation"
    )
    assert recorder.line() == "GET /v2/tasks?space_id=S1&type=CODE_EVALUATION&limit=5&cursor=c1"
    assert page.items == [TASK]
    assert page.next_cursor == "c2"


def test_an_empty_cursor_and_no_limit_send_nothing(recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(200, json={"spaces": []})
    api_over(recorder).list_page("spaces", cursor="")
    assert recorder.line() == "GET /v2/spaces"


@pytest.mark.parametrize(
    ("kind", "filters", "line"),
    [
        ("spaces", {"org_id": "O1", "name": "de"}, "GET /v2/spaces?org_id=O1&name=de"),
        (
            "projects",
            {"space_name": "s", "project_type": "llm"},  # a newer word goes as it is
            "GET /v2/projects?space_name=s&project_type=LLM",
        ),
        (
            "datasets",
            {"space_id": "S1", "space_name": "s"},
            "GET /v2/datasets?space_id=S1&space_name=s",
        ),
        ("evaluators", {"space_id": "S1", "name": "j"}, "GET /v2/evaluators?space_id=S1&name=j"),
        ("ai_integrations", {"space_name": "s"}, "GET /v2/ai-integrations?space_name=s"),
        (
            "experiments",
            {"dataset_id": "D1", "space_id": "S1"},
            "GET /v2/experiments?dataset_id=D1&space_id=S1",
        ),
    ],
)
def test_each_lookup_list_sends_its_filters(
    recorder: Recorder, kind: str, filters: dict[str, Any], line: str | None
) -> None:
    key = kind
    recorder.answer = lambda request: httpx.Response(200, json={key: []})
    api_over(recorder).list_page(kind, **filters)
    assert recorder.line() == line


def test_the_runs_of_a_task_are_listed_under_it_by_status(recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(200, json={"task_runs": [dict(RUN)]})
    page = api_over(recorder).list_runs("T/1", status="completed", limit=2)
    assert recorder.line() == "GET /v2/tasks/T%2F1/runs?status=COMPLETED&limit=2"
    assert page.items[0]["status"] == "RUNNING"


def test_a_run_status_that_is_no_word_is_refused_before_sending(
    api: ArizeApi, recorder: Recorder
) -> None:
    with pytest.raises(ValidationError) as caught:
        api.list_runs("T1", status="done; drop")
    assert ", ".join(RUN_STATUSES) in str(caught.value)
    assert recorder.seen == []


def test_filters_no_list_takes_are_a_programming_error_naming_them(
    api: ArizeApi, recorder: Recorder
) -> None:
    with pytest.raises(ValueError, match=r"^tasks take no 'colour', 'size' filter$"):
        api.list_page("tasks", colour="red", size=None)
    assert recorder.seen == []


def test_a_limit_must_be_a_whole_number(api: ArizeApi) -> None:
    with pytest.raises(ValidationError, match=r"^limit must be a whole number, not True\.$"):
        api.list_page("tasks", limit=True)


def test_the_known_run_statuses_are_the_specs() -> None:
    spec = yaml.safe_load(SPEC_PATH.read_text())
    assert tuple(sorted(spec["components"]["schemas"]["TaskRunStatus"]["enum"])) == RUN_STATUSES


# -- failures in our words -----------------------------------------------------------------------


def test_without_authorization_the_check_runs_before_anything_is_sent(recorder: Recorder) -> None:
    def no_key() -> None:
        raise AuthenticationError("Set ARIZE_API_KEY.")

    with pytest.raises(AuthenticationError, match="ARIZE_API_KEY"):
        api_over(recorder, check_auth=no_key).get_task("T1")
    assert recorder.seen == []


def test_with_authorization_the_check_is_not_needed(recorder: Recorder) -> None:
    calls: list[int] = []
    http = httpx.Client(
        base_url=BASE,
        transport=httpx.MockTransport(recorder),
        headers={"Authorization": "Bearer k"},
    )
    ArizeApi(http, check_auth=lambda: calls.append(1)).get_task("T1")
    assert calls == []


def test_the_clients_own_hooks_are_kept(recorder: Recorder) -> None:
    seen: list[str] = []
    http = httpx.Client(
        base_url=BASE,
        transport=httpx.MockTransport(recorder),
        event_hooks={"request": [lambda r: seen.append("mine")]},
    )
    ArizeApi(http).get_task("T1")
    assert seen == ["mine"]


def test_an_error_answer_becomes_our_error(recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(401, json={"title": "Unauthorized"})
    with pytest.raises(AuthenticationError):
        api_over(recorder).get_task("T1")


def test_a_lost_answer_to_a_write_is_reported_as_such(recorder: Recorder) -> None:
    def lost(request: httpx.Request) -> httpx.Response:
        raise WriteOutcomeUnknown(request, cause=httpx.ReadTimeout("slow", request=request))

    recorder.answer = lost
    with pytest.raises(LostAnswer) as caught:
        api_over(recorder).cancel_run("R1")
    assert (caught.value.method, caught.value.path) == ("POST", "/v2/task-runs/R1/cancel")
    assert caught.value.reason == "ReadTimeout"
    assert str(caught.value) == "POST /v2/task-runs/R1/cancel: the answer was lost (ReadTimeout)"


def test_a_network_failure_names_the_host(recorder: Recorder) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    recorder.answer = refused
    with pytest.raises(ConnectionFailedError, match=r"127\.0\.0\.1"):
        api_over(recorder).get_task("T1")


def test_an_error_of_ours_raised_while_sending_passes_through(recorder: Recorder) -> None:
    def ours(request: httpx.Request) -> httpx.Response:
        raise NotFoundError("gone")

    recorder.answer = ours
    with pytest.raises(NotFoundError, match=r"^gone$"):
        api_over(recorder).get_task("T1")


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (httpx.Response(200, content=b"<html>"), "it is not JSON"),
        (httpx.Response(200, json=["T1"]), "expected a JSON object, got list"),
        (httpx.Response(200, json={"name": "x"}), "the required field 'id' is missing"),
    ],
)
def test_an_unreadable_answer_says_what_was_asked_and_what_to_check(
    recorder: Recorder, answer: httpx.Response, why: str
) -> None:
    recorder.answer = lambda request: answer
    with pytest.raises(AxTasksError) as caught:
        api_over(recorder).get_task("T1")
    assert str(caught.value) == (
        f"The API's answer to GET /v2/tasks/T1 (HTTP 200) could not be read: {why}. Check that "
        "the base URL points at the Arize API (ARIZE_BASE_URL / profile); if it does, the API "
        "may have changed: upgrade ax-tasks."
    )


def test_a_page_without_its_list_is_unreadable(recorder: Recorder) -> None:
    recorder.answer = lambda request: httpx.Response(200, json={"items": []})
    with pytest.raises(AxTasksError, match="the required field 'tasks' is missing"):
        api_over(recorder).list_page("tasks")


# -- what dry runs show ----------------------------------------------------------------------------


def test_a_base_url_with_a_path_keeps_it_without_a_trailing_slash(recorder: Recorder) -> None:
    http = httpx.Client(base_url=f"{BASE}/proxy/", transport=httpx.MockTransport(recorder))
    api = ArizeApi(http)
    assert api.base_url == f"{BASE}/proxy"
    assert api.url("/v2/tasks") == f"{BASE}/proxy/v2/tasks"
    api.get_task("T1")
    assert recorder.line() == "GET /proxy/v2/tasks/T1"


def test_paths_urls_and_plans(api: ArizeApi) -> None:
    assert api.base_url == BASE
    assert ArizeApi.task_path() == "/v2/tasks"
    assert ArizeApi.task_path("a/b", "/trigger") == "/v2/tasks/a%2Fb/trigger"
    assert ArizeApi.run_path("R 1", "/cancel") == "/v2/task-runs/R%201/cancel"
    assert ArizeApi.run_path("R1") == "/v2/task-runs/R1"
    assert api.url("/v2/tasks") == f"{BASE}/v2/tasks"
    plan = api.plan("DELETE", "/v2/tasks/T1", None, iter(["note"]))
    assert (plan.method, plan.url, plan.body, plan.notes) == (
        "DELETE",
        f"{BASE}/v2/tasks/T1",
        None,
        ["note"],
    )
