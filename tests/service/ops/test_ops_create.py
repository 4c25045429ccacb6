"""Creating tasks: dispatch on type, names resolved, lenient run configurations, dry runs."""

from __future__ import annotations

from typing import Any

import pytest

from ax_tasks_mcp import EvaluationTaskSpec, RunExperimentTaskSpec, task_spec
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import AmbiguousNameError, ValidationError
from ax_tasks_mcp.service.ids import encode_id
from ax_tasks_mcp.service.models import PlannedRequest
from tests.support.fake_arize import BASE, FakeArize

MAPPING = {"input": "attributes.input.value"}


def writes(fake: FakeArize) -> list[Any]:
    return [s for s in fake.sent() if s.method != "GET"]


def test_an_evaluation_task_by_names_sends_the_resolved_ids(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = service.create_task(
        task_spec(
            name="new-eval",
            task_type="template_evaluation",
            project="chatbot",
            sampling_rate=0.5,
            is_continuous=True,
            query_filter="x = 1",
            evaluators=[{"evaluator": "hallucination", "column_mappings": MAPPING}],
        )
    )
    assert isinstance(task, dict)
    assert task["name"] == "new-eval"
    demo = world["demo"]["id"]
    assert [repr(s) for s in fake.sent()[:-1]] == [
        "GET /v2/spaces?name=demo&limit=100",
        f"GET /v2/evaluators?space_id={demo}&name=hallucination&limit=100",
        f"GET /v2/projects?space_id={demo}&name=chatbot&limit=100",
    ]
    post = fake.sent()[-1]
    assert (post.method, post.path, post.query) == ("POST", "/v2/tasks", {})
    assert post.body == {
        "name": "new-eval",
        "type": "TEMPLATE_EVALUATION",
        "project_id": world["chatbot"]["id"],
        "sampling_rate": 0.5,
        "is_continuous": True,
        "query_filter": "x = 1",
        "evaluators": [{"evaluator_id": world["hallucination"]["id"], "column_mappings": MAPPING}],
    }


def test_an_evaluation_task_by_ids_sends_only_the_post(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.create_task(
        EvaluationTaskSpec(
            name="by-ids",
            task_type="CODE_EVALUATION",
            project=world["chatbot"]["id"],
            evaluators=[{"evaluator_id": world["relevance"]["id"], "evaluator_version_id": None}],
        )
    )
    assert [repr(s) for s in fake.sent()] == [
        'POST /v2/tasks {"name": "by-ids", "type": "CODE_EVALUATION", "evaluators": '
        f'[{{"evaluator_id": "{world["relevance"]["id"]}", "evaluator_version_id": null}}], '
        f'"project_id": "{world["chatbot"]["id"]}"}}'
    ]


def test_a_dataset_task_resolves_experiment_names_within_the_dataset(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.create_task(
        task_spec(
            name="ds-eval",
            task_type="CODE_EVALUATION",
            dataset="qa-golden",
            experiment_ids=["baseline", world["prompt_v2"]["id"]],
            query_filters={"filters": [{"id": "A", "filter": "a = 1"}]},
            evaluators=[
                {
                    "evaluator_id": "relevance",  # a name where an ID goes is resolved too
                    "query_mappings": [
                        {"variable_name": "input", "query_ids": ["A"], "attribute_path": "x"}
                    ],
                }
            ],
        )
    )
    qa = world["qa"]["id"]
    assert f"GET /v2/experiments?dataset_id={qa}&limit=100" in [repr(s) for s in fake.sent()]
    body = fake.sent()[-1].body
    assert body["dataset_id"] == qa
    assert body["experiment_ids"] == [world["baseline"]["id"], world["prompt_v2"]["id"]]
    assert body["evaluators"][0]["evaluator_id"] == world["relevance"]["id"]
    assert body["query_filters"] == {"filters": [{"id": "A", "filter": "a = 1"}]}


def test_a_run_experiment_task_accepts_lowercase_enums_and_an_integration_name(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.create_task(
        task_spec(
            name="gen",
            task_type="run_experiment",
            dataset="qa-golden",
            run_configuration={
                "experiment_type": "llm_generation",
                "ai_integration_id": "openai-prod",
                "model_name": "gpt-4o",
                "messages": [
                    {"role": "system", "content": "Be brief."},
                    {"role": "user", "content": "Answer {{question}}"},
                ],
                "invocation_parameters": {
                    "temperature": 0,
                    "response_format": {"type": "json_object"},
                },
            },
        )
    )
    body = fake.sent()[-1].body
    assert body == {
        "name": "gen",
        "type": "RUN_EXPERIMENT",
        "dataset_id": world["qa"]["id"],
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": world["openai"]["id"],
            "model_name": "gpt-4o",
            "messages": [
                {"role": "SYSTEM", "content": "Be brief."},
                {"role": "USER", "content": "Answer {{question}}"},
            ],
            "input_variable_format": "MUSTACHE",
            "invocation_parameters": {"temperature": 0, "response_format": {"type": "JSON_OBJECT"}},
        },
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Answer {{ question }}", "MUSTACHE"),
        ("Answer {question}", "F_STRING"),
        ("No variables at all", "F_STRING"),
    ],
)
def test_a_missing_input_variable_format_is_inferred_from_the_messages(
    service: TasksService, fake: FakeArize, world: dict[str, Any], content: str, expected: str
) -> None:
    plan = service.plan_create(
        RunExperimentTaskSpec(
            name="gen",
            dataset=world["qa"]["id"],
            run_configuration={
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": world["openai"]["id"],
                "messages": [{"role": "USER", "content": content}],
            },
        )
    )
    assert isinstance(plan, PlannedRequest)
    assert plan.body["run_configuration"]["input_variable_format"] == expected
    assert writes(fake) == []  # reads only: the name is checked against the dataset's space


def test_a_given_input_variable_format_is_kept(
    service: TasksService, world: dict[str, Any]
) -> None:
    plan = service.plan_create(
        RunExperimentTaskSpec(
            name="gen",
            dataset=world["qa"]["id"],
            run_configuration={
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": world["openai"]["id"],
                "messages": [{"role": "USER", "content": "{{q}}"}],
                "input_variable_format": "f-string",
            },
        )
    )
    assert isinstance(plan, PlannedRequest)
    assert plan.body["run_configuration"]["input_variable_format"] == "F_STRING"


def test_dry_run_resolves_names_but_sends_no_write(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    plan = service.plan_create(
        task_spec(
            name="planned",
            task_type="TEMPLATE_EVALUATION",
            project="chatbot",
            evaluators=[{"evaluator": "hallucination"}],
        )
    )
    assert isinstance(plan, PlannedRequest)
    assert plan.method == "POST"
    assert plan.url == f"{BASE}/v2/tasks"
    assert plan.body == {
        "name": "planned",
        "type": "TEMPLATE_EVALUATION",
        "project_id": world["chatbot"]["id"],
        "evaluators": [{"evaluator_id": world["hallucination"]["id"]}],
    }
    assert writes(fake) == []
    # Three to resolve the names; three to find the project's space, check the name is free
    # there and the evaluator is in it.
    assert fake.count("GET") == 7
    assert plan.notes[-1].startswith("resolved to space 'demo' (")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"task_type": "RUN_EXPERIMENT", "dataset": "qa-golden", "evaluators": [{}]},
            "evaluators does not apply to a RUN_EXPERIMENT task",
        ),
        (
            {
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "evaluators": [{"evaluator": "x"}],
                "run_configuration": {"experiment_type": "LLM_GENERATION"},
            },
            "run_configuration does not apply to a TEMPLATE_EVALUATION task",
        ),
        (
            {"task_type": "TEMPLATE_EVALUATION", "evaluators": [{"evaluator": "x"}]},
            "give exactly one of project and dataset",
        ),
        (
            {
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "dataset": "qa-golden",
                "evaluators": [{"evaluator": "x"}],
            },
            "not both",
        ),
        (
            {
                "task_type": "TEMPLATE_EVALUATION",
                "dataset": "qa-golden",
                "evaluators": [{"evaluator": "x"}],
            },
            "needs experiment_ids",
        ),
        (
            {
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "query_filter": "a",
                "query_filters": {"filters": [{"id": "A", "filter": "b"}]},
                "evaluators": [{"evaluator": "x"}],
            },
            "mutually exclusive",
        ),
        (
            {
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "evaluators": [{"evaluator": "x", "column_mapping": {}}],
            },
            "unknown field(s) 'column_mapping'",
        ),
        (
            {
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "evaluators": [{"evaluator": "x", "evaluator_id": "y"}],
            },
            "both evaluator and evaluator_id",
        ),
        (
            {"task_type": "TEMPLATE_EVALUATION", "project": "chatbot", "evaluators": []},
            "non-empty list",
        ),
        (
            {
                "task_type": "RUN_EXPERIMENT",
                "dataset": "qa-golden",
                "run_configuration": {"experiment_type": "LLM_GENERATION", "messages": []},
            },
            "'ai_integration_id' is missing",
        ),
        (
            {
                "task_type": "RUN_EXPERIMENT",
                "dataset": "qa-golden",
                "run_configuration": {"experiment_type": "chat"},
            },
            "needs experiment_type, one of LLM_GENERATION",
        ),
        (
            {
                "task_type": "RUN_EXPERIMENT",
                "dataset": "qa-golden",
                "run_configuration": {
                    "experiment_type": "LLM_GENERATION",
                    "ai_integration_id": "x",
                    "messages": [{"role": "narrator", "content": "hi"}],
                },
            },
            "'NARRATOR' is not a valid MessageRole",
        ),
        (
            {
                "task_type": "RUN_EXPERIMENT",
                "dataset": "qa-golden",
                "run_configuration": {
                    "experiment_type": "AGENT_CALL",
                    "integration_id": "x",
                    "input_template": {},
                    "temperature": 1,
                },
            },
            "unknown field(s) 'temperature'",
        ),
        (
            {
                "task_type": "RUN_EXPERIMENT",
                "dataset": "qa-golden",
                "run_configuration": {
                    "experiment_type": "LLM_GENERATION",
                    "ai_integration_id": "x",
                    "messages": [{"role": "user", "content": "a"}, {"content": "b"}],
                },
            },
            "run_configuration.messages[1]: the required field 'role' is missing",
        ),
        ({"task_type": "judge"}, "Unknown task type 'judge'"),
    ],
)
def test_invalid_creates_are_refused_before_anything_is_sent(
    service: TasksService, fake: FakeArize, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.create_task(task_spec(name="bad", **arguments))
    assert message in str(caught.value)
    assert fake.sent() == []


def test_a_type_rejection_lists_the_fields_that_fit(service: TasksService, fake: FakeArize) -> None:
    with pytest.raises(ValidationError) as caught:
        service.create_task(
            task_spec(
                name="x", task_type="RUN_EXPERIMENT", dataset="d", sampling_rate=0.1, project="p"
            )
        )
    assert caught.value.valid_fields == [
        "name",
        "task_type",
        "space",
        "dataset",
        "run_configuration",
    ]
    assert "project, sampling_rate do not apply" in str(caught.value)


def test_an_evaluator_listed_twice_is_refused_before_the_post(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="once per task"):
        service.create_task(
            task_spec(
                name="dupe",
                task_type="TEMPLATE_EVALUATION",
                project="chatbot",
                evaluators=[
                    {"evaluator": "hallucination"},
                    {"evaluator_id": world["hallucination"]["id"]},
                ],
            )
        )
    assert writes(fake) == []


def test_an_ambiguous_evaluator_name_sends_no_post(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.evaluator("hallucination", world["demo"])
    with pytest.raises(AmbiguousNameError):
        service.create_task(
            task_spec(
                name="x",
                task_type="TEMPLATE_EVALUATION",
                project="chatbot",
                evaluators=[{"evaluator": "hallucination"}],
            )
        )
    assert writes(fake) == []


def test_a_server_refusal_is_a_validation_error_with_the_servers_detail(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    import httpx

    fake.override(
        "POST",
        "/v2/tasks",
        lambda request: httpx.Response(
            422,
            json={"title": "Unprocessable Entity", "status": 422, "detail": "Name taken."},
            headers={"content-type": "application/problem+json"},
        ),
    )
    with pytest.raises(ValidationError, match="Name taken") as caught:
        service.create_task(
            task_spec(
                name="a-name-no-task-has",  # taken, the name is a conflict (test_ops_conflicts)
                task_type="TEMPLATE_EVALUATION",
                project=world["chatbot"]["id"],
                evaluators=[{"evaluator_id": world["hallucination"]["id"]}],
            )
        )
    assert caught.value.status == 422
    assert fake.count("POST") == 1


def test_an_evaluator_id_of_the_wrong_type_is_refused(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="Dataset ID"):
        service.create_task(
            task_spec(
                name="x",
                task_type="TEMPLATE_EVALUATION",
                project=world["chatbot"]["id"],
                evaluators=[{"evaluator_id": encode_id("Dataset", 1, "x")}],
            )
        )
    assert fake.sent() == []
