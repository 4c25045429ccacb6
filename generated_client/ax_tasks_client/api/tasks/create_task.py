from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_code_evaluation_task_request import CreateCodeEvaluationTaskRequest
from ...models.create_run_experiment_task_request import CreateRunExperimentTaskRequest
from ...models.create_template_evaluation_task_request import CreateTemplateEvaluationTaskRequest
from ...models.problem import Problem
from ...models.task import Task
from ...types import Response


def _get_kwargs(
    *,
    body: CreateCodeEvaluationTaskRequest
    | CreateRunExperimentTaskRequest
    | CreateTemplateEvaluationTaskRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/tasks",
    }

    if isinstance(body, CreateTemplateEvaluationTaskRequest):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, CreateCodeEvaluationTaskRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Task | None:
    if response.status_code == 201:
        response_201 = Task.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Task]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCodeEvaluationTaskRequest
    | CreateRunExperimentTaskRequest
    | CreateTemplateEvaluationTaskRequest,
) -> Response[Problem | Task]:
    """Create a task

     Creates a task. The body's `type` picks its shape: TEMPLATE_EVALUATION and CODE_EVALUATION
    tasks score spans of a project (`project_id`) or experiment results of a dataset
    (`dataset_id` with `experiment_ids`); RUN_EXPERIMENT tasks run a prompt over a dataset and are
    never continuous. Task names are unique within a space (422 otherwise). System fields (`id`,
    `created_at`, `updated_at`) are rejected. An `evaluator_version_id` that does not belong to
    its `evaluator_id`, or evaluators of different data scopes, answer 422; mixing the span shape
    (`query_filter`, `column_mappings`) with the trace/session shape (`query_filters`,
    `query_mappings`) answers 400.

    Args:
        body (CreateCodeEvaluationTaskRequest | CreateRunExperimentTaskRequest |
            CreateTemplateEvaluationTaskRequest): A new task, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCodeEvaluationTaskRequest
    | CreateRunExperimentTaskRequest
    | CreateTemplateEvaluationTaskRequest,
) -> Problem | Task | None:
    """Create a task

     Creates a task. The body's `type` picks its shape: TEMPLATE_EVALUATION and CODE_EVALUATION
    tasks score spans of a project (`project_id`) or experiment results of a dataset
    (`dataset_id` with `experiment_ids`); RUN_EXPERIMENT tasks run a prompt over a dataset and are
    never continuous. Task names are unique within a space (422 otherwise). System fields (`id`,
    `created_at`, `updated_at`) are rejected. An `evaluator_version_id` that does not belong to
    its `evaluator_id`, or evaluators of different data scopes, answer 422; mixing the span shape
    (`query_filter`, `column_mappings`) with the trace/session shape (`query_filters`,
    `query_mappings`) answers 400.

    Args:
        body (CreateCodeEvaluationTaskRequest | CreateRunExperimentTaskRequest |
            CreateTemplateEvaluationTaskRequest): A new task, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCodeEvaluationTaskRequest
    | CreateRunExperimentTaskRequest
    | CreateTemplateEvaluationTaskRequest,
) -> Response[Problem | Task]:
    """Create a task

     Creates a task. The body's `type` picks its shape: TEMPLATE_EVALUATION and CODE_EVALUATION
    tasks score spans of a project (`project_id`) or experiment results of a dataset
    (`dataset_id` with `experiment_ids`); RUN_EXPERIMENT tasks run a prompt over a dataset and are
    never continuous. Task names are unique within a space (422 otherwise). System fields (`id`,
    `created_at`, `updated_at`) are rejected. An `evaluator_version_id` that does not belong to
    its `evaluator_id`, or evaluators of different data scopes, answer 422; mixing the span shape
    (`query_filter`, `column_mappings`) with the trace/session shape (`query_filters`,
    `query_mappings`) answers 400.

    Args:
        body (CreateCodeEvaluationTaskRequest | CreateRunExperimentTaskRequest |
            CreateTemplateEvaluationTaskRequest): A new task, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCodeEvaluationTaskRequest
    | CreateRunExperimentTaskRequest
    | CreateTemplateEvaluationTaskRequest,
) -> Problem | Task | None:
    """Create a task

     Creates a task. The body's `type` picks its shape: TEMPLATE_EVALUATION and CODE_EVALUATION
    tasks score spans of a project (`project_id`) or experiment results of a dataset
    (`dataset_id` with `experiment_ids`); RUN_EXPERIMENT tasks run a prompt over a dataset and are
    never continuous. Task names are unique within a space (422 otherwise). System fields (`id`,
    `created_at`, `updated_at`) are rejected. An `evaluator_version_id` that does not belong to
    its `evaluator_id`, or evaluators of different data scopes, answer 422; mixing the span shape
    (`query_filter`, `column_mappings`) with the trace/session shape (`query_filters`,
    `query_mappings`) answers 400.

    Args:
        body (CreateCodeEvaluationTaskRequest | CreateRunExperimentTaskRequest |
            CreateTemplateEvaluationTaskRequest): A new task, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
