from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.input_variable_format import InputVariableFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invocation_params import InvocationParams
    from ..models.llm_generation_run_config_provider_parameters import (
        LlmGenerationRunConfigProviderParameters,
    )
    from ..models.llm_message import LLMMessage
    from ..models.tool_config import ToolConfig


T = TypeVar("T", bound="LlmGenerationRunConfig")


@_attrs_define
class LlmGenerationRunConfig:
    """Runs a chat prompt over each example.

    Attributes:
        experiment_type (Literal['LLM_GENERATION']):
        ai_integration_id (str):
        messages (list[LLMMessage]):
        input_variable_format (InputVariableFormat): How prompt placeholders are written; `{var}` is F_STRING, `{{var}}`
            is MUSTACHE. NONE is deprecated and treated as F_STRING.
        model_name (str | Unset):
        invocation_parameters (InvocationParams | Unset):
        provider_parameters (LlmGenerationRunConfigProviderParameters | Unset):
        tool_config (ToolConfig | Unset):
        prompt_version_id (None | str | Unset):
    """

    experiment_type: Literal["LLM_GENERATION"]
    ai_integration_id: str
    messages: list[LLMMessage]
    input_variable_format: InputVariableFormat
    model_name: str | Unset = UNSET
    invocation_parameters: InvocationParams | Unset = UNSET
    provider_parameters: LlmGenerationRunConfigProviderParameters | Unset = UNSET
    tool_config: ToolConfig | Unset = UNSET
    prompt_version_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_type = self.experiment_type

        ai_integration_id = self.ai_integration_id

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        input_variable_format = self.input_variable_format.value

        model_name = self.model_name

        invocation_parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.invocation_parameters, Unset):
            invocation_parameters = self.invocation_parameters.to_dict()

        provider_parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.provider_parameters, Unset):
            provider_parameters = self.provider_parameters.to_dict()

        tool_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tool_config, Unset):
            tool_config = self.tool_config.to_dict()

        prompt_version_id: None | str | Unset
        if isinstance(self.prompt_version_id, Unset):
            prompt_version_id = UNSET
        else:
            prompt_version_id = self.prompt_version_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_type": experiment_type,
                "ai_integration_id": ai_integration_id,
                "messages": messages,
                "input_variable_format": input_variable_format,
            }
        )
        if model_name is not UNSET:
            field_dict["model_name"] = model_name
        if invocation_parameters is not UNSET:
            field_dict["invocation_parameters"] = invocation_parameters
        if provider_parameters is not UNSET:
            field_dict["provider_parameters"] = provider_parameters
        if tool_config is not UNSET:
            field_dict["tool_config"] = tool_config
        if prompt_version_id is not UNSET:
            field_dict["prompt_version_id"] = prompt_version_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invocation_params import InvocationParams  # noqa: PLC0415
        from ..models.llm_generation_run_config_provider_parameters import (
            LlmGenerationRunConfigProviderParameters,  # noqa: PLC0415
        )
        from ..models.llm_message import LLMMessage  # noqa: PLC0415
        from ..models.tool_config import ToolConfig  # noqa: PLC0415

        d = dict(src_dict)
        experiment_type = cast(Literal["LLM_GENERATION"], d.pop("experiment_type"))
        if experiment_type != "LLM_GENERATION":
            raise ValueError(
                f"experiment_type must match const 'LLM_GENERATION', got '{experiment_type}'"
            )

        ai_integration_id = d.pop("ai_integration_id")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = LLMMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        input_variable_format = InputVariableFormat(d.pop("input_variable_format"))

        model_name = d.pop("model_name", UNSET)

        _invocation_parameters = d.pop("invocation_parameters", UNSET)
        invocation_parameters: InvocationParams | Unset
        if isinstance(_invocation_parameters, Unset):
            invocation_parameters = UNSET
        else:
            invocation_parameters = InvocationParams.from_dict(_invocation_parameters)

        _provider_parameters = d.pop("provider_parameters", UNSET)
        provider_parameters: LlmGenerationRunConfigProviderParameters | Unset
        if isinstance(_provider_parameters, Unset):
            provider_parameters = UNSET
        else:
            provider_parameters = LlmGenerationRunConfigProviderParameters.from_dict(
                _provider_parameters
            )

        _tool_config = d.pop("tool_config", UNSET)
        tool_config: ToolConfig | Unset
        if isinstance(_tool_config, Unset):
            tool_config = UNSET
        else:
            tool_config = ToolConfig.from_dict(_tool_config)

        def _parse_prompt_version_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt_version_id = _parse_prompt_version_id(d.pop("prompt_version_id", UNSET))

        llm_generation_run_config = cls(
            experiment_type=experiment_type,
            ai_integration_id=ai_integration_id,
            messages=messages,
            input_variable_format=input_variable_format,
            model_name=model_name,
            invocation_parameters=invocation_parameters,
            provider_parameters=provider_parameters,
            tool_config=tool_config,
            prompt_version_id=prompt_version_id,
        )

        llm_generation_run_config.additional_properties = d
        return llm_generation_run_config

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
