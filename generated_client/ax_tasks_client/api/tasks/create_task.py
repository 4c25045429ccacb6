"""Create a task: ``POST /v2/tasks``."""

from typing import Any

import httpx

from ...models.create_code_evaluation_task_request import CreateCodeEvaluationTaskRequest
from ...models.create_run_experiment_task_request import CreateRunExperimentTaskRequest
from ...models.create_template_evaluation_task_request import CreateTemplateEvaluationTaskRequest


def build_request(
    client: httpx.Client,
    *,
    body: CreateCodeEvaluationTaskRequest
    | CreateRunExperimentTaskRequest
    | CreateTemplateEvaluationTaskRequest,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        body (CreateCodeEvaluationTaskRequest | CreateRunExperimentTaskRequest |
            CreateTemplateEvaluationTaskRequest): A new task, told apart by `type`.
    """
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
    return client.build_request(**_kwargs)
