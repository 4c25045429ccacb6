"""The MCP tools over TasksService: schemas, descriptions, confirmation, progress, errors.

Every tool is a thin face: it hands its arguments to the service (names and IDs alike, enums in
any case) and returns what the service returns, with the API's own field names.  The service runs
in worker threads (it is synchronous); errors it raises reach the model as tool errors carrying
the service's own message.  ``server.py`` holds the process entry; this module builds the server.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, NotRequired, TypeVar

import anyio
import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import (
    AcceptedElicitation,
    Context,
    Elicit,
    ElicitationResult,
    MCPServer,
    Resolve,
)
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from mcp_types import Tool as MCPTool
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

if TYPE_CHECKING:
    from ax_tasks_mcp.errors import AxTasksError
    from ax_tasks_mcp.models import RunProgress
    from ax_tasks_mcp.tasks import TasksService

# ax_tasks_mcp.errors (and so httpx) is imported on the first tool call, not at start: a client's
# first tools/list should not wait for the API client's imports.

__all__ = [
    "READ_TOOLS",
    "WRITE_TOOLS",
    "ServiceHandle",
    "TasksMCPServer",
    "build_server",
]

logger = logging.getLogger("ax_tasks_mcp.mcp")

T = TypeVar("T")
Ctx = Context[Any, Any]
Resource = dict[str, Any]

SERVER_NAME = "ax-tasks"
MAX_WAIT_SECONDS = 3600.0
DEFAULT_WAIT_SECONDS = 300.0

INSTRUCTIONS = """\
Manage Arize AX tasks: evaluation tasks that score spans of a project or examples of a dataset,
and run-experiment tasks that run a prompt over a dataset. Wherever a task, space, project,
dataset or evaluator is asked for, its exact name (case included) or its ID works; names are
looked up within the space, so pass `space` (a name or ID) unless a default space is configured.
Use the list_* tools to find names and IDs. Task types and run statuses may be written in any
case. Run IDs must be real IDs (from trigger_task_run or list_task_runs).
"""

# ------------------------------------------------------------------------------------------------
# Output schemas: the API's own objects (extra fields pass through untouched)
# ------------------------------------------------------------------------------------------------


class TaskEvaluator(TypedDict):
    """An evaluator attached to a task."""

    evaluator_id: str
    evaluator_name: NotRequired[str]
    evaluator_version_id: NotRequired[str | None]
    query_filter: NotRequired[str | None]
    column_mappings: NotRequired[dict[str, str] | None]
    query_mappings: NotRequired[list[dict[str, Any]] | None]


class Task(TypedDict):
    """A task as the API returns it. type: TEMPLATE_EVALUATION, CODE_EVALUATION or
    RUN_EXPERIMENT. Evaluation tasks have evaluators and a project_id or dataset_id;
    run-experiment tasks have a dataset_id and a run_configuration."""

    id: str
    name: str
    type: str
    project_id: NotRequired[str | None]
    dataset_id: NotRequired[str | None]
    sampling_rate: NotRequired[float | None]
    is_continuous: NotRequired[bool]
    query_filter: NotRequired[str | None]
    query_filters: NotRequired[dict[str, Any] | None]
    evaluators: NotRequired[list[TaskEvaluator]]
    experiment_ids: NotRequired[list[str]]
    run_configuration: NotRequired[dict[str, Any] | None]
    last_run_at: NotRequired[str | None]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]
    created_by_user_id: NotRequired[str | None]


class TaskRun(TypedDict):
    """A task run as the API returns it. status: PENDING, RUNNING, COMPLETED, FAILED or
    CANCELLED (the last three are final); failure_reason explains a FAILED or CANCELLED run."""

    id: str
    task_id: str
    status: str
    experiment_id: NotRequired[str | None]
    run_started_at: NotRequired[str | None]
    run_finished_at: NotRequired[str | None]
    data_start_time: NotRequired[str | None]
    data_end_time: NotRequired[str | None]
    num_successes: NotRequired[int]
    num_errors: NotRequired[int]
    num_skipped: NotRequired[int]
    created_at: NotRequired[str]
    created_by_user_id: NotRequired[str | None]
    failure_reason: NotRequired[str | None]


class DeletedTask(TypedDict):
    """The deleted task as it was just before deletion."""

    deleted: bool
    task: Task


class Space(TypedDict):
    """A space: the container of projects, datasets, evaluators and tasks."""

    id: str
    name: str
    description: NotRequired[str | None]
    created_at: NotRequired[str]
    is_private: NotRequired[bool]


class Project(TypedDict):
    """A project (its spans are what project evaluation tasks score)."""

    id: str
    name: str
    space_id: NotRequired[str]
    created_at: NotRequired[str]
    project_type: NotRequired[str | None]


class Dataset(TypedDict):
    """A dataset (its examples are what dataset tasks and experiments work on)."""

    id: str
    name: str
    space_id: NotRequired[str]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]


class Evaluator(TypedDict):
    """An evaluator (type TEMPLATE, CODE, HARNESS or REMOTE) that evaluation tasks run."""

    id: str
    name: str
    type: NotRequired[str]
    description: NotRequired[str | None]
    space_id: NotRequired[str]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]
    created_by_user_id: NotRequired[str | None]


class Experiment(TypedDict):
    """An experiment run over a dataset."""

    id: str
    name: str
    space_id: NotRequired[str]
    dataset_id: NotRequired[str | None]
    dataset_version_id: NotRequired[str | None]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]


class AiIntegration(TypedDict):
    """An AI integration (an LLM provider account) that run configurations use."""

    id: str
    name: str
    provider: NotRequired[str]
    model_names: NotRequired[list[str] | None]
    has_api_key: NotRequired[bool]


_CURSOR_DOC = "Pass as `cursor` to get the next page; null on the last page."


class TaskList(TypedDict):
    """One page of tasks."""

    tasks: list[Task]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class TaskRunList(TypedDict):
    """One page of a task's runs, newest first."""

    task_runs: list[TaskRun]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class SpaceList(TypedDict):
    """One page of spaces."""

    spaces: list[Space]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class ProjectList(TypedDict):
    """One page of projects."""

    projects: list[Project]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class DatasetList(TypedDict):
    """One page of datasets."""

    datasets: list[Dataset]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class EvaluatorList(TypedDict):
    """One page of evaluators."""

    evaluators: list[Evaluator]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class ExperimentList(TypedDict):
    """One page of experiments."""

    experiments: list[Experiment]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class AiIntegrationList(TypedDict):
    """One page of AI integrations."""

    ai_integrations: list[AiIntegration]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


