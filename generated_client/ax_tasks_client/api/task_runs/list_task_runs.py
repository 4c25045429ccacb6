from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_task_runs_response import ListTaskRunsResponse
from ...models.problem import Problem
from ...models.task_run_status import TaskRunStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    task_id: str,
    *,
    status: TaskRunStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/tasks/{task_id}/runs".format(
            task_id=quote(str(task_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListTaskRunsResponse | Problem | None:
    if response.status_code == 200:
        response_200 = ListTaskRunsResponse.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ListTaskRunsResponse | Problem]:
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
    status: TaskRunStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[ListTaskRunsResponse | Problem]:
    """List a task's runs

     Lists the runs of one task, newest first, optionally only those in one status.

    Args:
        task_id (str):
        status (TaskRunStatus | Unset): Where a run is; COMPLETED, FAILED and CANCELLED are
            terminal.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListTaskRunsResponse | Problem]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: TaskRunStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> ListTaskRunsResponse | Problem | None:
    """List a task's runs

     Lists the runs of one task, newest first, optionally only those in one status.

    Args:
        task_id (str):
        status (TaskRunStatus | Unset): Where a run is; COMPLETED, FAILED and CANCELLED are
            terminal.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListTaskRunsResponse | Problem
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        status=status,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: TaskRunStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[ListTaskRunsResponse | Problem]:
    """List a task's runs

     Lists the runs of one task, newest first, optionally only those in one status.

    Args:
        task_id (str):
        status (TaskRunStatus | Unset): Where a run is; COMPLETED, FAILED and CANCELLED are
            terminal.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListTaskRunsResponse | Problem]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: TaskRunStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> ListTaskRunsResponse | Problem | None:
    """List a task's runs

     Lists the runs of one task, newest first, optionally only those in one status.

    Args:
        task_id (str):
        status (TaskRunStatus | Unset): Where a run is; COMPLETED, FAILED and CANCELLED are
            terminal.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListTaskRunsResponse | Problem
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            status=status,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
