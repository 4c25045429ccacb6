"""List AI integrations: ``GET /v2/ai-integrations``."""

from typing import Any

import httpx

from ...types import UNSET, Unset


def build_request(
    client: httpx.Client,
    *,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        space_id (str | Unset):
        space_name (str | Unset):
        name (str | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
    """

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
    return client.build_request(**_kwargs)
