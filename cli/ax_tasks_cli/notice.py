"""The one-time ALPHA notice, on stderr, remembered by a marker file.

The marker lives in the same configuration directory as the profiles
(``AX_TASKS_CONFIG_DIR`` or ``platformdirs.user_config_dir("ax-tasks")``).
``AX_TASKS_NO_ALPHA_NOTICE=1`` silences it without writing anything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ax_tasks_cli.errors import tell

__all__ = ["MARKER", "NOTICE", "config_dir", "maybe_show_notice"]

NOTICE = "ax-tasks: the tasks API is ALPHA and may change without notice."
MARKER = "alpha-notice-shown"
_FALSY = ("", "0", "false", "no", "off")


def config_dir(env: Mapping[str, str]) -> Path:
    override = env.get("AX_TASKS_CONFIG_DIR", "").strip()
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("ax-tasks", appauthor=False))


def maybe_show_notice(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Print the notice unless silenced or already shown; True when it was printed."""
    if env.get("AX_TASKS_NO_ALPHA_NOTICE", "").strip().lower() not in _FALSY:
        return False
    marker = config_dir(env) / MARKER
    with contextlib.suppress(OSError):
        if marker.exists():
            return False
    tell(stream, NOTICE + "\n")
    with contextlib.suppress(OSError):  # a read-only home must not break the command
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(NOTICE + "\n", encoding="utf-8")
    return True