# ------------------------------------------------------------------------------------------------
# Parameters: every one described, with an example
# ------------------------------------------------------------------------------------------------

_SPACE_IDS = ["my-space", "U3BhY2U6MjAwMTphQmNE"]

SpaceArg = Annotated[
    str | None,
    Field(
        description=(
            "Space name or ID. Names of tasks, projects, datasets and evaluators are looked up"
            " in this space. Defaults to the configured default space, if any."
        ),
        examples=_SPACE_IDS,
    ),
]
TaskArg = Annotated[
    str,
    Field(
        description="Task name (exact, case included; looked up in `space`) or task ID.",
        examples=["nightly-hallucination-check", "T25saW5lVGFzazo0NTpxUndY"],
    ),
]
RunIdArg = Annotated[
    str,
    Field(
        description=(
            "Task run ID, as returned by trigger_task_run or list_task_runs (runs have no names)."
        ),
        examples=["VGFza1J1bjo5OTpxUndY"],
    ),
]
ProjectArg = Annotated[
    str | None,
    Field(
        description="Project name (looked up in `space`) or project ID.",
        examples=["checkout-agent", "TW9kZWw6MTIzOmFCY0Q="],
    ),
]
DatasetArg = Annotated[
    str | None,
    Field(
        description="Dataset name (looked up in `space`) or dataset ID.",
        examples=["golden-questions", "RGF0YXNldDo1NjpxUndY"],
    ),
]
NameFilterArg = Annotated[
    str | None,
    Field(
        description="Only items whose name contains this text (case-insensitive).",
        examples=["nightly"],
    ),
]
LimitArg = Annotated[
    int | None,
    Field(
        description="Page size, 1 to 100 (the API's default is 50).",
        ge=1,
        le=100,
        examples=[20],
    ),
]
CursorArg = Annotated[
    str | None,
    Field(
        description="The next_cursor of the previous page, to get the page after it.",
        examples=["eyJvZmZzZXQiOjIwfQ=="],
    ),
]
TimeoutArg = Annotated[
    float,
    Field(
        description=(
            "How long to wait, in seconds (at most 3600). If the run is still going then, the"
            " tool reports that and the run keeps going on the server."
        ),
        gt=0,
        le=MAX_WAIT_SECONDS,
        examples=[300],
    ),
]
ConfirmArg = Annotated[
    bool,
    Field(
        description=(
            "Only for clients that cannot ask the user: set true, together with confirm_name,"
            " after the user has explicitly agreed."
        ),
        examples=[True],
    ),
]
EvaluatorsArg = Annotated[
    list[dict[str, Any]],
    Field(
        description=(
            "The evaluators to run, at least one. Each entry names an evaluator by `evaluator`"
            " (name) or `evaluator_id`, optionally pins `evaluator_version_id`, and then takes"
            " ONE shape for all entries: span shape {column_mappings: {template variable:"
            " span column}, query_filter?} or trace/session shape {query_mappings:"
            " [{variable_name, query_ids: [A-E ids from query_filters], attribute_path}]}."
            " Use list_evaluators to find evaluators."
        ),
        min_length=1,
        examples=[
            [{"evaluator": "hallucination", "column_mappings": {"input": "attributes.input.value"}}]
        ],
    ),
]
QueryFilterArg = Annotated[
    str | None,
    Field(
        description="Span filter: only spans matching it are evaluated (span-shape tasks).",
        examples=["attributes.llm.model_name = 'gpt-4o'"],
    ),
]
QueryFiltersArg = Annotated[
    dict[str, Any] | None,
    Field(
        description=(
            "Trace/session-shape filters: {filters: [{id: 'A'..'E', filter}], expression?}."
            " The expression (e.g. 'A AND B') is required with two or more filters."
        ),
        examples=[{"filters": [{"id": "A", "filter": "span_kind = 'LLM'"}]}],
    ),
]
SamplingRateArg = Annotated[
    float | None,
    Field(description="Share of spans to evaluate, 0 to 1.", ge=0, le=1, examples=[0.25]),
]
IsContinuousArg = Annotated[
    bool | None,
    Field(
        description="Evaluate new data continuously (project tasks) instead of on trigger only.",
        examples=[True],
    ),
]
RunConfigurationArg = Annotated[
    dict[str, Any],
    Field(
        description=(
            "What each example runs, by experiment_type (any case): LLM_GENERATION"
            " {ai_integration_id, model_name?, messages: [{role, content}],"
            " input_variable_format?, invocation_parameters?}; TEMPLATE_EVALUATION"
            " {ai_integration_id, template, provide_explanation, classification_choices?};"
            " AGENT_CALL {integration_id, input_template}. ai_integration_id may be an"
            " integration name (see list_ai_integrations); input_variable_format is inferred"
            " from the placeholders ({var} or {{var}}) when missing."
        ),
        examples=[
            {
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": "openai-prod",
                "model_name": "gpt-4o-mini",
                "messages": [{"role": "USER", "content": "Answer briefly: {question}"}],
            }
        ],
    ),
]
WaitArg = Annotated[
    bool,
    Field(
        description=(
            "Wait for the run to finish (with progress notifications) and return the final"
            " run instead of the just-created one."
        ),
        examples=[True],
    ),
]

