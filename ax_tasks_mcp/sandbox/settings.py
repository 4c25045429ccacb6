"""The sandbox's own settings, each checked where it is read and refused in one line naming it.

A :class:`SandboxSettingError` carries ``kind = "config_error"``, so a face shows it as the
configuration mistake it is (the CLI exits 2) without importing anything from here.  The
sandbox knows nothing of the client side; the words here name the variables and the
``ax-tasks sandbox`` commands a user types.
"""

from __future__ import annotations

import math
import os
import shlex
import sqlite3
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "ENV_DB",
    "ENV_SPEED",
    "MAX_SPEED",
    "MIN_SPEED",
    "SandboxSettingError",
    "check_speed",
    "database_problem",
    "folder_problem",
    "schema_problem",
    "speed_from_env",
]

ENV_DB = "AX_TASKS_SANDBOX_DB"
ENV_SPEED = "AX_TASKS_SANDBOX_SPEED"
#: Simulated runs take their real duration divided by the speed: a million times faster at most
#: (a one-hour run in 3.6 ms), a million times slower at least; beyond these the simulated
#: times collide or leave what a date can hold.
MIN_SPEED = 0.000_001
MAX_SPEED = 1_000_000.0
RESET_COMMAND = "ax-tasks sandbox reset"


class SandboxSettingError(ValueError):
    """A sandbox setting that cannot work; the message names it and what it accepts."""

    kind = "config_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


def check_speed(value: object, name: str) -> float:
    """``value`` as a speed factor, or a refusal naming ``name`` and the accepted range."""
    try:
        speed = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        speed = math.nan
    if not (math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED):
        raise SandboxSettingError(
            f"{name} must be a number from {MIN_SPEED:f} to {MAX_SPEED:.0f} (how many times "
            f"faster than real time simulated runs progress), not {value!r}."
        )
    return speed


def speed_from_env(env: Mapping[str, str] = os.environ) -> float:
    """``AX_TASKS_SANDBOX_SPEED``, or 1 when it is unset or empty."""
    text = env.get(ENV_SPEED, "").strip()
    return check_speed(text, ENV_SPEED) if text else 1.0


def folder_problem(path: Path, error: OSError) -> SandboxSettingError:
    """The folder of the database cannot be made (a read-only home, a file in the way)."""
    why = error.strerror or type(error).__name__
    return SandboxSettingError(
        f"Cannot create the folder {str(path.parent)!r} for the sandbox database ({why}). "
        f"Set {ENV_DB} to a file in a folder you can write, e.g. {ENV_DB}=/tmp/sandbox.db."
    )


def database_problem(path: str, error: sqlite3.DatabaseError) -> SandboxSettingError:
    """The database file cannot be used: a folder, not SQLite, or not readable."""
    if Path(path).is_dir():
        return SandboxSettingError(
            f"The sandbox database {path!r} is a folder. Set {ENV_DB} to a file path, such as "
            f"{str(Path(path) / 'sandbox.db')!r}."
        )
    text = str(error)
    if "not a database" in text or "not a sandbox database" in text:
        what = "an SQLite file" if "not a database" in text else "a sandbox's SQLite file"
        return SandboxSettingError(
            f"{path!r} is not a sandbox database (it is not {what}). Set {ENV_DB} to "
            "another file; this one is left as it is."
        )
    if "locked" in text:
        return SandboxSettingError(
            f"The sandbox database {path!r} is locked by another process (another ax-tasks, a "
            "served sandbox, or a tool with it open). Try again when it is done, or set "
            f"{ENV_DB} to another file."
        )
    return SandboxSettingError(
        f"Cannot open the sandbox database {path!r} ({text}). Check that you may read and "
        f"write it, or set {ENV_DB} to another file."
    )


def schema_problem(path: str, found: str, wanted: str) -> SandboxSettingError:
    """A database made by another version of the sandbox."""
    return SandboxSettingError(
        f"The sandbox database {path!r} was made by another version of the sandbox (schema "
        f"{found}; this one needs {wanted}). Start it over with "
        f"'{RESET_COMMAND} --db {shlex.quote(path)}' (it wipes that file and seeds it again), "
        f"or set {ENV_DB} to another file."
    )
