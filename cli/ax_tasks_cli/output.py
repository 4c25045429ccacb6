"""Output that fits its reader: tables for people, exact machine formats when asked.

``-o/--output`` takes a format name (table, json, yaml, ndjson, csv) or a file path whose
extension picks the format (.json, .yaml/.yml, .ndjson/.jsonl, .csv, .txt for a table).
Without it the format is ``table`` when stdout is a terminal and ``json`` otherwise.

* Data goes to stdout (or the file); messages never do.
* Tables show times as RFC 3339 in UTC (``2026-03-07T10:30:00Z``), nested values in a readable
  form, and fold wide columns to the terminal's width; colour only on a terminal without
  ``NO_COLOR``.
* JSON, YAML and NDJSON carry the API's values exactly; CSV writes nested values as JSON.
* ``json`` and ``ndjson`` stream a list item by item, so ``--all`` keeps memory flat.
* A file is written beside its destination, then renamed over it; stdout that cannot take the
  output is one line of error; a reader that closed the pipe ends it quietly (writing.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ax_tasks_cli.columns import (
    CSV_FIELDS,
    cell,
    columns_for,
    format_time,
    humanize,
    noun,
    paint,
    status_color,
)
from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.writing import ReaderGone, write_atomically, write_failed, write_stdout

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MACHINE_FORMATS",
    "OutputChoice",
    "Printer",
    "check_writable",
    "choose_output",
    "format_time",
    "render_detail",
    "render_table",
]

FORMATS = ("table", "json", "yaml", "ndjson", "csv")
MACHINE_FORMATS = frozenset({"json", "yaml", "ndjson", "csv"})
EXTENSIONS = {
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".csv": "csv",
    ".txt": "table",
}
_GAP = 2


@dataclass(frozen=True)
class OutputChoice:
    """Where output goes and in which format; ``explicit`` when the user asked for it."""

    format: str
    path: Path | None = None
    explicit: bool = False

    @property
    def machine(self) -> bool:
        return self.format in MACHINE_FORMATS


def choose_output(value: str | None, *, stdout_is_tty: bool) -> OutputChoice:
    """Interpret ``-o/--output``: a format name, a file path, or nothing (TTY decides)."""
    if value is None or not value.strip():
        return OutputChoice("table" if stdout_is_tty else "json")
    text = value.strip()
    if text.lower() in FORMATS:
        return OutputChoice(text.lower(), explicit=True)
    path = Path(text).expanduser()
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise UsageProblem(
            f"--output: {value!r} is neither a format ({', '.join(FORMATS)}) nor a file name "
            f"with a known extension ({known})."
        )
    if path.is_dir():
        raise UsageProblem(f"--output: {value!r} is a directory; give a file name.")
    check_writable(path, value)
    return OutputChoice(fmt, path=path, explicit=True)


def check_writable(path: Path, given: str) -> None:
    """Refuse, before anything is sent, a destination that cannot be written: a folder that
    does not exist (it is not created) or cannot be written to, or a read-only file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageProblem(
            f"--output: cannot write {given!r}: the folder {str(folder)!r} does not exist. "
            "Create it first, or choose another file."
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageProblem(f"--output: cannot write {given!r}: the file is read-only.")
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise UsageProblem(
            f"--output: cannot write {given!r}: the folder {str(folder)!r} is not writable."
        )


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return wrapped or [""]


def render_table(
    items: Sequence[Mapping[str, Any]],
    kind: str,
    *,
    color: bool = False,
    width: int | None = None,
) -> str:
    """Aligned columns with a header.  With a ``width`` (a terminal) the table is laid out to
    fit it, leaving out the least important columns when it must (see terminal_table.py)."""
    if width is not None:
        from ax_tasks_cli.terminal_table import terminal_table

        return terminal_table(items, kind, width=width, color=color)[0]
    columns, rows = columns_for(kind, items)
    widths = [max([len(c.header)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)]
    status_at = next((i for i, c in enumerate(columns) if c.header == "STATUS"), None)
    gap = " " * _GAP
    out = [
        paint(
            gap.join(c.header.ljust(widths[i]) for i, c in enumerate(columns)).rstrip(), "1", color
        )
    ]
    for row in rows:
        line: list[str] = []
        for i, text in enumerate(row):
            padded = text.ljust(widths[i])
            if i == status_at:
                padded = paint(text, status_color(text), color) + " " * (widths[i] - len(text))
            line.append(padded)
        out.append(gap.join(line).rstrip())
    return "\n".join(out) + "\n"


def _nested_lines(value: Any) -> list[str]:
    import yaml

    text = yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000
    )
    return text.rstrip("\n").splitlines()


def render_detail(item: Mapping[str, Any], *, color: bool = False, width: int | None = None) -> str:
    """One resource as ``key  value`` lines; nested values indented below their key."""
    human = humanize(dict(item))
    if not human:
        return ""
    key_width = max(len(str(k)) for k in human) + 2
    out: list[str] = []
    for key, value in human.items():
        label = str(key).ljust(key_width)
        if isinstance(value, dict | list) and value:
            out.append(paint(str(key), "1", color))
            out.extend("  " + line for line in _nested_lines(value))
            continue
        text = cell(value)
        if key == "status":
            text = paint(text, status_color(text), color)
        avail = (width - key_width) if width else None
        if avail and avail > 20 and len(text) > avail and "\x1b" not in text:
            lines = _wrap(text, avail)
            out.append(paint(label, "1", color) + lines[0])
            out.extend(" " * key_width + line for line in lines[1:])
        else:
            out.append((paint(label, "1", color) + text).rstrip())
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Machine formats
# --------------------------------------------------------------------------------------------


def _json(value: Any, *, indent: int | None = 2) -> str:
    if indent is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def _yaml(value: Any) -> str:
    import yaml

    text: str = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=10_000)
    return text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return _json(value, indent=None)
    return str(value)


