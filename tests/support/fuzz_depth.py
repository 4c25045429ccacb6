"""How many cases a fuzz test tries: its everyday number times ``AX_TASKS_FUZZ_SCALE``.

Every run of the suite (CI's too) tries the everyday number, derandomized, so a failure repeats.
A deeper search before a release, or after a change to argument parsing, scales it up:
``AX_TASKS_FUZZ_SCALE=5 uv run pytest -m fuzz``.
"""

from __future__ import annotations

import os


def examples(everyday: int) -> int:
    """``everyday`` scaled by ``AX_TASKS_FUZZ_SCALE`` (default 1), at least 1."""
    text = os.environ.get("AX_TASKS_FUZZ_SCALE", "1")
    try:
        scale = float(text)
    except ValueError:
        raise ValueError(f"AX_TASKS_FUZZ_SCALE must be a number, not {text!r}") from None
    return max(1, round(everyday * scale))
