"""The one place that talks to ``generated_client``.

:class:`ArizeApi` wraps the generated ``Client`` over our own ``httpx.Client`` (auth, retries,
timeouts live there, see transport.py), calls the generated ``sync_detailed`` functions and hands
back plain JSON-shaped dicts (``Model.to_dict()``), so nothing above this module ever sees a
generated class.

* Every HTTP status >= 400 becomes one of our errors in a response event hook
  (:func:`ax_tasks_mcp.service.errors.error_from_response`) *before* the generated parser runs, so a
  garbage error body can never crash it.
* Network failures become :class:`~ax_tasks_mcp.service.errors.ConnectionFailedError`; a write whose
  answer was lost (the transport's ``WriteOutcomeUnknown``) becomes :class:`LostAnswer`, which
  the service reconciles.
* Request bodies built from dict input go through the generated request models (``from_dict``
  then ``to_dict``), so required fields and enum values are checked against the spec; fields the
  models would silently drop are reported as unknown instead.  Enum values are normalised to
  UPPERCASE first (users copy the older lowercase docs).
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, cast
from urllib.parse import quote

import attrs
import httpx

from ax_tasks_mcp.service.errors import (
    AxTasksError,
    NotFoundError,
    ValidationError,
)
from ax_tasks_mcp.service.failures import error_from_exception, error_from_response
from ax_tasks_mcp.service.models import Page, PlannedRequest, Resource
from ax_tasks_mcp.service.transport import ATTEMPTS_EXTENSION, WriteOutcomeUnknown
from generated_client.api.ai_integrations import list_ai_integrations
from generated_client.api.datasets import list_datasets
from generated_client.api.evaluators import list_evaluators
from generated_client.api.experiments import list_experiments
from generated_client.api.projects import list_projects
from generated_client.api.spaces import list_spaces
from generated_client.api.task_runs import (
    cancel_task_run,
    get_task_run,
    list_task_runs,
    trigger_task_run,
)
from generated_client.api.tasks import create_task, delete_task, get_task, list_tasks, update_task
from generated_client.client import Client
from generated_client.models import (
    AgentCallRunConfigRequest,
    CreateCodeEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    CreateTemplateEvaluationTaskRequest,
    ListAiIntegrationsResponse,
    ListDatasetsResponse,
    ListEvaluatorsResponse,
    ListExperimentsResponse,
    ListProjectsResponse,
    ListSpacesResponse,
    ListTaskRunsResponse,
    ListTasksResponse,
    LlmGenerationRunConfigRequest,
    LLMMessageRequest,
    ProjectType,
    SpanEvaluatorInput,
    Task,
    TaskQueryFiltersInput,
    TaskRun,
    TaskRunStatus,
    TaskType,
    TemplateEvaluationRunConfigRequest,
    TraceOrSessionEvaluatorInput,
    TriggerEvaluationTaskRunRequest,
    TriggerRunExperimentTaskRunRequest,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
)
from generated_client.types import Response

__all__ = [
    "EXPERIMENT_TYPES",
    "LIST_KINDS",
    "ArizeApi",
    "LostAnswer",
    "infer_input_variable_format",
    "normalize_enum",
    "normalize_run_configuration",
    "validate_evaluator",
    "validate_query_filters",
    "validate_run_configuration",
]

EXPERIMENT_TYPES: Final = ("LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL")
INPUT_VARIABLE_FORMATS: Final = ("F_STRING", "MUSTACHE", "NONE")

_RUN_CONFIG_MODELS: Final[dict[str, type[Any]]] = {
    "LLM_GENERATION": LlmGenerationRunConfigRequest,
    "TEMPLATE_EVALUATION": TemplateEvaluationRunConfigRequest,
    "AGENT_CALL": AgentCallRunConfigRequest,
}
_CREATE_MODELS: Final[dict[str, type[Any]]] = {
    "TEMPLATE_EVALUATION": CreateTemplateEvaluationTaskRequest,
    "CODE_EVALUATION": CreateCodeEvaluationTaskRequest,
    "RUN_EXPERIMENT": CreateRunExperimentTaskRequest,
}
# Updates and triggers carry no tag: (evaluation shape, RUN_EXPERIMENT shape).
_UPDATE_SHAPES: Final = (UpdateEvaluationTaskRequest, UpdateRunExperimentTaskRequest)
_TRIGGER_SHAPES: Final = (TriggerEvaluationTaskRunRequest, TriggerRunExperimentTaskRunRequest)


class LostAnswer(Exception):
    """A write (POST) may have reached the server but its answer was lost; it was not resent."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        super().__init__(f"{method} {path}: the answer was lost ({reason})")
        self.method = method
        self.path = path
        self.reason = reason


