"""Update a task: ``PATCH /v2/tasks/{task_id}``."""

from typing import Any
from urllib.parse import quote

import httpx

from ...models.update_evaluation_task_request import UpdateEvaluationTaskRequest
from ...models.update_run_experiment_task_request import UpdateRunExperimentTaskRequest


def build_request(
    client: httpx.Client,
    *,
    task_id: str,
    body: UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        task_id (str):
        body (UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest): Changes to a task.
            The shape is picked by the stored task's type, not by a tag in the body.
    """
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
    return client.build_request(**_kwargs)
