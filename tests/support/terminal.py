"""Reading what a live progress line drew on a fake terminal."""

from __future__ import annotations

import re

__all__ = ["CONTROL", "SGR", "SPINNER", "drawn"]

#: Any control sequence (colours, cursor moves, erasing, hiding the cursor).
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: Colour and style sequences only.
SGR = re.compile(r"\x1b\[[0-9;]*m")


#: The spinner's frames (Rich's default "dots" spinner draws Braille patterns).
SPINNER = re.compile(r"^[\u2800-\u28ff] ")


def drawn(stderr: str) -> list[str]:
    """Each state of the live line (it starts with the spinner), without control codes."""
    plain = CONTROL.sub("", stderr)
    return [part for part in re.split(r"[\r\n]", plain) if SPINNER.match(part)]
