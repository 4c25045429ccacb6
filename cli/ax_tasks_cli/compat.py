"""Typer's private names the CLI relies on, in one room.

**Plain conversion.**  Typer converts every parameter through pydantic, which costs a read
command a quarter of a second (coercion.py).  :func:`use_plain_conversion` puts coercion.py's
converters in its place for parameters of a plain type, through two names Typer does not make
public:
``typer.core._TyperParameter`` (whose ``get_runtime_param`` picks a parameter's converter) and
``typer._coercion.RuntimeParam`` (a converter, subclassed here).  :func:`unknown_option` reads
the option a usage error names from Click's ``NoSuchOption``, which Typer vendors privately
(:data:`USAGE_ERRORS`).

**Completion.**  Typer 0.29 keeps Click inside itself (``typer._click``), so even Click's
completion helpers are private here: :func:`completion_context` and :func:`completion_target`
read the words before the cursor the way Click's own completion does (``_resolve_context``,
``_resolve_incomplete``), and nothing else touches them.

A Typer release that renames one of :data:`PRIVATE` does not break the CLI: the plain conversion
is skipped and Typer's own applies (slower, and worded by Typer), completion offers nothing,
and tests/cli/test_compat.py fails naming what moved.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Final

__all__ = [
    "PRIVATE",
    "USAGE_ERRORS",
    "completion_context",
    "completion_target",
    "missing",
    "unknown_option",
    "use_plain_conversion",
]

#: Every private name this module relies on, as "module:Class.attribute".
PRIVATE: Final = (
    "typer.core:_TyperParameter",
    "typer.core:_TyperParameter.get_runtime_param",
    "typer.core:_TyperParameter._runtime_param",
    "typer.core:_TyperParameter.type_descriptor",
    "typer._coercion:RuntimeParam",
    "typer._coercion:RuntimeParam._coerce_value",
    "typer._coercion:RuntimeParam.parameter_info",
    "typer._coercion:RuntimeParam.annotation",
    "typer._coercion:TypeDescriptor.annotation",
    "typer._coercion:TypeDescriptor.parameter_info",
    "typer._click.shell_completion:_resolve_context",
    "typer._click.shell_completion:_resolve_incomplete",
)

#: The usage errors of Typer's own Click read here: a rename only loses the hint they give.
USAGE_ERRORS: Final = ("typer._click.exceptions:NoSuchOption",)

_APPLIED = "_ax_tasks_plain_conversion"


def _has(path: str) -> bool:
    """Whether ``module:Class.attribute`` exists (an attribute may be declared only as a class
    annotation, set on each instance)."""
    module_name, _, dotted = path.partition(":")
    try:
        owner: Any = importlib.import_module(module_name)
    except ImportError:
        return False
    for name in dotted.split("."):
        if not hasattr(owner, name):
            return name in getattr(owner, "__annotations__", {})
        owner = getattr(owner, name)
    return True


def missing() -> list[str]:
    """The names of :data:`PRIVATE` the installed Typer lacks (none: the plain conversion
    applies)."""
    return [path for path in PRIVATE if not _has(path)]


def use_plain_conversion() -> bool:
    """Have every Typer parameter of a plain type convert with coercion.py (once per process;
    the help option Typer adds at parse time included).  False, and Typer's own conversion
    kept, when this Typer lacks a name it needs."""
    if missing():
        return False
    from typer._coercion import RuntimeParam
    from typer.core import _TyperParameter

    if getattr(_TyperParameter, _APPLIED, False):
        return True
    from typer import BadParameter

    from ax_tasks_cli.coercion import PLAIN_TYPES, convert

    class PlainParam(RuntimeParam):
        """Converts a str, int, float or bool without pydantic."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            try:
                return convert(self.annotation, value, info.min, info.max)
            except ValueError as exc:
                raise BadParameter(str(exc), ctx=ctx, param=param) from None

    typer_builds = _TyperParameter.get_runtime_param

    def get_runtime_param(self: _TyperParameter) -> RuntimeParam:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            info = descriptor.parameter_info
            if descriptor.annotation in PLAIN_TYPES and info.parser is None and not info.clamp:
                self._runtime_param = PlainParam(
                    parameter_info=info, annotation=descriptor.annotation
                )
        return typer_builds(self)

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    setattr(_TyperParameter, _APPLIED, True)
    return True


def completion_context(group: Any, prog: str, args: Sequence[str]) -> Any:
    """The context the words before the cursor lead to (the innermost command's), parsed
    leniently, as Click's own completion does: nothing is invoked."""
    from typer._click.shell_completion import _resolve_context

    return _resolve_context(group, {}, prog, list(args))


def completion_target(context: Any, args: Sequence[str], incomplete: str) -> tuple[Any, str]:
    """What the word at the cursor completes: a command (its subcommands and options), or a
    parameter (its value); and the word as that target sees it (``--opt=val`` gives ``val``)."""
    from typer._click.shell_completion import _resolve_incomplete

    target, word = _resolve_incomplete(context, list(args), incomplete)
    return target, word


def unknown_option(error: BaseException) -> str | None:
    """The option a "No such option" usage error names (None for any other error, or when
    this Typer's Click keeps it elsewhere)."""
    if type(error).__name__ != USAGE_ERRORS[0].rpartition(":")[2]:
        return None
    name = getattr(error, "option_name", None)
    return name if isinstance(name, str) else None