# ------------------------------------------------------------------------------------------------
# The service handle and the error path
# ------------------------------------------------------------------------------------------------


class ServiceHandle:
    """The TasksService behind the tools, created on first use.

    Listing tools never needs the service, so a server starts (and answers tools/list) without
    importing the API client or reading credentials.  A failed creation is retried on the next
    call and its error is shown to the model like any other.
    """

    def __init__(
        self,
        factory: Callable[[], TasksService],
        *,
        secrets: Sequence[str | None] = (),
    ) -> None:
        self._factory = factory
        self._service: TasksService | None = None
        self._lock = threading.Lock()
        self.secrets: list[str] = [s for s in secrets if s]

    @classmethod
    def of(cls, service: TasksService, *, secrets: Sequence[str | None] = ()) -> ServiceHandle:
        handle = cls(lambda: service, secrets=secrets)
        handle._service = service
        return handle

    def get(self) -> TasksService:
        with self._lock:
            if self._service is None:
                self._service = self._factory()
            return self._service

    def close(self) -> None:
        with self._lock:
            service, self._service = self._service, None
        if service is not None:
            service.close()


class _ShownError(ToolError):
    """A tool error whose message is meant for the model, shown as is (no SDK prefix)."""


class _WaitAbandoned(Exception):
    """Raised inside the worker thread to stop polling once the tool call is gone."""


def _server_of(ctx: Ctx) -> TasksMCPServer:
    server = ctx.mcp_server
    if not isinstance(server, TasksMCPServer):  # pragma: no cover - wiring error
        raise TypeError("these tools need a TasksMCPServer")
    return server


def _message_for(exc: AxTasksError) -> str:
    """The text the model sees for a service error (presentation only)."""
    from ax_tasks_mcp.errors import ValidationError, WaitTimeoutError

    if isinstance(exc, WaitTimeoutError):
        status = exc.last_status or "unknown"
        return (
            f"Run {exc.run_id} did not finish within {exc.timeout:g}s (last status: {status})."
            " It keeps going on the server: call wait_for_task_run again (timeout_seconds up"
            " to 3600), check it with get_task_run, or stop it with cancel_task_run."
        )
    message = exc.message
    if isinstance(exc, ValidationError) and exc.valid_fields:
        missing = [f for f in exc.valid_fields if f not in message]
        if missing:
            message += " Valid fields for this task type: " + ", ".join(exc.valid_fields) + "."
    return message


async def _call(
    ctx: Ctx, tool: str, work: Callable[[TasksService], T], *, write: bool = False
) -> T:
    """Run ``work(service)`` in a worker thread; service errors become tool errors.

    Reads are abandoned at once when the call is cancelled; a write is let finish (its answer
    is then dropped), so cancelling never leaves a write half-known.
    """
    from ax_tasks_mcp.errors import AxTasksError, redact

    handle = _server_of(ctx).handle

    def run() -> T:
        return work(handle.get())

    try:
        return await anyio.to_thread.run_sync(run, abandon_on_cancel=not write)
    except AxTasksError as exc:
        raise _ShownError(redact(_message_for(exc), handle.secrets)) from None
    except (ToolError, _WaitAbandoned):
        raise
    except Exception as exc:
        details = "".join(traceback.format_exception(exc))
        logger.error("%s failed unexpectedly: %s", tool, redact(details, handle.secrets))
        raise _ShownError(
            f"{tool} failed with an unexpected internal error ({type(exc).__name__}); the"
            " details are in the MCP server's log."
            + (" Check whether the change happened before retrying." if write else "")
        ) from None


def _result(data: Any) -> CallToolResult:
    """Structured content exactly as the API gave it, and the same JSON as text."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def _page(key: str, page: Any) -> CallToolResult:
    return _result({key: list(page.items), "next_cursor": page.next_cursor})


def _resource(value: Any) -> Resource:
    if not isinstance(value, dict):  # a PlannedRequest: never asked for here
        raise TypeError(f"expected a resource, got {type(value).__name__}")
    return value


# ------------------------------------------------------------------------------------------------
# Waiting with progress
# ------------------------------------------------------------------------------------------------


def _progress_text(p: RunProgress) -> str:
    return (
        f"Run {p.run_id}: {p.status}, {p.num_successes} succeeded, {p.num_errors} errors,"
        f" {p.num_skipped} skipped ({p.elapsed:.0f}s elapsed)"
    )


async def _report(ctx: Ctx, p: RunProgress) -> None:
    try:
        await ctx.report_progress(float(p.polls), None, _progress_text(p))
    except Exception:  # a client that went away must not break the wait
        logger.debug("progress notification failed", exc_info=True)


async def _wait(ctx: Ctx, tool: str, run_id: str, timeout: float) -> Resource:
    """The service's own wait, in a worker thread, its progress forwarded to the client.

    On cancellation the call returns at once; the worker stops at its next poll.
    """
    stop = threading.Event()

    def on_progress(p: RunProgress) -> None:
        if stop.is_set():
            raise _WaitAbandoned
        anyio.from_thread.run(_report, ctx, p)

    try:
        return await _call(
            ctx,
            tool,
            lambda s: s.wait_for_run(run_id, timeout=timeout, on_progress=on_progress),
        )
    finally:
        stop.set()


# ------------------------------------------------------------------------------------------------
# Confirmation: elicitation when the client can ask the user, else confirm + confirm_name
# ------------------------------------------------------------------------------------------------


class ConfirmDeletion(BaseModel):
    """The user's answer to "delete this task?"."""

    confirm: bool = Field(description="Yes, delete this task and all its runs.")


