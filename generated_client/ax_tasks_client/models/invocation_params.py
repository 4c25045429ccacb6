from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.response_format import ResponseFormat
    from ..models.tool_config import ToolConfig


T = TypeVar("T", bound="InvocationParams")


@_attrs_define
class InvocationParams:
    """
    Attributes:
        temperature (float | Unset):
        top_p (float | Unset):
        frequency_penalty (float | Unset):
        presence_penalty (float | Unset):
        max_tokens (int | Unset):
        max_completion_tokens (int | Unset):
        top_k (int | Unset):
        thinking_budget (int | Unset):
        stop (list[str] | Unset):
        response_format (ResponseFormat | Unset):
        tool_config (ToolConfig | Unset):
        thinking_level (str | Unset):
        reasoning_effort (str | Unset):
        verbosity (str | Unset):
        service_tier (str | Unset): Response only.
    """

    temperature: float | Unset = UNSET
    top_p: float | Unset = UNSET
    frequency_penalty: float | Unset = UNSET
    presence_penalty: float | Unset = UNSET
    max_tokens: int | Unset = UNSET
    max_completion_tokens: int | Unset = UNSET
    top_k: int | Unset = UNSET
    thinking_budget: int | Unset = UNSET
    stop: list[str] | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    tool_config: ToolConfig | Unset = UNSET
    thinking_level: str | Unset = UNSET
    reasoning_effort: str | Unset = UNSET
    verbosity: str | Unset = UNSET
    service_tier: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        temperature = self.temperature

        top_p = self.top_p

        frequency_penalty = self.frequency_penalty

        presence_penalty = self.presence_penalty

        max_tokens = self.max_tokens

        max_completion_tokens = self.max_completion_tokens

        top_k = self.top_k

        thinking_budget = self.thinking_budget

        stop: list[str] | Unset = UNSET
        if not isinstance(self.stop, Unset):
            stop = self.stop

        response_format: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.to_dict()

        tool_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tool_config, Unset):
            tool_config = self.tool_config.to_dict()

        thinking_level = self.thinking_level

        reasoning_effort = self.reasoning_effort

        verbosity = self.verbosity

        service_tier = self.service_tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if frequency_penalty is not UNSET:
            field_dict["frequency_penalty"] = frequency_penalty
        if presence_penalty is not UNSET:
            field_dict["presence_penalty"] = presence_penalty
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if thinking_budget is not UNSET:
            field_dict["thinking_budget"] = thinking_budget
        if stop is not UNSET:
            field_dict["stop"] = stop
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if tool_config is not UNSET:
            field_dict["tool_config"] = tool_config
        if thinking_level is not UNSET:
            field_dict["thinking_level"] = thinking_level
        if reasoning_effort is not UNSET:
            field_dict["reasoning_effort"] = reasoning_effort
        if verbosity is not UNSET:
            field_dict["verbosity"] = verbosity
        if service_tier is not UNSET:
            field_dict["service_tier"] = service_tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.response_format import ResponseFormat  # noqa: PLC0415
        from ..models.tool_config import ToolConfig  # noqa: PLC0415

        d = dict(src_dict)
        temperature = d.pop("temperature", UNSET)

        top_p = d.pop("top_p", UNSET)

        frequency_penalty = d.pop("frequency_penalty", UNSET)

        presence_penalty = d.pop("presence_penalty", UNSET)

        max_tokens = d.pop("max_tokens", UNSET)

        max_completion_tokens = d.pop("max_completion_tokens", UNSET)

        top_k = d.pop("top_k", UNSET)

        thinking_budget = d.pop("thinking_budget", UNSET)

        stop = cast(list[str], d.pop("stop", UNSET))

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat.from_dict(_response_format)

        _tool_config = d.pop("tool_config", UNSET)
        tool_config: ToolConfig | Unset
        if isinstance(_tool_config, Unset):
            tool_config = UNSET
        else:
            tool_config = ToolConfig.from_dict(_tool_config)

        thinking_level = d.pop("thinking_level", UNSET)

        reasoning_effort = d.pop("reasoning_effort", UNSET)

        verbosity = d.pop("verbosity", UNSET)

        service_tier = d.pop("service_tier", UNSET)

        invocation_params = cls(
            temperature=temperature,
            top_p=top_p,
            frequency_penalty=frequency_penalty,
            presence_penalty=presence_penalty,
            max_tokens=max_tokens,
            max_completion_tokens=max_completion_tokens,
            top_k=top_k,
            thinking_budget=thinking_budget,
            stop=stop,
            response_format=response_format,
            tool_config=tool_config,
            thinking_level=thinking_level,
            reasoning_effort=reasoning_effort,
            verbosity=verbosity,
            service_tier=service_tier,
        )

        invocation_params.additional_properties = d
        return invocation_params

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
