"""A span per tool call, as OpenInference describes a tool, so Arize and Phoenix show it as one.

The SDK wraps every request in its own ``tools/call <tool>`` span, continuing the trace
context a client sends in ``_meta``; this span is its child, named after the tool, with
``openinference.span.kind`` ``TOOL``, ``tool.name``, and the arguments and the result as
``input.value`` / ``output.value`` (JSON, ``input.mime_type`` / ``output.mime_type``), each cut
to :data:`MAX_VALUE` characters and with the server's secrets masked.  The service's spans
(resolve, write, wait, HTTP) nest inside it.  Tracing off, the call goes straight through.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar, cast

from mcp.server.mcpserver.exceptions import ToolError

from ax_tasks_mcp import telemetry

__all__ = ["MAX_VALUE", "traced_tool_call"]

F = TypeVar("F", bound=Callable[..., Coroutine[Any, Any, Any]])
MAX_VALUE = 16_000
_JSON = "application/json"


def _value(data: Any, secrets: Sequence[str]) -> str:
    """``data`` as compact JSON, secrets masked, cut to MAX_VALUE characters with a marker."""
    return _text(json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":")), secrets)


def _text(text: str, secrets: Sequence[str]) -> str:
    from ax_tasks_mcp import redact

    text = redact(text, secrets)
    if len(text) > MAX_VALUE:
        text = text[:MAX_VALUE] + f"…[{len(text) - MAX_VALUE} more characters]"
    return text


def _output_of(result: Any) -> Any:
    """What a tool answered: its structured content, else its text."""
    structured = getattr(result, "structured_content", None)
    if structured is not None:
        return structured
    content = getattr(result, "content", None) or []
    return " ".join(str(getattr(block, "text", "")) for block in content)


def traced_tool_call(call_tool: F) -> F:
    """``TasksMCPServer.call_tool(self, name, arguments, context)`` in a TOOL span."""

    @functools.wraps(call_tool)
    async def traced(self: Any, name: str, arguments: dict[str, Any], *args: Any) -> Any:
        if not telemetry.active():
            return await call_tool(self, name, arguments, *args)
        secrets: Sequence[str] = getattr(getattr(self, "handle", None), "secrets", ())
        attributes: dict[str, telemetry.AttributeValue] = {
            "openinference.span.kind": "TOOL",
            "tool.name": name,
            "input.value": _value(arguments, secrets),
            "input.mime_type": _JSON,
        }
        with telemetry.span(name, attributes) as span:
            try:
                result = await call_tool(self, name, arguments, *args)
            except ToolError as exc:  # our words for the model: the span says them too
                span.fail(type(exc).__qualname__, _text(str(exc), secrets))
                raise
            span.set("output.value", _value(_output_of(result), secrets))
            span.set("output.mime_type", _JSON)
            return result

    return cast(F, traced)
