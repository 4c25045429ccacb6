"""The HTTP client: base URL, auth, timeouts, user agent, and retries.

Retries live in :class:`RetryingTransport`, a wrapper around any ``httpx.BaseTransport``.

* Requests that are safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE, and PATCH, which sets
  absolute values here) are retried on connection failures, timeouts, resets and on 429, 502,
  503 and 504.
* Any other method (POST: create, trigger, cancel) is resent only when it certainly did not
  reach the server: the connection was never made (``ConnectError``, ``ConnectTimeout``,
  ``PoolTimeout``) or the server refused it with 429.

**When a write may have arrived but its answer is lost** (read timeout, reset, protocol error,
or a 502/503/504 from a gateway) the transport never resends it.  It raises
:class:`WriteOutcomeUnknown` - one mechanism for both cases - carrying the request, the cause
(an exception, or None) and the gateway's response (already read and closed, or None).  The
service catches it, reconciles (looks the result up), and only then resends or raises
:class:`ax_tasks_mcp.service.errors.UnknownOutcomeError`.  ``WriteOutcomeUnknown`` is an
``httpx.TransportError``, so it passes unchanged through code built on httpx.

Waits: exponential backoff (0.25 s, doubling, capped at 8 s) with full jitter, unless the
response has a ``Retry-After`` (seconds or HTTP-date), which is honoured up to 30 s.  Every
returned response gets ``response.extensions["ax_tasks_attempts"]`` (1 = no retry), so a
caller can tell e.g. a 404 from a DELETE that was repeated after its first answer was lost.

**Every retry is announced** at INFO on the ``ax_tasks.retry`` logger, in words for a person
("GET /v2/spaces: no answer in 30 s; retrying (2/5) in 0.21 s…"): the CLI shows these lines on
stderr, the service never prints.  **One request's retries have a total bound**, ``budget``
seconds from its first attempt (``AX_TASKS_RETRY_BUDGET``, default 40 s): no retry starts once
it is spent, and a retry's timeouts are shortened to what is left, so a server that accepts
and never answers costs a command about 40 s rather than five full read timeouts.

Debug logging names the method, path, final status and attempt; headers are never logged.
"""

from __future__ import annotations

import logging
import os
import platform
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import httpx

from ax_tasks_mcp.service.failures import parse_retry_after, untrusted_certificate
from ax_tasks_mcp.service.proxies import network_transport
from ax_tasks_mcp.service.settings import Settings
from ax_tasks_mcp.telemetry import traced_transport
from ax_tasks_mcp.version import __version__

__all__ = [
    "ATTEMPTS_EXTENSION",
    "IDEMPOTENT_METHODS",
    "RetryingTransport",
    "WriteOutcomeUnknown",
    "build_http_client",
    "default_user_agent",
]

#: Methods that may be repeated without changing the outcome.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"})
#: Statuses worth another try for a request that is safe to repeat.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: Gateway answers after which a write may or may not have happened.
OUTCOME_UNKNOWN_STATUSES = frozenset({502, 503, 504})
#: Failures before the request left: any request may be resent.
NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
#: Failures after the request may have arrived: only safe requests are resent.
MAYBE_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
ATTEMPTS_EXTENSION = "ax_tasks_attempts"
LOG = logging.getLogger("ax_tasks")
#: Where retries are announced, one INFO line each.
RETRY_LOG = logging.getLogger("ax_tasks.retry")

BACKOFF_BASE = 0.25
BACKOFF_FACTOR = 2.0
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 30.0


