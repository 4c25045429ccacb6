"""delete_task and cancel_task_run: elicitation when the client can ask, else confirm=true.

Every refusal says plainly that nothing was deleted or cancelled, and nothing is.  Without
elicitation, `confirm` is a strict boolean and the description names the host's approval of a
destructive call as the guard.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from mcp import Client
from mcp.client.session import ClientRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import ElicitRequestParams, ElicitResult, ErrorData

from ax_tasks_mcp import EvaluationTaskSpec, RunRequest, TaskChanges
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import NotFoundError
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = pytest.mark.anyio


class User:
    """An elicitation callback answering like a user would; records what it was asked."""

    def __init__(self, action: str, content: dict[str, Any] | None = None) -> None:
        self.action = action
        self.content = content
        self.asked: list[ElicitRequestParams] = []

    async def __call__(
        self, context: ClientRequestContext, params: ElicitRequestParams
    ) -> ElicitResult:
        self.asked.append(params)
        return ElicitResult(action=self.action, content=self.content)  # type: ignore[arg-type]


def new_task(service: TasksService, name: str = "doomed") -> dict[str, Any]:
    task = service.create_task(
        EvaluationTaskSpec(
            name=name,
            task_type="TEMPLATE_EVALUATION",
            evaluators=[{"evaluator": "hallucination"}],
            space=SPACE,
            project="chatbot",
        )
    )
    assert isinstance(task, dict)
    return task


def new_run(service: TasksService) -> dict[str, Any]:
    start = datetime(2026, 3, 6, tzinfo=UTC)
    run = service.trigger_run(new_task(service, "running")["id"], RunRequest(data_start_time=start))
    assert isinstance(run, dict)
    return run


def exists(service: TasksService, task_id: str) -> bool:
    try:
        service.get_task(task_id)
    except NotFoundError:
        return False
    return True


# -- elicitation -------------------------------------------------------------------------------


async def test_delete_asks_the_user_and_deletes_on_yes(
    server: MCPServer[Any], service: TasksService, connect: Connect
) -> None:
    task = new_task(service)
    user = User("accept", {"confirm": True})
    async with connect(server, elicitation_callback=user) as client:
        data = ok(await client.call_tool("delete_task", {"task": "doomed", "space": SPACE}))
    assert data == {"deleted": True, "task": task}
    assert len(user.asked) == 1
    question = user.asked[0]
    assert "doomed" in question.message
    assert task["id"] in question.message
    assert "cannot be undone" in question.message
    assert not exists(service, task["id"])


@pytest.mark.parametrize(
    ("action", "content", "phrase"),
    [
        ("decline", None, "declined"),
        ("cancel", None, "declined"),
        ("accept", {"confirm": False}, "did not confirm"),
    ],
)
async def test_delete_refused_by_the_user_deletes_nothing(
    server: MCPServer[Any],
    service: TasksService,
    connect: Connect,
    action: str,
    content: dict[str, Any] | None,
    phrase: str,
) -> None:
    task = new_task(service)
    async with connect(server, elicitation_callback=User(action, content)) as client:
        message = error(await client.call_tool("delete_task", {"task": task["id"]}))
    assert phrase in message
    assert "Nothing was deleted." in message
    assert exists(service, task["id"])


async def test_with_elicitation_the_confirm_argument_does_not_skip_the_question(
    server: MCPServer[Any], service: TasksService, connect: Connect
) -> None:
    task = new_task(service)
    user = User("decline")
    async with connect(server, elicitation_callback=user) as client:
        message = error(
            await client.call_tool("delete_task", {"task": task["id"], "confirm": True})
        )
    assert user.asked
    assert "Nothing was deleted." in message
    assert exists(service, task["id"])


async def test_a_failed_question_deletes_nothing_and_is_a_tool_error_where_the_server_sees_it(
    server: MCPServer[Any], service: TasksService, connect: Connect, protocol: str
) -> None:
    task = new_task(service)

    async def broken(context: ClientRequestContext, params: ElicitRequestParams) -> ErrorData:
        return ErrorData(code=-32603, message="the dialog could not be shown")

    async with connect(server, elicitation_callback=broken) as client:
        if protocol == "2026-07-28":
            # The question travels in an input_required result; the client's own driver fails
            # the call before anything returns to the server.
            with pytest.raises(MCPError, match="dialog"):
                await client.call_tool("delete_task", {"task": task["id"]})
        else:
            result = await client.call_tool("delete_task", {"task": task["id"]})
            message = error(result)  # a tool result the model reads, not a protocol error
            assert "could not complete: the dialog could not be shown" in message
            assert "Nothing was changed." in message
    assert exists(service, task["id"])


async def test_delete_of_an_unknown_task_fails_before_asking(
    server: MCPServer[Any], connect: Connect
) -> None:
    user = User("accept", {"confirm": True})
    async with connect(server, elicitation_callback=user) as client:
        message = error(
            await client.call_tool("delete_task", {"task": "no-such-task", "space": SPACE})
        )
    assert "no-such-task" in message
    assert user.asked == []


async def test_cancel_asks_the_user_and_cancels_on_yes(
    server: MCPServer[Any], service: TasksService, connect: Connect
) -> None:
    run = new_run(service)
    user = User("accept", {"confirm": True})
    async with connect(server, elicitation_callback=user) as client:
        data = ok(await client.call_tool("cancel_task_run", {"run_id": run["id"]}))
    assert data["status"] == "CANCELLED"
    assert run["id"] in user.asked[0].message


@pytest.mark.parametrize("action", ["decline", "cancel"])
async def test_cancel_refused_by_the_user_cancels_nothing(
    server: MCPServer[Any], service: TasksService, connect: Connect, action: str
) -> None:
    run = new_run(service)
    async with connect(server, elicitation_callback=User(action)) as client:
        message = error(await client.call_tool("cancel_task_run", {"run_id": run["id"]}))
    assert "Nothing was cancelled." in message
    assert service.get_run(run["id"])["status"] != "CANCELLED"


# -- the confirm fallback ----------------------------------------------------------------------


async def test_delete_without_confirmation_explains_what_is_needed(
    client: Client, service: TasksService
) -> None:
    task = new_task(service)
    message = error(await client.call_tool("delete_task", {"task": "doomed", "space": SPACE}))
    assert "Nothing was deleted." in message
    assert "confirm=true" in message
    assert "Ask the user first" in message
    assert exists(service, task["id"])


@pytest.mark.parametrize("given", ["yes", "true", 1, "True"])
async def test_confirm_must_be_a_real_boolean(
    client: Client, service: TasksService, given: Any
) -> None:
    task = new_task(service)
    message = error(await client.call_tool("delete_task", {"task": task["id"], "confirm": given}))
    assert message.startswith("confirm: must be true or false")
    assert "Nothing was done." in message
    assert exists(service, task["id"])


async def test_confirm_name_is_gone_and_refused_as_unknown(
    client: Client, service: TasksService
) -> None:
    task = new_task(service)
    message = error(
        await client.call_tool(
            "delete_task", {"task": task["id"], "confirm": True, "confirm_name": "doomed"}
        )
    )
    assert "confirm_name: delete_task has no such argument" in message
    assert exists(service, task["id"])


@pytest.mark.parametrize("by", ["name", "id"])
async def test_delete_with_confirm_deletes(client: Client, service: TasksService, by: str) -> None:
    task = new_task(service)
    data = ok(
        await client.call_tool("delete_task", {"task": task[by], "space": SPACE, "confirm": True})
    )
    assert data == {"deleted": True, "task": task}
    assert not exists(service, task["id"])


async def test_the_descriptions_name_the_host_approval_as_the_guard(client: Client) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    for name in ("delete_task", "cancel_task_run"):
        description = tools[name].description or ""
        assert "approval" in description
        assert "guard" in description
        assert "confirm_name" not in tools[name].input_schema["properties"]
        assert tools[name].input_schema["properties"]["confirm"]["type"] == "boolean"


async def test_cancel_without_confirmation_is_refused(
    client: Client, service: TasksService
) -> None:
    run = new_run(service)
    message = error(await client.call_tool("cancel_task_run", {"run_id": run["id"]}))
    assert "Nothing was cancelled." in message
    assert "confirm=true" in message
    assert service.get_run(run["id"])["status"] != "CANCELLED"


async def test_cancel_with_confirmation_cancels(client: Client, service: TasksService) -> None:
    run = new_run(service)
    data = ok(await client.call_tool("cancel_task_run", {"run_id": run["id"], "confirm": True}))
    assert data["id"] == run["id"]
    assert data["status"] == "CANCELLED"


async def test_cancelling_a_finished_run_reports_the_service_error(
    client: Client, service: TasksService
) -> None:
    run = new_run(service)
    service.wait_for_run(run["id"])
    message = error(
        await client.call_tool("cancel_task_run", {"run_id": run["id"], "confirm": True})
    )
    assert "no such argument" not in message
    assert service.get_run(run["id"])["status"] == "COMPLETED"


# -- what was confirmed is what is done ---------------------------------------------------------


async def test_a_delete_acts_on_the_task_the_user_was_shown(
    server: MCPServer[Any], service: TasksService, connect: Connect, protocol: str
) -> None:
    """While the user reads the question, the task is renamed and another takes its name."""
    original = new_task(service, "renamed-meanwhile")
    questions: list[str] = []
    impostors: list[dict[str, Any]] = []

    async def user(context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
        questions.append(params.message)
        if not impostors:
            service.update_task(original["id"], TaskChanges(name="renamed-away"))
            impostors.append(new_task(service, "renamed-meanwhile"))
        return ElicitResult(action="accept", content={"confirm": True})

    async with connect(server, elicitation_callback=user) as client:
        result = ok(
            await client.call_tool("delete_task", {"space": SPACE, "task": "renamed-meanwhile"})
        )
    deleted = result["task"]["id"]
    assert deleted in questions[-1]  # the task of the last question the user said yes to
    if protocol == "2025-11-25":  # asked once, mid-call: the task asked about is deleted
        assert questions == [questions[0]]
        assert deleted == original["id"]
        assert exists(service, impostors[0]["id"])
    else:  # the name means another task by the answer's round: the question is asked again
        assert len(questions) == 2
        assert deleted == impostors[0]["id"]
        assert exists(service, original["id"])


@pytest.mark.parametrize("content", [{"confirm": "maybe"}, {}, None])
async def test_an_answer_that_does_not_fit_the_question_is_one_plain_line(
    server: MCPServer[Any], service: TasksService, connect: Connect, content: Any
) -> None:
    task = new_task(service)
    async with connect(server, elicitation_callback=User("accept", content)) as client:
        message = error(await client.call_tool("delete_task", {"task": task["id"]}))
    assert message == (
        "delete_task could not read the user's answer to its question (it did not fit the form"
        " asked). Nothing was changed; ask the user again."
    )
    assert exists(service, task["id"])
