"""The simulated data the tasks work on: spans in projects, examples in datasets.

Nothing here is stored: span volume is a deterministic function of the project and the hour
(a daily rhythm, quieter weekends, some noise), and example IDs are derived from the dataset and
the example's position, so every process computes the same numbers.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Iterable, Sequence

HOUR = 3600.0
DAY = 24 * HOUR
_EXAMPLE_NAMESPACE = uuid.UUID("6f1d4c1e-8a57-4d8e-9a43-3f0c2b6b8e11")


def unit_hash(*parts: object) -> float:
    """A deterministic number in [0, 1) from the parts."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def spans_in_hour(project_id: int, spans_per_hour: int, hour_index: int) -> float:
    """Spans a project received during one hour (hour_index = epoch seconds // 3600)."""
    hour_of_day = hour_index % 24
    day_index = hour_index // 24
    daily = 0.35 + 0.65 * (1 + math.sin(2 * math.pi * (hour_of_day - 9) / 24)) / 2
    weekday = (day_index + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    weekly = 0.55 if weekday >= 5 else 1.0
    noise = 0.7 + 0.6 * unit_hash("spans", project_id, hour_index)
    return spans_per_hour * daily * weekly * noise


def span_count(
    project_id: int, spans_per_hour: int, born: float, start: float, end: float, now: float
) -> int:
    """Spans received in [start, end), counting only after the project existed and before now."""
    lo = max(start, born)
    hi = min(end, now)
    if hi <= lo:
        return 0
    total = 0.0
    first = int(lo // HOUR)
    last = math.ceil(hi / HOUR)
    for hour_index in range(first, last):
        h_lo = max(lo, hour_index * HOUR)
        h_hi = min(hi, (hour_index + 1) * HOUR)
        if h_hi > h_lo:
            share = (h_hi - h_lo) / HOUR
            total += share * spans_in_hour(project_id, spans_per_hour, hour_index)
    return round(total)


def merge_windows(windows: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(w for w in windows if w[1] > w[0]):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def overlap(
    window: tuple[float, float], covered: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The parts of window inside the covered (merged) windows."""
    parts = []
    for lo, hi in covered:
        a, b = max(lo, window[0]), min(hi, window[1])
        if b > a:
            parts.append((a, b))
    return parts


def filter_share(expression: str | None) -> float:
    """The share of items a filter expression lets through (deterministic, 20%-90%)."""
    if not expression:
        return 1.0
    return 0.2 + 0.7 * unit_hash("filter", expression.strip())


def example_id(dataset_id: int, position: int) -> str:
    return str(uuid.uuid5(_EXAMPLE_NAMESPACE, f"{dataset_id}:{position}"))


def example_ids(dataset_id: int, count: int) -> list[str]:
    """The example IDs of a dataset version holding the dataset's first `count` examples."""
    return [example_id(dataset_id, i) for i in range(count)]


def error_share(*parts: object) -> float:
    """The share of items that error in a run (deterministic, 0%-3%)."""
    return 0.03 * unit_hash("errors", *parts)
