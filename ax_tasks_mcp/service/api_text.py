"""Text the API writes (a problem's detail, a run's ``failure_reason``) names request fields by
their API names: marked here, so each face reads them in its own words.

Only names that are plainly fields are marked: the request fields with an underscore
(``override_evaluations``, ``data_start_time``), never ordinary words such as "name"; and a list
filter named as a query parameter (``query parameter 'type'``), as the filter both faces take
(``task_type``: ``--task-type`` in the CLI).  A
boolean written as ``field=true`` is marked as the field alone: that is how both faces turn it
on (``--override-evaluations``; ``override_evaluations`` in a tool call).  The text itself is
kept as received wherever it is data (``detail``, the run's fields).
"""

from __future__ import annotations

import re
from typing import Final

from ax_tasks_mcp.service.requests import CREATE_FIELDS, TRIGGER_FIELDS, UPDATE_FIELDS
from ax_tasks_mcp.service.words import field

__all__ = ["mark_api_fields"]

_NAMES: Final = sorted(
    {
        name
        for table in (CREATE_FIELDS, UPDATE_FIELDS, TRIGGER_FIELDS)
        for names in table.values()
        for name in names
        if "_" in name
    },
    key=len,
    reverse=True,
)
_FIELD: Final = re.compile(rf"(?<![\w{{:-])({'|'.join(_NAMES)})(?:=true\b)?(?![\w}}-])")

#: The list filters' query parameters by the filter the service (and both faces) call them.
_QUERY_FILTERS: Final = {
    "type": "task_type",
    "status": "status",
    "space_id": "space",
    "space_name": "space",
    "project_id": "project",
    "dataset_id": "dataset",
    "name": "name",
    "limit": "limit",
    "cursor": "cursor",
}
_QUERY: Final = re.compile(
    rf"(query parameter\s+)(['\"`]?)({'|'.join(_QUERY_FILTERS)})\2(?![\w-])", re.IGNORECASE
)


def mark_api_fields(text: str) -> str:
    """``text`` with the request fields and list filters it names marked (see the module's
    note)."""
    text = _QUERY.sub(lambda found: found.group(1) + field(_QUERY_FILTERS[found.group(3)]), text)
    return _FIELD.sub(lambda found: field(found.group(1)), text)
