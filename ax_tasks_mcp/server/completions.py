"""``completion/complete``: real names for every prompt argument and resource-template variable
that names something (spaces, projects, datasets, evaluators, AI integrations, tasks,
experiments, and a task's runs).

Names come from the service's own lists, within the space already chosen (the ``space``
argument of the completion context, else the configured default space), filtered by what was
typed: a case-insensitive prefix.  The server's name filter narrows the request; answers are
kept for a short time, and a longer prefix is answered from a shorter one's complete answer,
so typing a name costs one request, not one per keystroke.  Completion never fails: anything
the service refuses (no space, an unknown one) completes to nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import anyio.to_thread
from mcp.server.context import ServerRequestContext
from mcp_types import (
    CompleteRequestParams,
    CompleteResult,
    Completion,
    PromptReference,
    ResourceTemplateReference,
)

from ax_tasks_mcp.server import compat
from ax_tasks_mcp.server.prompts import PROMPT_ARGUMENT_KINDS

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from ax_tasks_mcp import TasksService
    from ax_tasks_mcp.server.calls import ServiceHandle

__all__ = ["MAX_VALUES", "NameCompleter", "add_completions"]

logger = logging.getLogger("ax_tasks_mcp.mcp")

#: The protocol's cap on the values of one completion.
MAX_VALUES: Final = 100
CACHE_TTL: Final = 30.0


@dataclass(frozen=True)
class _Answer:
    expires: float
    names: list[str]
    complete: bool  # every name the filter matched, not only the first page


def _fetch(
    service: TasksService, kind: str, typed: str, known: Mapping[str, str]
) -> tuple[list[str], bool]:
    """The names of ``kind`` containing ``typed`` (one page of at most 100), and whether that
    page holds every one."""
    space = known.get("space") or None
    name = typed or None
    key = "name"
    if kind == "runs":
        task = known.get("task")
        if not task:
            return [], True
        page = service.list_runs(task, space=space, limit=MAX_VALUES)
        key = "id"
    elif kind == "tasks":
        page = service.list_tasks(space=space, name=name, limit=MAX_VALUES)
    else:  # spaces, projects, datasets, evaluators, ai_integrations, experiments
        scope = {"space": space} if kind != "spaces" else {}
        if kind == "experiments":
            scope["dataset"] = known.get("dataset") or None
        page = service.list_lookup(kind, name=name, limit=MAX_VALUES, **scope)
    return [str(item.get(key) or "") for item in page.items], not page.has_more


class NameCompleter:
    """Completes names through the service, with a short-lived cache of its answers."""

    def __init__(
        self,
        handle: ServiceHandle,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = CACHE_TTL,
    ) -> None:
        self._handle = handle
        self._clock = clock
        self._ttl = ttl
        self._cache: dict[tuple[str, str, str, str], _Answer] = {}
        self._lock = threading.Lock()

    def _cached(self, scope: tuple[str, str, str], typed: str) -> _Answer | None:
        now = self._clock()
        with self._lock:
            for (kind, space, parent, earlier), answer in list(self._cache.items()):
                if answer.expires <= now:
                    del self._cache[(kind, space, parent, earlier)]
                elif (kind, space, parent) == scope and (
                    earlier == typed or (answer.complete and typed.startswith(earlier))
                ):
                    return answer
        return None

    def names(self, kind: str, typed: str, known: Mapping[str, str]) -> tuple[list[str], bool]:
        """Names of ``kind`` starting with ``typed`` (any case), sorted, at most 100, and
        whether there may be more than these."""
        from ax_tasks_mcp import AxTasksError

        prefix = typed.casefold()
        parent = known.get("task", "") if kind == "runs" else known.get("dataset", "")
        scope = (kind, known.get("space", ""), parent if kind in ("runs", "experiments") else "")
        answer = self._cached(scope, prefix)
        if answer is None:
            try:
                names, complete = _fetch(self._handle.get(), kind, typed, known)
            except AxTasksError as exc:
                logger.debug("no completion for %s: %s", kind, exc.message)
                return [], False
            answer = _Answer(self._clock() + self._ttl, names, complete)
            with self._lock:
                self._cache[(*scope, prefix)] = answer
        matches = sorted({n for n in answer.names if n and n.casefold().startswith(prefix)})
        matches.sort(key=str.casefold)
        return matches[:MAX_VALUES], not answer.complete or len(matches) > MAX_VALUES


def _kind_of(ref: PromptReference | ResourceTemplateReference, argument: str) -> str | None:
    """The list that names the values of ``argument`` (None: nothing to complete)."""
    from ax_tasks_mcp.server.resources import TEMPLATE_VARIABLE_KINDS

    if isinstance(ref, ResourceTemplateReference):
        return TEMPLATE_VARIABLE_KINDS.get(ref.uri, {}).get(argument)
    return PROMPT_ARGUMENT_KINDS.get(argument)


def add_completions(server: MCPServer[Any], handle: ServiceHandle) -> NameCompleter:
    """Serve ``completion/complete`` on ``server`` with names from ``handle``'s service."""
    completer = NameCompleter(handle)

    async def complete(
        ctx: ServerRequestContext[Any, Any], params: CompleteRequestParams
    ) -> CompleteResult:
        kind = _kind_of(params.ref, params.argument.name)
        if kind is None:
            return CompleteResult(completion=Completion(values=[], has_more=False))
        known = dict(params.context.arguments or {}) if params.context is not None else {}
        typed = params.argument.value
        names, more = await anyio.to_thread.run_sync(
            lambda: completer.names(kind, typed, known), abandon_on_cancel=True
        )
        return CompleteResult(completion=Completion(values=names, has_more=more))

    compat.add_request_handler(server, "completion/complete", CompleteRequestParams, complete)
    return completer
