"""Resources: a task and a run readable by URI template as JSON; a run can be subscribed to
(resources/subscribe on 2025-11-25, subscriptions/listen on 2026-07-28) and sends updates until
it is final; capabilities say exactly that."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import pytest
from mcp import Client
from mcp.server.connection import Connection
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp.shared.subscriptions import ResourceUpdated as ResourceUpdatedEvent
from mcp_types import INVALID_PARAMS, ResourceUpdatedNotification, TextResourceContents

from ax_tasks_mcp import RunProgress, TasksService
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.run_watch import RunWatches, _Stopped, _Watch, drop_run_subscriptions
from tests.server.mcp_helpers import SPACE, ok, text
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

WINDOW_START = "2026-03-06T00:00:00Z"
# The client warns that the handshake-era subscribe pair is gone from 2026-07-28 on.
legacy_subscribe = pytest.mark.filterwarnings("ignore:resources/(un)?subscribe is removed")


async def read_json(client: Client, uri: str) -> Any:
    result = await client.read_resource(uri)
    assert len(result.contents) == 1
    content = result.contents[0]
    assert isinstance(content, TextResourceContents)
    assert content.mime_type == "application/json"
    assert str(content.uri) == uri
    return json.loads(content.text)


async def test_a_resource_is_the_tools_compact_json(client: Client) -> None:
    """As the tools' text blocks: compact, for a model pays per token (291 against 374)."""
    tool = await client.call_tool("get_task", {"space": SPACE, "task": "chatbot-hallucination"})
    result = await client.read_resource(f"arize-task://{SPACE}/chatbot-hallucination")
    content = result.contents[0]
    assert isinstance(content, TextResourceContents)
    assert "\n" not in content.text
    assert content.text == text(tool)


async def new_task(client: Client, name: str) -> dict[str, Any]:
    task: dict[str, Any] = ok(
        await client.call_tool(
            "create_evaluation_task",
            {
                "space": SPACE,
                "name": name,
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "evaluators": [{"evaluator": "hallucination", "column_mappings": {"input": "in"}}],
            },
        )
    )
    return task


async def test_two_templates_are_served_and_no_static_list(client: Client) -> None:
    templates = {
        t.uri_template: t for t in (await client.list_resource_templates()).resource_templates
    }
    assert set(templates) == {"arize-task://{space}/{task}", "arize-run://{run_id}"}
    assert all(t.mime_type == "application/json" and t.description for t in templates.values())
    assert (await client.list_resources()).resources == []


async def test_a_task_reads_by_name_or_id_as_get_task_returns_it(client: Client) -> None:
    tool = ok(await client.call_tool("get_task", {"space": SPACE, "task": "chatbot-hallucination"}))
    assert await read_json(client, f"arize-task://{SPACE}/chatbot-hallucination") == tool
    assert await read_json(client, f"arize-task://{SPACE}/{quote(tool['id'], safe='')}") == tool


async def test_a_name_with_a_space_and_a_slash_is_percent_encoded(client: Client) -> None:
    task = await new_task(client, "nightly check/v2")
    uri = f"arize-task://{SPACE}/{quote('nightly check/v2', safe='')}"
    assert (await read_json(client, uri))["id"] == task["id"]


async def test_a_run_reads_by_id_as_get_task_run_returns_it(client: Client) -> None:
    runs = ok(
        await client.call_tool("list_task_runs", {"space": SPACE, "task": "chatbot-hallucination"})
    )
    run_id = runs["task_runs"][0]["id"]
    tool = ok(await client.call_tool("get_task_run", {"run_id": run_id}))
    assert await read_json(client, f"arize-run://{quote(run_id, safe='')}") == tool


async def test_what_does_not_exist_is_an_error_in_the_services_words(client: Client) -> None:
    with pytest.raises(MCPError, match="no-such-task") as missing:
        await client.read_resource(f"arize-task://{SPACE}/no-such-task")
    assert missing.value.error.code == INVALID_PARAMS
    with pytest.raises(MCPError, match="Unknown resource"):
        await client.read_resource("arize-project://demo/chatbot")


def test_capabilities_advertise_subscriptions_only_when_served(server: MCPServer[Any]) -> None:
    lowlevel = server._lowlevel_server
    legacy = lowlevel.get_capabilities()
    assert legacy.resources is not None
    assert legacy.resources.subscribe is True
    assert legacy.resources.list_changed is False
    assert legacy.prompts is not None
    assert legacy.completions is not None
    assert legacy.logging is not None
    modern = lowlevel.get_capabilities(protocol_version="2026-07-28")
    assert modern.resources is not None
    # on 2026-07-28 subscribing is a subscriptions/listen stream, which carries run updates
    listened = lowlevel.get_request_handler("subscriptions/listen") is not None
    assert modern.resources.subscribe is listened
    drop_run_subscriptions(server)  # --stateless
    stateless = lowlevel.get_capabilities()
    assert stateless.resources is not None
    assert stateless.resources.subscribe is False
    assert lowlevel.get_capabilities(protocol_version="2026-07-28").resources == modern.resources


