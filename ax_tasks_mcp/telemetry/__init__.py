"""Opt-in OpenTelemetry traces, for both faces and the library.

**Off, it is free.**  Nothing of OpenTelemetry is imported and every hook costs one look at a
module global: ``ax-tasks --help``, reads and MCP start-up do exactly what they did without it.

**On** when the ``otel`` extra is installed (``pip install 'ax-tasks[otel]'``) and
OpenTelemetry's own environment variables ask for traces: an OTLP endpoint
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) or an exporter
(``OTEL_TRACES_EXPORTER=otlp`` or ``console``), unless ``OTEL_SDK_DISABLED=true`` or
``OTEL_TRACES_EXPORTER=none``.  Everything else (headers, timeout, service name, resource
attributes, sampler, batching, propagators) is the SDK's own reading of its variables.  The
faces call :func:`start` once; a library user with a tracer provider of their own calls
:func:`use`.

The spans (names and attributes are in docs/tracing.md):

* the CLI: one per command, ``ax-tasks <command>``, with its exit code;
* the MCP server: one per tool call, an OpenInference ``TOOL`` span inside the SDK's own
  ``tools/call`` span (which continues a trace context the client sends);
* the service: ``resolve <kind>`` (a name looked up), ``write <operation>``, ``reconcile`` (a
  write whose answer was lost) and ``wait task_run`` with a ``poll`` event per poll;
* HTTP: one ``CLIENT`` span per request sent, retries included, after OpenTelemetry's HTTP
  conventions.

No span carries the API key, an Authorization header or a bearer token: errors are recorded by
type and by our own messages (which never hold a secret), never by a library's exception text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import httpx
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer

__all__ = [
    "NO_SPAN",
    "Recorder",
    "active",
    "exporters_asked",
    "installed",
    "open_span",
    "own_message",
    "requested",
    "span",
    "start",
    "status",
    "stop",
    "traced_transport",
    "tracer",
    "use",
]

#: Attribute values: what OpenTelemetry accepts.
AttributeValue = str | bool | int | float | list[str] | list[int] | list[float] | list[bool]
Attributes = Mapping[str, AttributeValue]

_ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


class Recorder(Protocol):
    """What the hooks may do with a span (an OpenTelemetry span, or nothing when off)."""

    def set(self, key: str, value: AttributeValue | None) -> None:
        """Set an attribute (None: leave it unset)."""

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        """Add an event (a poll of a wait)."""

    def fail(self, error_type: str, description: str | None = None) -> None:
        """Mark the span failed: ``error.type`` and an error status (with our own words)."""

    def current(self) -> AbstractContextManager[None]:
        """Make this span the parent of spans started inside the ``with`` block."""

    def end(self) -> None:
        """End a span from :func:`open_span` (spans from :func:`span` end themselves)."""


class _NoSpan:
    """The recorder when tracing is off: every call does nothing."""

    def set(self, key: str, value: AttributeValue | None) -> None:
        return None

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        return None

    def fail(self, error_type: str, description: str | None = None) -> None:
        return None

    def current(self) -> AbstractContextManager[None]:
        return nullcontext()

    def end(self) -> None:
        return None


NO_SPAN: Recorder = _NoSpan()

_tracer: Tracer | None = None
_provider: TracerProvider | None = None


def active() -> bool:
    """Whether spans are being recorded."""
    return _tracer is not None


def requested(env: Mapping[str, str] | None = None) -> bool:
    """Whether OpenTelemetry's variables ask for traces (reads the environment, imports
    nothing)."""
    return _deciding_variable(os.environ if env is None else env)[0]


def _deciding_variable(env: Mapping[str, str]) -> tuple[bool, str | None]:
    """(whether traces are asked for, the variable that says so either way, if any)."""
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False, "OTEL_SDK_DISABLED"
    exporters = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporters:
        return exporters != "none", "OTEL_TRACES_EXPORTER"
    for name in _ENDPOINTS:
        if env.get(name, "").strip():
            return True, name
    return False, None


def installed() -> bool:
    """Whether the ``otel`` extra (the OpenTelemetry SDK) is installed (nothing imported)."""
    import importlib.util

    try:
        return importlib.util.find_spec("opentelemetry.sdk") is not None
    except (ImportError, ValueError):
        return False


#: The exporters OTEL_TRACES_EXPORTER may name, and the one OTLP protocol exported.
SUPPORTED_EXPORTERS = ("otlp", "console", "none")
OTLP_PROTOCOL = "http/protobuf"
_PROTOCOL_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")


def exporters_asked(env: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The exporters the variables ask for that can be made (``otlp``, ``console``), and what
    cannot be done, in words naming the variable (reads the environment, imports nothing)."""
    names = [n.strip().lower() for n in env.get("OTEL_TRACES_EXPORTER", "otlp").split(",")]
    usable: list[str] = []
    problems: list[str] = []
    for name in dict.fromkeys(n for n in names if n):
        if name == "otlp":
            variable = next((v for v in _PROTOCOL_VARIABLES if env.get(v, "").strip()), None)
            protocol = env[variable].strip() if variable else OTLP_PROTOCOL
            if protocol != OTLP_PROTOCOL:
                problems.append(
                    f"{variable}={protocol} is not supported; ax-tasks exports OTLP over "
                    f"{OTLP_PROTOCOL} (unset it, or set it to {OTLP_PROTOCOL})"
                )
                continue
            usable.append(name)
        elif name == "console":
            usable.append(name)
        elif name != "none":
            problems.append(
                f"OTEL_TRACES_EXPORTER={name} is not supported; use "
                f"{', '.join(SUPPORTED_EXPORTERS)}"
            )
    return usable, problems


