"""List tasks: ``GET /v2/tasks``."""

from typing import Any

import httpx

from ...models.task_type import TaskType
from ...types import UNSET, Unset


def build_request(
    client: httpx.Client,
    *,
    space_id: str | Unset = UNSET,
    space_name: str | Unset = UNSET,
    name: str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    dataset_id: str | Unset = UNSET,
    type_: TaskType | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        space_id (str | Unset):
        space_name (str | Unset):
        name (str | Unset):
        project_id (str | Unset):
        dataset_id (str | Unset):
        type_ (TaskType | Unset): What a task does.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
    """

    params: dict[str, Any] = {}

    params["space_id"] = space_id

    params["space_name"] = space_name

    params["name"] = name

    params["project_id"] = project_id

    params["dataset_id"] = dataset_id

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/tasks",
        "params": params,
    }
    return client.build_request(**_kwargs)
