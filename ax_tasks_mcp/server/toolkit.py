"""How a tool is defined: in one place, next to its function.

``@TASKS.tool(title=..., effect=READ, output=...)`` on an async function is the whole
definition: its name is the function's, its description the docstring (what the model reads),
its input schema comes from the signature (compacted by ``schemas``), its output schema and
annotations from the decorator.  Each module of tools is a :class:`Toolset`; the server offers
the toolsets the operator chose.
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations

from ax_tasks_mcp.server.schemas import compact_input_schema

__all__ = ["DESTRUCTIVE", "READ", "WRITE", "WRITE_AGAIN", "Effect", "ToolDef", "Toolset"]

ToolFunction = Callable[..., Awaitable[Any]]


class Effect(enum.Enum):
    """What calling a tool does to the service; the tool's annotations follow from it."""

    READ = "read"
    WRITE = "write"  # creates something new on each call
    WRITE_AGAIN = "write-again"  # the same call twice leaves the same state (idempotent)
    DESTRUCTIVE = "destructive"


READ, WRITE, WRITE_AGAIN, DESTRUCTIVE = (
    Effect.READ,
    Effect.WRITE,
    Effect.WRITE_AGAIN,
    Effect.DESTRUCTIVE,
)


@dataclass(frozen=True)
class ToolDef:
    """One tool: its function and everything tools/list shows about it."""

    fn: ToolFunction
    toolset: str
    title: str
    effect: Effect
    output_schema: dict[str, Any]
    hints: Mapping[str, str] = field(default_factory=dict)
    """Per argument, a sentence added when its value is refused (what to do instead)."""

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def description(self) -> str:
        """The docstring as one paragraph: the model reads it, so no line breaks to pay for."""
        return " ".join((inspect.getdoc(self.fn) or "").split())

    @property
    def read_only(self) -> bool:
        return self.effect is READ

    @property
    def destructive(self) -> bool:
        return self.effect is DESTRUCTIVE

    @property
    def annotations(self) -> ToolAnnotations:
        """The hints, only where the protocol's defaults do not already say it: the title is
        the tool's own, every tool is open-world (it talks to Arize), and a read-only tool has
        no destructive or idempotent hint to give."""
        if self.read_only:
            return ToolAnnotations(read_only_hint=True)
        return ToolAnnotations(
            read_only_hint=False,
            destructive_hint=self.destructive,
            idempotent_hint=self.effect is not WRITE,
        )

    def build(self) -> Tool:
        """The SDK's tool, with the compact input schema and the declared output schema: a
        copy of one made once per process, since the SDK derives a pydantic model from the
        signature each time (most of a server's build; tests build hundreds of servers)."""
        return self._built.model_copy(deep=True)

    @functools.cached_property
    def _built(self) -> Tool:
        tool = Tool.from_function(
            self.fn,
            name=self.name,
            title=self.title,
            description=self.description,
            annotations=self.annotations,
            structured_output=False,
        )
        tool.parameters = compact_input_schema(tool.parameters)
        # Advertised, and checked by clients; the tools build their results to match it.
        tool.fn_metadata.output_schema = self.output_schema
        return tool


@dataclass
class Toolset:
    """The tools of one module, in the order tools/list shows them."""

    name: str
    tools: list[ToolDef] = field(default_factory=list)

    def tool(
        self,
        *,
        title: str,
        effect: Effect,
        output: dict[str, Any],
        hints: Mapping[str, str] | None = None,
    ) -> Callable[[ToolFunction], ToolFunction]:
        def register(fn: ToolFunction) -> ToolFunction:
            self.tools.append(ToolDef(fn, self.name, title, effect, output, dict(hints or {})))
            return fn

        return register

    def __iter__(self) -> Iterator[ToolDef]:
        return iter(self.tools)
