"""The CLI's span: one per command, when OpenTelemetry's variables ask for traces.

Imported only then (``app`` checks the environment first).  The span is named
``ax-tasks <command>`` (``ax-tasks trigger-run``, ``ax-tasks sandbox info``), follows
OpenTelemetry's conventions for CLI programs (``process.executable.name``,
``process.exit.code``, ``process.pid``; ``error.type`` is the exit code when it is not 0) and
continues a trace context handed down in ``TRACEPARENT``/``TRACESTATE`` (a CI job's, say).  The
service's spans nest inside it.  The spans are exported before the process exits.

Servers get no command span: ``ax-tasks mcp`` traces each tool call itself, and the sandbox
is not traced.  Nor does help (``--help``, ``--version``, no command at all): it is not work,
and it stays as fast traced as untraced.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from typer.core import TyperGroup

from ax_tasks_cli.errors import PROG
from ax_tasks_mcp import telemetry

__all__ = ["command_name", "traced_command"]

#: Commands that serve until stopped: a span would cover a whole session.
SERVING = frozenset({"mcp", "sandbox serve"})
_HELP = frozenset({"-h", "--help", "--version"})


def command_name(group: TyperGroup, args: Sequence[str]) -> str:
    """The command the arguments name (``trigger-run``, ``sandbox info``), or "" when they
    name none (``--help``, ``--version``, a typo)."""
    takes_value = {
        opt
        for param in group.params
        if param.param_type_name == "option" and not getattr(param, "is_flag", True)
        for opt in param.opts
    }
    words: list[str] = []
    current: Any = group
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = not words and arg in takes_value
            continue
        found = getattr(current, "commands", {}).get(arg)
        if found is None:
            break
        words.append(arg)
        current = found
    return " ".join(words)


def _parent(env: Mapping[str, str]) -> dict[str, str]:
    """A W3C trace context handed down in the environment (TRACEPARENT, TRACESTATE)."""
    carrier = {"traceparent": env.get("TRACEPARENT", ""), "tracestate": env.get("TRACESTATE", "")}
    return {key: value for key, value in carrier.items() if value}


class _FirstLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = record.getMessage().splitlines()[0] if record.getMessage() else ""
        record.args = None
        return True


def _exporter_failures_in_one_line() -> None:
    """What the SDK says when spans cannot be handed over (a collector down): one line per
    failure, as a warning of ours; its retries are not announced."""
    logger = logging.getLogger("opentelemetry")
    if any(isinstance(f, _FirstLine) for h in logger.handlers for f in h.filters):
        return  # once per process
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.ERROR)
    handler.setFormatter(logging.Formatter(f"{PROG}: warning: traces: %(message)s"))
    handler.addFilter(_FirstLine())
    logger.addHandler(handler)
    logger.propagate = False


def traced_command(group: TyperGroup, args: Sequence[str], run: Callable[[], int]) -> int:
    """``run()`` inside the command's span; its exit code.  Tracing that cannot start says
    why on stderr, once, and the command runs untraced."""
    name = command_name(group, args)
    if name in SERVING or not name or _HELP.intersection(args):
        return run()
    _exporter_failures_in_one_line()
    problem = telemetry.start(PROG)
    if problem is not None:
        sys.stderr.write(f"{PROG}: warning: traces are not exported: {problem}.\n")
    if not telemetry.active():
        return run()
    attributes: dict[str, telemetry.AttributeValue] = {
        "process.executable.name": PROG,
        "process.pid": os.getpid(),
    }
    attributes["ax_tasks.command"] = name
    try:
        with telemetry.span(f"{PROG} {name}", attributes, parent=_parent(os.environ)) as span:
            code = run()
            span.set("process.exit.code", code)
            if code:
                span.fail(str(code))
            return code
    finally:
        telemetry.stop()
