"""Text the API writes (a problem's detail, a run's ``failure_reason``) names request fields by
their API names: marked here, so each face reads them in its own words.

Only names that are plainly fields are marked: the request fields with an underscore
(``override_evaluations``, ``data_start_time``), never ordinary words such as "name".  A
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


def mark_api_fields(text: str) -> str:
    """``text`` with the request fields it names marked (see the module's note)."""
    return _FIELD.sub(lambda found: field(found.group(1)), text)