class ConfirmCancellation(BaseModel):
    """The user's answer to "cancel this run?"."""

    confirm: bool = Field(description="Yes, cancel this run.")


class NotAsked(BaseModel):
    """The client cannot ask the user: the confirm arguments decide."""


def _can_elicit(ctx: Ctx) -> bool:
    caps = ctx.client_capabilities
    form = caps.elicitation if caps is not None else None
    if form is None or (form.form is None and form.url is not None):
        return False
    version = ctx.protocol_version
    if version is not None and is_version_at_least(version, "2026-07-28"):
        return True  # asked through an input_required result
    return bool(ctx.session.can_send_request)


async def _ask_delete(ctx: Ctx, task: str, space: str | None) -> Elicit[ConfirmDeletion] | NotAsked:
    if not _can_elicit(ctx):
        return NotAsked()
    found = _resource(await _call(ctx, "delete_task", lambda s: s.get_task(task, space=space)))
    return Elicit(
        f"Delete the {found.get('type', '')} task {found.get('name')!r} (ID {found.get('id')})?"
        " Its configuration and all its runs are deleted; this cannot be undone.",
        ConfirmDeletion,
    )


async def _ask_cancel(ctx: Ctx, run_id: str) -> Elicit[ConfirmCancellation] | NotAsked:
    if not _can_elicit(ctx):
        return NotAsked()
    run = _resource(await _call(ctx, "cancel_task_run", lambda s: s.get_run(run_id)))
    return Elicit(
        f"Cancel run {run.get('id')} of task {run.get('task_id')} (now {run.get('status')})?"
        " Work it has not done yet is dropped.",
        ConfirmCancellation,
    )


def _check_answer(answer: ElicitationResult[Any], what: str, nothing: str) -> bool:
    """True when the user was asked and agreed; a refusal raises; False when not asked."""
    if isinstance(answer, AcceptedElicitation):
        if isinstance(answer.data, NotAsked):
            return False
        if getattr(answer.data, "confirm", False) is True:
            return True
        raise _ShownError(f"The user did not confirm {what}. {nothing}")
    raise _ShownError(f"The user declined {what}. {nothing} Do not retry unless the user asks.")


def _check_confirm(
    confirm: bool, confirm_name: str | None, accepted: Sequence[str], what: str, nothing: str
) -> None:
    names = " or ".join(repr(a) for a in accepted if a)
    if not confirm or confirm_name is None:
        raise _ShownError(
            f"{nothing} This client cannot ask the user directly, so {what} needs confirm=true"
            f" and confirm_name set to {names}. Ask the user first, then call again."
        )
    if confirm_name not in accepted:
        raise _ShownError(
            f"{nothing} confirm_name {confirm_name!r} does not match: it must be exactly {names}."
        )


# ------------------------------------------------------------------------------------------------
# The tools
# ------------------------------------------------------------------------------------------------


async def list_tasks(
    ctx: Ctx,
    space: SpaceArg = None,
    project: ProjectArg = None,
    dataset: DatasetArg = None,
    name: NameFilterArg = None,
    task_type: Annotated[
        str | None,
        Field(
            description=(
                "Only tasks of this type: TEMPLATE_EVALUATION, CODE_EVALUATION or"
                " RUN_EXPERIMENT (any case)."
            ),
            examples=["template_evaluation"],
        ),
    ] = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, TaskList]:
    page = await _call(
        ctx,
        "list_tasks",
        lambda s: s.list_tasks(
            space=space,
            project=project,
            dataset=dataset,
            name=name,
            task_type=task_type,
            limit=limit,
            cursor=cursor,
        ),
    )
    return _page("tasks", page)


async def get_task(
    ctx: Ctx, task: TaskArg, space: SpaceArg = None
) -> Annotated[CallToolResult, Task]:
    found = await _call(ctx, "get_task", lambda s: s.get_task(task, space=space))
    return _result(found)


