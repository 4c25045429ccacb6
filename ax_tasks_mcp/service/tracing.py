"""The service's spans: resolve, write, reconcile and wait (see ax_tasks_mcp.telemetry).

Small hooks, each placed once: :func:`traced_service` wraps the facade's writes,
:func:`traced_wait` the wait's steps, :func:`traced_lookup` the resolver's name lookup,
:func:`traced_find` the search for a write whose answer was lost.  With tracing off each costs
one check and calls straight through.

* ``write <operation>`` (``create_task``, ``update_task``, ``delete_task``,
  ``trigger_task_run``, ``cancel_task_run``): the whole write, name resolution and resends
  included; ``ax_tasks.task`` (as given), ``ax_tasks.task.id``/``ax_tasks.run.id`` (the result).
* ``resolve <kind>``: names looked up (``ax_tasks.names``), ``ax_tasks.cache_hit``; IDs are
  used as they are and get no span.
* ``reconcile``: the write's answer was lost (``ax_tasks.cause``); ``ax_tasks.found``.
* ``wait task_run``: ``ax_tasks.run.id``, ``ax_tasks.run.status`` at the end,
  ``ax_tasks.wait.polls``, and a ``poll`` event per poll (status, counts, elapsed seconds).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ax_tasks_mcp import telemetry

if TYPE_CHECKING:
    from ax_tasks_mcp.service.models import Resource, RunProgress
    from ax_tasks_mcp.service.resolve import Kind

__all__ = ["traced_find", "traced_lookup", "traced_service", "traced_wait"]

R = TypeVar("R")
C = TypeVar("C", bound=type)
W = TypeVar("W", bound=Callable[..., Generator[float, None, "Resource"]])

#: Facade method -> (the API operation it writes, the argument naming its target, the
#: attribute the target goes in).
WRITES: dict[str, tuple[str, str, str]] = {
    "create_task": ("create_task", "", ""),
    "update_task": ("update_task", "task", "ax_tasks.task"),
    "delete_task": ("delete_task", "task", "ax_tasks.task"),
    "trigger_run": ("trigger_task_run", "task", "ax_tasks.task"),
    "cancel_run": ("cancel_task_run", "run_id", "ax_tasks.run.id"),
}


def _result_id(operation: str, result: Any) -> dict[str, str]:
    if not isinstance(result, Mapping) or not isinstance(result.get("id"), str):
        return {}
    if operation.endswith("task_run"):
        return {"ax_tasks.run.id": result["id"]}
    return {"ax_tasks.task.id": result["id"]}


def _traced_write(
    method: Callable[..., R], operation: str, target: str, key: str
) -> Callable[..., R]:
    @functools.wraps(method)
    def write(self: Any, *args: Any, **kwargs: Any) -> R:
        if not telemetry.active():
            return method(self, *args, **kwargs)
        given = kwargs.get(target, args[0] if args else None) if target else None
        attributes = {"ax_tasks.operation": operation}
        if isinstance(given, str):
            attributes[key] = given
        with telemetry.span(f"write {operation}", attributes) as span:
            result = method(self, *args, **kwargs)
            for name, value in _result_id(operation, result).items():
                span.set(name, value)
            return result

    return write


def traced_wait(method: W) -> W:
    """``Waiting.wait_steps(self, run_id, **options)`` in a ``wait task_run`` span."""

    @functools.wraps(method)
    def wait_steps(self: Any, run_id: str, **options: Any) -> Generator[float, None, Resource]:
        if not telemetry.active():
            return method(self, run_id, **options)
        return _waiting_in_a_span(method, self, run_id, options)

    return cast(W, wait_steps)


def _waiting_in_a_span(
    method: Callable[..., Generator[float, None, Resource]],
    service: Any,
    run_id: str,
    options: dict[str, Any],
) -> Generator[float, None, Resource]:
    """The wait's steps inside one span, current while each poll runs (wherever it runs: a
    server polls in worker threads and pauses in its event loop)."""
    span = telemetry.open_span("wait task_run", {"ax_tasks.run.id": str(run_id)})
    given: Callable[[RunProgress], None] | None = options.get("on_progress")
    polls = 0

    def report(progress: RunProgress) -> None:
        nonlocal polls
        polls = progress.polls
        span.event(
            "poll",
            {
                "ax_tasks.run.status": progress.status,
                "ax_tasks.wait.poll": progress.polls,
                "ax_tasks.run.num_successes": progress.num_successes,
                "ax_tasks.run.num_errors": progress.num_errors,
                "ax_tasks.run.num_skipped": progress.num_skipped,
                "ax_tasks.wait.elapsed_seconds": round(progress.elapsed, 3),
                "ax_tasks.wait.transient_errors": progress.transient_errors,
            },
        )
        if given is not None:
            given(progress)

    steps = method(service, run_id, **{**options, "on_progress": report})
    try:
        while True:
            with span.current():
                try:
                    pause = next(steps)
                except StopIteration as done:
                    run: Resource = done.value
                    status = run.get("status")
                    span.set("ax_tasks.run.status", status if isinstance(status, str) else None)
                    return run
            yield pause
    except GeneratorExit:
        span.set("ax_tasks.wait.abandoned", True)
        raise
    except BaseException as exc:
        span.fail(type(exc).__qualname__, telemetry.own_message(exc))
        raise
    finally:
        span.set("ax_tasks.wait.polls", polls)
        steps.close()
        span.end()


def traced_service(cls: C) -> C:
    """The facade with its writes in spans."""
    for name, (operation, target, key) in WRITES.items():
        setattr(cls, name, _traced_write(getattr(cls, name), operation, target, key))
    return cls


def traced_lookup(
    method: Callable[..., dict[str, tuple[Resource, bool]]],
) -> Callable[..., dict[str, tuple[Resource, bool]]]:
    """The resolver's lookup of names (``(self, kind, names, scope, label)``) in a span."""

    @functools.wraps(method)
    def lookup(
        self: Any, kind: Kind, names: Sequence[str], *args: Any
    ) -> dict[str, tuple[Resource, bool]]:
        if not telemetry.active():
            return method(self, kind, names, *args)
        attributes: dict[str, telemetry.AttributeValue] = {
            "ax_tasks.resource.kind": kind.noun,
            "ax_tasks.names": list(names),
        }
        with telemetry.span(f"resolve {kind.noun}", attributes) as span:
            found = method(self, kind, names, *args)
            span.set("ax_tasks.cache_hit", all(cached for _, cached in found.values()))
            return found

    return lookup


def traced_find(find: Callable[[str], R | None]) -> Callable[[str], R | None]:
    """A write's search for what its lost answer made, in a ``reconcile`` span."""

    def reconcile(cause: str) -> R | None:
        if not telemetry.active():
            return find(cause)
        with telemetry.span("reconcile", {"ax_tasks.cause": cause}) as span:
            found = find(cause)
            span.set("ax_tasks.found", found is not None)
            return found

    return reconcile
