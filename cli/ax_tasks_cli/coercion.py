"""Plain conversion of the CLI's option values, in place of Typer's pydantic-based one.

Typer 0.29 converts every parameter through a pydantic ``TypeAdapter``, and importing pydantic
and building the adapters costs a read command a quarter of a second.  Every parameter of
ax-tasks is a ``str``, ``int``, ``float`` or ``bool``, or a repeated ``str`` option (a
``list[str]``), so each one is converted here instead
(compat.py puts these converters in Typer's place); any other annotation keeps Typer's own.
Numbers are refused when they are NaN or infinite (a range check would otherwise call ``nan``
"more than 1").
"""

from __future__ import annotations

import math
from typing import Any, Final

__all__ = ["PLAIN_TYPES", "convert", "parse_bool", "parse_number"]

#: The annotations converted here; any other keeps Typer's conversion.
PLAIN_TYPES: Final = (str, int, float, bool, list[str])

_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"", "0", "false", "f", "no", "n", "off"})


def _bound(value: float) -> str:
    return f"{value:g}"


def parse_number(kind: type, text: Any, minimum: float | None, maximum: float | None) -> Any:
    """``text`` as an ``int`` or a finite ``float`` within [minimum, maximum]; ValueError
    with a sentence saying why not."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    value: float
    if isinstance(text, int | float):
        value = text if kind is float or isinstance(text, int) else int(text)
    else:
        raw = str(text).strip()
        try:
            if "_" in raw:  # Python reads "1_0" as 10; a number typed that way is a slip
                raise ValueError(raw)
            value = int(raw, 10) if kind is int else float(raw)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise ValueError(f"{raw!r} is not {what}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{text!s} is not a finite number (NaN and infinity are refused)")
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise ValueError(
            f"{text!s} is out of range: give a number from {_bound(minimum)} to {_bound(maximum)}"
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{text!s} is too small: the least is {_bound(minimum)}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{text!s} is too large: the most is {_bound(maximum)}")
    return value


def parse_bool(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    word = str(text).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{text!r} is not a yes/no value (use 1 or 0, true or false)")


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def convert(annotation: type, value: Any, minimum: float | None, maximum: float | None) -> Any:
    """``value`` as ``annotation`` (one of PLAIN_TYPES); ValueError with a sentence saying why
    not."""
    if annotation is str:
        return _text(value)
    if annotation == list[str]:
        return [_text(item) for item in value]
    if annotation is bool:
        return parse_bool(value)
    return parse_number(annotation, value, minimum, maximum)
