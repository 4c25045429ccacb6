"""The MCP prompts: the jobs people come for, each a short sequence of tool calls.

Hosts show prompts as slash commands.  Each prompt names the tools to call, in order, with the
arguments the person already gave; arguments that name something (a space, a project, ...)
complete through ``completion/complete`` (:mod:`ax_tasks_mcp.server.completions`).  Prompts
never call the service: rendering one is free, and nothing here rides on tools/list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver.prompts import Prompt
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from pydantic import Field

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

__all__ = ["PROMPTS", "PROMPT_ARGUMENT_KINDS", "add_prompts"]

SpaceName = Annotated[str, Field(description="Space (name or ID) to work in.")]
ProjectName = Annotated[str, Field(description="Project whose spans are judged (name or ID).")]
DatasetName = Annotated[str, Field(description="Dataset (name or ID).")]
TaskName = Annotated[str, Field(description="Task whose run went wrong (name or ID).")]
EvaluatorName = Annotated[
    str, Field(description="Evaluator to use (name or ID); empty: choose one together.")
]
IntegrationName = Annotated[
    str, Field(description="AI integration to call the LLM with (name or ID); empty: choose.")
]
BaselineName = Annotated[
    str, Field(description="Experiment to compare against (name or ID); empty: the latest one.")
]
RunId = Annotated[str, Field(description="The run to look at; empty: the task's latest failure.")]

#: Which service list names each prompt argument's values (for completion).
PROMPT_ARGUMENT_KINDS: Final[dict[str, str]] = {
    "space": "spaces",
    "project": "projects",
    "dataset": "datasets",
    "evaluator": "evaluators",
    "ai_integration": "ai_integrations",
    "baseline_experiment": "experiments",
    "task": "tasks",
    "run_id": "runs",
}


def _q(value: str) -> str:
    """A value quoted as the JSON string a tool argument takes."""
    return json.dumps(value, ensure_ascii=False)


def _steps(intro: str, *steps: str) -> str:
    return intro + "\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))


def setup_llm_judge_evaluation(
    space: SpaceName, project: ProjectName, evaluator: EvaluatorName = ""
) -> str:
    """Set up an LLM-as-judge evaluation that scores a project's spans."""
    pick = (
        f"confirm that evaluator {_q(evaluator)} is there and is a TEMPLATE (LLM judge) evaluator"
        if evaluator
        else "show me the TEMPLATE (LLM judge) evaluators and let me pick one"
    )
    return _steps(
        f"Set up an LLM-as-judge evaluation of project {_q(project)} in space {_q(space)}.",
        f"Call list_evaluators with space={_q(space)} and {pick}.",
        "Ask me what share of spans to score (sampling_rate, 0 to 1) and which span"
        " attributes fill the evaluator's template variables (column_mappings, e.g."
        ' {"input": "attributes.input.value", "output": "attributes.output.value"}).',
        f"Call create_evaluation_task with space={_q(space)}, project={_q(project)},"
        ' task_type="TEMPLATE_EVALUATION", a clear name, sampling_rate and'
        " evaluators=[{evaluator, column_mappings}].",
        "Call trigger_task_run on the new task with data_start_time 24 hours ago and wait=true.",
        "Tell me the run's status and its counts of successes, errors and skipped spans; if"
        " it FAILED, quote failure_reason and say what to change.",
    )


def evaluate_dataset_experiments(
    space: SpaceName, dataset: DatasetName, evaluator: EvaluatorName = ""
) -> str:
    """Score the experiments of a dataset with an evaluator and compare them."""
    pick = (
        f"check that evaluator {_q(evaluator)} exists" if evaluator else "let me pick the evaluator"
    )
    return _steps(
        f"Evaluate the experiments of dataset {_q(dataset)} in space {_q(space)}.",
        f"Call list_experiments with space={_q(space)} and dataset={_q(dataset)}; show me"
        " them and ask which to evaluate (default: all).",
        f"Call list_evaluators with space={_q(space)} and {pick}.",
        f"Call create_evaluation_task with space={_q(space)}, dataset={_q(dataset)},"
        ' task_type="TEMPLATE_EVALUATION" (CODE_EVALUATION for a code evaluator), the'
        " chosen experiment_ids and evaluators=[{evaluator, column_mappings}].",
        "Call trigger_task_run on the new task with wait=true.",
        "Report the final run's status and counts; if it FAILED, quote failure_reason. Then"
        " compare the experiments by their evaluation results.",
    )


