"""Trigger a run: ``POST /v2/tasks/{task_id}/trigger``."""

from typing import Any
from urllib.parse import quote

import httpx

from ...models.trigger_evaluation_task_run_request import TriggerEvaluationTaskRunRequest
from ...models.trigger_run_experiment_task_run_request import TriggerRunExperimentTaskRunRequest
from ...types import UNSET, Unset


def build_request(
    client: httpx.Client,
    *,
    task_id: str,
    body: TriggerEvaluationTaskRunRequest | TriggerRunExperimentTaskRunRequest | Unset = UNSET,
) -> httpx.Request:
    """The request, built on ``client``: its base URL, headers and timeouts apply; send it
    with ``client.send``.

    Args:
        task_id (str):
        body (TriggerEvaluationTaskRunRequest | TriggerRunExperimentTaskRunRequest | Unset): The
            body of a trigger, shaped by the stored task's type. A body with `experiment_name`
            can only be for a RUN_EXPERIMENT task; the evaluation shape never has one.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/tasks/{task_id}/trigger".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    if isinstance(body, TriggerRunExperimentTaskRunRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"
    _kwargs["headers"] = headers
    return client.build_request(**_kwargs)
