"""The one-time ALPHA notice, on stderr, remembered by a marker file.

The marker lives in the same configuration directory as the profiles
(``AX_TASKS_CONFIG_DIR`` or ``platformdirs.user_config_dir("ax-tasks")``).  Where that cannot
be written (a read-only home), it is kept in the user's runtime directory
(``XDG_RUNTIME_DIR``) or, without one, in a folder of the user's own under the temp directory,
so the notice is still said once a session rather than on every command.  Where nothing can be
written, the notice says how to silence it: ``AX_TASKS_NO_ALPHA_NOTICE=1`` silences it without
writing anything.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ax_tasks_cli.errors import tell

__all__ = ["MARKER", "NOTICE", "SILENCE_ENV", "config_dir", "maybe_show_notice"]

NOTICE = "ax-tasks: the tasks API is ALPHA and may change without notice."
MARKER = "alpha-notice-shown"
SILENCE_ENV = "AX_TASKS_NO_ALPHA_NOTICE"
_FALSY = ("", "0", "false", "no", "off")


def config_dir(env: Mapping[str, str]) -> Path:
    override = env.get("AX_TASKS_CONFIG_DIR", "").strip()
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("ax-tasks", appauthor=False))


def maybe_show_notice(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Print the notice unless silenced or already shown; True when it was printed."""
    if env.get(SILENCE_ENV, "").strip().lower() not in _FALSY:
        return False
    marker = config_dir(env) / MARKER
    if _exists(marker):
        return False
    # the fallback is looked at only when the usual place cannot be written
    remembered = _remember(marker)
    if not remembered:
        fallback = _fallback_marker(env)
        if fallback is not None and _exists(fallback):
            return False
        remembered = fallback is not None and _remember(fallback)
    hint = "" if remembered else f" (Set {SILENCE_ENV}=1 to hide it.)"
    tell(stream, NOTICE + hint + "\n")
    return True


def _exists(marker: Path) -> bool:
    try:
        return marker.exists()
    except OSError:
        return False


def _remember(marker: Path) -> bool:
    """Write the marker; False when it cannot be (a read-only home must not break a command)."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        # never through a link someone else left in a shared temp directory
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        os.close(os.open(marker, flags, 0o600))
    except FileExistsError:
        return True
    except OSError:
        return False
    return True


def _fallback_marker(env: Mapping[str, str]) -> Path | None:
    """The marker in the user's runtime directory, else in a temp folder only the user owns."""
    runtime = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        return Path(runtime) / f"ax-tasks-{MARKER}"
    import tempfile

    uid = getattr(os, "getuid", lambda: None)()
    folder = Path(tempfile.gettempdir()) / ("ax-tasks" if uid is None else f"ax-tasks-{uid}")
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
        if stat.S_ISDIR(info.st_mode) and (uid is None or info.st_uid == uid):
            return folder / MARKER
    return None
