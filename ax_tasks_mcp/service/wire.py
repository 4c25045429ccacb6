"""The one place that calls the API's operations: each request is built by its operation's
generated, typed builder (``ax_tasks_client.api.<tag>.<operation>.build_request``, keyword
arguments mypy checks), sent over our own ``httpx.Client`` (auth, retries and timeouts live
there, see transport.py), and its answer read tolerantly (answers.py).

Request bodies arrive as the generated models bodies.py built; list filters go through
listing.py.  The generated response models are not used: they reject a value or reorder the
fields a newer API may send (the API is ALPHA).  Every generated module is imported when its
operation is first called, so a read pays only for the module of its own operation.

* Every HTTP status >= 400 becomes one of our errors in a response event hook
  (:func:`ax_tasks_mcp.service.failures.error_from_response`).
* Network failures become :class:`~ax_tasks_mcp.service.errors.ConnectionFailedError`; a write whose
  answer was lost (the transport's ``WriteOutcomeUnknown``) becomes :class:`LostAnswer`, which
  the service reconciles.
* Lowercase enum values in answers are read as UPPERCASE (answers.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import quote

import httpx

from ax_tasks_client.models.task_run_status import TaskRunStatus
from ax_tasks_mcp.service.answers import Unreadable, read_page, read_resource, upper_enums
from ax_tasks_mcp.service.errors import AxTasksError, NotFoundError
from ax_tasks_mcp.service.failures import error_from_exception, error_from_response
from ax_tasks_mcp.service.listing import LISTS, Query, task_runs_request
from ax_tasks_mcp.service.models import Page, PlannedRequest, Resource
from ax_tasks_mcp.service.transport import ATTEMPTS_EXTENSION, WriteOutcomeUnknown

if TYPE_CHECKING:
    from ax_tasks_mcp.service.bodies import CreateBody, TriggerBody, UpdateBody

__all__ = ["RUN_STATUSES", "ArizeApi", "LostAnswer"]

R = TypeVar("R")

#: The run statuses this version knows: the spec's, sorted by the generator (a new one needs no
#: code, only scripts/regen.sh).
RUN_STATUSES: Final = tuple(str(member.value) for member in TaskRunStatus)


class LostAnswer(Exception):
    """A write (POST) may have reached the server but its answer was lost; it was not resent."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        super().__init__(f"{method} {path}: the answer was lost ({reason})")
        self.method = method
        self.path = path
        self.reason = reason


def _path_id(value: str) -> str:
    return quote(str(value), safe="")


