"""Spans recorded in memory, and reading them: who is whose parent, what a span holds.

``recording()`` turns tracing on for one test with an in-memory exporter (the process's global
tracer provider is left alone); ``Trace`` answers questions about what was recorded, whether
the spans came from memory or from the OTLP receiver (``tests.support.otlp_receiver``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ax_tasks_mcp import telemetry

__all__ = ["Span", "Trace", "recording"]


@dataclass(frozen=True)
class Span:
    """One span, as either source gives it."""

    name: str
    trace_id: str
    span_id: str
    parent_id: str | None
    kind: str
    attributes: Mapping[str, Any]
    events: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    status: str = "UNSET"
    status_message: str = ""
    resource: Mapping[str, Any] = field(default_factory=dict)

    def texts(self) -> Iterator[str]:
        """Every string the span carries, to search for a secret."""
        yield self.name
        yield self.status_message
        for values in (self.attributes, self.resource, *(attrs for _, attrs in self.events)):
            for key, value in values.items():
                yield key
                yield from (str(v) for v in (value if isinstance(value, list | tuple) else [value]))
        yield from (name for name, _ in self.events)

    @classmethod
    def of(cls, span: ReadableSpan) -> Span:
        context = span.get_span_context()
        assert context is not None
        return cls(
            name=span.name,
            trace_id=f"{context.trace_id:032x}",
            span_id=f"{context.span_id:016x}",
            parent_id=f"{span.parent.span_id:016x}" if span.parent else None,
            kind=span.kind.name,
            attributes=dict(span.attributes or {}),
            events=tuple((e.name, dict(e.attributes or {})) for e in span.events),
            status=span.status.status_code.name,
            status_message=span.status.description or "",
            resource=dict(span.resource.attributes),
        )


class Trace:
    """Spans and their tree."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = list(spans)
        self._by_id = {span.span_id: span for span in self.spans}

    def named(self, name: str) -> list[Span]:
        return [span for span in self.spans if span.name == name]

    def one(self, name: str) -> Span:
        found = self.named(name)
        assert len(found) == 1, (name, [s.name for s in self.spans])
        return found[0]

    def parent(self, span: Span) -> Span | None:
        return self._by_id.get(span.parent_id or "")

    def children(self, span: Span) -> list[Span]:
        return [s for s in self.spans if s.parent_id == span.span_id]

    def subtree(self, span: Span) -> list[Span]:
        """``span`` and everything below it."""
        return [span, *(s for child in self.children(span) for s in self.subtree(child))]

    def tree(self, root: Span | None = None, depth: int = 0) -> list[str]:
        """The span names as an indented tree, children in the order they were recorded."""
        roots = [root] if root else [s for s in self.spans if self.parent(s) is None]
        lines: list[str] = []
        for span in roots:
            lines.append("  " * depth + span.name)
            for child in self.children(span):
                lines += self.tree(child, depth + 1)
        return lines

    def holding(self, secret: str) -> list[str]:
        """Where ``secret`` appears: "span name: text" for each string holding it."""
        return [f"{s.name}: {text}" for s in self.spans for text in s.texts() if secret in text]


@contextmanager
def recording() -> Iterator[InMemorySpanExporter]:
    """Tracing on, spans kept in memory, for the ``with`` block."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    telemetry.use(provider)
    try:
        yield exporter
    finally:
        telemetry.stop()
        provider.shutdown()


def recorded(exporter: InMemorySpanExporter) -> Trace:
    """What the exporter holds so far, oldest span first."""
    spans = sorted(exporter.get_finished_spans(), key=lambda s: s.start_time or 0)
    return Trace(Span.of(span) for span in spans)
