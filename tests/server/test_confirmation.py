"""Asking before a destructive tool acts, unit by unit (ax_tasks_mcp/server/confirmation.py):
whether the client can be asked, what its answer means, and the confirm argument otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from mcp.server.mcpserver import (
    AcceptedElicitation,
    CancelledElicitation,
    DeclinedElicitation,
    Elicit,
)
from mcp_types import (
    ClientCapabilities,
    ElicitationCapability,
    FormElicitationCapability,
    UrlElicitationCapability,
)
from pydantic import BaseModel

from ax_tasks_mcp.server.calls import ServiceHandle, ShownError
from ax_tasks_mcp.server.confirmation import (
    ConfirmCancellation,
    ConfirmDeletion,
    NotAsked,
    ask_cancel,
    ask_delete,
    can_ask,
    check_answer,
    check_confirm,
    find_task,
)

pytestmark = pytest.mark.anyio

FORM = ElicitationCapability(form=FormElicitationCapability())
URL_ONLY = ElicitationCapability(url=UrlElicitationCapability())
BOTH = ElicitationCapability(form=FormElicitationCapability(), url=UrlElicitationCapability())


@dataclass
class Session:
    can_send_request: bool = True


class Service:
    """A service that has the task and the run, or fails as a bug would (``broken``)."""

    def __init__(self, *, broken: bool = False) -> None:
        self.broken = broken

    def get_task(self, task: str, *, space: str | None = None) -> dict[str, Any]:
        if self.broken:
            raise RuntimeError("a bug")
        return {"id": "T1", "name": task, "type": "CODE_EVALUATION"}

    def get_run(self, run_id: str) -> dict[str, Any]:
        if self.broken:
            raise RuntimeError("a bug")
        return {"id": run_id, "task_id": "T1", "status": "RUNNING"}


def handle_of(service: Any) -> ServiceHandle:
    return ServiceHandle(lambda: service)


@dataclass
class Server:
    handle: ServiceHandle = field(default_factory=lambda: handle_of(Service()))
    asks_users: bool = True


@dataclass
class Context:
    """What the questions read of a tool's context."""

    client_capabilities: ClientCapabilities | None
    protocol_version: str | None = "2025-11-25"
    session: Session = field(default_factory=Session)
    mcp_server: Server = field(default_factory=Server)


def ctx(elicitation: ElicitationCapability | None, **options: Any) -> Any:
    return Context(ClientCapabilities(elicitation=elicitation), **options)


@pytest.mark.parametrize(
    ("context", "asks"),
    [
        (Context(None), False),
        (ctx(None), False),
        (ctx(URL_ONLY), False),  # only URL questions: it cannot show a yes/no form
        (ctx(FORM), True),
        (ctx(BOTH), True),
        (ctx(ElicitationCapability()), True),  # declared, no mode: form is the default
        (ctx(FORM, session=Session(can_send_request=False)), False),  # no back channel
        (ctx(FORM, protocol_version="2026-07-28", session=Session(False)), True),
        (ctx(FORM, protocol_version=None, session=Session(True)), True),
        (ctx(FORM, protocol_version=None, session=Session(False)), False),
    ],
    ids=[
        "no capabilities",
        "no elicitation",
        "url only",
        "form",
        "form and url",
        "bare elicitation",
        "legacy without requests",
        "modern asks through input_required",
        "unknown version, requests",
        "unknown version, no requests",
    ],
)
async def test_the_user_is_asked_only_when_the_client_can_show_the_question(
    context: Any, asks: bool
) -> None:
    assert can_ask(context) is asks


async def test_a_server_that_must_not_ask_users_never_asks() -> None:
    context = ctx(FORM)
    context.mcp_server = Server(asks_users=False)
    assert can_ask(context) is False


async def test_when_nobody_can_be_asked_nothing_is_read_and_the_argument_decides() -> None:
    context = ctx(URL_ONLY)  # no service behind it: a read would fail
    assert isinstance(await ask_delete(context, {"id": "T1"}), NotAsked)
    assert isinstance(await ask_cancel(context, "r"), NotAsked)


