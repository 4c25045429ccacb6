from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.agent_call_run_config_request_input_template import (
        AgentCallRunConfigRequestInputTemplate,
    )


T = TypeVar("T", bound="AgentCallRunConfigRequest")


@_attrs_define
class AgentCallRunConfigRequest:
    """
    Attributes:
        experiment_type (Literal['AGENT_CALL']):
        integration_id (str): An AI integration of type AGENT.
        input_template (AgentCallRunConfigRequestInputTemplate):
    """

    experiment_type: Literal["AGENT_CALL"]
    integration_id: str
    input_template: AgentCallRunConfigRequestInputTemplate

    def to_dict(self) -> dict[str, Any]:
        experiment_type = self.experiment_type

        integration_id = self.integration_id

        input_template = self.input_template.to_dict()

        field_dict: dict[str, Any] = {}

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
        from ..models.agent_call_run_config_request_input_template import (
            AgentCallRunConfigRequestInputTemplate,  # noqa: PLC0415
        )

        d = dict(src_dict)
        experiment_type = cast(Literal["AGENT_CALL"], d.pop("experiment_type"))
        if experiment_type != "AGENT_CALL":
            raise ValueError(
                f"experiment_type must match const 'AGENT_CALL', got '{experiment_type}'"
            )

        integration_id = d.pop("integration_id")

        input_template = AgentCallRunConfigRequestInputTemplate.from_dict(d.pop("input_template"))

        agent_call_run_config_request = cls(
            experiment_type=experiment_type,
            integration_id=integration_id,
            input_template=input_template,
        )

        return agent_call_run_config_request
