"""Faults on demand, for resilience tests: errors, latency, hangs. Off by default.

A faulted request is answered before the request is looked at, so it changes nothing. The
decision is separate from the waiting, so the async app and the synchronous transport share it.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Literal

from .core import Response, problem_response

FaultKind = Literal["unavailable", "rate_limited"]


@dataclass(frozen=True)
class FaultConfig:
    """rate: share of requests answered 503 or 429 (Retry-After); latency: seconds added to
    every request; hang: accept requests but answer none (or only after hang_seconds);
    seed: makes the choice of faulted requests reproducible."""

    rate: float = 0.0
    latency: float = 0.0
    hang: bool = False
    hang_seconds: float | None = None
    seed: int | None = None
    retry_after: int = 1

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, not {self.rate}")
        if self.latency < 0:
            raise ValueError(f"latency must not be negative, not {self.latency}")

    @property
    def active(self) -> bool:
        return self.rate > 0 or self.latency > 0 or self.hang


class FaultInjector:
    """Decides, request by request, whether to fault (thread-safe, seedable)."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.config = config or FaultConfig()
        self._random = random.Random(self.config.seed)
        self._lock = threading.Lock()

    def decide(self) -> FaultKind | None:
        if self.config.rate <= 0:
            return None
        with self._lock:
            hit = self._random.random() < self.config.rate
            kind: FaultKind = "unavailable" if self._random.random() < 0.5 else "rate_limited"
        return kind if hit else None

    def response(self, kind: FaultKind) -> Response:
        if kind == "rate_limited":
            return problem_response(
                429,
                "Rate limited (injected fault). Retry after the number of seconds in Retry-After.",
                {"Retry-After": str(self.config.retry_after)},
            )
        return problem_response(503, "Service unavailable (injected fault). Retry later.")
