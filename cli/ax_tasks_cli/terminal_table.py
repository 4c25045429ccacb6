"""Tables for a terminal, laid out by Rich: real display widths, no breaks inside words.

Only a terminal gets these (pipes and files get the plain, exact text of ``output.py``), so
Rich is imported here and nowhere on the way of a machine format.  Columns that cannot fit
the width are left out, least important first, and the caller says so on stderr.  An ID is
never cut: on a terminal too narrow for the rest, free text wraps within words first, then
other cells are cut with a mark ("…"), and only then does the ID wrap onto a second line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ax_tasks_cli.columns import Column, columns_for, status_style

__all__ = ["hidden_note", "terminal_table"]

_GAP = 2
_MIN_FOLD = 12
_MIN_CUT = 8
_MAX_WORD = 40
"""A folding column is never narrower than its longest word, up to this many cells."""
_SQUEEZED = 4
"""How narrow a column may get on a terminal too narrow for the rest (words then break)."""


def _minimum(column: Column, natural: int, texts: Sequence[str]) -> int:
    """The narrowest a column may get: free text down to its longest word (or one line cut
    short), everything else its full width."""
    from rich.cells import cell_len

    if column.truncate:
        return min(natural, _MIN_CUT)
    if not column.fold:
        return natural
    longest = max((cell_len(word) for text in texts for word in text.split()), default=1)
    return min(natural, max(_MIN_FOLD, min(longest, _MAX_WORD)))


def _is_id(column: Column) -> bool:
    return column.header == "ID"


def _layout(
    columns: Sequence[Column], natural: Sequence[int], minimum: Sequence[int], width: int
) -> dict[int, int]:
    """{column index: width} fitting ``width``: leave out the least important columns until
    the rest fit at their narrowest, then narrow the widest free-text column step by step; on
    a terminal narrower still, squeeze free text, then cut other cells, and the ID last."""
    keep = list(range(len(columns)))

    def total(sizes: Mapping[int, int]) -> int:
        return sum(sizes[i] for i in keep) + _GAP * (len(keep) - 1)

    while total(minimum_of := dict(enumerate(minimum))) > width:
        droppable = [i for i in keep if columns[i].priority > 0]
        if not droppable:
            break
        keep.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    widths = {i: natural[i] for i in keep}
    floors: list[Callable[[int], int]] = [
        lambda i: minimum_of[i],
        lambda i: _SQUEEZED if columns[i].fold else minimum_of[i],
        lambda i: natural[i] if _is_id(columns[i]) else _SQUEEZED,
        lambda i: 1,
    ]
    for floor in floors:  # each pass narrows further, the ID only in the last one
        while total(widths) > width:
            narrower = [i for i in keep if widths[i] > floor(i)]
            if not narrower:
                break
            widths[max(narrower, key=lambda i: widths[i])] -= 1
    return widths


def terminal_table(
    items: Sequence[Mapping[str, Any]], kind: str, *, width: int, color: bool = False
) -> tuple[str, list[str]]:
    """The table's text for a terminal ``width`` cells wide, and the headers left out."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    columns, cells = columns_for(kind, items)
    natural = [
        max([cell_len(c.header)] + [cell_len(row[i]) for row in cells])
        for i, c in enumerate(columns)
    ]
    minimum = [_minimum(c, natural[i], [row[i] for row in cells]) for i, c in enumerate(columns)]
    widths = _layout(columns, natural, minimum, width)
    table = Table(
        box=None,
        padding=(0, _GAP // 2),
        pad_edge=False,
        show_edge=False,
        header_style="bold" if color else "",
    )
    for i, size in widths.items():
        column = columns[i]
        whole = column.fold or _is_id(column)  # wrapped when narrow, never cut
        table.add_column(
            column.header,
            width=size,
            no_wrap=column.truncate or not whole,
            overflow="fold" if whole and not column.truncate else "ellipsis",
        )
    for row in cells:
        table.add_row(*(_text(columns[i], row[i], color, Text) for i in widths))
    console = Console(
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        record=False,
        legacy_windows=False,
    )
    with console.capture() as capture:
        console.print(table, crop=False)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    hidden = [column.header for i, column in enumerate(columns) if i not in widths]
    return "\n".join(lines) + "\n", hidden


def _text(column: Column, value: str, color: bool, text_type: Any) -> Any:
    style = status_style(value) if color and column.header == "STATUS" else ""
    return text_type(value, style=style)


def hidden_note(hidden: Sequence[str]) -> str:
    """``2 columns hidden (SAMPLING, CONTINUOUS): -o json or a wider terminal shows them.``"""
    count = len(hidden)
    plural = "column" if count == 1 else "columns"
    verb = "shows it" if count == 1 else "shows them"
    return f"{count} {plural} hidden ({', '.join(hidden)}): -o json or a wider terminal {verb}."
