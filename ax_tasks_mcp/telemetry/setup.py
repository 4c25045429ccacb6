"""The tracer provider OpenTelemetry's environment variables describe (the ``otel`` extra).

Imported only when those variables ask for traces.  What we decide here: which exporters
(``OTEL_TRACES_EXPORTER``: ``otlp``, the default, over HTTP/protobuf, and ``console``, which
writes to stderr so stdout keeps only data) and the service name when none is set.  The rest is
the SDK's: ``OTEL_EXPORTER_OTLP_*`` (endpoint, headers, timeout, certificates, compression),
``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_TRACES_SAMPLER``, ``OTEL_BSP_*``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from ax_tasks_mcp.telemetry import SUPPORTED_EXPORTERS, exporters_asked
from ax_tasks_mcp.version import __version__

__all__ = ["SUPPORTED_EXPORTERS", "provider_from_environment"]


def _exporters(env: Mapping[str, str]) -> tuple[list[SpanExporter], list[str]]:
    """The exporters asked for, and what cannot be done (in words naming the variable)."""
    names, problems = exporters_asked(env)
    exporters: list[SpanExporter] = []
    for name in names:
        if name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporters.append(OTLPSpanExporter())
        else:
            exporters.append(ConsoleSpanExporter(out=sys.stderr))
    return exporters, problems


def _resource(service_name: str) -> Resource:
    """The SDK's resource from the environment, named ``service_name`` when it names nothing."""
    resource = Resource.create({SERVICE_VERSION: __version__})
    named = str(resource.attributes.get(SERVICE_NAME, ""))
    if not named or named.startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: service_name}))
    return resource


def provider_from_environment(
    service_name: str, env: Mapping[str, str]
) -> tuple[TracerProvider | None, str | None]:
    """(the provider, or None when no exporter can be made; what could not be done, or None)."""
    exporters, problems = _exporters(env)
    problem = "; ".join(problems) or None
    if not exporters:
        return None, problem
    provider = TracerProvider(resource=_resource(service_name))
    for exporter in exporters:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider, problem
