"""Tool inputs for a model that pays per token: compact schemas, strict checks, plain errors.

``compact_input_schema`` rewrites the schema pydantic derives from a tool's signature: no
generated titles, optional arguments without their ``anyOf [..., null]``, no ``default:
null``, and ``additionalProperties: false``.  ``check_arguments`` enforces what the schema
says before the SDK validates: no unknown argument, booleans and numbers that are JSON booleans
and numbers, fixed values in any case, and every string within its bound (the spec's, or ours:
``ax_tasks_mcp.check_lengths``).  ``plain_errors`` turns a validation failure into one line per
argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

__all__ = ["ArgumentError", "check_arguments", "compact_input_schema", "plain_errors"]

_SHOWN_VALUE = 60  # characters of a refused value quoted back


class ArgumentError(ValueError):
    """Arguments refused before the tool ran: the message lists every problem, one per line."""


def compact_input_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The tool's input schema, stripped of what costs tokens and teaches the model nothing."""
    compact: dict[str, Any] = _compact(schema)
    compact["additionalProperties"] = False
    return compact


def _compact(node: Any) -> Any:
    if isinstance(node, list):
        return [_compact(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" or (key == "default" and value is None):
            continue
        if key in ("properties", "$defs"):
            out[key] = {name: _compact(sub) for name, sub in value.items()}
        elif key == "additionalProperties" and value in (True, {}):
            continue  # the default: any value
        else:
            out[key] = _compact(value)
    arms = out.get("anyOf")
    if isinstance(arms, list) and node.get("default", ...) is None:
        # An optional argument: leaving it out is how a model says "not given".
        kept = [arm for arm in arms if arm != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out = {**kept[0], **out}
    return out


def check_arguments(
    tool: str,
    schema: Mapping[str, Any],
    arguments: Mapping[str, Any],
    hints: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The arguments, fixed values in canonical case; ArgumentError lists what is wrong, with
    the tool's hint for an argument (what to do instead) after its line."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    problems: list[str] = []
    checked: dict[str, Any] = {}
    bounded = _bound_problem(arguments)
    if bounded is not None:
        problems.append(bounded)
    for name, value in arguments.items():
        prop = properties.get(name)
        if prop is None:
            problems.append(_unknown(tool, name, list(properties)))
            continue
        fixed, problem = _check_value(prop, value)
        if problem is not None:
            hint = (hints or {}).get(name)
            problems.append(f"{name}: {problem}" + (f" {hint}" if hint else ""))
        checked[name] = fixed
    if problems:
        raise ArgumentError("\n".join(problems))
    return checked


def _bound_problem(arguments: Mapping[str, Any]) -> str | None:
    """The first string that is too long (or a name with a control character), in one line."""
    from ax_tasks_mcp import ValidationError, check_lengths
    from ax_tasks_mcp.server.words import MCP_WORDS

    try:
        check_lengths(arguments)
    except ValidationError as exc:
        return exc.render(MCP_WORDS)
    return None


def _unknown(tool: str, name: str, valid: list[str]) -> str:
    import difflib  # only when an argument is refused: a first tools/list needs none of it

    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{name}: {tool} has no such argument{hint}; valid arguments: {', '.join(valid)}."


_JSON_NUMBERS: dict[str, tuple[type, ...]] = {"integer": (int,), "number": (int, float)}


def _check_value(prop: Mapping[str, Any], value: Any) -> tuple[Any, str | None]:
    kind = prop.get("type")
    if kind == "boolean" and value is not None and not isinstance(value, bool):
        return value, f"must be true or false (a JSON boolean), not {_shown(value)}."
    # JSON numbers only: "5" is text, and pydantic would quietly make it 5.
    if kind in _JSON_NUMBERS and (
        isinstance(value, bool) or not isinstance(value, (*_JSON_NUMBERS[kind], type(None)))
    ):
        noun = "a whole JSON number" if kind == "integer" else "a JSON number"
        given = f"the text {_shown(value)}" if isinstance(value, str) else _shown(value)
        return value, f"must be {noun}, not {given}."
    if "enum" in prop:
        return _one_of(prop["enum"], value)
    items = prop.get("items")
    if isinstance(items, Mapping) and "enum" in items and isinstance(value, list):
        fixed: list[Any] = []
        for item in value:
            canonical, problem = _one_of(items["enum"], item)
            if problem is not None:
                return value, problem
            fixed.append(canonical)
        return fixed, None
    return value, None


def _one_of(allowed: list[Any], value: Any) -> tuple[Any, str | None]:
    if value is None or value in allowed:
        return value, None
    if isinstance(value, str):
        for option in allowed:
            if isinstance(option, str) and option.casefold() == value.strip().casefold():
                return option, None
    return value, f"must be one of {', '.join(map(str, allowed))} (any case), not {_shown(value)}."


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 3] + "..."


def plain_errors(exc: ValidationError) -> str:
    """One line per refused argument, in plain words (no pydantic wording, links or types)."""
    lines: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        where = _path(error["loc"])
        if where in lines:
            continue  # one line per argument: the first reason is enough to fix it
        lines[where] = f"{where}: {_reason(error)}"
    return "\n".join(lines.values())


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not path:
            path = part
        elif part not in ("function-after", "function-before") and not part.startswith(
            ("list[", "dict[", "union[", "json-or-python")
        ):
            path += f".{part}"
    return path or "arguments"


def _reason(error: Mapping[str, Any]) -> str:
    kind, message = error["type"], str(error["msg"])
    if kind == "missing":
        return "required."
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    elif message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    elif message.startswith(("String should have ", "List should have ")):
        message = "must have " + message.split(" should have ", 1)[1]
    elif message.startswith("Input "):
        message = message.removeprefix("Input ")
    message = message.rstrip(".") + "."
    if "input" in error:  # a missing argument has returned above: it has nothing to show
        message += f" Got {_shown(error['input'])}."
    return message