class WriteOutcomeUnknown(httpx.TransportError):
    """A non-idempotent request may have reached the server, but its answer was lost.

    ``cause`` is the network exception (or None), ``response`` the 502/503/504 gateway
    response (or None).  The request was *not* resent.
    """

    def __init__(
        self,
        request: httpx.Request,
        cause: BaseException | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        if response is not None:
            why = f"the server answered {response.status_code}"
        elif cause is not None:
            why = type(cause).__name__
        else:
            why = "unknown"
        super().__init__(
            f"{request.method} {request.url.path}: outcome unknown ({why}); not resent",
            request=request,
        )
        self.cause = cause
        self.response = response

    @property
    def reason(self) -> str:
        """A short description of what was lost, for messages."""
        if self.response is not None:
            return f"HTTP {self.response.status_code} {self.response.reason_phrase}".strip()
        if self.cause is not None:
            return type(self.cause).__name__
        return "no answer"


class RetryingTransport(httpx.BaseTransport):
    """Wrap ``inner`` with bounded, jittered retries that never repeat an unsafe write."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        max_retries: int = 4,
        sleep: Callable[[float], object] = time.sleep,
        rng: Callable[[], float] = random.random,
        *,
        log: logging.Logger = LOG,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        backoff_base: float = BACKOFF_BASE,
        backoff_factor: float = BACKOFF_FACTOR,
        backoff_cap: float = BACKOFF_CAP,
        retry_after_cap: float = RETRY_AFTER_CAP,
        budget: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        announce: logging.Logger = RETRY_LOG,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.inner = inner
        self.max_retries = max_retries
        self._sleep = sleep
        self._rng = rng
        self._log = log
        self._now = now
        self.backoff_base = backoff_base
        self.backoff_factor = backoff_factor
        self.backoff_cap = backoff_cap
        self.retry_after_cap = retry_after_cap
        self.budget = budget
        self._clock = clock
        self._announce = announce

    # -- waits ---------------------------------------------------------------------------

    def backoff(self, retry: int) -> float:
        """The wait before retry number ``retry`` (1-based): full jitter under the cap."""
        ceiling = min(self.backoff_cap, self.backoff_base * self.backoff_factor ** (retry - 1))
        fraction = min(1.0, max(0.0, self._rng()))
        return fraction * ceiling

    def _wait_for(self, retry: int, response: httpx.Response | None) -> float:
        if response is not None:
            advised = parse_retry_after(response.headers.get("retry-after"), now=self._now)
            if advised is not None:
                return min(advised, self.retry_after_cap)
        return self.backoff(retry)

    # -- the loop ------------------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        method = request.method.upper()
        safe = method in IDEMPOTENT_METHODS
        path = request.url.path
        total = self.max_retries + 1
        request.read()  # buffer the body so that a retry can send it again
        timeouts = dict(request.extensions.get("timeout") or {})
        if self.budget is not None:  # not even the first attempt waits beyond the budget
            request.extensions["timeout"] = _capped(timeouts, self.budget)
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.inner.handle_request(request)
            except NOT_SENT_ERRORS as exc:
                if untrusted_certificate(exc) or not self._retry(
                    request, attempt, total, _failure(exc, request), None, started, timeouts
                ):
                    raise
                continue
            except MAYBE_SENT_ERRORS as exc:
                if not safe:
                    self._log.debug(
                        "%s %s attempt %d/%d: %s, outcome unknown, not resent",
                        method,
                        path,
                        attempt,
                        total,
                        type(exc).__name__,
                    )
                    raise WriteOutcomeUnknown(request, cause=exc) from exc
                if not self._retry(
                    request, attempt, total, _failure(exc, request), None, started, timeouts
                ):
                    raise
                continue

            status = response.status_code
            if not safe and status in OUTCOME_UNKNOWN_STATUSES:
                self._log.debug("%s %s attempt %d/%d: %d", method, path, attempt, total, status)
                response.request = request
                try:
                    response.read()
                finally:
                    response.close()
                self._log.debug("%s %s: outcome unknown after %d, not resent", method, path, status)
                raise WriteOutcomeUnknown(request, response=response)
            retryable = status in RETRY_STATUSES and (safe or status == 429)
            why = f"the server answered {status}"
            if retryable and self._retry(request, attempt, total, why, response, started, timeouts):
                response.close()
                continue
            self._log.debug("%s %s attempt %d/%d: %d", method, path, attempt, total, status)
            response.extensions[ATTEMPTS_EXTENSION] = attempt
            return response

    def _retry(
        self,
        request: httpx.Request,
        attempt: int,
        total: int,
        why: str,
        response: httpx.Response | None,
        started: float,
        timeouts: dict[str, float | None],
    ) -> bool:
        """Announce and wait for another attempt, shortening its timeouts to the budget left;
        False (after saying why) when no attempt or no budget is left."""
        where = f"{request.method.upper()} {request.url.path}"
        if attempt > self.max_retries:
            self._announce.info("%s: %s; giving up after %d attempts.", where, why, attempt)
            return False
        wait = self._wait_for(attempt, response)
        if self.budget is not None:
            left = self.budget - (self._clock() - started) - wait
            if left <= 0:
                self._announce.info(
                    "%s: %s; giving up: the retry budget of %g s is spent (AX_TASKS_RETRY_BUDGET).",
                    where,
                    why,
                    self.budget,
                )
                return False
            request.extensions["timeout"] = _capped(timeouts, left)
        self._announce.info(
            "%s: %s; retrying (%d/%d) in %.2f s…", where, why, attempt + 1, total, wait
        )
        self._sleep(wait)
        return True

    def close(self) -> None:
        self.inner.close()


def _failure(exc: httpx.TransportError, request: httpx.Request) -> str:
    """What went wrong, in words: "no answer in 30 s", "could not connect", ..."""
    timeouts = request.extensions.get("timeout") or {}
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
        seconds = timeouts.get("read") if isinstance(exc, httpx.ReadTimeout) else None
        return f"no answer in {seconds:.3g} s" if seconds else "no answer in time"
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        seconds = timeouts.get("connect")
        return f"no connection in {seconds:.3g} s" if seconds else "no connection in time"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return f"the connection broke ({type(exc).__name__})"


def _capped(timeouts: dict[str, float | None], left: float) -> dict[str, float]:
    """The request's timeouts, none longer than ``left`` seconds."""
    capped: dict[str, float] = {}
    for key in ("connect", "read", "write", "pool"):
        given = timeouts.get(key)
        capped[key] = left if given is None else min(given, left)
    return capped


def default_user_agent() -> str:
    """``ax-tasks/<version> (python <version>)``."""
    return f"ax-tasks/{__version__} (python {platform.python_version()})"


def build_http_client(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    user_agent: str | None = None,
    sleep: Callable[[float], object] = time.sleep,
    rng: Callable[[], float] = random.random,
    log: logging.Logger = LOG,
    clock: Callable[[], float] = time.monotonic,
    env: Mapping[str, str] | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` for the Arize API as ``settings`` describe it.

    ``transport`` replaces the network (tests pass ``httpx.MockTransport``; the embedded
    sandbox passes its ASGI/WSGI bridge); retries wrap it either way.  Without it, the network
    goes through the proxy ``env`` (default: the environment) names, as httpx would choose it
    (:mod:`ax_tasks_mcp.service.proxies`).  ``user_agent`` replaces
    :func:`default_user_agent`.  The key goes only into the ``Authorization`` header, and only
    when one is set.
    """
    headers = {
        "Accept": "application/json",
        "User-Agent": user_agent or default_user_agent(),
    }
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )
    retrying = RetryingTransport(
        traced_transport(
            transport
            if transport is not None
            else network_transport(settings.base_url, os.environ if env is None else env)
        ),
        max_retries=settings.max_retries,
        sleep=sleep,
        rng=rng,
        log=log,
        budget=settings.retry_budget,
        clock=clock,
    )
    return httpx.Client(
        base_url=settings.base_url,
        headers=headers,
        timeout=timeout,
        transport=retrying,
        follow_redirects=False,
    )
