from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.task import Task
from ...models.update_evaluation_task_request import UpdateEvaluationTaskRequest
from ...models.update_run_experiment_task_request import UpdateRunExperimentTaskRequest
from ...types import Response


def _get_kwargs(
    task_id: str,
    *,
    body: UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v2/tasks/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    if isinstance(body, UpdateEvaluationTaskRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Task | None:
    if response.status_code == 200:
        response_200 = Task.from_dict(response.json())

        return response_200

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
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest,
) -> Response[Problem | Task]:
    """Update a task

     Changes mutable fields. The body carries no `type`: the server picks the shape from the
    stored task, so fields that do not fit its type answer 400, and so does an empty body.
    `id`, `type`, `created_at` and `updated_at` are immutable. For evaluation tasks, `evaluators`
    replaces the whole list; `query_filter: null` clears the span filter and
    `query_filters: null` clears the trace/session filters. For RUN_EXPERIMENT tasks,
    `run_configuration` replaces the stored configuration atomically.

    Args:
        task_id (str):
        body (UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest): Changes to a task.
            The shape is picked by the stored task's type, not by a tag in the body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest,
) -> Problem | Task | None:
    """Update a task

     Changes mutable fields. The body carries no `type`: the server picks the shape from the
    stored task, so fields that do not fit its type answer 400, and so does an empty body.
    `id`, `type`, `created_at` and `updated_at` are immutable. For evaluation tasks, `evaluators`
    replaces the whole list; `query_filter: null` clears the span filter and
    `query_filters: null` clears the trace/session filters. For RUN_EXPERIMENT tasks,
    `run_configuration` replaces the stored configuration atomically.

    Args:
        task_id (str):
        body (UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest): Changes to a task.
            The shape is picked by the stored task's type, not by a tag in the body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest,
) -> Response[Problem | Task]:
    """Update a task

     Changes mutable fields. The body carries no `type`: the server picks the shape from the
    stored task, so fields that do not fit its type answer 400, and so does an empty body.
    `id`, `type`, `created_at` and `updated_at` are immutable. For evaluation tasks, `evaluators`
    replaces the whole list; `query_filter: null` clears the span filter and
    `query_filters: null` clears the trace/session filters. For RUN_EXPERIMENT tasks,
    `run_configuration` replaces the stored configuration atomically.

    Args:
        task_id (str):
        body (UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest): Changes to a task.
            The shape is picked by the stored task's type, not by a tag in the body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest,
) -> Problem | Task | None:
    """Update a task

     Changes mutable fields. The body carries no `type`: the server picks the shape from the
    stored task, so fields that do not fit its type answer 400, and so does an empty body.
    `id`, `type`, `created_at` and `updated_at` are immutable. For evaluation tasks, `evaluators`
    replaces the whole list; `query_filter: null` clears the span filter and
    `query_filters: null` clears the trace/session filters. For RUN_EXPERIMENT tasks,
    `run_configuration` replaces the stored configuration atomically.

    Args:
        task_id (str):
        body (UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest): Changes to a task.
            The shape is picked by the stored task's type, not by a tag in the body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            body=body,
        )
    ).parsed
