"""The one place that talks to the generated client (``ax_tasks_client``): requests strictly,
answers tolerantly.

**Requests** are built by the generated code: a body goes into its generated request model once
(``from_dict``, so required fields and enum values are checked against the spec; fields the model
would silently drop are reported as unknown), and the operation module's request builder turns
that model, the path and the query into the HTTP request we send over our own ``httpx.Client``
(auth, retries and timeouts live there, see transport.py).

**Answers** are read once, as JSON, into the plain dicts the faces use (answers.py): the API's
field names and order, its times as sent, unknown fields and enum values kept as received. The
generated response models are not used: they reject a value or reorder the fields a newer API
may send (the API is ALPHA).

Every generated module is imported when its operation is first called, so a read pays only for
the module of its own operation (``ax_tasks_client/models/__init__.py`` imports nothing).

* Every HTTP status >= 400 becomes one of our errors in a response event hook
  (:func:`ax_tasks_mcp.service.errors.error_from_response`).
* Network failures become :class:`~ax_tasks_mcp.service.errors.ConnectionFailedError`; a write whose
  answer was lost (the transport's ``WriteOutcomeUnknown``) becomes :class:`LostAnswer`, which
  the service reconciles.
* Enum values in request bodies are normalised to UPPERCASE first (lenient.py: users copy the
  older lowercase docs); lowercase enum values in answers are read as UPPERCASE.
"""

from __future__ import annotations

import enum
import functools
import importlib
import inspect
import threading
import typing
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any, Final, cast
from urllib.parse import quote

import httpx

import ax_tasks_client.api
import ax_tasks_client.models
from ax_tasks_mcp.service.answers import Unreadable, read_page, read_resource, upper_enums
from ax_tasks_mcp.service.errors import (
    AxTasksError,
    NotFoundError,
    ValidationError,
    shown,
)
from ax_tasks_mcp.service.failures import error_from_exception, error_from_response
from ax_tasks_mcp.service.lenient import (
    NEWER_VALUE,
    infer_input_variable_format,
    normalize_enum,
    normalize_run_configuration,
)
from ax_tasks_mcp.service.models import Page, PlannedRequest, Resource
from ax_tasks_mcp.service.transport import ATTEMPTS_EXTENSION, WriteOutcomeUnknown
from ax_tasks_mcp.service.words import field

__all__ = [
    "EXPERIMENT_TYPES",
    "INPUT_VARIABLE_FORMATS",
    "LIST_KINDS",
    "RUN_STATUSES",
    "ArizeApi",
    "CheckedBody",
    "LostAnswer",
    "infer_input_variable_format",
    "normalize_enum",
    "normalize_run_configuration",
    "validate_evaluator",
    "validate_query_filters",
    "validate_run_configuration",
]


