"""Asking before a destructive tool acts: delete_task and cancel_task_run.

When the client can ask the user (elicitation), the tool's resolver asks and the answer decides.
Otherwise (or when stateless processes share no request-state key, so the answer could reach
another process) the model passes confirm=true (a JSON boolean) once the user agreed.  Nothing the
model sends can prove that, so the description says it plainly: the host's approval of a
destructive tool call is the guard, and an operator who wants none serves without them.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import AcceptedElicitation, Elicit, ElicitationResult, Resolve
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field

from ax_tasks_mcp.server.calls import Ctx, ShownError, call_service
from ax_tasks_mcp.server.clipping import cut_text

__all__ = [
    "ConfirmCancellation",
    "ConfirmDeletion",
    "NotAsked",
    "ask_cancel",
    "ask_delete",
    "can_ask",
    "check_answer",
    "check_confirm",
    "find_task",
]


class ConfirmDeletion(BaseModel):
    """The user's answer to "delete this task?"."""

    confirm: bool = Field(description="Yes, delete this task and all its runs.")


class ConfirmCancellation(BaseModel):
    """The user's answer to "cancel this run?"."""

    confirm: bool = Field(description="Yes, cancel this run.")


class NotAsked(BaseModel):
    """The client cannot ask the user: the confirm arguments decide."""


def can_ask(ctx: Ctx) -> bool:
    """Whether the client can put a yes/no form to the user now."""
    if not getattr(ctx.mcp_server, "asks_users", True):
        return False  # stateless processes with no shared key: an answer may reach another
    caps = ctx.client_capabilities
    form = caps.elicitation if caps is not None else None
    if form is None or (form.form is None and form.url is not None):
        return False
    version = ctx.protocol_version
    if version is not None and is_version_at_least(version, "2026-07-28"):
        return True  # asked through an input_required result
    return bool(ctx.session.can_send_request)


async def find_task(ctx: Ctx, task: str, space: str | None) -> dict[str, Any]:
    """The task a delete acts on, found once per round of the call: the question shows its
    ID and the delete deletes that ID, so a task renamed or recreated meanwhile is never the
    one deleted (on 2026-07-28 a changed answer changes the question, which is asked again)."""
    return await call_service(ctx, "delete_task", lambda s: s.get_task(task, space=space))


async def ask_delete(
    ctx: Ctx, target: Annotated[dict[str, Any], Resolve(find_task)]
) -> Elicit[ConfirmDeletion] | NotAsked:
    if not can_ask(ctx):
        return NotAsked()
    return Elicit(
        f"Delete the {target.get('type', '')} task {_named(target)} (ID {target.get('id')})?"
        " Its configuration and all its runs are deleted; this cannot be undone.",
        ConfirmDeletion,
    )


def _named(task: dict[str, Any]) -> str:
    return repr(cut_text(str(task.get("name")), 255))


async def ask_cancel(ctx: Ctx, run_id: str) -> Elicit[ConfirmCancellation] | NotAsked:
    if not can_ask(ctx):
        return NotAsked()
    run = await call_service(ctx, "cancel_task_run", lambda s: s.get_run(run_id))
    return Elicit(
        f"Cancel run {run.get('id')} of task {run.get('task_id')} (now {run.get('status')})?"
        " Work it has not done yet is dropped.",
        ConfirmCancellation,
    )


def check_answer(answer: ElicitationResult[Any], what: str, nothing: str) -> bool:
    """True when the user was asked and agreed; a refusal raises; False when not asked."""
    if isinstance(answer, AcceptedElicitation):
        if isinstance(answer.data, NotAsked):
            return False
        if getattr(answer.data, "confirm", False) is True:
            return True
        raise ShownError(f"The user did not confirm {what}. {nothing}")
    raise ShownError(f"The user declined {what}. {nothing} Do not retry unless the user asks.")


def check_confirm(confirm: bool, what: str, nothing: str) -> None:
    if confirm is not True:
        raise ShownError(
            f"{nothing} This client cannot ask the user directly, so {what} needs confirm=true."
            " Ask the user first, then call again."
        )
