"""Get a run: ``GET /v2/task-runs/{run_id}``."""

from typing import Any
from urllib.parse import quote

import httpx


def build_request(
    client: httpx.Client,
    *,
    run_id: str,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        run_id (str):
    """

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/task-runs/{run_id}".format(
            run_id=quote(str(run_id), safe=""),
        ),
    }
    return client.build_request(**_kwargs)
