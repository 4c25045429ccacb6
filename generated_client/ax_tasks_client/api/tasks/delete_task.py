"""Delete a task: ``DELETE /v2/tasks/{task_id}``."""

from typing import Any
from urllib.parse import quote

import httpx


def build_request(
    client: httpx.Client,
    *,
    task_id: str,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        task_id (str):
    """

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v2/tasks/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }
    return client.build_request(**_kwargs)
