"""List a task's runs: ``GET /v2/tasks/{task_id}/runs``."""

from typing import Any
from urllib.parse import quote

import httpx

from ...models.task_run_status import TaskRunStatus
from ...types import UNSET, Unset


def build_request(
    client: httpx.Client,
    *,
    task_id: str,
    status: TaskRunStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        task_id (str):
        status (TaskRunStatus | Unset): Where a run is; COMPLETED, FAILED and CANCELLED are
            terminal.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
    """

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
    return client.build_request(**_kwargs)