def _model(path: str) -> Any:
    """A generated model class by ``"module.Class"``, imported on first use."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(f".{module}", ax_tasks_client.models.__name__), name)


def _values(path: str) -> tuple[str, ...]:
    """The values of a generated enum (sorted by the generator): a value added to the spec is
    known here after scripts/regen.sh, with no hand edit."""
    return tuple(str(member.value) for member in _model(path))


#: The run statuses this version knows: the spec's (a new one needs no code, only regen).
RUN_STATUSES: Final = _values("task_run_status.TaskRunStatus")
# What a request may say, by hand: a new value needs code (tests/spec/test_mirrors.py holds them).
EXPERIMENT_TYPES: Final = ("LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL")
INPUT_VARIABLE_FORMATS: Final = ("F_STRING", "MUSTACHE", "NONE")

# Generated request models, as "module.Class" under ax_tasks_client.models (imported on use).
_RUN_CONFIG_MODELS: Final = {
    "LLM_GENERATION": "llm_generation_run_config_request.LlmGenerationRunConfigRequest",
    "TEMPLATE_EVALUATION": "template_evaluation_run_config_request."
    "TemplateEvaluationRunConfigRequest",
    "AGENT_CALL": "agent_call_run_config_request.AgentCallRunConfigRequest",
}
_CREATE_MODELS: Final = {
    "TEMPLATE_EVALUATION": "create_template_evaluation_task_request."
    "CreateTemplateEvaluationTaskRequest",
    "CODE_EVALUATION": "create_code_evaluation_task_request.CreateCodeEvaluationTaskRequest",
    "RUN_EXPERIMENT": "create_run_experiment_task_request.CreateRunExperimentTaskRequest",
}
# Updates and triggers carry no tag: (evaluation shape, RUN_EXPERIMENT shape).
_UPDATE_SHAPES: Final = (
    "update_evaluation_task_request.UpdateEvaluationTaskRequest",
    "update_run_experiment_task_request.UpdateRunExperimentTaskRequest",
)
_TRIGGER_SHAPES: Final = (
    "trigger_evaluation_task_run_request.TriggerEvaluationTaskRunRequest",
    "trigger_run_experiment_task_run_request.TriggerRunExperimentTaskRunRequest",
)
_MESSAGE_MODEL: Final = "llm_message_request.LLMMessageRequest"
_SPAN_EVALUATOR: Final = "span_evaluator_input.SpanEvaluatorInput"
_TRACE_EVALUATOR: Final = "trace_or_session_evaluator_input.TraceOrSessionEvaluatorInput"
_QUERY_FILTERS: Final = "task_query_filters_input.TaskQueryFiltersInput"

#: list kind → (generated operation module under ax_tasks_client.api, items key)
LIST_KINDS: Final[dict[str, tuple[str, str]]] = {
    "tasks": ("tasks.list_tasks", "tasks"),
    "spaces": ("spaces.list_spaces", "spaces"),
    "projects": ("projects.list_projects", "projects"),
    "datasets": ("datasets.list_datasets", "datasets"),
    "evaluators": ("evaluators.list_evaluators", "evaluators"),
    "experiments": ("experiments.list_experiments", "experiments"),
    "ai_integrations": ("ai_integrations.list_ai_integrations", "ai_integrations"),
}


def _operation(path: str) -> ModuleType:
    """A generated operation module by ``"tag.operation"``, imported on first use."""
    return importlib.import_module(f".{path}", ax_tasks_client.api.__name__)


@functools.cache
def _query_parameters(path: str) -> dict[str, tuple[str, type[enum.Enum] | None]]:
    """API query name → (the request builder's argument, its enum class if any), read from the
    generated builder's signature: a query parameter added to the spec is accepted here as is."""
    found: dict[str, tuple[str, type[enum.Enum] | None]] = {}
    for name, param in inspect.signature(_operation(path)._get_kwargs).parameters.items():
        if param.kind is not inspect.Parameter.KEYWORD_ONLY or name == "body":
            continue
        enums = [t for t in typing.get_args(param.annotation) if _is_enum(t)]
        found[name.rstrip("_")] = (name, enums[0] if enums else None)
    return found


def _is_enum(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, enum.Enum)


class _NewerValue:
    """A filter value newer than this version's enum (one uppercase word): sent as it is."""

    def __init__(self, value: str) -> None:
        self.value = value


def _member(enum_class: type[enum.Enum], name: str, value: Any) -> Any:
    """A query value of an enum parameter, any case; a value this version does not know is
    sent as is when it is one uppercase word (the API may know it), else refused with the
    values it does."""
    try:
        return enum_class(normalize_enum(value))
    except ValueError:
        word = normalize_enum(value)
        if isinstance(word, str) and NEWER_VALUE.fullmatch(word):
            return _NewerValue(word)
        known = ", ".join(str(m.value) for m in enum_class)
        raise ValidationError(f"Unknown {name} {shown(value)}: use one of {known}.") from None


class LostAnswer(Exception):
    """A write (POST) may have reached the server but its answer was lost; it was not resent."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        super().__init__(f"{method} {path}: the answer was lost ({reason})")
        self.method = method
        self.path = path
        self.reason = reason


class CheckedBody(dict[str, Any]):
    """A request body as it will be sent (JSON-shaped, read-only by convention), carrying the
    generated model it was checked as: sending it sends that model, never a rebuilt one."""

    def __init__(self, model: Any) -> None:
        super().__init__(model.to_dict())
        self.model = model


# --------------------------------------------------------------------------------------------
# Strict requests: checked by building the generated request model, once
# --------------------------------------------------------------------------------------------


def _json_fields(model: type[Any]) -> list[str]:
    """The JSON field names of a generated model (``type_`` → ``type``)."""
    import attrs

    return [
        (item.alias or item.name).rstrip("_")
        for item in attrs.fields(model)
        if item.name != "additional_properties"
    ]


def _dropped(given: Any, sent: Any, path: str) -> list[str]:
    """Paths of keys in ``given`` that building the model dropped."""
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


def _build(path: str, data: Any, what: str, *, takes: str | None = None) -> CheckedBody:
    """The generated model ``path`` built from ``data``, with unknown fields and failures as
    ValidationError naming the fields it takes."""
    model = _model(path)
    fields = _json_fields(model)
    listing = f" {takes or what} takes: {', '.join(fields)}."
    if not isinstance(data, Mapping):
        raise ValidationError(
            f"{what} must be a JSON object, not {type(data).__name__}.", valid_fields=fields
        )
    try:
        checked = CheckedBody(model.from_dict(data))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"Invalid {what}: {_describe_failure(exc)}.{listing}", valid_fields=fields
        ) from None
    unknown = _dropped(data, checked, "")
    if unknown:
        top = [u for u in unknown if "." not in u and "[" not in u]
        names = ", ".join(repr(u) for u in unknown)
        raise ValidationError(
            f"Invalid {what}: unknown field(s) {names}.{listing if top else ''}",
            valid_fields=fields if top else None,
        )
    return checked


def validate_run_configuration(config: Mapping[str, Any]) -> dict[str, Any]:
    """A normalised, spec-checked run configuration (as it will be sent)."""
    data = normalize_run_configuration(config)
    kind = data.get("experiment_type")
    model = _RUN_CONFIG_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        got = "it is missing" if kind is None else f"got {kind!r}"
        raise ValidationError(
            f"{field('run_configuration')} needs experiment_type, one of "
            f"{', '.join(EXPERIMENT_TYPES)} ({got}).",
            valid_fields=["experiment_type"],
        )
    messages = data.get("messages")
    if kind == "LLM_GENERATION" and isinstance(messages, list):
        for index, message in enumerate(messages):  # precise paths for the usual slips
            where = f"{field('run_configuration')}.messages[{index}]"
            _build(_MESSAGE_MODEL, message, where, takes="A message")
    ivf = data.get("input_variable_format")
    if kind == "LLM_GENERATION" and ivf not in INPUT_VARIABLE_FORMATS:
        raise ValidationError(
            f"{field('run_configuration')}.input_variable_format must be one of "
            f"{', '.join(INPUT_VARIABLE_FORMATS)}, not {ivf!r}."
        )
    takes = f"A {field('run_configuration')} of experiment_type {kind}"
    return dict(_build(model, data, field("run_configuration"), takes=takes))


def validate_evaluator(entry: Mapping[str, Any], index: int) -> dict[str, Any]:
    """One evaluator entry, in the trace/session shape if it has query_mappings, else span."""
    what = f"{field('evaluators')}[{index}]"
    if not isinstance(entry, Mapping):
        raise ValidationError(f"{what} must be a JSON object with an evaluator_id.")
    if "query_mappings" in entry:
        model, takes = _TRACE_EVALUATOR, "A trace/session evaluator (one with query_mappings)"
    else:
        model, takes = _SPAN_EVALUATOR, "A span evaluator"
    return dict(_build(model, entry, what, takes=takes))


def validate_query_filters(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(_build(_QUERY_FILTERS, value, field("query_filters")))


def _shaped(shapes: tuple[str, str], task_type: str, body: Mapping[str, Any], what: str) -> Any:
    """The update or trigger body built as the shape the stored task's type takes:
    `shapes` is (evaluation shape, RUN_EXPERIMENT shape); the body carries no tag."""
    return _build(shapes[1] if task_type == "RUN_EXPERIMENT" else shapes[0], body, what)


def _model_of(body: Mapping[str, Any], build: Callable[[], CheckedBody]) -> Any:
    """The model to send: the one a CheckedBody was checked as, else built now."""
    return body.model if isinstance(body, CheckedBody) else build().model


def _path_id(value: str) -> str:
    return quote(str(value), safe="")


class ArizeApi:
    """The generated client's requests over ``http``, with our errors and dict results."""

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

    def _send(self, operation: str, *args: Any, **kwargs: Any) -> httpx.Response:
        """Build the request with the operation's generated builder and send it."""
        request = _operation(operation)._get_kwargs(*args, **kwargs)
        self._local.response = None
        try:
            return self.http.request(**request)
        except WriteOutcomeUnknown as exc:
            raise LostAnswer(exc.request.method, exc.request.url.path, exc.reason) from exc
        except AxTasksError:
            raise
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, self.base_url) from exc

    def _read(self, response: httpx.Response, shape: Callable[[Any], Any]) -> Any:
        """The answer's JSON, read once, in the shape the service relies on."""
        try:
            return shape(upper_enums(response.json()))
        except (ValueError, Unreadable) as exc:
            why = str(exc) if isinstance(exc, Unreadable) else "it is not JSON"
            raise AxTasksError(
                f"The API's answer to {response.request.method} {response.request.url.path} "
                f"(HTTP {response.status_code}) could not be read: {why}. Check that the base "
                "URL points at the Arize API (ARIZE_BASE_URL / profile); if it does, the API "
                "may have changed: upgrade ax-tasks."
            ) from None

    def _query(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Query arguments for the generated builder; None means absent."""
        known = _query_parameters(operation)
        query: dict[str, Any] = {}
        for name, value in params.items():
            if name not in known:
                raise ValueError(f"{operation} takes no {name!r} filter")
            if value is None:
                continue
            argument, enum_class = known[name]
            query[argument] = value if enum_class is None else _member(enum_class, name, value)
        return query

    # -- lists ---------------------------------------------------------------------------

    def list_page(
        self, kind: str, *, limit: int | None = None, cursor: str | None = None, **params: Any
    ) -> Page:
        """One page of ``GET /v2/<kind>``; ``params`` are its query filters (None = absent)."""
        operation, key = LIST_KINDS[kind]
        query = self._query(operation, {**params, "limit": limit, "cursor": cursor or None})
        return cast(Page, self._read(self._send(operation, **query), lambda d: read_page(d, key)))

    def list_runs(
        self,
        task_id: str,
        *,
        status: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        operation = "task_runs.list_task_runs"
        query = self._query(operation, {"status": status, "limit": limit, "cursor": cursor or None})
        response = self._send(operation, task_id, **query)
        return cast(Page, self._read(response, lambda d: read_page(d, "task_runs")))

    # -- tasks ---------------------------------------------------------------------------

    def _one(self, operation: str, *args: Any, **kwargs: Any) -> Resource:
        return cast(Resource, self._read(self._send(operation, *args, **kwargs), read_resource))

    def get_task(self, task_id: str) -> Resource:
        return self._one("tasks.get_task", task_id)

    @staticmethod
    def check_create(body: Mapping[str, Any]) -> Resource:
        """The create body as it will be sent (spec-checked)."""
        return _build(_CREATE_MODELS[str(body.get("type"))], body, "task")

    def create_task(self, body: Mapping[str, Any]) -> Resource:
        model = _model_of(body, lambda: _build(_CREATE_MODELS[str(body.get("type"))], body, "task"))
        return self._one("tasks.create_task", body=model)

    @staticmethod
    def check_update(task_type: str, body: Mapping[str, Any]) -> Resource:
        return cast(Resource, _shaped(_UPDATE_SHAPES, task_type, body, "update"))

    def update_task(self, task_id: str, task_type: str, body: Mapping[str, Any]) -> Resource:
        model = _model_of(body, lambda: _shaped(_UPDATE_SHAPES, task_type, body, "update"))
        return self._one("tasks.update_task", task_id, body=model)

    def delete_task(self, task_id: str) -> None:
        try:
            self._send("tasks.delete_task", task_id)
        except NotFoundError:
            response: httpx.Response | None = getattr(self._local, "response", None)
            if response is not None and response.extensions.get(ATTEMPTS_EXTENSION, 1) > 1:
                return  # the first DELETE landed, its answer was lost and the retry found none
            raise

    @staticmethod
    def check_trigger(task_type: str, body: Mapping[str, Any]) -> Resource:
        return cast(Resource, _shaped(_TRIGGER_SHAPES, task_type, body, "trigger"))

    def trigger_run(self, task_id: str, task_type: str, body: Mapping[str, Any]) -> Resource:
        model = _model_of(body, lambda: _shaped(_TRIGGER_SHAPES, task_type, body, "trigger"))
        return self._one("task_runs.trigger_task_run", task_id, body=model)

    # -- runs ----------------------------------------------------------------------------

    def get_run(self, run_id: str) -> Resource:
        return self._one("task_runs.get_task_run", run_id)

    def cancel_run(self, run_id: str) -> Resource:
        return self._one("task_runs.cancel_task_run", run_id)

    # -- paths (for dry runs and messages) -------------------------------------------------

    @staticmethod
    def task_path(task_id: str | None = None, suffix: str = "") -> str:
        return "/v2/tasks" if task_id is None else f"/v2/tasks/{_path_id(task_id)}{suffix}"

    @staticmethod
    def run_path(run_id: str, suffix: str = "") -> str:
        return f"/v2/task-runs/{_path_id(run_id)}{suffix}"