def _csv(items: Sequence[Mapping[str, Any]], kind: str) -> str:
    """A header and a row per item; with no items, the header of the kind's known fields."""
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    if not keys:
        keys = dict.fromkeys(CSV_FIELDS.get(kind, ()))
        if not keys:
            return ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(keys))
    for item in items:
        writer.writerow([_csv_value(item.get(k)) for k in keys])
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# The printer the commands use
# --------------------------------------------------------------------------------------------


@dataclass
class Printer:
    """Writes results in the chosen format to stdout or to the chosen file."""

    choice: OutputChoice
    stdout: TextIO
    stderr: TextIO
    color: bool = False
    width: int | None = None
    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Messages for stderr once the data is out (e.g. columns left out of a table)."""

    @property
    def format(self) -> str:
        return self.choice.format

    def _color(self) -> bool:
        return self.color and self.choice.path is None

    def _width(self) -> int | None:
        return self.width if self.choice.path is None else None

    def _emit(self, chunks: Iterable[str], what: Callable[[], str], *, list_: bool = False) -> None:
        """Write the output; a reader that left stops a list (no more pages are fetched) and
        is ignored otherwise, so the command still exits with its own outcome."""
        if self.choice.path is None:
            try:
                write_stdout(self.stdout, chunks)
            except ReaderGone:
                if list_:
                    raise
                return
            self._flush_notes()
            return
        path = self.choice.path
        try:
            write_atomically(path, chunks)
        except OSError as exc:
            raise write_failed(repr(str(path)), exc) from None
        self.stderr.write(f"Wrote {what()} to {path}\n")
        self.stderr.flush()

    def _flush_notes(self) -> None:
        for note in self.notes:
            self.stderr.write(note + "\n")
        self.stderr.flush()
        self.notes.clear()

    # -- one resource ----------------------------------------------------------------------
    def one(self, item: Mapping[str, Any], kind: str) -> None:
        fmt = self.format
        if fmt == "table":
            text = render_detail(item, color=self._color(), width=self._width())
        elif fmt == "json":
            text = _json(item) + "\n"
        elif fmt == "ndjson":
            text = _json(item, indent=None) + "\n"
        elif fmt == "yaml":
            text = _yaml(dict(item))
        else:
            text = _csv([item], kind)
        self._emit([text], lambda: f"1 {noun(kind, 1)}")

    # -- a list ----------------------------------------------------------------------------
    def many(self, items: Iterable[Mapping[str, Any]], kind: str) -> int:
        """Write every item; json and ndjson stream, the others collect first. Returns the count."""
        counter = [0]

        def counted() -> Iterator[Mapping[str, Any]]:
            for item in items:
                counter[0] += 1
                yield item

        fmt = self.format
        if fmt == "ndjson":
            chunks: Iterable[str] = (_json(item, indent=None) + "\n" for item in counted())
        elif fmt == "json":
            chunks = self._json_array(counted())
        else:
            collected = list(counted())
            if fmt == "table":
                text = self._table(collected, kind) if collected else ""
            elif fmt == "yaml":
                text = _yaml([dict(i) for i in collected])
            else:
                text = _csv(collected, kind)
            chunks = [text]
        self._emit(chunks, lambda: f"{counter[0]} {noun(kind, counter[0])}", list_=True)
        return counter[0]

    def _table(self, items: Sequence[Mapping[str, Any]], kind: str) -> str:
        width = self._width()
        if width is None:
            return render_table(items, kind, color=self._color())
        from ax_tasks_cli.terminal_table import hidden_note, terminal_table

        text, hidden = terminal_table(items, kind, width=width, color=self._color())
        if hidden:
            self.notes.append(hidden_note(hidden))
        return text

    @staticmethod
    def _json_array(items: Iterable[Mapping[str, Any]]) -> Iterator[str]:
        first = True
        for item in items:
            body = textwrap.indent(_json(item), "  ")
            yield ("[\n" if first else ",\n") + body
            first = False
        yield "[]\n" if first else "\n]\n"

    # -- a dry run -------------------------------------------------------------------------
    def planned(self, method: str, url: str, body: Any, notes: Sequence[str]) -> None:
        data = {"dry_run": True, "method": method, "url": url, "body": body, "notes": list(notes)}
        fmt = self.format
        if fmt == "table":
            lines = [f"{method} {url}"]
            if body is not None:
                lines.append(_json(body))
            lines.extend(f"# {note}" for note in notes)
            text = "\n".join(lines) + "\n"
        elif fmt == "json":
            text = _json(data) + "\n"
        elif fmt == "ndjson":
            text = _json(data, indent=None) + "\n"
        elif fmt == "yaml":
            text = _yaml(data)
        else:
            text = _csv([data], "planned")
        self._emit([text], lambda: "the planned request")
