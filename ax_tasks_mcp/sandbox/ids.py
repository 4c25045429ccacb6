"""Global IDs as the real service writes them.

An ID is standard padded base64 of ``TypeName:number:suffix``. The suffix is derived from the
type and the number, so the same row always gets the same ID, and an ID whose suffix does not
match is an ID the sandbox never issued.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Final

SPACE: Final = "Space"
PROJECT: Final = "Model"
DATASET: Final = "Dataset"
DATASET_VERSION: Final = "DatasetVersion"
EVALUATOR: Final = "Evaluator"
EVALUATOR_VERSION: Final = "EvaluatorVersion"
EXPERIMENT: Final = "Experiment"
INTEGRATION: Final = "LlmIntegration"
TASK: Final = "OnlineTask"
TASK_RUN: Final = "TaskRun"
USER: Final = "User"
ORGANIZATION: Final = "Organization"

_SUFFIX_ALPHABET: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class MalformedIdError(ValueError):
    """The string is not a global ID at all (bad base64, no number...)."""


@dataclass(frozen=True)
class GlobalId:
    type_name: str
    number: int
    suffix: str | None


def suffix_for(type_name: str, number: int) -> str:
    digest = hashlib.sha256(f"{type_name}:{number}".encode()).digest()
    return "".join(_SUFFIX_ALPHABET[b % len(_SUFFIX_ALPHABET)] for b in digest[:4])


def encode(type_name: str, number: int) -> str:
    raw = f"{type_name}:{number}:{suffix_for(type_name, number)}"
    return base64.b64encode(raw.encode()).decode("ascii")


def decode(value: str) -> GlobalId:
    """Decode an ID; raise MalformedIdError when it is not one."""
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
        if base64.b64encode(raw).decode("ascii") != value:  # stray or missing padding
            raise ValueError(value)
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise MalformedIdError(f"{value!r} is not a valid ID (padded base64 expected)") from exc
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0]:
        raise MalformedIdError(f"{value!r} is not a valid ID")
    type_name, number_text = parts[0], parts[1]
    if not number_text.isascii() or not number_text.isdigit():
        raise MalformedIdError(f"{value!r} is not a valid ID")
    return GlobalId(type_name, int(number_text), parts[2] if len(parts) == 3 else None)


def number_of(value: str, type_name: str) -> int | None:
    """The row number behind an ID of the expected type, or None when it is another type.

    Raises MalformedIdError when the value is not an ID. A suffix that does not match (an ID
    this sandbox never issued) also gives None.
    """
    gid = decode(value)
    if gid.type_name != type_name:
        return None
    if gid.suffix is not None and gid.suffix != suffix_for(type_name, gid.number):
        return None
    return gid.number