async def create_evaluation_task(
    ctx: Ctx,
    name: Annotated[
        str,
        Field(
            description="Name of the new task.", min_length=1, examples=["nightly-hallucination"]
        ),
    ],
    task_type: Annotated[
        str,
        Field(
            description="TEMPLATE_EVALUATION or CODE_EVALUATION (any case).",
            examples=["TEMPLATE_EVALUATION"],
        ),
    ],
    evaluators: EvaluatorsArg,
    space: SpaceArg = None,
    project: Annotated[
        str | None,
        Field(
            description=(
                "Project whose spans are evaluated: name (looked up in `space`) or ID. Give"
                " either project or dataset."
            ),
            examples=["checkout-agent", "TW9kZWw6MTIzOmFCY0Q="],
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        Field(
            description=(
                "Dataset whose experiments are evaluated: name (looked up in `space`) or ID."
                " Give either project or dataset."
            ),
            examples=["golden-questions", "RGF0YXNldDo1NjpxUndY"],
        ),
    ] = None,
    experiment_ids: Annotated[
        list[str] | None,
        Field(
            description="Dataset tasks: experiments to evaluate, by name or ID.",
            examples=[["baseline-run"]],
        ),
    ] = None,
    sampling_rate: SamplingRateArg = None,
    is_continuous: IsContinuousArg = None,
    query_filter: QueryFilterArg = None,
    query_filters: QueryFiltersArg = None,
) -> Annotated[CallToolResult, Task]:
    created = await _call(
        ctx,
        "create_evaluation_task",
        lambda s: s.create_evaluation_task(
            name=name,
            task_type=task_type,
            evaluators=evaluators,
            space=space,
            project=project,
            dataset=dataset,
            experiment_ids=experiment_ids,
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=query_filters,
        ),
        write=True,
    )
    return _result(_resource(created))


async def create_run_experiment_task(
    ctx: Ctx,
    name: Annotated[
        str, Field(description="Name of the new task.", min_length=1, examples=["qa-prompt-v2"])
    ],
    dataset: Annotated[
        str,
        Field(
            description="Dataset whose examples are run: name (looked up in `space`) or ID.",
            examples=["golden-questions", "RGF0YXNldDo1NjpxUndY"],
        ),
    ],
    run_configuration: RunConfigurationArg,
    space: SpaceArg = None,
) -> Annotated[CallToolResult, Task]:
    created = await _call(
        ctx,
        "create_run_experiment_task",
        lambda s: s.create_run_experiment_task(
            name=name, dataset=dataset, run_configuration=run_configuration, space=space
        ),
        write=True,
    )
    return _result(_resource(created))


async def update_task(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    name: Annotated[
        str | None, Field(description="New name.", min_length=1, examples=["nightly-v2"])
    ] = None,
    sampling_rate: SamplingRateArg = None,
    is_continuous: IsContinuousArg = None,
    query_filter: QueryFilterArg = None,
    query_filters: QueryFiltersArg = None,
    evaluators: Annotated[
        list[dict[str, Any]] | None,
        Field(
            description=(
                "Evaluation tasks: the new evaluator list, replacing the whole list (same"
                " entry shapes as create_evaluation_task)."
            ),
            min_length=1,
            examples=[[{"evaluator": "toxicity", "column_mappings": {"input": "input"}}]],
        ),
    ] = None,
    run_configuration: Annotated[
        dict[str, Any] | None,
        Field(
            description=(
                "Run-experiment tasks: the new run configuration, replacing the old one (same"
                " shape as create_run_experiment_task)."
            ),
            examples=[
                {
                    "experiment_type": "LLM_GENERATION",
                    "ai_integration_id": "openai-prod",
                    "messages": [{"role": "USER", "content": "{question}"}],
                }
            ],
        ),
    ] = None,
    clear: Annotated[
        list[Literal["query_filter", "query_filters"]] | None,
        Field(
            description="Filters to remove from the task (set them to null).",
            examples=[["query_filter"]],
        ),
    ] = None,
) -> Annotated[CallToolResult, Task]:
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "name": name,
            "sampling_rate": sampling_rate,
            "is_continuous": is_continuous,
            "query_filter": query_filter,
            "query_filters": query_filters,
            "evaluators": evaluators,
            "run_configuration": run_configuration,
        }.items()
        if value is not None
    }
    for field in clear or ():
        if field in changes:
            raise _ShownError(
                f"{field} is both set and cleared; give a new value or clear it, not both."
                " Nothing was changed."
            )
        changes[field] = None
    updated = await _call(
        ctx, "update_task", lambda s: s.update_task(task, space=space, **changes), write=True
    )
    return _result(_resource(updated))


async def delete_task(
    ctx: Ctx,
    answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(_ask_delete)],
    task: TaskArg,
    space: SpaceArg = None,
    confirm: ConfirmArg = False,
    confirm_name: Annotated[
        str | None,
        Field(
            description=("With confirm: the task's exact name or ID, as the user confirmed it."),
            examples=["nightly-hallucination-check"],
        ),
    ] = None,
) -> Annotated[CallToolResult, DeletedTask]:
    nothing = "Nothing was deleted."
    found = _resource(await _call(ctx, "delete_task", lambda s: s.get_task(task, space=space)))
    task_id = str(found.get("id"))
    if not _check_answer(answer, f"deleting task {found.get('name')!r}", nothing):
        accepted = [str(found.get("name", "")), task_id]
        _check_confirm(confirm, confirm_name, accepted, "deleting a task", nothing)
    before = await _call(ctx, "delete_task", lambda s: s.delete_task(task_id), write=True)
    return _result({"deleted": True, "task": _resource(before)})