def run_experiment_and_compare(
    space: SpaceName,
    dataset: DatasetName,
    ai_integration: IntegrationName = "",
    baseline_experiment: BaselineName = "",
) -> str:
    """Run a prompt over a dataset as a new experiment and compare it with a baseline."""
    baseline = (
        f"experiment {_q(baseline_experiment)}"
        if baseline_experiment
        else "the most recent earlier experiment"
    )
    integration = (
        f"ai_integration_id={_q(ai_integration)}"
        if ai_integration
        else "the AI integration I choose from list_ai_integrations"
    )
    return _steps(
        f"Run a new experiment over dataset {_q(dataset)} in space {_q(space)} and compare it"
        f" with {baseline}.",
        f"Call list_experiments with space={_q(space)} and dataset={_q(dataset)} to find the"
        " baseline and pick an experiment name not used yet.",
        "Ask me for the prompt (messages that use the dataset's columns as {placeholders})"
        " and the model.",
        f"Call create_run_experiment_task with space={_q(space)}, dataset={_q(dataset)} and a"
        f" run_configuration naming {integration}.",
        "Call trigger_task_run on it with experiment_name and wait=true; if the run FAILED,"
        " quote failure_reason and stop.",
        "Compare the new experiment with the baseline: create an evaluation task on the"
        " dataset (create_evaluation_task with both as experiment_ids), trigger it with"
        " wait=true, and summarise which did better.",
    )


def investigate_task_run(space: SpaceName, task: TaskName, run_id: RunId = "") -> str:
    """Find out why a task run failed or was cancelled, and what to do about it."""
    find = (
        f"Call get_task_run with run_id={_q(run_id)}."
        if run_id
        else f"Call list_task_runs with space={_q(space)}, task={_q(task)} and"
        ' status="FAILED" (then "CANCELLED" if none); take the newest.'
    )
    return _steps(
        f"Investigate why a run of task {_q(task)} in space {_q(space)} failed or was cancelled.",
        find,
        "Read its failure_reason, status, times and counts of errors and skipped items.",
        f"Call get_task with space={_q(space)}, task={_q(task)} to see its configuration.",
        "Check what it points at still exists (list_evaluators, list_projects,"
        " list_datasets or list_ai_integrations in the same space).",
        "Explain the cause in one paragraph and propose a fix (update_task, then"
        " trigger_task_run). Change nothing until I agree.",
    )


#: name: (function, title)
PROMPTS: Final[dict[str, tuple[Callable[..., str], str]]] = {
    "setup_llm_judge_evaluation": (setup_llm_judge_evaluation, "Set up an LLM-as-judge eval"),
    "evaluate_dataset_experiments": (evaluate_dataset_experiments, "Evaluate experiments"),
    "run_experiment_and_compare": (run_experiment_and_compare, "Run an experiment and compare"),
    "investigate_task_run": (investigate_task_run, "Investigate a failed run"),
}


class _CheckPromptRequest:
    """Middleware: an unknown prompt or a missing argument is the caller's mistake, answered
    as invalid params with what to send (the SDK would answer an internal error)."""

    def __init__(self, prompts: dict[str, Prompt]) -> None:
        self._prompts = prompts

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if ctx.method == "prompts/get":
            self._check(ctx.params or {})
        return await call_next(ctx)

    def _check(self, params: Any) -> None:
        name = params.get("name")
        prompt = self._prompts.get(name) if isinstance(name, str) else None
        if prompt is None:
            known = ", ".join(self._prompts)
            raise MCPError(INVALID_PARAMS, f"Unknown prompt {name!r}; the prompts are {known}.")
        given = params.get("arguments")
        given = given if isinstance(given, Mapping) else {}
        missing = [a.name for a in prompt.arguments or [] if a.required and not given.get(a.name)]
        if missing:
            raise MCPError(
                INVALID_PARAMS, f"Prompt {name} needs {' and '.join(missing)} (names or IDs)."
            )


def add_prompts(server: MCPServer[Any]) -> None:
    """Register every prompt on ``server``."""
    prompts = {
        name: Prompt.from_function(fn, name=name, title=title)
        for name, (fn, title) in PROMPTS.items()
    }
    for prompt in prompts.values():
        server.add_prompt(prompt)
    server.middleware.append(_CheckPromptRequest(prompts))
