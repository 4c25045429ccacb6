from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_call_run_config_input_template import AgentCallRunConfigInputTemplate


T = TypeVar("T", bound="AgentCallRunConfig")


@_attrs_define
class AgentCallRunConfig:
    """Calls an agent integration with a templated JSON body for each example.

    Attributes:
        experiment_type (Literal['AGENT_CALL']):
        integration_id (str):
        input_template (AgentCallRunConfigInputTemplate): A JSON body with Mustache placeholders; `{{dataset.col}}` is
            echoed back normalized to `{{col}}`.
    """

    experiment_type: Literal["AGENT_CALL"]
    integration_id: str
    input_template: AgentCallRunConfigInputTemplate
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_type = self.experiment_type

        integration_id = self.integration_id

        input_template = self.input_template.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_type": experiment_type,
                "integration_id": integration_id,
                "input_template": input_template,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_call_run_config_input_template import AgentCallRunConfigInputTemplate  # noqa: PLC0415

        d = dict(src_dict)
        experiment_type = cast(Literal["AGENT_CALL"], d.pop("experiment_type"))
        if experiment_type != "AGENT_CALL":
            raise ValueError(
                f"experiment_type must match const 'AGENT_CALL', got '{experiment_type}'"
            )

        integration_id = d.pop("integration_id")

        input_template = AgentCallRunConfigInputTemplate.from_dict(d.pop("input_template"))

        agent_call_run_config = cls(
            experiment_type=experiment_type,
            integration_id=integration_id,
            input_template=input_template,
        )

        agent_call_run_config.additional_properties = d
        return agent_call_run_config

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
