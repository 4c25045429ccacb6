"""YAML and JSON read with the line and column of every key and value.

PyYAML's composer keeps a mark on every node; the data is built here from the nodes, so each
path (``("tasks", 2, "sampling_rate")``) keeps where its key and its value are, and a value
that is not text keeps the file's own spelling (``0x10``, ``.nan``), so a message quotes what
the file says rather than what it was read as.  Numbers are read as YAML 1.2 (and JSON, and
the editors that check a file against its schema) read them: ``1e-3`` and ``1e400`` are
numbers, where PyYAML's YAML 1.1 wants a dot and a signed exponent.  Built by hand
for three more reasons: a repeated key is an error (PyYAML keeps the last one silently), a key
must be text, and aliases may not expand without bound (a small file must not become a huge
document).  JSON is parsed by ``json`` (its numbers and strings exactly) and composed by YAML
for the marks only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ax_tasks_mcp.service.plans.locations import FileError, Where

__all__ = ["MAX_NODES", "Marked", "Path", "read_marked"]

Path = tuple[str | int, ...]

#: Keys, values and list items a document may expand to (aliases included).
MAX_NODES: Final = 2_000_000
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_TEXT_TAG: Final = "tag:yaml.org,2002:str"
_FLOAT_TAG: Final = "tag:yaml.org,2002:float"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where PyYAML was built with it (ten times faster), else PyYAML's own;
    with YAML 1.2's exponent floats, which YAML 1.1 reads as text."""


_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


#: (line, column), counted from 1.
Place = tuple[int, int]


@dataclass
class Marked:
    """A document and where each of its parts is."""

    data: Any
    source: str
    values: dict[Path, Place] = field(default_factory=dict)
    keys: dict[Path, Place] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    """How the file writes each value that is not text (a number, true, null)."""

    def at(self, path: Path, *, key: bool = False) -> Where:
        """Where the value at ``path`` is (or its key, with ``key``); the nearest enclosing
        part that has a place when that one has none (an inferred field, say)."""
        marks = self.keys if key else self.values
        if path in marks:
            return Where(self.source, *marks[path])
        for end in range(len(path) - 1, -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return Where(self.source, *found)
        return Where(self.source)


def _place(mark: Any) -> Place:
    return (mark.line + 1, mark.column + 1)


def _where(source: str, mark: Any) -> Where:
    return Where(source, *_place(mark))


def read_marked(text: str, source: str, *, as_json: bool = False) -> Marked:
    """The document in ``text``; a syntax error is a FileError at its place."""
    if as_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            where = Where(source, exc.lineno, exc.colno)
            raise FileError(where, f"not valid JSON: {exc.msg}.") from None
        except RecursionError:
            raise FileError(Where(source), "nested too deeply.") from None
        marked = Marked(data, source)
        # In valid JSON a tab is only ever whitespace, which YAML's scanner refuses in places.
        # A layout YAML still cannot read only costs the marks: errors then point at 1:1.
        _Builder(marked).build(text.replace("\t", " "), lenient=True)
        return marked
    marked = Marked(None, source)
    marked.data = _Builder(marked).build(text)
    return marked


class _Builder:
    def __init__(self, marked: Marked) -> None:
        self.marked = marked
        self.nodes = 0
        self.loader: Any = None  # a CSafeLoader or a SafeLoader
        self._open: set[int] = set()

    def build(self, text: str, *, lenient: bool = False) -> Any:
        """The document's data, its marks noted; with ``lenient``, text YAML cannot read gives
        no marks instead of an error."""
        self.loader = _Loader(text)
        try:
            try:
                node = self.loader.get_single_node()
            except (yaml.YAMLError, RecursionError) as exc:
                if lenient:
                    return None
                raise self._syntax_error(exc) from None
            if node is None:
                return None
            try:
                return self._node(node, ())
            except (yaml.YAMLError, RecursionError) as exc:  # a value that cannot be built
                raise self._syntax_error(exc) from None
        finally:
            self.loader.dispose()

    def _syntax_error(self, exc: BaseException) -> FileError:
        source = self.marked.source
        if isinstance(exc, RecursionError):
            return FileError(Where(source), "nested too deeply.")
        if isinstance(exc, yaml.MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            where = _where(source, mark) if mark is not None else Where(source)
            said = ", ".join(str(part) for part in (exc.context, exc.problem) if part)
            problem = " ".join(said.split()) or "invalid YAML"
            return FileError(where, f"not valid YAML: {problem}.")
        return FileError(Where(source), f"not valid YAML: {exc}.")

    def _fail(self, node: Node, problem: str) -> FileError:
        return FileError(_where(self.marked.source, node.start_mark), problem)

    def _node(self, node: Node, path: Path) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail(
                node, f"the document expands to more than {MAX_NODES:,} values (aliases?)."
            )
        self.marked.values.setdefault(path, _place(node.start_mark))
        if id(node) in self._open:
            raise self._fail(node, "an alias refers to a value that contains it.")
        if isinstance(node, MappingNode):
            self._open.add(id(node))
            try:
                return self._mapping(node, path)
            finally:
                self._open.discard(id(node))
        if isinstance(node, SequenceNode):
            self._open.add(id(node))
            try:
                return [self._node(item, (*path, i)) for i, item in enumerate(node.value)]
            finally:
                self._open.discard(id(node))
        if node.tag == _TEXT_TAG:
            return node.value  # most values: no constructor to look up
        if isinstance(node, ScalarNode):
            self.marked.texts.setdefault(path, str(node.value))
        return self.loader.construct_object(node)

    def _key(self, node: Node) -> Any:
        if node.tag == _TEXT_TAG:
            return node.value
        return self.loader.construct_object(node) if isinstance(node, ScalarNode) else None

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        own = {id(key) for key, _ in node.value if key.tag != _MERGE_TAG}
        self.loader.flatten_mapping(node)  # `<<: *defaults` merges, then own keys override
        result: dict[str, Any] = {}
        merged: set[str] = set()
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if not isinstance(key, str):
                raise self._fail(key_node, "a key must be text (quote it).")
            if key in result and (key not in merged or id(key_node) not in own):
                raise self._fail(key_node, f"{key!r} is given twice in the same object.")
            if id(key_node) not in own:
                merged.add(key)
            else:
                merged.discard(key)
            self.marked.keys[(*path, key)] = _place(key_node.start_mark)
            self.marked.values.pop((*path, key), None)  # an override's place wins
            self.marked.texts.pop((*path, key), None)
            result[key] = self._node(value_node, (*path, key))
        return result