class Updates:
    """Collects resources/updated notifications."""

    def __init__(self) -> None:
        self.uris: list[str] = []
        self.arrived = anyio.Event()

    async def __call__(self, message: object) -> None:
        if isinstance(message, ResourceUpdatedNotification):
            self.uris.append(str(message.params.uri))
            self.arrived.set()


@legacy_subscribe
async def test_a_subscribed_run_sends_updates_until_it_is_final(server: MCPServer[Any]) -> None:
    updates = Updates()
    async with Client(server, mode="legacy", message_handler=updates) as client:
        task = await new_task(client, "watched")
        run = ok(
            await client.call_tool(
                "trigger_task_run", {"task": task["id"], "data_start_time": WINDOW_START}
            )
        )
        uri = f"arize-run://{quote(run['id'], safe='')}"
        await client.subscribe_resource(uri)
        seen: list[str] = []
        with anyio.fail_after(30):
            while not seen or seen[-1] not in ("COMPLETED", "FAILED", "CANCELLED"):
                await updates.arrived.wait()
                updates.arrived = anyio.Event()
                seen.append((await read_json(client, uri))["status"])
        assert set(updates.uris) == {uri}
        assert seen[-1] == "COMPLETED"
        assert set(seen[:-1]) <= {"PENDING", "RUNNING"}  # counts change while it runs
        assert len(updates.uris) >= 2


@legacy_subscribe
async def test_subscribing_to_what_is_not_a_run_is_refused(server: MCPServer[Any]) -> None:
    async with Client(server, mode="legacy") as client:
        with pytest.raises(MCPError, match="Only runs") as not_a_run:
            await client.subscribe_resource(f"arize-task://{SPACE}/chatbot-hallucination")
        assert not_a_run.value.error.code == INVALID_PARAMS
        with pytest.raises(MCPError) as no_run:
            await client.subscribe_resource("arize-run://not-a-run-id")
        assert no_run.value.error.code == INVALID_PARAMS
        await client.unsubscribe_resource("arize-run://never-subscribed")  # harmless


def test_a_stopped_watch_ends_the_wait_and_sends_nothing_more() -> None:
    sent: list[int] = []
    watch = _Watch("arize-run://r", "r", lambda: sent.append(1))
    progress = RunProgress("r", "RUNNING", 1, 0, 0, 1.0, 1)
    watch.on_progress(progress)
    watch.on_progress(progress)  # no change, no notification
    assert sent == [1]
    watch.stop.set()
    with pytest.raises(_Stopped):
        watch.on_progress(RunProgress("r", "RUNNING", 2, 0, 0, 2.0, 2))
    assert sent == [1]


class SessionOf:
    """Stands for a ServerSession: all a watch needs of it is its connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection


async def test_watches_stop_when_the_connection_closes() -> None:
    connection = Connection(outbound=None, protocol_version="2025-11-25")  # type: ignore[arg-type]
    session = SessionOf(connection)
    watches = RunWatches.of(session)  # type: ignore[arg-type]
    watch = _Watch("arize-run://r", "r", lambda: None)
    watches[watch.uri] = watch
    assert RunWatches.of(session) is watches  # type: ignore[arg-type]
    await connection.exit_stack.aclose()
    assert watch.stop.is_set()
    assert watches == {}


async def test_a_listen_stream_naming_a_run_carries_its_updates(
    sandbox_db: Path, fake_time: FakeTime
) -> None:
    """2026-07-28: subscriptions/listen with the run's URI; the watch waits at a gate until the
    stream is acknowledged, so every update it sends is one the test can see."""
    gate = threading.Event()

    def sleep(seconds: float) -> None:
        if threading.current_thread().name.startswith("watch "):
            assert gate.wait(30)
        fake_time.sleep(seconds)

    service = TasksService.sandbox(
        str(sandbox_db),
        sandbox_clock=fake_time.now,
        now=fake_time.now,
        clock=fake_time.monotonic,
        sleep=sleep,
    )
    server = build_server(service)
    if server._lowlevel_server.get_request_handler("subscriptions/listen") is None:
        service.close()
        pytest.skip("this server is built without subscriptions/listen")
    try:
        async with Client(server, mode="2026-07-28") as client:
            task = await new_task(client, "listened")
            run = ok(
                await client.call_tool(
                    "trigger_task_run", {"task": task["id"], "data_start_time": WINDOW_START}
                )
            )
            uri = f"arize-run://{quote(run['id'], safe='')}"
            seen: list[str] = []
            with anyio.fail_after(30):
                async with client.listen(resource_subscriptions=[uri]) as stream:
                    gate.set()
                    async for event in stream:
                        assert isinstance(event, ResourceUpdatedEvent)
                        assert event.uri == uri
                        seen.append((await read_json(client, uri))["status"])
                        if seen[-1] in ("COMPLETED", "FAILED", "CANCELLED"):
                            break
            assert seen[-1] == "COMPLETED"
            assert len(seen) >= 2
    finally:
        gate.set()
        service.close()
