"""The list operations' requests: query filters by their API names, passed to each operation's
generated request builder under its typed argument.

The service names filters as the API does (``space_id``, ``type``, ``limit``; None: absent).  Each
list kind has one builder below that hands every filter the operation takes to the generated
``build_request`` by keyword, so mypy checks the names and types against the generated code: a
parameter the spec renames or drops fails the type check here.  A new query parameter needs its
line here (and its option on each face).  Generated modules are imported when a list is first
read, so a read loads only its own operation.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Final, Protocol, TypeVar, cast

import httpx

from ax_tasks_client.types import UNSET, Unset
from ax_tasks_mcp.service.errors import ValidationError, shown
from ax_tasks_mcp.service.lenient import NEWER_VALUE, normalize_enum

__all__ = ["LISTS", "Query", "task_runs_request"]

E = TypeVar("E", bound=enum.Enum)
_WORD: Final = re.compile(r"[A-Z][A-Z0-9_]*")


class _NewerValue:
    """A filter value newer than this version's enum (one uppercase word)."""

    def __init__(self, value: str) -> None:
        self.value = value


class Query:
    """One list call's filters by API name (None: absent).  A builder takes each filter it
    knows; :meth:`rest` names what no builder took (a programming error, never sent)."""

    def __init__(self, params: Mapping[str, object]) -> None:
        self._params = dict(params)
        self._taken: set[str] = set()

    def _value(self, name: str) -> object:
        self._taken.add(name)
        return self._params.get(name)

    def text(self, name: str) -> str | Unset:
        value = self._value(name)
        return UNSET if value is None else str(value)

    def number(self, name: str) -> int | Unset:
        value = self._value(name)
        if value is None:
            return UNSET
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{name} must be a whole number, not {value!r}.")
        return value

    def choice(self, name: str, values: type[E]) -> E | Unset:
        """A fixed value in any case; one this version does not know is sent as it is when it
        is one uppercase word (the API may know it: a filter lets the API judge), any other
        refused, listing the values it does."""
        value = self._value(name)
        if value is None:
            return UNSET
        word = normalize_enum(value)
        try:
            return values(word)
        except ValueError:
            if isinstance(word, str) and NEWER_VALUE.fullmatch(word):
                # The generated builder reads only .value: a stand-in sends the word as is.
                return cast(E, _NewerValue(word))
            known = ", ".join(str(member.value) for member in values)
            raise ValidationError(f"Unknown {name} {shown(value)}: use one of {known}.") from None

    def open_choice(self, name: str, values: type[E]) -> tuple[E | Unset, str | None]:
        """A filter whose values the API may add to (read tolerantly): a known one as its
        member, any other UPPERCASE word as that word to send as given (second), anything
        else refused."""
        value = self._value(name)
        if value is None:
            return UNSET, None
        word = normalize_enum(value)
        try:
            return values(word), None
        except ValueError:
            if isinstance(word, str) and _WORD.fullmatch(word):
                return UNSET, word
            known = ", ".join(str(member.value) for member in values)
            raise ValidationError(
                f"{name} must be one word such as {known}, not {value!r}."
            ) from None

    def rest(self) -> list[str]:
        """The filters given that no builder took."""
        return sorted(set(self._params) - self._taken)


def _tasks(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.tasks import list_tasks
    from ax_tasks_client.models.task_type import TaskType

    return list_tasks.build_request(
        http,
        space_id=query.text("space_id"),
        space_name=query.text("space_name"),
        name=query.text("name"),
        project_id=query.text("project_id"),
        dataset_id=query.text("dataset_id"),
        type_=query.choice("type", TaskType),
        limit=query.number("limit"),
        cursor=query.text("cursor"),
    )


def _spaces(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.spaces import list_spaces

    return list_spaces.build_request(
        http,
        org_id=query.text("org_id"),
        name=query.text("name"),
        limit=query.number("limit"),
        cursor=query.text("cursor"),
    )


def _projects(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.projects import list_projects
    from ax_tasks_client.models.project_type import ProjectType

    return list_projects.build_request(
        http,
        space_id=query.text("space_id"),
        space_name=query.text("space_name"),
        name=query.text("name"),
        project_type=query.choice("project_type", ProjectType),
        limit=query.number("limit"),
        cursor=query.text("cursor"),
    )


class _SpaceList(Protocol):
    """The request builder of a list a space scopes (datasets, evaluators, AI integrations)."""

    def __call__(
        self,
        client: httpx.Client,
        *,
        space_id: str | Unset = ...,
        space_name: str | Unset = ...,
        name: str | Unset = ...,
        limit: int | Unset = ...,
        cursor: str | Unset = ...,
    ) -> httpx.Request: ...


def _in_space(build: _SpaceList, http: httpx.Client, query: Query) -> httpx.Request:
    return build(
        http,
        space_id=query.text("space_id"),
        space_name=query.text("space_name"),
        name=query.text("name"),
        limit=query.number("limit"),
        cursor=query.text("cursor"),
    )


def _datasets(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.datasets import list_datasets

    return _in_space(list_datasets.build_request, http, query)


def _evaluators(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.evaluators import list_evaluators

    return _in_space(list_evaluators.build_request, http, query)


def _ai_integrations(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.ai_integrations import list_ai_integrations

    return _in_space(list_ai_integrations.build_request, http, query)


def _experiments(http: httpx.Client, query: Query) -> httpx.Request:
    from ax_tasks_client.api.experiments import list_experiments

    return list_experiments.build_request(
        http,
        dataset_id=query.text("dataset_id"),
        space_id=query.text("space_id"),
        name=query.text("name"),
        limit=query.number("limit"),
        cursor=query.text("cursor"),
    )


def task_runs_request(http: httpx.Client, task_id: str, query: Query) -> httpx.Request:
    """``GET /v2/tasks/{task_id}/runs``: the one list under a resource."""
    from ax_tasks_client.api.task_runs import list_task_runs
    from ax_tasks_client.models.task_run_status import TaskRunStatus

    status, new_status = query.open_choice("status", TaskRunStatus)
    request = list_task_runs.build_request(
        http,
        task_id=task_id,
        status=status,
        limit=query.number("limit"),
        cursor=query.text("cursor"),
    )
    if new_status is not None:  # a status the API shows that this version does not know yet
        request.url = request.url.copy_add_param("status", new_status)
    return request


Builder = Callable[[httpx.Client, Query], httpx.Request]

#: list kind → (its request builder, the key of the items in its answer)
LISTS: Final[dict[str, tuple[Builder, str]]] = {
    "tasks": (_tasks, "tasks"),
    "spaces": (_spaces, "spaces"),
    "projects": (_projects, "projects"),
    "datasets": (_datasets, "datasets"),
    "evaluators": (_evaluators, "evaluators"),
    "experiments": (_experiments, "experiments"),
    "ai_integrations": (_ai_integrations, "ai_integrations"),
}
