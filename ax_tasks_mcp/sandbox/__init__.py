"""The sandbox: a local, Arize-compatible tasks service on SQLite, validated by openapi/tasks.yaml.

Public entry points (imported lazily so ``python -m ax_tasks_mcp.sandbox`` starts fast):

* ``create_app(db_path, clock, speed, faults)``: the Starlette app.
* ``serve.serve(host, port, db_path, fault_rate, latency, hang, speed)``: uvicorn in the
  foreground (import it from ``ax_tasks_mcp.sandbox.serve``: the module shares its name).
* ``BackgroundServer``: the same on a loopback port in a thread (tests, demos).
* ``embedded_transport(db_path, clock, speed)``: an in-process httpx transport.
* ``info(db_path)`` and ``reset(db_path)``.
* ``FaultConfig``: errors, latency and hangs on demand.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .admin import info, reset
    from .app import create_app
    from .core import Sandbox
    from .embedded import embedded_transport
    from .faults import FaultConfig
    from .serve import BackgroundServer

__all__ = [
    "BackgroundServer",
    "FaultConfig",
    "Sandbox",
    "create_app",
    "embedded_transport",
    "info",
    "reset",
]

_HOMES = {
    "BackgroundServer": "serve",
    "FaultConfig": "faults",
    "Sandbox": "core",
    "create_app": "app",
    "embedded_transport": "embedded",
    "info": "admin",
    "reset": "admin",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