# --------------------------------------------------------------------------------------------
# Lenient input: enum case and the input variable format
# --------------------------------------------------------------------------------------------


def normalize_enum(value: Any) -> Any:
    """``"template-evaluation"`` → ``"TEMPLATE_EVALUATION"``; non-strings are left alone."""
    if not isinstance(value, str):
        return value
    text = re.sub(r"[\s-]+", "_", value.strip()).upper()
    return {"FSTRING": "F_STRING"}.get(text, text)


_MUSTACHE = re.compile(r"\{\{\s*[^{}\s][^{}]*\}\}")


def infer_input_variable_format(messages: Any) -> str:
    """MUSTACHE when the messages use ``{{var}}``, otherwise F_STRING (``{var}`` or nothing)."""
    texts: list[str] = []
    if isinstance(messages, list):
        for message in messages:
            if isinstance(message, Mapping) and isinstance(message.get("content"), str):
                texts.append(message["content"])
    if any(_MUSTACHE.search(text) for text in texts):
        return "MUSTACHE"
    return "F_STRING"


def normalize_run_configuration(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with enum values in UPPERCASE and a missing ``input_variable_format`` inferred."""
    if not isinstance(config, Mapping):
        raise ValidationError(
            f"run_configuration must be a JSON object, not {type(config).__name__}."
        )
    data: dict[str, Any] = copy.deepcopy(dict(config))
    if "experiment_type" in data:
        data["experiment_type"] = normalize_enum(data["experiment_type"])
    if data.get("input_variable_format") is not None:
        data["input_variable_format"] = normalize_enum(data["input_variable_format"])
    messages = data.get("messages")
    if isinstance(messages, list):
        for message in messages:
            if not isinstance(message, dict):
                continue
            if "role" in message:
                message["role"] = normalize_enum(message["role"])
            calls = message.get("tool_calls")
            if isinstance(calls, list):
                for call in calls:
                    if isinstance(call, dict) and "type" in call:
                        call["type"] = normalize_enum(call["type"])
    params = data.get("invocation_parameters")
    if isinstance(params, dict):
        response_format = params.get("response_format")
        if isinstance(response_format, dict) and "type" in response_format:
            response_format["type"] = normalize_enum(response_format["type"])
    if (
        data.get("experiment_type") == "LLM_GENERATION"
        and data.get("input_variable_format") is None
    ):
        data["input_variable_format"] = infer_input_variable_format(messages)
    return data


# --------------------------------------------------------------------------------------------
# Validation through the generated request models
# --------------------------------------------------------------------------------------------


def _json_fields(model: type[Any]) -> list[str]:
    """The JSON field names of a generated model (``type_`` → ``type``)."""
    names = []
    for item in attrs.fields(model):
        if item.name == "additional_properties":
            continue
        names.append(item.alias.rstrip("_") if item.alias else item.name.rstrip("_"))
    return names


def _dropped(given: Any, sent: Any, path: str) -> list[str]:
    """Paths of keys in ``given`` that the round trip through a model dropped."""
    found: list[str] = []
    if isinstance(given, Mapping) and isinstance(sent, Mapping):
        for key, value in given.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in sent:
                found.append(where)
            else:
                found.extend(_dropped(value, sent[key], where))
    elif isinstance(given, list) and isinstance(sent, list):
        for index, (a, b) in enumerate(zip(given, sent, strict=False)):
            found.extend(_dropped(a, b, f"{path}[{index}]"))
    return found


def _describe_failure(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"the required field {exc.args[0]!r} is missing"
    text = str(exc).strip()
    if isinstance(exc, TypeError | AttributeError) or not text:
        return "a field has the wrong type (objects, lists and strings must match the API's shape)"
    return text


def _round_trip(model: type[Any], data: Any, what: str, *, takes: str | None = None) -> Any:
    """``model.from_dict(data).to_dict()``, with unknown fields and failures as ValidationError."""
    fields = _json_fields(model)
    listing = f" {takes or what} takes: {', '.join(fields)}."
    if not isinstance(data, Mapping):
        raise ValidationError(
            f"{what} must be a JSON object, not {type(data).__name__}.", valid_fields=fields
        )
    try:
        sent = model.from_dict(data).to_dict()
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"Invalid {what}: {_describe_failure(exc)}.{listing}", valid_fields=fields
        ) from None
    unknown = _dropped(data, sent, "")
    if unknown:
        top = [u for u in unknown if "." not in u and "[" not in u]
        names = ", ".join(repr(u) for u in unknown)
        hint = listing if top else ""
        raise ValidationError(
            f"Invalid {what}: unknown field(s) {names}.{hint}",
            valid_fields=fields if top else None,
        )
    return sent


def validate_run_configuration(config: Mapping[str, Any]) -> dict[str, Any]:
    """A normalised, spec-checked run configuration (as it will be sent)."""
    data = normalize_run_configuration(config)
    kind = data.get("experiment_type")
    model = _RUN_CONFIG_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        got = "it is missing" if kind is None else f"got {kind!r}"
        raise ValidationError(
            "run_configuration needs experiment_type, one of "
            f"{', '.join(EXPERIMENT_TYPES)} ({got}).",
            valid_fields=["experiment_type"],
        )
    messages = data.get("messages")
    if kind == "LLM_GENERATION" and isinstance(messages, list):
        for index, message in enumerate(messages):  # precise paths for the usual slips
            _round_trip(
                LLMMessageRequest,
                message,
                f"run_configuration.messages[{index}]",
                takes="A message",
            )
    ivf = data.get("input_variable_format")
    if kind == "LLM_GENERATION" and ivf not in INPUT_VARIABLE_FORMATS:
        raise ValidationError(
            f"run_configuration.input_variable_format must be one of "
            f"{', '.join(INPUT_VARIABLE_FORMATS)}, not {ivf!r}."
        )
    return cast(
        dict[str, Any],
        _round_trip(
            model,
            data,
            "run_configuration",
            takes=f"A run_configuration of experiment_type {kind}",
        ),
    )


def validate_evaluator(entry: Mapping[str, Any], index: int) -> dict[str, Any]:
    """One evaluator entry, in the trace/session shape if it has query_mappings, else span."""
    what = f"evaluators[{index}]"
    if not isinstance(entry, Mapping):
        raise ValidationError(f"{what} must be a JSON object with an evaluator_id.")
    if "query_mappings" in entry:
        model: type[Any] = TraceOrSessionEvaluatorInput
        takes = "A trace/session evaluator (one with query_mappings)"
    else:
        model = SpanEvaluatorInput
        takes = "A span evaluator"
    return cast(dict[str, Any], _round_trip(model, entry, what, takes=takes))


def validate_query_filters(value: Mapping[str, Any]) -> dict[str, Any]:
    return cast(dict[str, Any], _round_trip(TaskQueryFiltersInput, value, "query_filters"))


def _create_model(body: Mapping[str, Any]) -> Any:
    model = _CREATE_MODELS[str(body.get("type"))]
    _round_trip(model, body, "task")
    return model.from_dict(body)


def _shaped_model(
    shapes: tuple[type[Any], type[Any]], task_type: str, body: Mapping[str, Any], what: str
) -> Any:
    """The request model of an update or trigger, picked by the stored task's type:
    `shapes` is (evaluation shape, RUN_EXPERIMENT shape); the body carries no tag."""
    model = shapes[1] if task_type == "RUN_EXPERIMENT" else shapes[0]
    _round_trip(model, body, what)
    return model.from_dict(body)


# --------------------------------------------------------------------------------------------
# Tolerant reading of responses
# --------------------------------------------------------------------------------------------

_ENUM_KEYS: Final = frozenset(
    {
        "type",
        "status",
        "experiment_type",
        "input_variable_format",
        "role",
        "project_type",
        "provider",
        "auth_type",
        "kind",
    }
)


def _upper_enums(data: Any) -> Any:
    """Responses from servers that still write lowercase enums (older docs) read as UPPERCASE."""
    if isinstance(data, dict):
        return {
            key: (
                value.upper()
                if key in _ENUM_KEYS and isinstance(value, str) and value.islower()
                else _upper_enums(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_upper_enums(item) for item in data]
    return data


#: kind → (generated list module, items key, response model)
LIST_KINDS: Final[dict[str, tuple[Any, str, type[Any]]]] = {
    "tasks": (list_tasks, "tasks", ListTasksResponse),
    "spaces": (list_spaces, "spaces", ListSpacesResponse),
    "projects": (list_projects, "projects", ListProjectsResponse),
    "datasets": (list_datasets, "datasets", ListDatasetsResponse),
    "evaluators": (list_evaluators, "evaluators", ListEvaluatorsResponse),
    "experiments": (list_experiments, "experiments", ListExperimentsResponse),
    "ai_integrations": (list_ai_integrations, "ai_integrations", ListAiIntegrationsResponse),
}

_QUERY_PARAMS: Final[dict[str, frozenset[str]]] = {
    "tasks": frozenset({"space_id", "space_name", "name", "project_id", "dataset_id", "type"}),
    "spaces": frozenset({"org_id", "name"}),
    "projects": frozenset({"space_id", "space_name", "name", "project_type"}),
    "datasets": frozenset({"space_id", "space_name", "name"}),
    "evaluators": frozenset({"space_id", "space_name", "name"}),
    "experiments": frozenset({"dataset_id", "space_id", "name"}),
    "ai_integrations": frozenset({"space_id", "space_name", "name"}),
}


def _path_id(value: str) -> str:
    return quote(str(value), safe="")


class ArizeApi:
    """The generated client over ``http``, with our errors and dict results."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        check_auth: Callable[[], object] | None = None,
    ) -> None:
        self.http = http
        self.base_url = str(http.base_url).rstrip("/")
        self._check_auth = check_auth
        self._local = threading.local()
        hooks = http.event_hooks
        http.event_hooks = {
            "request": [*hooks.get("request", []), self._on_request],
            "response": [*hooks.get("response", []), self._on_response],
        }
        self._client = Client(base_url=self.base_url).set_httpx_client(http)

    # -- hooks ---------------------------------------------------------------------------

    def _on_request(self, request: httpx.Request) -> None:
        if self._check_auth is not None and "authorization" not in request.headers:
            self._check_auth()  # raises AuthenticationError saying where to put a key

    def _on_response(self, response: httpx.Response) -> None:
        self._local.response = response
        if response.status_code >= 400:
            response.read()
            raise error_from_response(response)

    # -- the call ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of an API path."""
        return self.base_url + path

    def plan(
        self, method: str, path: str, body: Any = None, notes: Iterable[str] = ()
    ) -> PlannedRequest:
        return PlannedRequest(method=method, url=self.url(path), body=body, notes=list(notes))

    def _call(
        self, fn: Callable[..., Response[Any]], model: type[Any] | None, **kwargs: Any
    ) -> Any:
        self._local.response = None
        try:
            result = fn(client=self._client, **kwargs)
        except WriteOutcomeUnknown as exc:
            raise LostAnswer(exc.request.method, exc.request.url.path, exc.reason) from exc
        except AxTasksError:
            raise
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, self.base_url) from exc
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            return self._reparse(model, exc)
        parsed = result.parsed
        if parsed is None and model is not None:
            # A 2xx the spec does not list for this operation (say 200 for 201): read it anyway.
            return self._reparse(model, None)
        return parsed

    def _reparse(self, model: type[Any] | None, exc: BaseException | None) -> Any:
        response: httpx.Response | None = getattr(self._local, "response", None)
        where = ""
        if response is not None:
            where = f" to {response.request.method} {response.request.url.path}"
        if model is not None and response is not None:
            try:
                return model.from_dict(_upper_enums(json.loads(response.content)))
            except (KeyError, ValueError, TypeError, AttributeError) as again:
                exc = exc or again
        status = f" (HTTP {response.status_code})" if response is not None else ""
        why = f": {_describe_failure(exc)}" if exc is not None else ""
        raise AxTasksError(
            f"The API's answer{where}{status} could not be read{why}. Check that the base URL "
            "points at the Arize API (ARIZE_BASE_URL / profile); if it does, the API may have "
            "changed: upgrade ax-tasks."
        ) from exc

    @staticmethod
    def _dict(model: Any) -> Resource:
        return cast(Resource, model.to_dict())

    # -- lists ---------------------------------------------------------------------------

    def list_page(
        self, kind: str, *, limit: int | None = None, cursor: str | None = None, **params: Any
    ) -> Page:
        """One page of ``GET /v2/<kind>``; ``params`` are its query filters (None = absent)."""
        fn, key, model = LIST_KINDS[kind]
        allowed = _QUERY_PARAMS[kind]
        query: dict[str, Any] = {}
        for name, value in params.items():
            if name not in allowed:
                raise ValueError(f"{kind} takes no {name!r} filter")
            if value is None:
                continue
            if name == "type":
                query["type_"] = TaskType(value)
            elif name == "project_type":
                query["project_type"] = ProjectType(value)
            else:
                query[name] = value
        if limit is not None:
            query["limit"] = limit
        if cursor:
            query["cursor"] = cursor
        parsed = self._call(fn.sync_detailed, model, **query)
        data = self._dict(parsed)
        return _page(data, key)

    def list_runs(
        self,
        task_id: str,
        *,
        status: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        query: dict[str, Any] = {}
        if status is not None:
            query["status"] = TaskRunStatus(status)
        if limit is not None:
            query["limit"] = limit
        if cursor:
            query["cursor"] = cursor
        parsed = self._call(
            list_task_runs.sync_detailed, ListTaskRunsResponse, task_id=task_id, **query
        )
        return _page(self._dict(parsed), "task_runs")

    # -- tasks ---------------------------------------------------------------------------

    def get_task(self, task_id: str) -> Resource:
        return self._dict(self._call(get_task.sync_detailed, Task, task_id=task_id))

    @staticmethod
    def check_create(body: Mapping[str, Any]) -> Resource:
        """The create body as it will be sent (spec-checked)."""
        return cast(Resource, _create_model(body).to_dict())

    def create_task(self, body: Mapping[str, Any]) -> Resource:
        return self._dict(self._call(create_task.sync_detailed, Task, body=_create_model(body)))

    @staticmethod
    def check_update(task_type: str, body: Mapping[str, Any]) -> Resource:
        return cast(Resource, _shaped_model(_UPDATE_SHAPES, task_type, body, "update").to_dict())

    def update_task(self, task_id: str, task_type: str, body: Mapping[str, Any]) -> Resource:
        model = _shaped_model(_UPDATE_SHAPES, task_type, body, "update")
        return self._dict(self._call(update_task.sync_detailed, Task, task_id=task_id, body=model))

    def delete_task(self, task_id: str) -> None:
        try:
            self._call(delete_task.sync_detailed, None, task_id=task_id)
        except NotFoundError:
            response: httpx.Response | None = getattr(self._local, "response", None)
            if response is not None and response.extensions.get(ATTEMPTS_EXTENSION, 1) > 1:
                return  # the first DELETE landed, its answer was lost and the retry found none
            raise

    @staticmethod
    def check_trigger(task_type: str, body: Mapping[str, Any]) -> Resource:
        return cast(Resource, _shaped_model(_TRIGGER_SHAPES, task_type, body, "trigger").to_dict())

    def trigger_run(self, task_id: str, task_type: str, body: Mapping[str, Any]) -> Resource:
        model = _shaped_model(_TRIGGER_SHAPES, task_type, body, "trigger")
        return self._dict(
            self._call(trigger_task_run.sync_detailed, TaskRun, task_id=task_id, body=model)
        )

    # -- runs ----------------------------------------------------------------------------

    def get_run(self, run_id: str) -> Resource:
        return self._dict(self._call(get_task_run.sync_detailed, TaskRun, run_id=run_id))

    def cancel_run(self, run_id: str) -> Resource:
        return self._dict(self._call(cancel_task_run.sync_detailed, TaskRun, run_id=run_id))

    # -- paths (for dry runs and messages) -------------------------------------------------

    @staticmethod
    def task_path(task_id: str | None = None, suffix: str = "") -> str:
        return "/v2/tasks" if task_id is None else f"/v2/tasks/{_path_id(task_id)}{suffix}"

    @staticmethod
    def run_path(run_id: str, suffix: str = "") -> str:
        return f"/v2/task-runs/{_path_id(run_id)}{suffix}"


def _page(data: Mapping[str, Any], key: str) -> Page:
    items = data.get(key) or []
    pagination = data.get("pagination") or {}
    cursor = pagination.get("next_cursor") if isinstance(pagination, Mapping) else None
    return Page(
        items=list(items), next_cursor=cursor if isinstance(cursor, str) and cursor else None
    )
