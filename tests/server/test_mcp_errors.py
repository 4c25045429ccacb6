"""How failures reach the model: the service's own message, never a traceback or a secret."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.tools import ALL_TOOLS, ServiceHandle
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import (
    AmbiguousNameError,
    AuthenticationError,
    AxTasksError,
    ValidationError,
    WaitTimeoutError,
)
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error

pytestmark = pytest.mark.anyio

SECRET = "ak-live-0123456789abcdef"


def raising(exc: BaseException) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fail


async def test_an_ambiguous_name_lists_the_ids_to_choose_from(
    client: Client, service: TasksService, monkeypatch: pytest.MonkeyPatch
) -> None:
    ambiguous = AmbiguousNameError(
        "task",
        "nightly",
        [("nightly", "T25saW5lVGFzazoxOmFh"), ("nightly", "T25saW5lVGFzazoyOmJi")],
    )
    monkeypatch.setattr(service, "get_task", raising(ambiguous))
    message = error(await client.call_tool("get_task", {"task": "nightly", "space": SPACE}))
    assert message == ambiguous.message
    assert "T25saW5lVGFzazoxOmFh" in message
    assert "T25saW5lVGFzazoyOmJi" in message


async def test_valid_fields_are_named_even_when_the_message_does_not(
    client: Client, service: TasksService, monkeypatch: pytest.MonkeyPatch
) -> None:
    invalid = ValidationError(
        "That does not fit this task.", valid_fields=["name", "run_configuration"]
    )
    monkeypatch.setattr(service, "update_task", raising(invalid))
    message = error(
        await client.call_tool(
            "update_task", {"task": "chatbot-hallucination", "space": SPACE, "name": "y"}
        )
    )
    assert message.startswith("That does not fit this task.")
    assert "Valid fields for this task type: name, run_configuration." in message


async def test_a_wait_that_never_read_the_run_is_an_error_naming_it_and_what_to_do(
    client: Client, service: TasksService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_poll_succeeded(run_id: str, **options: Any) -> Iterator[float]:
        raise WaitTimeoutError(run_id, None, 300, last_error="connection refused")
        yield 0.0  # a generator, like the service's

    monkeypatch.setattr(service, "wait_steps", no_poll_succeeded)
    message = error(await client.call_tool("wait_for_task_run", {"run_id": "VGFza1J1bjo5OTpxUndY"}))
    assert "VGFza1J1bjo5OTpxUndY" in message
    assert "300s" in message
    assert "wait again (wait_for_task_run) with a longer timeout_seconds" in message


async def test_an_unexpected_exception_is_a_short_generic_error_logged_without_the_key(
    service: TasksService,
    connect: Connect,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(
        service, "list_lookup", raising(KeyError(f"Authorization: Bearer {SECRET} went wrong"))
    )
    server = build_server(ServiceHandle.of(service, secrets=[SECRET]))
    with caplog.at_level(logging.ERROR, logger="ax_tasks_mcp.mcp"):
        async with connect(server) as client:
            message = error(await client.call_tool("list_spaces", {}))
    assert "list_spaces" in message
    assert "unexpected" in message
    assert "KeyError" in message
    assert SECRET not in message
    assert "went wrong" not in message
    logged = caplog.text
    assert "list_spaces" in logged
    assert "went wrong" in logged  # the details are in the server's log...
    assert SECRET not in logged  # ...but never the key


async def test_an_unexpected_failure_of_a_write_says_to_check_before_retrying(
    client: Client, service: TasksService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "trigger_run", raising(RuntimeError("socket exploded")))
    message = error(
        await client.call_tool(
            "trigger_task_run", {"task": "chatbot-hallucination", "space": SPACE}
        )
    )
    assert "Check whether the change happened" in message
    assert "socket exploded" not in message


async def test_a_service_message_holding_the_key_is_redacted(
    service: TasksService, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "get_run", raising(AxTasksError(f"server echoed {SECRET}")))
    server = build_server(ServiceHandle.of(service, secrets=[SECRET]))
    async with connect(server) as client:
        message = error(await client.call_tool("get_task_run", {"run_id": "VGFza1J1bjo5OTpxUndY"}))
    assert SECRET not in message
    assert "server echoed ***" in message


async def test_a_service_that_cannot_start_explains_why_on_every_call(connect: Connect) -> None:
    def no_key() -> TasksService:
        raise AuthenticationError("No Arize API key is configured. Set ARIZE_API_KEY.")

    server = build_server(ServiceHandle(no_key))
    async with connect(server) as client:
        assert len((await client.list_tools()).tools) == len(ALL_TOOLS)
        for _ in range(2):
            message = error(await client.call_tool("list_spaces", {}))
            assert message == "No Arize API key is configured. Set ARIZE_API_KEY."


async def test_the_service_is_created_once_and_closed_by_the_handle(
    sandbox_db: Any, connect: Connect
) -> None:
    created: list[TasksService] = []

    def factory() -> TasksService:
        svc = TasksService.sandbox(str(sandbox_db))
        created.append(svc)
        return svc

    handle = ServiceHandle(factory)
    async with connect(build_server(handle)) as client:
        assert created == []
        await client.call_tool("list_spaces", {})
        await client.call_tool("list_spaces", {})
    assert len(created) == 1
    handle.close()
    handle.close()


async def test_an_unknown_tool_is_an_error(client: Client) -> None:
    result = await client.call_tool("drop_everything", {})
    assert result.is_error
