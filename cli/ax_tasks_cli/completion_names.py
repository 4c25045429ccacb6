"""Names from the API (or the sandbox) for the Tab key: cached, and never waited on too long.

Where to ask comes from the command line as typed so far: ``--sandbox``/``AX_TASKS_SANDBOX``,
``--base-url`` and ``--profile`` on the root; ``--space`` (else the default space),
``--dataset`` (experiments) and the task (runs) on the command.  The answer is cached
(``completion_cache``); a stale or missing entry is refreshed in a worker thread that the
completion stops waiting for once its time is up, then offers what the cache had, or nothing.
The service is built for the occasion: no retries, timeouts no longer than the budget.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ax_tasks_cli.completing import Candidate, matching
from ax_tasks_cli.completion_cache import NameCache

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource, Settings, TasksService

__all__ = ["MAX_NAMES", "live_names", "space_given"]

MAX_NAMES = 1000
"""At most this many names are read (ten pages): a prompt is no place for more."""


@dataclasses.dataclass(frozen=True)
class _Where:
    """Which server and scope a question is about."""

    sandbox: bool
    base_url: str | None
    profile: str | None
    space: str | None
    dataset: str | None
    task: str | None

    @classmethod
    def of(cls, context: Any) -> _Where:
        root, params = context.find_root().params, context.params

        def text(value: Any) -> str | None:
            return value.strip() if isinstance(value, str) and value.strip() else None

        return cls(
            sandbox=bool(root.get("sandbox")),
            base_url=text(root.get("base_url")),
            profile=text(root.get("profile")),
            space=text(params.get("space")),
            dataset=text(params.get("dataset")),
            task=text(params.get("task")),
        )

    def settings(self, env: Mapping[str, str], budget: float) -> Settings:
        """The settings the command would use, with no retries and short timeouts."""
        from ax_tasks_mcp import load_settings

        settings = load_settings(
            profile=self.profile, base_url=None if self.sandbox else self.base_url, env=env
        )
        short = max(0.1, budget)
        return dataclasses.replace(
            settings, connect_timeout=short, read_timeout=short, max_retries=0, retry_budget=short
        )

    def question(self, kind: str, settings: Settings, env: Mapping[str, str]) -> list[str]:
        """The cache's key: the server, the profile, the kind and its scope (never the key)."""
        server = (
            f"sandbox:{env.get('AX_TASKS_SANDBOX_DB', '')}" if self.sandbox else settings.base_url
        )
        return [server, self.profile or "", kind, self.space or settings.space or "",
                self.dataset or "", self.task or ""]  # fmt: skip


def _service(where: _Where, settings: Settings, env: Mapping[str, str]) -> TasksService:
    from ax_tasks_mcp import connect

    db = env.get("AX_TASKS_SANDBOX_DB", "").strip() or None
    return connect(settings, sandbox=where.sandbox, sandbox_db=db)


def _named(items: Iterable[Resource], describe: Callable[[Resource], Any]) -> list[tuple[str, str]]:
    pairs = []
    for item in itertools.islice(items, MAX_NAMES):
        name = item.get("name")
        if isinstance(name, str) and name:
            pairs.append((name, str(describe(item) or "")))
    return sorted(pairs, key=lambda pair: pair[0].casefold())


def fetch(kind: str, where: _Where, service: TasksService) -> list[tuple[str, str]]:
    """(value, description) pairs for ``kind`` in ``where``'s scope."""
    if kind == "tasks":
        tasks = service.iter_tasks(space=where.space)
        return _named(tasks, lambda t: str(t.get("type") or "").lower())
    if kind == "runs":
        if where.task is None:
            return []
        runs = itertools.islice(service.iter_runs(where.task, space=where.space), MAX_NAMES)
        return [
            (str(r["id"]), f"{r.get('status', '')} {r.get('created_at', '')}".strip())
            for r in runs
            if isinstance(r.get("id"), str)
        ]
    filters: dict[str, Any] = {} if kind == "spaces" else {"space": where.space}
    if kind == "experiments" and where.dataset:
        filters["dataset"] = where.dataset
    return _named(service.iter_lookup(kind, **filters), lambda item: item.get("id"))


def _within(
    seconds: float, work: Callable[[], list[tuple[str, str]]]
) -> list[tuple[str, str]] | None:
    """``work()`` in a daemon thread, waited for at most ``seconds``: its answer, or None when
    it failed or was not done (the thread is left to die with the process)."""
    answer: list[list[tuple[str, str]]] = []

    def run() -> None:
        with contextlib.suppress(BaseException):  # a completion offers what it has, silently
            answer.append(work())

    worker = threading.Thread(target=run, name="ax-tasks-completion", daemon=True)
    worker.start()
    worker.join(max(0.0, seconds))
    return answer[0] if answer else None


def space_given(context: Any, env: Mapping[str, str] | None = None) -> bool:
    """Whether a space is given, on the command line as typed so far or as the default one
    (``ARIZE_SPACE``, the profile's): without one, a name cannot be looked up."""
    where = _Where.of(context)
    env = os.environ if env is None else env
    return where.space is not None or where.settings(env, 0).space is not None


def live_names(
    kind: str,
    context: Any,
    word: str,
    *,
    env: Mapping[str, str] | None = None,
    budget: float,
    cache: NameCache | None = None,
) -> list[Candidate]:
    """The names of ``kind`` starting with ``word`` (any case), from the cache when it is fresh,
    else from the API within ``budget`` seconds, else from the cache however old, else none."""
    env = os.environ if env is None else env
    cache = cache or NameCache.default()
    where = _Where.of(context)
    settings = where.settings(env, budget)
    question = where.question(kind, settings, env)
    cached = cache.get(question)
    items = cached.items if cached is not None else []
    if cached is None or not cached.fresh:

        def ask() -> list[tuple[str, str]]:
            with _service(where, settings, env) as service:
                return fetch(kind, where, service)

        fetched = _within(budget, ask)
        if fetched is not None:
            cache.put(question, fetched)
            items = fetched
    return matching([Candidate(value, help) for value, help in items], word)