async def trigger_task_run(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    data_start_time: Annotated[
        datetime | None,
        Field(
            description=(
                "Project tasks: start of the span window (RFC 3339). Required on a project"
                " task's first run; the window may span at most 30 days."
            ),
            examples=["2026-03-01T00:00:00Z"],
        ),
    ] = None,
    data_end_time: Annotated[
        datetime | None,
        Field(
            description="Project tasks: end of the span window (RFC 3339); defaults to now.",
            examples=["2026-03-07T12:00:00Z"],
        ),
    ] = None,
    max_spans: Annotated[
        int | None,
        Field(description="Evaluation tasks: most spans to evaluate.", ge=1, examples=[1000]),
    ] = None,
    override_evaluations: Annotated[
        bool | None,
        Field(
            description="Evaluation tasks: re-evaluate items that already have labels.",
            examples=[True],
        ),
    ] = None,
    experiment_ids: Annotated[
        list[str] | None,
        Field(
            description="Dataset evaluation tasks: experiments to evaluate, by name or ID.",
            examples=[["baseline-run"]],
        ),
    ] = None,
    experiment_name: Annotated[
        str | None,
        Field(
            description=(
                "Run-experiment tasks (required there): name of the experiment this run"
                " creates, unique within the dataset."
            ),
            examples=["qa-prompt-v2-2026-03-07"],
        ),
    ] = None,
    dataset_version_id: Annotated[
        str | None,
        Field(
            description="Run-experiment tasks: dataset version to use; defaults to the latest.",
            examples=["RGF0YXNldFZlcnNpb246MTIzNDU="],
        ),
    ] = None,
    example_ids: Annotated[
        list[str] | None,
        Field(
            description="Run-experiment tasks: only these examples (not with max_examples).",
            examples=[["6f1d4c1e-0000-4d8e-9a43-3f0c2b6b8e11"]],
        ),
    ] = None,
    max_examples: Annotated[
        int | None,
        Field(
            description="Run-experiment tasks: run at most this many examples.", ge=1, examples=[50]
        ),
    ] = None,
    query_filter: Annotated[
        str | None,
        Field(
            description="Run-experiment tasks: only the examples matching this filter.",
            examples=["metadata.topic = 'billing'"],
        ),
    ] = None,
    tracing_metadata: Annotated[
        dict[str, str] | None,
        Field(
            description="Run-experiment tasks: metadata to trace the run with (turns tracing on).",
            examples=[{"purpose": "regression"}],
        ),
    ] = None,
    evaluation_task_ids: Annotated[
        list[str] | None,
        Field(
            description=(
                "Run-experiment tasks: evaluation tasks to trigger on the experiment once it"
                " finishes, by ID."
            ),
            examples=[["T25saW5lVGFzazo0NTpxUndY"]],
        ),
    ] = None,
    wait: WaitArg = False,
    timeout_seconds: TimeoutArg = DEFAULT_WAIT_SECONDS,
) -> Annotated[CallToolResult, TaskRun]:
    run = _resource(
        await _call(
            ctx,
            "trigger_task_run",
            lambda s: s.trigger_run(
                task,
                space=space,
                data_start_time=data_start_time,
                data_end_time=data_end_time,
                max_spans=max_spans,
                override_evaluations=override_evaluations,
                experiment_ids=experiment_ids,
                experiment_name=experiment_name,
                dataset_version_id=dataset_version_id,
                example_ids=example_ids,
                max_examples=max_examples,
                query_filter=query_filter,
                tracing_metadata=tracing_metadata,
                evaluation_task_ids=evaluation_task_ids,
            ),
            write=True,
        )
    )
    if wait:
        run = await _wait(ctx, "trigger_task_run", str(run["id"]), timeout_seconds)
    return _result(run)


async def list_task_runs(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    status: Annotated[
        str | None,
        Field(
            description=(
                "Only runs in this status: PENDING, RUNNING, COMPLETED, FAILED or CANCELLED"
                " (any case)."
            ),
            examples=["failed"],
        ),
    ] = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, TaskRunList]:
    page = await _call(
        ctx,
        "list_task_runs",
        lambda s: s.list_runs(task, space=space, status=status, limit=limit, cursor=cursor),
    )
    return _page("task_runs", page)


async def get_task_run(ctx: Ctx, run_id: RunIdArg) -> Annotated[CallToolResult, TaskRun]:
    return _result(await _call(ctx, "get_task_run", lambda s: s.get_run(run_id)))


async def cancel_task_run(
    ctx: Ctx,
    answer: Annotated[ElicitationResult[ConfirmCancellation], Resolve(_ask_cancel)],
    run_id: RunIdArg,
    confirm: ConfirmArg = False,
    confirm_name: Annotated[
        str | None,
        Field(
            description="With confirm: the run ID, exactly, as the user confirmed it.",
            examples=["VGFza1J1bjo5OTpxUndY"],
        ),
    ] = None,
) -> Annotated[CallToolResult, TaskRun]:
    nothing = "Nothing was cancelled."
    if not _check_answer(answer, f"cancelling run {run_id}", nothing):
        _check_confirm(confirm, confirm_name, [run_id], "cancelling a run", nothing)
    run = await _call(ctx, "cancel_task_run", lambda s: s.cancel_run(run_id), write=True)
    return _result(_resource(run))


async def wait_for_task_run(
    ctx: Ctx, run_id: RunIdArg, timeout_seconds: TimeoutArg = DEFAULT_WAIT_SECONDS
) -> Annotated[CallToolResult, TaskRun]:
    return _result(await _wait(ctx, "wait_for_task_run", run_id, timeout_seconds))


async def list_spaces(
    ctx: Ctx, name: NameFilterArg = None, limit: LimitArg = None, cursor: CursorArg = None
) -> Annotated[CallToolResult, SpaceList]:
    page = await _call(
        ctx, "list_spaces", lambda s: s.list_spaces(name=name, limit=limit, cursor=cursor)
    )
    return _page("spaces", page)


