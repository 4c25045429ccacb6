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
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from cli.errors import UsageProblem

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MACHINE_FORMATS",
    "OutputChoice",
    "Printer",
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
_MISSING = "-"


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
    return OutputChoice(fmt, path=path, explicit=True)


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def _is_time_key(key: str) -> bool:
    return key.endswith(("_at", "_time"))


def format_time(value: Any) -> Any:
    """An RFC 3339 string as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; anything else unchanged."""
    if not isinstance(value, str) or len(value) < 19:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _humanize(value: Any, key: str = "") -> Any:
    """Times formatted, recursively, for the human views."""
    if isinstance(value, dict):
        return {k: _humanize(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_humanize(v, key) for v in value]
    if _is_time_key(key):
        return format_time(value)
    return value


def _scalar(value: Any) -> str:
    if value is None:
        return _MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return value if value else '""'
    return str(value)


def _cell(value: Any, key: str = "") -> str:
    """One table cell: scalars as text, lists of scalars joined, other nesting as JSON."""
    if _is_time_key(key):
        value = format_time(value)
    if isinstance(value, list):
        if not value:
            return _MISSING
        if all(not isinstance(v, dict | list) for v in value):
            return ", ".join(_scalar(v) for v in value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        if not value:
            return _MISSING
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _scalar(value)


# --------------------------------------------------------------------------------------------
# Columns per kind of resource
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[Mapping[str, Any]], str]
    fold: bool = False
    """Free text that may wrap onto several lines; IDs, enums, numbers and times never do."""
    optional: bool = False
    """Left out when no row has a value."""
    priority: int = 0
    """When the terminal is too narrow, the highest numbers go first; 0 always stays."""


def _field(key: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda item: _cell(item.get(key), key)


def _task_target(item: Mapping[str, Any]) -> str:
    if item.get("project_id"):
        return f"project {item['project_id']}"
    if item.get("dataset_id"):
        return f"dataset {item['dataset_id']}"
    return _MISSING


def _task_details(item: Mapping[str, Any]) -> str:
    evaluators = item.get("evaluators") or []
    if evaluators:
        names = [
            str(e.get("evaluator_name") or e.get("evaluator_id") or "?")
            for e in evaluators
            if isinstance(e, Mapping)
        ]
        return ", ".join(names)
    config = item.get("run_configuration")
    if isinstance(config, Mapping):
        parts = [str(config.get("experiment_type") or "")]
        if config.get("model_name"):
            parts.append(str(config["model_name"]))
        return " ".join(p for p in parts if p) or _MISSING
    return _MISSING


def _sampling(item: Mapping[str, Any]) -> str:
    rate = item.get("sampling_rate")
    return _MISSING if rate is None else f"{rate:g}" if isinstance(rate, float) else str(rate)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "task": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("TYPE", _field("type"), priority=1),
        Column("EVALUATORS / CONFIG", _task_details, fold=True, priority=3),
        Column("CONTINUOUS", _field("is_continuous"), priority=5),
        Column("SAMPLING", _sampling, priority=6),
        Column("TARGET", _task_target, fold=True, priority=4),
        Column("LAST RUN", _field("last_run_at"), priority=2),
    ),
    "run": (
        Column("ID", _field("id")),
        Column("STATUS", _field("status")),
        Column("SUCCESSES", _field("num_successes"), priority=1),
        Column("ERRORS", _field("num_errors"), priority=1),
        Column("SKIPPED", _field("num_skipped"), priority=3),
        Column("CREATED", _field("created_at"), priority=2),
        Column("FINISHED", _field("run_finished_at"), priority=4),
        Column("EXPERIMENT", _field("experiment_id"), optional=True, priority=5),
        Column("FAILURE REASON", _field("failure_reason"), fold=True, optional=True, priority=1),
    ),
    "space": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("PRIVATE", _field("is_private"), priority=3),
        Column("DESCRIPTION", _field("description"), fold=True, priority=2),
        Column("CREATED", _field("created_at"), priority=4),
    ),
    "project": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("TYPE", _field("project_type"), priority=2),
        Column("SPACE", _field("space_id"), priority=3),
        Column("CREATED", _field("created_at"), priority=4),
    ),
    "dataset": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("SPACE", _field("space_id"), priority=3),
        Column("CREATED", _field("created_at"), priority=2),
        Column("UPDATED", _field("updated_at"), priority=4),
    ),
    "evaluator": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("TYPE", _field("type"), priority=1),
        Column("DESCRIPTION", _field("description"), fold=True, priority=2),
        Column("SPACE", _field("space_id"), priority=3),
    ),
    "experiment": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("DATASET", _field("dataset_id"), priority=2),
        Column("CREATED", _field("created_at"), priority=3),
    ),
    "ai_integration": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("PROVIDER", _field("provider"), priority=1),
        Column("MODELS", _field("model_names"), fold=True, priority=2),
        Column("CREATED", _field("created_at"), priority=3),
    ),
}

NOUNS: dict[str, tuple[str, str]] = {
    "task": ("task", "tasks"),
    "run": ("run", "runs"),
    "space": ("space", "spaces"),
    "project": ("project", "projects"),
    "dataset": ("dataset", "datasets"),
    "evaluator": ("evaluator", "evaluators"),
    "experiment": ("experiment", "experiments"),
    "ai_integration": ("AI integration", "AI integrations"),
}


def noun(kind: str, count: int) -> str:
    singular, plural = NOUNS.get(kind, ("item", "items"))
    return singular if count == 1 else plural


def _generic_columns(items: Sequence[Mapping[str, Any]]) -> tuple[Column, ...]:
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    return tuple(Column(k.upper(), _field(k), fold=k != "id") for k in keys)


