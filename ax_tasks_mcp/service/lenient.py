"""Lenient input: enum values in any case, and the input variable format a prompt implies.

Users copy the older lowercase docs (``template_evaluation``, ``user``); what ax-tasks sends is
UPPERCASE, then checked strictly against the spec by its generated model (bodies.py).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any, Final

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.words import field

__all__ = ["infer_input_variable_format", "normalize_enum", "normalize_run_configuration"]


#: A value the API may show that this version does not know yet (AGENT_EVALUATION, QUEUED).
NEWER_VALUE: Final = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


def normalize_enum(value: Any) -> Any:
    """``"template-evaluation"`` → ``"TEMPLATE_EVALUATION"``; non-strings are left alone."""
    if not isinstance(value, str):
        return value
    text = re.sub(r"[\s-]+", "_", value.strip()).upper()
    return {"FSTRING": "F_STRING"}.get(text, text)


_MUSTACHE = re.compile(r"\{\{\s*[^{}\s][^{}]*\}\}")


def infer_input_variable_format(messages: Any) -> str:
    """MUSTACHE when the messages use ``{{var}}``, otherwise F_STRING (``{var}`` or nothing)."""
    texts: list[str] = []
    if isinstance(messages, list):
        for message in messages:
            if isinstance(message, Mapping) and isinstance(message.get("content"), str):
                texts.append(message["content"])
    if any(_MUSTACHE.search(text) for text in texts):
        return "MUSTACHE"
    return "F_STRING"


def _upper_key(data: Any, key: str) -> None:
    if isinstance(data, dict) and key in data:
        data[key] = normalize_enum(data[key])


def normalize_run_configuration(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with enum values in UPPERCASE and a missing ``input_variable_format`` inferred."""
    if not isinstance(config, Mapping):
        raise ValidationError(
            f"{field('run_configuration')} must be a JSON object, not {type(config).__name__}."
        )
    data: dict[str, Any] = copy.deepcopy(dict(config))
    _upper_key(data, "experiment_type")
    if data.get("input_variable_format") is not None:
        _upper_key(data, "input_variable_format")
    messages = data.get("messages")
    for message in messages if isinstance(messages, list) else []:
        _upper_key(message, "role")
        calls = message.get("tool_calls") if isinstance(message, dict) else None
        for call in calls if isinstance(calls, list) else []:
            _upper_key(call, "type")
    params = data.get("invocation_parameters")
    if isinstance(params, dict):
        _upper_key(params.get("response_format"), "type")
    if (
        data.get("experiment_type") == "LLM_GENERATION"
        and data.get("input_variable_format") is None
    ):
        data["input_variable_format"] = infer_input_variable_format(messages)
    return data
