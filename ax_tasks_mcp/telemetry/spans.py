"""A live span behind the :class:`ax_tasks_mcp.telemetry.Recorder` hooks (tracing on only)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

if TYPE_CHECKING:
    from ax_tasks_mcp.telemetry import Attributes, AttributeValue

__all__ = ["LiveSpan"]

_KINDS = {"internal": SpanKind.INTERNAL, "client": SpanKind.CLIENT, "server": SpanKind.SERVER}


class LiveSpan:
    """An OpenTelemetry span, recorded the way every hook here records: attributes set only
    when they have a value, failures by type with our own words, never an exception's text."""

    def __init__(self, span: trace.Span) -> None:
        self.span = span
        self.failed = False

    @classmethod
    def start(
        cls,
        tracer: trace.Tracer,
        name: str,
        attributes: Attributes | None,
        kind: str,
        parent: Mapping[str, str] | None = None,
    ) -> LiveSpan:
        """A span under ``parent`` (a W3C carrier; ignored when it holds no valid context),
        else under the current span."""
        context = None
        if parent:
            carried = propagate.extract(dict(parent))
            if trace.get_current_span(carried).get_span_context().is_valid:
                context = carried
        span = tracer.start_span(
            name,
            context=context,
            kind=_KINDS[kind],
            attributes=dict(attributes or {}),
            record_exception=False,
            set_status_on_exception=False,
        )
        return cls(span)

    def set(self, key: str, value: AttributeValue | None) -> None:
        if value is not None:
            self.span.set_attribute(key, value)

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        self.span.add_event(name, dict(attributes or {}))

    def fail(self, error_type: str, description: str | None = None) -> None:
        """The first failure recorded stands (the hook nearest the error knows it best)."""
        if self.failed:
            return
        self.failed = True
        self.span.set_attribute("error.type", error_type)
        self.span.set_status(Status(StatusCode.ERROR, description))

    def current(self) -> AbstractContextManager[None]:
        return _used(self.span)

    def end(self) -> None:
        self.span.end()


@contextmanager
def _used(span: trace.Span) -> Iterator[None]:
    with trace.use_span(
        span, end_on_exit=False, record_exception=False, set_status_on_exception=False
    ):
        yield