async def list_projects(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, ProjectList]:
    page = await _call(
        ctx,
        "list_projects",
        lambda s: s.list_projects(space=space, name=name, limit=limit, cursor=cursor),
    )
    return _page("projects", page)


async def list_datasets(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, DatasetList]:
    page = await _call(
        ctx,
        "list_datasets",
        lambda s: s.list_datasets(space=space, name=name, limit=limit, cursor=cursor),
    )
    return _page("datasets", page)


async def list_evaluators(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, EvaluatorList]:
    page = await _call(
        ctx,
        "list_evaluators",
        lambda s: s.list_evaluators(space=space, name=name, limit=limit, cursor=cursor),
    )
    return _page("evaluators", page)


async def list_ai_integrations(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, AiIntegrationList]:
    page = await _call(
        ctx,
        "list_ai_integrations",
        lambda s: s.list_ai_integrations(space=space, name=name, limit=limit, cursor=cursor),
    )
    return _page("ai_integrations", page)


async def list_experiments(
    ctx: Ctx,
    space: SpaceArg = None,
    dataset: DatasetArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, ExperimentList]:
    page = await _call(
        ctx,
        "list_experiments",
        lambda s: s.list_experiments(
            space=space, dataset=dataset, name=name, limit=limit, cursor=cursor
        ),
    )
    return _page("experiments", page)


# ------------------------------------------------------------------------------------------------
# Titles, descriptions and annotations
# ------------------------------------------------------------------------------------------------

_READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=True)


def _write(*, destructive: bool, idempotent: bool) -> ToolAnnotations:
    return ToolAnnotations(
        read_only_hint=False,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
        open_world_hint=True,
    )


_NAMES_NOTE = (
    " Names of tasks, projects, datasets and evaluators are looked up exactly (case included)"
    " in `space`; an ambiguous name fails with the IDs to choose from."
)

# name: (function, title, description, annotations)
_TOOLS: dict[str, tuple[Callable[..., Any], str, str, ToolAnnotations]] = {
    "list_tasks": (
        list_tasks,
        "List tasks",
        "List tasks, optionally only those of a space, project or dataset, by name text or by"
        " type. Returns {tasks: [...], next_cursor}; pass next_cursor as cursor for more."
        " Use get_task for one task you can already name, list_task_runs for a task's runs.",
        _READ,
    ),
    "get_task": (
        get_task,
        "Get a task",
        "Get one task by name or ID: its type, target project or dataset, evaluators or run"
        " configuration, filters and last run time. Returns the task. Use list_tasks to"
        " search when you do not know the name." + _NAMES_NOTE,
        _READ,
    ),
    "create_evaluation_task": (
        create_evaluation_task,
        "Create an evaluation task",
        "Create a TEMPLATE_EVALUATION or CODE_EVALUATION task that runs evaluators over a"
        " project's spans or a dataset's experiments. Returns the new task. Find evaluators"
        " with list_evaluators and projects or datasets with list_projects / list_datasets;"
        " to run a prompt over a dataset use create_run_experiment_task instead. Then start"
        " it with trigger_task_run." + _NAMES_NOTE,
        _write(destructive=False, idempotent=False),
    ),
    "create_run_experiment_task": (
        create_run_experiment_task,
        "Create a run-experiment task",
        "Create a RUN_EXPERIMENT task that runs an LLM prompt, a template evaluation or an"
        " agent call over every example of a dataset, creating an experiment per run. Returns"
        " the new task. Find integrations with list_ai_integrations; to score existing"
        " spans or experiments use create_evaluation_task instead. Start runs with"
        " trigger_task_run (experiment_name required).",
        _write(destructive=False, idempotent=False),
    ),
    "update_task": (
        update_task,
        "Update a task",
        "Change a task: only the fields given change; `clear` removes filters. Evaluation"
        " tasks accept name, sampling_rate, is_continuous, query_filter, query_filters and"
        " evaluators; run-experiment tasks accept name and run_configuration. Returns the"
        " updated task. Fields that do not fit the task's type are refused with the list of"
        " valid ones. Use get_task first to see the current values; to start a run use"
        " trigger_task_run." + _NAMES_NOTE,
        _write(destructive=False, idempotent=True),
    ),
    "delete_task": (
        delete_task,
        "Delete a task",
        "Delete a task with its configuration and all its runs; this cannot be undone. The"
        " user is asked to confirm when the client supports it; otherwise pass confirm=true"
        " and confirm_name (the task's exact name or ID) only after the user agreed. Returns"
        " {deleted: true, task} with the task as it was. To stop one run use cancel_task_run;"
        " to pause a continuous task use update_task with is_continuous=false." + _NAMES_NOTE,
        _write(destructive=True, idempotent=True),
    ),
    "trigger_task_run": (
        trigger_task_run,
        "Trigger a task run",
        "Start a run of a task now. Evaluation tasks take an optional span window"
        " (data_start_time, required on a project task's first run), max_spans,"
        " override_evaluations and experiment_ids; run-experiment tasks require"
        " experiment_name and take example_ids or max_examples, query_filter,"
        " dataset_version_id, tracing_metadata and evaluation_task_ids. Fields that do not"
        " fit the task's type are refused. Returns the new run; with wait=true, waits"
        " (reporting progress) and returns the final run, FAILED or CANCELLED included, with"
        " failure_reason. Otherwise follow it with wait_for_task_run or get_task_run.",
        _write(destructive=False, idempotent=False),
    ),
    "list_task_runs": (
        list_task_runs,
        "List a task's runs",
        "List the runs of one task, newest first, optionally only those in one status."
        " Returns {task_runs: [...], next_cursor}. Use get_task_run for one run by ID."
        + _NAMES_NOTE,
        _READ,
    ),
    "get_task_run": (
        get_task_run,
        "Get a task run",
        "Get one run by ID: its status, counts of successes, errors and skipped items, times,"
        " and failure_reason when it FAILED or was CANCELLED. Returns the run at once; use"
        " wait_for_task_run to wait until it finishes.",
        _READ,
    ),
    "cancel_task_run": (
        cancel_task_run,
        "Cancel a task run",
        "Cancel a PENDING or RUNNING run. The user is asked to confirm when the client"
        " supports it; otherwise pass confirm=true and confirm_name (the run ID) only after"
        " the user agreed. Returns the cancelled run. To remove the whole task use"
        " delete_task.",
        _write(destructive=True, idempotent=True),
    ),
    "wait_for_task_run": (
        wait_for_task_run,
        "Wait for a task run",
        "Wait until a run finishes (COMPLETED, FAILED or CANCELLED), reporting progress"
        " (status, counts, elapsed time) as it goes, for at most timeout_seconds. Returns the"
        " final run even when it FAILED or was CANCELLED, with failure_reason; if time runs"
        " out it says so and the run keeps going. Use get_task_run for a quick look instead.",
        _READ,
    ),
    "list_spaces": (
        list_spaces,
        "List spaces",
        "List the spaces the API key can see, optionally by name text. Returns {spaces: [...],"
        " next_cursor}. Use a space's name or ID as `space` in the other tools, e.g."
        " list_projects, list_datasets or list_evaluators to see what a space holds.",
        _READ,
    ),
    "list_projects": (
        list_projects,
        "List projects",
        "List the projects of a space, optionally by name text. Returns {projects: [...],"
        " next_cursor}. Project evaluation tasks (create_evaluation_task with project) score"
        " a project's spans.",
        _READ,
    ),
    "list_datasets": (
        list_datasets,
        "List datasets",
        "List the datasets of a space, optionally by name text. Returns {datasets: [...],"
        " next_cursor}. A dataset is what create_run_experiment_task runs over, and what"
        " create_evaluation_task evaluates the experiments of; list_experiments shows those.",
        _READ,
    ),
    "list_evaluators": (
        list_evaluators,
        "List evaluators",
        "List the evaluators of a space, optionally by name text. Returns {evaluators: [...],"
        " next_cursor}. Pass an evaluator's name or ID in create_evaluation_task's evaluators.",
        _READ,
    ),
    "list_ai_integrations": (
        list_ai_integrations,
        "List AI integrations",
        "List the AI integrations (LLM provider accounts) available in a space, optionally by"
        " name text. Returns {ai_integrations: [...], next_cursor}. Use one's name or ID as"
        " ai_integration_id in create_run_experiment_task's run_configuration.",
        _READ,
    ),
    "list_experiments": (
        list_experiments,
        "List experiments",
        "List experiments of a space or of one dataset, optionally by name text. Returns"
        " {experiments: [...], next_cursor}. Pass their names or IDs as experiment_ids to"
        " create_evaluation_task or trigger_task_run (dataset evaluation tasks).",
        _READ,
    ),
}