async def test_the_question_names_what_would_be_lost() -> None:
    task = {"id": "T1", "name": "nightly", "type": "CODE_EVALUATION"}
    deletion = await ask_delete(ctx(FORM), task)
    assert isinstance(deletion, Elicit)
    assert deletion.message == (
        "Delete the CODE_EVALUATION task 'nightly' (ID T1)? Its configuration and all its runs "
        "are deleted; this cannot be undone."
    )
    assert deletion.schema is ConfirmDeletion
    cancellation = await ask_cancel(ctx(FORM), "R1")
    assert isinstance(cancellation, Elicit)
    assert cancellation.message == (
        "Cancel run R1 of task T1 (now RUNNING)? Work it has not done yet is dropped."
    )
    assert cancellation.schema is ConfirmCancellation


async def test_a_name_longer_than_the_api_allows_is_cut_in_the_question() -> None:
    """A name the API accepts (255 characters) is shown whole; a longer one from a tolerant
    read is cut with a marker, so the question stays short enough to read."""
    fits = {"id": "T1", "name": "n" * 255, "type": "TEMPLATE_EVALUATION"}
    whole = await ask_delete(ctx(FORM), fits)
    assert isinstance(whole, Elicit)
    assert f"task {'n' * 255!r} (ID T1)?" in whole.message
    cut = await ask_delete(ctx(FORM), {**fits, "name": "n" * 256})
    assert isinstance(cut, Elicit)
    assert f"task {'n' * 255 + '… [1 more characters cut]'!r} (ID T1)?" in cut.message


@pytest.mark.parametrize(
    ("ask", "tool"),
    [
        (lambda c: find_task(c, "nightly", None), "delete_task"),
        (lambda c: ask_cancel(c, "R1"), "cancel_task_run"),
    ],
    ids=["delete", "cancel"],
)
async def test_a_failure_reading_what_to_ask_about_names_the_tool(ask: Any, tool: str) -> None:
    context = ctx(FORM)
    context.mcp_server = Server(handle_of(Service(broken=True)))
    with pytest.raises(ShownError) as caught:
        await ask(context)
    assert str(caught.value).startswith(
        f"{tool} failed with an unexpected internal error (RuntimeError)"
    )


def test_yes_confirms() -> None:
    answer = AcceptedElicitation(data=ConfirmDeletion(confirm=True))
    assert check_answer(answer, "deleting task x", "Nothing was deleted.") is True


def test_not_asked_leaves_it_to_the_confirm_argument() -> None:
    assert check_answer(AcceptedElicitation(data=NotAsked()), "w", "n") is False


def test_an_accepted_answer_without_a_confirm_field_is_not_a_yes() -> None:
    class Other(BaseModel):
        note: str = ""

    with pytest.raises(ShownError, match=r"^The user did not confirm deleting task x"):
        check_answer(AcceptedElicitation(data=Other()), "deleting task x", "Nothing was deleted.")


def test_an_accepted_form_left_unticked_is_not_a_yes() -> None:
    answer = AcceptedElicitation(data=ConfirmCancellation(confirm=False))
    with pytest.raises(ShownError) as caught:
        check_answer(answer, "cancelling run R1", "The run keeps going.")
    assert str(caught.value) == "The user did not confirm cancelling run R1. The run keeps going."


@pytest.mark.parametrize("answer", [DeclinedElicitation(), CancelledElicitation()])
def test_a_declined_or_dismissed_question_says_not_to_retry(answer: Any) -> None:
    with pytest.raises(ShownError) as caught:
        check_answer(answer, "deleting task x", "Nothing was deleted.")
    assert str(caught.value) == (
        "The user declined deleting task x. Nothing was deleted. Do not retry unless the user asks."
    )


def test_confirm_true_goes_ahead() -> None:
    check_confirm(True, "deleting a task", "Nothing was deleted.")


@pytest.mark.parametrize("confirm", [False, None, "true", 1])
def test_anything_but_confirm_true_is_refused_saying_what_to_do(confirm: Any) -> None:
    with pytest.raises(ShownError) as caught:
        check_confirm(confirm, "deleting a task", "Nothing was deleted.")
    assert str(caught.value) == (
        "Nothing was deleted. This client cannot ask the user directly, so deleting a task "
        "needs confirm=true. Ask the user first, then call again."
    )
