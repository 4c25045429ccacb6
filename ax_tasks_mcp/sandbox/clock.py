"""Time: the injectable clock, and the wire format of datetimes.

Inside the sandbox a moment is a float of seconds since the epoch (UTC); on the wire it is
RFC 3339 with milliseconds and ``Z``, as the real service writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
)


def system_clock() -> datetime:
    return datetime.now(UTC)


def epoch(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("the sandbox clock must return an aware datetime")
    return moment.timestamp()


def iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_or_none(seconds: float | None) -> str | None:
    return None if seconds is None else iso(seconds)


def is_rfc3339(value: str) -> bool:
    if not _RFC3339.match(value):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def parse(value: str) -> float:
    """RFC 3339 (offset or Z) to epoch seconds; ValueError otherwise."""
    if not _RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    text = value.replace("z", "Z").replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    return moment.timestamp()
