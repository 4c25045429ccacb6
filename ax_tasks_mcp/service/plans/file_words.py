"""How a tasks file names the API's fields: a reference drops its ``_id`` and takes a name or
an ID (``project: chatbot``, ``evaluator: hallucination``); every other field keeps its API name.

The tables say where each rename applies, so a free-form object (an agent's ``input_template``,
a tool's JSON schema) keeps its keys whatever they are called.  scripts/tasks_file_schema.py
applies the same tables to the spec's request shapes, so the shipped schema and this module
speak the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "EVALUATOR_REFERENCES",
    "RUN_CONFIGURATION_REFERENCES",
    "TASK_REFERENCES",
    "file_word",
    "to_api_keys",
    "to_file_keys",
]

#: On a task: API field → the file's word.
TASK_REFERENCES: Final = {
    "project_id": "project",
    "dataset_id": "dataset",
    "experiment_ids": "experiments",
}
#: On an evaluator entry.
EVALUATOR_REFERENCES: Final = {"evaluator_id": "evaluator"}
#: On a run configuration.
RUN_CONFIGURATION_REFERENCES: Final = {
    "ai_integration_id": "ai_integration",
    "integration_id": "integration",
}

_ALL: Final = {**TASK_REFERENCES, **EVALUATOR_REFERENCES, **RUN_CONFIGURATION_REFERENCES}


def file_word(api_field: str) -> str:
    """The file's word for an API field (``experiment_ids`` → ``experiments``)."""
    return _ALL.get(api_field, api_field)


def to_file_keys(data: Mapping[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    """A copy of one object with its reference keys in the file's words (not recursive)."""
    return {renames.get(key, key): value for key, value in data.items()}


def to_api_keys(data: Mapping[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    """A copy of one object with its reference keys in the API's words (not recursive)."""
    back = {word: api for api, word in renames.items()}
    return {back.get(key, key): value for key, value in data.items()}