def status(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(whether traces are exported, in words, and why not; the variable deciding it, or
    "default")."""
    env = os.environ if env is None else env
    asked, variable = _deciding_variable(env)
    source = f"env {variable}" if variable else "default"
    if not asked:
        return "off", source
    if not installed():
        return "off (the otel extra is not installed)", source
    usable, problems = exporters_asked(env)
    if not usable:
        return f"off ({'; '.join(problems)})", source
    return "on", source


def start(service_name: str, env: Mapping[str, str] | None = None) -> str | None:
    """Start exporting spans as the environment asks (once per process; a face calls it).

    Returns None when tracing is on, was not asked for, or cannot be without the extra (the
    variables may be meant for other programs; ``ax-tasks config`` tells); else why it stays
    off (an exporter or a protocol that is not supported), for the face to show.
    ``service_name`` is used when ``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES`` name
    none.
    """
    env = os.environ if env is None else env
    if active() or not requested(env) or not installed():
        return None
    from ax_tasks_mcp.telemetry.setup import provider_from_environment

    provider, problem = provider_from_environment(service_name, env)
    if provider is None:
        return problem
    from opentelemetry import trace

    trace.set_tracer_provider(provider)  # the mcp SDK's own spans go there too
    use(provider)
    global _provider
    _provider = provider
    return problem


def use(provider: Any) -> None:
    """Record spans with ``provider`` (an OpenTelemetry ``TracerProvider``)."""
    from ax_tasks_mcp.version import __version__

    global _tracer
    _tracer = provider.get_tracer("ax-tasks", __version__)


def stop() -> None:
    """Stop recording; export what is left (the provider :func:`start` made is shut down)."""
    global _tracer, _provider
    provider, _provider, _tracer = _provider, None, None
    if provider is not None:
        provider.shutdown()


def span(
    name: str,
    attributes: Attributes | None = None,
    *,
    kind: str = "internal",
    parent: Mapping[str, str] | None = None,
) -> AbstractContextManager[Recorder]:
    """A span around a ``with`` block, current inside it (``kind``: internal, client, server;
    ``parent``: a W3C trace context such as ``{"traceparent": ...}`` to continue, else the
    current span); an exception leaving the block marks it failed by the exception's type."""
    if _tracer is None:
        return nullcontext(NO_SPAN)
    return _current_span(name, attributes, kind, parent)


@contextmanager
def _current_span(
    name: str, attributes: Attributes | None, kind: str, parent: Mapping[str, str] | None
) -> Iterator[Recorder]:
    recorder = open_span(name, attributes, kind=kind, parent=parent)
    try:
        with recorder.current():
            yield recorder
    except BaseException as exc:
        recorder.fail(type(exc).__qualname__, own_message(exc))
        raise
    finally:
        recorder.end()


def own_message(exc: BaseException) -> str | None:
    """The message of an error of ours (the service's, a face's), which never holds a secret;
    None for anything else, whose text may quote a header or a URL."""
    kind, message = getattr(exc, "kind", None), getattr(exc, "message", None)
    return message if isinstance(kind, str) and isinstance(message, str) else None


def open_span(
    name: str,
    attributes: Attributes | None = None,
    *,
    kind: str = "internal",
    parent: Mapping[str, str] | None = None,
) -> Recorder:
    """A span started now, ended by :meth:`Recorder.end` (for work done in steps, such as a
    wait whose polls run one by one); :meth:`Recorder.current` makes it the parent of what
    each step sends."""
    if _tracer is None:
        return NO_SPAN
    from ax_tasks_mcp.telemetry.spans import LiveSpan

    return LiveSpan.start(_tracer, name, attributes, kind, parent)


def traced_transport(inner: httpx.BaseTransport) -> httpx.BaseTransport:
    """``inner`` with a client span per request sent while tracing is on (off, each request
    costs one check)."""
    from ax_tasks_mcp.telemetry.http import TracingTransport

    return TracingTransport(inner)


def tracer() -> Tracer | None:
    """The tracer spans are recorded with, or None when tracing is off."""
    return _tracer