WRITE_TOOLS: frozenset[str] = frozenset(
    name for name, (_, _, _, notes) in _TOOLS.items() if notes.read_only_hint is not True
)
READ_TOOLS: frozenset[str] = frozenset(_TOOLS) - WRITE_TOOLS


# ------------------------------------------------------------------------------------------------
# The server
# ------------------------------------------------------------------------------------------------


class TasksMCPServer(MCPServer[Any]):
    """MCPServer with the service handle, read-only mode, and errors shown without a prefix."""

    def __init__(self, handle: ServiceHandle, *, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handle = handle
        self.read_only = read_only

    async def list_tools(self) -> list[MCPTool]:
        tools = await super().list_tools()
        if self.read_only:
            tools = [t for t in tools if t.name not in WRITE_TOOLS]
        return tools

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Ctx | None = None
    ) -> CallToolResult | InputRequiredResult:
        if self.read_only and name in WRITE_TOOLS:
            raise ToolError(
                f"{name} is not available: this server runs read-only (--read-only), so tasks"
                " and runs cannot be created, changed, triggered, cancelled or deleted."
                " Nothing was changed."
            )
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            # The SDK prefixes "Error executing tool <name>: "; ours are written for the model.
            if isinstance(exc.__cause__, _ShownError):
                raise exc.__cause__ from None
            raise


def build_server(
    service: TasksService | ServiceHandle, *, read_only: bool = False, version: str = ""
) -> TasksMCPServer:
    """The MCP server over ``service`` (a TasksService, or a handle that creates one lazily)."""
    handle = service if isinstance(service, ServiceHandle) else ServiceHandle.of(service)
    server = TasksMCPServer(
        handle,
        read_only=read_only,
        name=SERVER_NAME,
        title="Arize AX tasks",
        instructions=INSTRUCTIONS,
        version=version,
        log_level="WARNING",
    )
    for name, (fn, title, description, notes) in _TOOLS.items():
        server.add_tool(
            fn,
            name=name,
            title=title,
            description=description,
            annotations=notes.model_copy(update={"title": title}),
            structured_output=True,
        )
    return server
