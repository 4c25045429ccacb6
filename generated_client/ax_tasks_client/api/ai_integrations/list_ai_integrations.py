from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_ai_integrations_response import ListAiIntegrationsResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["space_id"] = space_id

    params["space_name"] = space_name

    params["name"] = name

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/ai-integrations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListAiIntegrationsResponse | Problem | None:
    if response.status_code == 200:
        response_200 = ListAiIntegrationsResponse.from_dict(response.json())

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
) -> Response[ListAiIntegrationsResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[ListAiIntegrationsResponse | Problem]:
    """List AI integrations

     Lists connections to LLM providers (alpha). Their IDs decode to `LlmIntegration:...`.

    Args:
        space_id (str | Unset):
        space_name (str | Unset):
        name (str | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListAiIntegrationsResponse | Problem]
    """

    kwargs = _get_kwargs(
        space_id=space_id,
        space_name=space_name,
        name=name,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> ListAiIntegrationsResponse | Problem | None:
    """List AI integrations

     Lists connections to LLM providers (alpha). Their IDs decode to `LlmIntegration:...`.

    Args:
        space_id (str | Unset):
        space_name (str | Unset):
        name (str | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListAiIntegrationsResponse | Problem
    """

    return sync_detailed(
        client=client,
        space_id=space_id,
        space_name=space_name,
        name=name,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[ListAiIntegrationsResponse | Problem]:
    """List AI integrations

     Lists connections to LLM providers (alpha). Their IDs decode to `LlmIntegration:...`.

    Args:
        space_id (str | Unset):
        space_name (str | Unset):
        name (str | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListAiIntegrationsResponse | Problem]
    """

    kwargs = _get_kwargs(
        space_id=space_id,
        space_name=space_name,
        name=name,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> ListAiIntegrationsResponse | Problem | None:
    """List AI integrations

     Lists connections to LLM providers (alpha). Their IDs decode to `LlmIntegration:...`.

    Args:
        space_id (str | Unset):
        space_name (str | Unset):
        name (str | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListAiIntegrationsResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            space_id=space_id,
            space_name=space_name,
            name=name,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