class ArizeApi:
    """The generated client's requests over ``http``, with our errors and dict results."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        check_auth: Callable[[], object] | None = None,
    ) -> None:
        self.http = http
        self.base_url = str(http.base_url).rstrip("/")
        self._check_auth = check_auth
        self._local = threading.local()
        hooks = http.event_hooks
        http.event_hooks = {
            "request": [*hooks.get("request", []), self._on_request],
            "response": [*hooks.get("response", []), self._on_response],
        }

    # -- hooks ---------------------------------------------------------------------------

    def _on_request(self, request: httpx.Request) -> None:
        if self._check_auth is not None and "authorization" not in request.headers:
            self._check_auth()  # raises AuthenticationError saying where to put a key

    def _on_response(self, response: httpx.Response) -> None:
        self._local.response = response
        if response.status_code >= 400:
            response.read()
            raise error_from_response(response)

    # -- the call ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of an API path."""
        return self.base_url + path

    def plan(
        self, method: str, path: str, body: Any = None, notes: Iterable[str] = ()
    ) -> PlannedRequest:
        return PlannedRequest(method=method, url=self.url(path), body=body, notes=list(notes))

    def _send(self, request: httpx.Request) -> httpx.Response:
        """Send a request an operation's generated builder made."""
        self._local.response = None
        try:
            return self.http.send(request)
        except WriteOutcomeUnknown as exc:
            raise LostAnswer(exc.request.method, exc.request.url.path, exc.reason) from exc
        except AxTasksError:
            raise
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, self.base_url) from exc

    def _read(self, response: httpx.Response, shape: Callable[[Any], R]) -> R:
        """The answer's JSON, read once, in the shape the service relies on."""
        try:
            return shape(upper_enums(response.json()))
        except (ValueError, Unreadable) as exc:
            why = str(exc) if isinstance(exc, Unreadable) else "it is not JSON"
            raise AxTasksError(
                f"The API's answer to {response.request.method} {response.request.url.path} "
                f"(HTTP {response.status_code}) could not be read: {why}. Check that the base "
                "URL points at the Arize API (ARIZE_BASE_URL / profile); if it does, the API "
                "may have changed: upgrade ax-tasks."
            ) from None

    # -- lists ---------------------------------------------------------------------------

    def _page(self, query: Query, build: Callable[[Query], httpx.Request], key: str) -> Page:
        request = build(query)
        unknown = query.rest()
        if unknown:  # a filter no builder takes: the caller's mistake, never sent
            raise ValueError(f"{key} take no {', '.join(map(repr, unknown))} filter")
        return self._read(self._send(request), lambda data: read_page(data, key))

    def list_page(
        self, kind: str, *, limit: int | None = None, cursor: str | None = None, **params: Any
    ) -> Page:
        """One page of ``GET /v2/<kind>``; ``params`` are its query filters by API name (None:
        absent)."""
        builder, key = LISTS[kind]
        query = Query({**params, "limit": limit, "cursor": cursor or None})
        return self._page(query, lambda q: builder(self.http, q), key)

    def list_runs(
        self,
        task_id: str,
        *,
        status: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        query = Query({"status": status, "limit": limit, "cursor": cursor or None})
        return self._page(query, lambda q: task_runs_request(self.http, task_id, q), "task_runs")

    # -- one resource ----------------------------------------------------------------------

    def _one(self, request: httpx.Request) -> Resource:
        return self._read(self._send(request), read_resource)

    def get_task(self, task_id: str) -> Resource:
        from ax_tasks_client.api.tasks import get_task

        return self._one(get_task.build_request(self.http, task_id=task_id))

    def create_task(self, body: CreateBody) -> Resource:
        from ax_tasks_client.api.tasks import create_task

        return self._one(create_task.build_request(self.http, body=body))

    def update_task(self, task_id: str, body: UpdateBody) -> Resource:
        from ax_tasks_client.api.tasks import update_task

        return self._one(update_task.build_request(self.http, task_id=task_id, body=body))

    def delete_task(self, task_id: str) -> None:
        from ax_tasks_client.api.tasks import delete_task

        try:
            self._send(delete_task.build_request(self.http, task_id=task_id))
        except NotFoundError:
            response: httpx.Response | None = getattr(self._local, "response", None)
            if response is not None and response.extensions.get(ATTEMPTS_EXTENSION, 1) > 1:
                return  # the first DELETE landed, its answer was lost and the retry found none
            raise

    def trigger_run(self, task_id: str, body: TriggerBody) -> Resource:
        from ax_tasks_client.api.task_runs import trigger_task_run

        return self._one(trigger_task_run.build_request(self.http, task_id=task_id, body=body))

    def get_run(self, run_id: str) -> Resource:
        from ax_tasks_client.api.task_runs import get_task_run

        return self._one(get_task_run.build_request(self.http, run_id=run_id))

    def cancel_run(self, run_id: str) -> Resource:
        from ax_tasks_client.api.task_runs import cancel_task_run

        return self._one(cancel_task_run.build_request(self.http, run_id=run_id))

    # -- paths (for dry runs and messages) -------------------------------------------------

    @staticmethod
    def task_path(task_id: str | None = None, suffix: str = "") -> str:
        return "/v2/tasks" if task_id is None else f"/v2/tasks/{_path_id(task_id)}{suffix}"

    @staticmethod
    def run_path(run_id: str, suffix: str = "") -> str:
        return f"/v2/task-runs/{_path_id(run_id)}{suffix}"
