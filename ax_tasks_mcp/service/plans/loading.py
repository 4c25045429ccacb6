"""Tasks files read and checked locally, before any request: syntax, the schema, the rules of
each type of task, and names given twice.

A file holds one space (``space`` and ``tasks``; without ``space``, the configured space) or
several (``spaces``, each with its ``space`` and ``tasks``).  YAML, or JSON when the name ends
in ``.json`` (or the text starts with ``{``).  Enum values may be in any case and a missing
``input_variable_format`` is inferred, as everywhere else in ax-tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Final

from ax_tasks_mcp.service.errors import ValidationError, shown
from ax_tasks_mcp.service.ids import TYPE_NOUNS, decode_id, encode_id, is_resource_id
from ax_tasks_mcp.service.lenient import normalize_enum, normalize_run_configuration
from ax_tasks_mcp.service.plans.file_words import (
    RUN_CONFIGURATION_REFERENCES,
    file_word,
    to_api_keys,
)
from ax_tasks_mcp.service.plans.locations import FileError, Where
from ax_tasks_mcp.service.plans.marked import Marked, Path, read_marked
from ax_tasks_mcp.service.plans.schema import check_document, field_label, value_at
from ax_tasks_mcp.service.requests import EvaluationTaskSpec, RunExperimentTaskSpec, TaskSpec
from ax_tasks_mcp.service.words import Words

__all__ = [
    "FILE_WORDS",
    "MAX_FILE_BYTES",
    "DesiredTask",
    "SpaceTasks",
    "check_unique",
    "load_texts",
    "read_files",
    "spec_of",
]

#: The largest tasks file read (about 40,000 tasks as export writes them).
MAX_FILE_BYTES: Final = 16 * 1024 * 1024
#: How the library's messages name fields inside a file.
FILE_WORDS: Final = Words(field=file_word)
RUN_EXPERIMENT: Final = "RUN_EXPERIMENT"
#: What a task's ID decodes to.
TASK_ID_TYPE: Final = "OnlineTask"


@dataclass(frozen=True)
class DesiredTask:
    """One task as a file describes it (the file's words, enums in UPPERCASE), and where."""

    data: dict[str, Any]
    path: Path
    marked: Marked

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def task_id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def task_type(self) -> str:
        return str(self.data["type"])

    @property
    def label(self) -> str:
        return field_label(self.marked.data, self.path)

    def where(self, *inside: str | int, key: bool = False) -> Where:
        return self.marked.at((*self.path, *inside), key=key)

    def error(self, problem: str, *inside: str | int, key: bool = False) -> FileError:
        """A FileError at a field of this task (at the task itself without ``inside``)."""
        label = field_label(self.marked.data, (*self.path, *inside))
        return FileError(self.where(*inside, key=key), problem, field=label)


@dataclass(frozen=True)
class SpaceTasks:
    """The tasks a file gives for one space (``space`` None: the configured space)."""

    space: str | None
    tasks: tuple[DesiredTask, ...]
    where: Where


def read_files(
    paths: Iterable[str | FilePath], max_bytes: int = MAX_FILE_BYTES
) -> list[tuple[str, str]]:
    """(name, text) of each file; one that cannot be read is a FileError naming it."""
    found: list[tuple[str, str]] = []
    for path in paths:
        name = str(path)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise FileError(Where(name), f"cannot be read: {exc.strerror or exc}.") from None
        found.append((name, decode(raw, name, max_bytes)))
    return found


def decode(raw: bytes, name: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A file's bytes as text: at most ``max_bytes``, UTF-8 (a BOM is dropped)."""
    if len(raw) > max_bytes:
        raise FileError(Where(name), f"is larger than {max_bytes:,} bytes; split it into files.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileError(Where(name, line, column), "is not UTF-8 text.") from None


def load_texts(
    sources: Sequence[tuple[str, str | bytes]], max_bytes: int = MAX_FILE_BYTES
) -> list[SpaceTasks]:
    """Every space and its tasks, from (name, text or bytes) pairs; the first problem raises."""
    spaces: list[SpaceTasks] = []
    for source, given in sources:
        text = decode(given, source, max_bytes) if isinstance(given, bytes) else given
        as_json = source.lower().endswith(".json") or text.lstrip().startswith("{")
        spaces.extend(_document(read_marked(text, source, as_json=as_json)))
    _check_unique(spaces)
    return spaces


def _document(marked: Marked) -> list[SpaceTasks]:
    data = marked.data
    if not isinstance(data, dict):
        raise FileError(
            marked.at(()),
            "a tasks file is an object: space and tasks, or spaces (see ax-tasks export).",
        )
    groups: list[tuple[Path, Any]] = []
    if isinstance(data.get("spaces"), list):
        for index, entry in enumerate(data["spaces"]):
            groups.append((("spaces", index), entry))
    else:
        groups.append(((), data))
    for path, group in groups:
        tasks = group.get("tasks") if isinstance(group, dict) else None
        for index, entry in enumerate(tasks if isinstance(tasks, list) else []):
            _normalize(entry, marked, (*path, "tasks", index))
    check_document(marked)
    found: list[SpaceTasks] = []
    problems: list[FileError] = []
    for path, group in groups:
        tasks = tuple(
            DesiredTask(entry, (*path, "tasks", index), marked)
            for index, entry in enumerate(group["tasks"])
        )
        problems += [problem for task in tasks for problem in _rule_problems(task)]
        space = group.get("space")
        where = marked.at((*path, "space")) if space is not None else marked.at(path)
        found.append(SpaceTasks(space, tasks, where))
    if problems:
        raise FileError.of(problems)
    return found


def _normalize(entry: Any, marked: Marked, path: Path) -> None:
    """Enum values in UPPERCASE and input_variable_format inferred, in place (before the
    schema: the file may say ``run_experiment`` or ``Llm-Generation``); a message about such
    a value still quotes it as the file writes it."""
    if not isinstance(entry, dict):
        return
    if isinstance(entry.get("type"), str):
        entry["type"] = _respelt(marked, (*path, "type"), entry["type"], normalize_enum)
    config = entry.get("run_configuration")
    if isinstance(config, Mapping):
        entry["run_configuration"] = _respelt(
            marked, (*path, "run_configuration"), config, normalize_run_configuration
        )


def _respelt(marked: Marked, path: Path, value: Any, normalize: Any) -> Any:
    """``normalize(value)``, each text it changed noted in the file's spelling."""
    new = normalize(value)
    for inner, before in _texts(value, path):
        if value_at(new, inner[len(path) :]) != before:
            marked.texts.setdefault(inner, repr(before))
    return new


def _texts(value: Any, path: Path) -> list[tuple[Path, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, Mapping):
        return [t for key, inner in value.items() for t in _texts(inner, (*path, key))]
    if isinstance(value, list):
        return [t for index, inner in enumerate(value) for t in _texts(inner, (*path, index))]
    return []


def spec_of(data: Mapping[str, Any], space: str | None = None) -> TaskSpec:
    """The library's request for creating the task ``data`` describes (the file's words;
    references as names or, once resolved, IDs)."""
    config = data.get("run_configuration")
    if data.get("type") == RUN_EXPERIMENT:
        return RunExperimentTaskSpec(
            name=str(data.get("name")),
            space=space,
            dataset=str(data.get("dataset") or ""),
            run_configuration=to_api_keys(
                config if isinstance(config, Mapping) else {}, RUN_CONFIGURATION_REFERENCES
            ),
        )
    return EvaluationTaskSpec(
        name=str(data.get("name")),
        task_type=str(data.get("type")),
        space=space,
        evaluators=data.get("evaluators") or [],
        project=data.get("project"),
        dataset=data.get("dataset"),
        experiment_ids=data.get("experiments"),
        sampling_rate=data.get("sampling_rate"),
        is_continuous=data.get("is_continuous"),
        query_filter=data.get("query_filter"),
        query_filters=data.get("query_filters"),
    )


def _rule_problems(task: DesiredTask) -> list[FileError]:
    """The library's own checks of a task of this type, told at the field they name, and
    its ``id``, which must be a task's."""
    problems: list[FileError] = []
    if "id" in task.data:
        problem = _id_problem(task.data["id"])
        if problem is not None:
            problems.append(task.error(problem, "id"))
    try:
        spec_of(task.data)
    except ValidationError as exc:
        named = [file_word(f) for f in exc.fields if file_word(f) in task.data]
        said = exc.render(FILE_WORDS)
        if named and said.startswith(named[0]):  # the message names it first: said once
            problems.append(FileError(task.where(named[0]), said, field=task.label))
        else:
            problems.append(task.error(said, *named[:1]))
    return problems


def _id_problem(value: str) -> str | None:
    """Why ``value`` cannot be the ID of a task, if it cannot (an ID the space does not have
    is for the plan to say: the task may have been deleted, or the file be another space's)."""
    decoded = decode_id(value) if is_resource_id(value) else None
    if decoded is None:
        example = encode_id(TASK_ID_TYPE, 99, "qRwX")
        return (
            f"{shown(value)} is not a task ID (export writes each task's, such as {example}); "
            "leave id out to match the task by its name."
        )
    if decoded.type_name == TASK_ID_TYPE:
        return None
    noun = TYPE_NOUNS.get(decoded.type_name, decoded.type_name)
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    return (
        f"{shown(value)} is {article} {noun} ID, not a task ID; leave id out to match the task "
        "by its name."
    )


def _check_unique(spaces: Sequence[SpaceTasks]) -> None:
    by_space: dict[str | None, list[DesiredTask]] = {}
    for group in spaces:
        by_space.setdefault(group.space, []).extend(group.tasks)
    for tasks in by_space.values():
        check_unique(tasks)


def check_unique(tasks: Iterable[DesiredTask]) -> None:
    """A task name, and a task ID, once among one space's tasks (from every file)."""
    seen: dict[tuple[str, str], DesiredTask] = {}
    for task in tasks:
        for key, value in (("name", task.name), ("id", task.task_id)):
            first = seen.setdefault((key, value), task) if value is not None else task
            if first is task:
                continue
            said = (
                f"the task name {value!r} is given twice in this space (first at "
                f"{first.where()}); task names are unique within a space."
                if key == "name"
                else f"the ID {value} is also given to {first.label} (at {first.where()}); "
                "each task has its own."
            )
            raise task.error(said, key)
