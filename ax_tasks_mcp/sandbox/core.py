"""The request pipeline as one plain synchronous function.

``Sandbox.handle(method, path, query, headers, body) -> Response`` routes by the spec, checks
auth, validates parameters and body against the spec, materialises runs that became due, calls
the operation's handler and turns errors into problem+json. The ASGI app and the embedded httpx
transport are thin wrappers over it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from . import runs, seed
from .clock import Clock, epoch, system_clock
from .context import Context
from .future import Future, extended_spec, future_from_env
from .handlers import BODY_CHECKED_BY_HANDLER, OPERATIONS
from .problems import PROBLEM_JSON, ApiError, bad_request, problem
from .settings import check_speed, speed_from_env
from .store import Store
from .validation import Spec

SANDBOX_USER = seed.SANDBOX_USER_NUMBER

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def resolve_speed(speed: float | None) -> float:
    """The speed given, else $AX_TASKS_SANDBOX_SPEED, else 1; refused outside its range."""
    return speed_from_env() if speed is None else check_speed(speed, "speed")


_SPEC_CACHE: dict[tuple[str, bool], Spec] = {}


def load_spec(future: bool = False) -> Spec:
    """The spec (extended as a next release would extend it, in future mode), loaded once per
    process."""
    from .validation import spec_path

    key = (str(spec_path()), future)
    if key not in _SPEC_CACHE:
        spec = _SPEC_CACHE.get((key[0], False)) or Spec.load(key[0])
        _SPEC_CACHE[(key[0], False)] = spec
        if future:
            spec = Spec(extended_spec(spec.document))
        _SPEC_CACHE[key] = spec
    return _SPEC_CACHE[key]


class Sandbox:
    """One sandbox over one database; safe to share between threads."""

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        speed: float | None = None,
        spec: Spec | None = None,
        future: bool | None = None,
    ) -> None:
        """future None reads $AX_TASKS_SANDBOX_FUTURE (see future.py)."""
        self.clock = clock or system_clock
        self.speed = resolve_speed(speed)
        is_future = future_from_env(future)
        self.spec = spec or load_spec(is_future)
        self.future = Future(self.spec.document) if is_future else None
        self.store = Store(db_path)
        self.store.ensure_ready(seed.seed, self.now())

    def now(self) -> float:
        return epoch(self.clock())

    def close(self) -> None:
        self.store.close()

    def handle(
        self,
        method: str,
        path: str,
        query: str | bytes = "",
        headers: Headers = (),
        body: bytes = b"",
    ) -> Response:
        """Answer one request. `path` is the raw (percent-encoded) path."""
        try:
            status, payload = self._dispatch(method, path, query, _lower(headers), body)
        except ApiError as exc:
            return problem_response(exc.status, exc.detail, exc.headers)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                # Nothing was written: a 429 tells a client it may send even a write again.
                return problem_response(
                    429,
                    f"The sandbox database {self.store.path} is locked by another process "
                    "(another ax-tasks, a served sandbox, or a tool with it open); nothing was "
                    "changed. Try again when it is done.",
                    {"Retry-After": "1"},
                )
            return problem_response(503, f"The sandbox database is unavailable: {exc}")
        except sqlite3.DatabaseError as exc:
            return problem_response(503, f"The sandbox database cannot be read: {exc}")
        except Exception:  # the last line of defence, reported as a 500
            traceback.print_exc(file=sys.stderr)
            return problem_response(500, "The sandbox failed to handle this request.")
        if status == 204:
            return Response(204)
        if self.future is not None:
            with self.store.read() as conn:
                payload = self.future.answer(conn, payload)
        return json_response(status, payload)

    def _dispatch(
        self, method: str, path: str, query: str | bytes, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        op, path_params = self.spec.route(method, path)
        _authenticate(headers)
        if isinstance(query, bytes):
            query = query.decode("utf-8", errors="replace")
        params = self.spec.parameters(op, path_params, parse_qsl(query, keep_blank_values=True))
        parsed = _parse_body(op.body_pointer is not None, op.body_required, headers, body)
        checked_here = op.operation_id not in BODY_CHECKED_BY_HANDLER
        given = parsed is not None or op.body_required
        if op.body_pointer is not None and checked_here and given:
            self.spec.check(op.body_pointer, parsed, "body")
        now = self.now()
        self._materialise(now)
        ctx = Context(
            store=self.store,
            spec=self.spec,
            op=op,
            params=params,
            body=parsed,
            now=now,
            speed=self.speed,
            user=SANDBOX_USER,
        )
        return OPERATIONS[op.operation_id](ctx)

    def _materialise(self, now: float) -> None:
        with self.store.read() as conn:
            due = runs.materialise(conn, now, self.speed, apply=False)
        if due:
            with self.store.write() as conn:
                runs.materialise(conn, now, self.speed, apply=True)


def _lower(headers: Headers) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k.lower(): v for k, v in items}


def _authenticate(headers: Mapping[str, str]) -> None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "Missing or invalid credentials: send 'Authorization: Bearer <API key>' "
            "(the sandbox accepts any non-empty key).",
            {"WWW-Authenticate": 'Bearer realm="ax-tasks-sandbox"'},
        )


def _parse_body(accepts: bool, required: bool, headers: Mapping[str, str], body: bytes) -> Any:
    if not accepts or not body.strip():
        if accepts and required:
            raise bad_request("A JSON request body is required.")
        return None
    media = headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise bad_request(f"The request body must be application/json, not {media!r}.")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"JSON parse error: {exc}") from exc


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    out = [("content-type", "application/json"), ("content-length", str(len(body)))]
    out += [(k.lower(), v) for k, v in (headers or {}).items()]
    return Response(status, out, body)


def problem_response(
    status: int, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    body = json.dumps(problem(status, detail), separators=(",", ":")).encode()
    out = [("content-type", PROBLEM_JSON), ("content-length", str(len(body)))]
    out += [(k.lower(), v) for k, v in (headers or {}).items()]
    return Response(status, out, body)
