"""Checks on a caller's arguments, made before anything is read or sent.

Each raises ValidationError with a message that says what is accepted, so both faces can show
it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from ax_tasks_mcp.service.bounds import FIELD_LIMITS, MAX_NAME, check_text
from ax_tasks_mcp.service.errors import ValidationError, shown
from ax_tasks_mcp.service.lenient import NEWER_VALUE, normalize_enum
from ax_tasks_mcp.service.models import TASK_TYPES
from ax_tasks_mcp.service.wire import RUN_STATUSES
from ax_tasks_mcp.service.words import field, fields

MAX_PAGE_SIZE: Final = 100
RUN_EXPERIMENT: Final = "RUN_EXPERIMENT"
EXPERIMENT_NAME_BAD: Final = re.compile(r'["\\]')


def parse_task_type(value: Any, *, newer: bool = False) -> str:
    """A task type in any case; ``newer``: a filter, which also takes a value this version does
    not know yet, as the API shows it (one word), and lets the API judge it."""
    normalized = normalize_enum(value)
    if normalized not in TASK_TYPES and not (newer and _is_newer(normalized)):
        raise ValidationError(
            f"Unknown task type {shown(value)}: use one of {', '.join(TASK_TYPES)} "
            f"(any case){_OR_NEWER if newer else ''}."
        )
    return str(normalized)


#: What a filter also takes, said when it refuses a value.
_OR_NEWER: Final = ", or another single word the API shows"


def _is_newer(value: Any) -> bool:
    return isinstance(value, str) and NEWER_VALUE.fullmatch(value) is not None


def parse_run_status(value: Any, *, newer: bool = False) -> str:
    """A run status in any case; ``newer`` as for :func:`parse_task_type`."""
    normalized = normalize_enum(value)
    if normalized not in RUN_STATUSES and not (newer and _is_newer(normalized)):
        raise ValidationError(
            f"Unknown run status {shown(value)}: use one of {', '.join(RUN_STATUSES)} "
            f"(any case){_OR_NEWER if newer else ''}."
        )
    return str(normalized)


def check_limit(limit: int | None, what: str = "limit") -> None:
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"{field(what)} must be a whole number from 1 to {MAX_PAGE_SIZE}, not {shown(limit)}."
        )


def check_positive_int(value: Any, what: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"{field(what)} must be a whole number of at least 1, not {shown(value)}."
        )


def check_name(value: Any, what: str = "name") -> None:
    """A new name: text that is not blank, one line, at most MAX_NAME characters."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"The {what} must be a non-empty string, not {shown(value)}.")
    check_text(value, "name", MAX_NAME, one_line=True)


def check_name_filter(value: Any) -> None:
    """A name filter: the spec takes at most 255 characters; one line, as every name."""
    check_text(value, "name", FIELD_LIMITS["name"], one_line=True)


def check_rate(value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValidationError(
            f"{field('sampling_rate')} must be a number from 0 to 1, not {shown(value)}."
        )


def as_datetime(value: datetime | str, what: str) -> datetime:
    """An aware datetime; naive ones (and strings without an offset) are taken as UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            raise ValidationError(
                f"{field(what)} must be an RFC 3339 date-time such as 2026-03-01T00:00:00Z, "
                f"not {shown(value)}."
            ) from None
    if not isinstance(value, datetime):
        raise ValidationError(f"{field(what)} must be a date-time, not {shown(value)}.")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=UTC)
    return value


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return as_datetime(value, "time")
    except ValidationError:
        return None


def string_list(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(f"{field(what)} must be a list of strings, not {shown(value)}.")
    items = list(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"{field(what)} must hold non-empty strings, not {shown(item)}.")
    return items


def string_map(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError(
            f'{field(what)} must be a JSON object of strings, such as {{"purpose": "regression"}}, '
            f"not {shown(value)}."
        )
    return dict(value)


def reject_unfit(given: Sequence[str], allowed: Sequence[str], what: str, *, action: str) -> None:
    bad = [f for f in given if f not in allowed]
    if bad:
        verb = "does" if len(bad) == 1 else "do"
        raise ValidationError(
            f"{fields(bad)} {verb} not apply to {what}, so nothing was {action}. "
            f"Fields that do: {fields(allowed)}.",
            valid_fields=list(allowed),
        )


def reject_mixed(given: Sequence[str], table: Mapping[str, Sequence[str]], *, action: str) -> None:
    """Fields that fit no single task type are refused before anything is read or sent."""
    evaluation = [f for f in given if f not in table[RUN_EXPERIMENT]]
    run = [f for f in given if f not in table["EVALUATION"]]
    if evaluation and run:
        raise ValidationError(
            f"These fields cannot all apply to one task: {fields(evaluation)} "
            f"{'is' if len(evaluation) == 1 else 'are'} for evaluation tasks, "
            f"{fields(run)} for RUN_EXPERIMENT tasks; nothing was {action}. "
            f"Evaluation tasks take {fields(table['EVALUATION'])}; RUN_EXPERIMENT tasks "
            f"take {fields(table[RUN_EXPERIMENT])}."
        )


def check_experiment_name(value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field('experiment_name')} must be a non-empty string.")
    if len(value) > 255 or EXPERIMENT_NAME_BAD.search(value):
        raise ValidationError(
            f"{field('experiment_name')} must be 1-255 characters without double quotes or "
            "backslashes, "
            f"not {shown(value)}."
        )