_GAP = 2
_MIN_FOLD = 12


# --------------------------------------------------------------------------------------------
# Colour
# --------------------------------------------------------------------------------------------

_STATUS_COLORS = {
    "COMPLETED": "32",
    "FAILED": "31",
    "CANCELLED": "33",
    "RUNNING": "36",
    "PENDING": "2",
}


def _paint(text: str, code: str | None, color: bool) -> str:
    if not color or not code:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def status_color(status: str) -> str | None:
    return _STATUS_COLORS.get(status.upper())


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _layout(
    columns: Sequence[Column], natural: list[int], width: int | None
) -> tuple[list[int], list[int]]:
    """(kept column indexes, their widths) fitting ``width``: first fold free-text columns
    (widest first, down to a minimum), then drop the least important columns if still too
    wide.  Without a width everything keeps its natural size."""
    keep = list(range(len(columns)))
    if width is None:
        return keep, list(natural)

    def minimum(i: int) -> int:
        return min(natural[i], _MIN_FOLD) if columns[i].fold else natural[i]

    def total(indexes: list[int], size: Callable[[int], int]) -> int:
        return sum(size(i) for i in indexes) + _GAP * (len(indexes) - 1)

    while total(keep, minimum) > width:
        droppable = [i for i in keep if columns[i].priority > 0]
        if not droppable:
            break
        keep.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    widths = {i: natural[i] for i in keep}
    while total(keep, widths.__getitem__) > width:
        candidates = [i for i in keep if columns[i].fold and widths[i] > minimum(i)]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
    return keep, [widths[i] for i in keep]


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=True) or [""]


def render_table(
    items: Sequence[Mapping[str, Any]],
    kind: str,
    *,
    color: bool = False,
    width: int | None = None,
) -> str:
    """Aligned columns with a header; wide columns folded onto several lines to fit ``width``."""
    every = COLUMNS.get(kind) or _generic_columns(items)
    values = [[column.get(item) for column in every] for item in items]
    present = [
        i
        for i, column in enumerate(every)
        if not column.optional or any(row[i] != _MISSING for row in values)
    ]
    columns = [every[i] for i in present]
    cells = [[row[i] for i in present] for row in values]
    natural = [max([len(c.header)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    keep, widths = _layout(columns, natural, width)
    headers = [columns[i].header for i in keep]
    rows = [[row[i] for i in keep] for row in cells]
    status_at = headers.index("STATUS") if "STATUS" in headers else None
    gap = _GAP

    out: list[str] = []
    header_cells = [h.ljust(widths[i]) for i, h in enumerate(headers)]
    out.append(_paint((" " * gap).join(header_cells).rstrip(), "1", color))
    for row in rows:
        wrapped = [_wrap(cell, widths[i]) for i, cell in enumerate(row)]
        height = max(len(lines) for lines in wrapped)
        for line_no in range(height):
            line: list[str] = []
            for i, lines in enumerate(wrapped):
                text = lines[line_no] if line_no < len(lines) else ""
                padded = text.ljust(widths[i])
                if i == status_at and line_no == 0:
                    padded = _paint(text, status_color(text), color) + " " * (widths[i] - len(text))
                line.append(padded)
            out.append((" " * gap).join(line).rstrip())
    return "\n".join(out) + "\n"


def _nested_lines(value: Any) -> list[str]:
    import yaml

    text = yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000
    )
    return text.rstrip("\n").splitlines()


def render_detail(item: Mapping[str, Any], *, color: bool = False, width: int | None = None) -> str:
    """One resource as ``key  value`` lines; nested values indented below their key."""
    human = _humanize(dict(item))
    if not human:
        return ""
    key_width = max(len(str(k)) for k in human) + 2
    out: list[str] = []
    for key, value in human.items():
        label = str(key).ljust(key_width)
        if isinstance(value, dict | list) and value:
            out.append(_paint(str(key), "1", color))
            out.extend("  " + line for line in _nested_lines(value))
            continue
        text = _cell(value)
        if key == "status":
            text = _paint(text, status_color(text), color)
        avail = (width - key_width) if width else None
        if avail and avail > 20 and len(text) > avail and "\x1b" not in text:
            lines = _wrap(text, avail)
            out.append(_paint(label, "1", color) + lines[0])
            out.extend(" " * key_width + line for line in lines[1:])
        else:
            out.append((_paint(label, "1", color) + text).rstrip())
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


def _csv(items: Sequence[Mapping[str, Any]]) -> str:
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
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

    @property
    def format(self) -> str:
        return self.choice.format

    def _color(self) -> bool:
        return self.color and self.choice.path is None

    def _width(self) -> int | None:
        return self.width if self.choice.path is None else None

    def _emit(self, chunks: Iterable[str], what: Callable[[], str]) -> None:
        if self.choice.path is None:
            for chunk in chunks:
                self.stdout.write(chunk)
                self.stdout.flush()
            return
        path = self.choice.path
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        except OSError as exc:
            raise UsageProblem(
                f"--output: cannot write {str(path)!r}: {exc.strerror or exc}."
            ) from None
        self.stderr.write(f"Wrote {what()} to {path}\n")
        self.stderr.flush()

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
            text = _csv([item])
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
                text = (
                    render_table(collected, kind, color=self._color(), width=self._width())
                    if collected
                    else ""
                )
            elif fmt == "yaml":
                text = _yaml([dict(i) for i in collected])
            else:
                text = _csv(collected) if collected else ""
            chunks = [text]
        self._emit(chunks, lambda: f"{counter[0]} {noun(kind, counter[0])}")
        return counter[0]

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
            text = _csv([data])
        self._emit([text], lambda: "the planned request")
