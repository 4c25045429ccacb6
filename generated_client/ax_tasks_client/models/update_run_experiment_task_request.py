from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_call_run_config_request import AgentCallRunConfigRequest
    from ..models.llm_generation_run_config_request import LlmGenerationRunConfigRequest
    from ..models.template_evaluation_run_config_request import TemplateEvaluationRunConfigRequest


T = TypeVar("T", bound="UpdateRunExperimentTaskRequest")


@_attrs_define
class UpdateRunExperimentTaskRequest:
    """Changes to a RUN_EXPERIMENT task; at least one field. A new `run_configuration` replaces the stored one.

    Attributes:
        name (str | Unset):
        run_configuration (AgentCallRunConfigRequest | LlmGenerationRunConfigRequest |
            TemplateEvaluationRunConfigRequest | Unset): A run-experiment task's configuration, flat and told apart by
            `experiment_type`.
    """

    name: str | Unset = UNSET
    run_configuration: (
        AgentCallRunConfigRequest
        | LlmGenerationRunConfigRequest
        | TemplateEvaluationRunConfigRequest
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.llm_generation_run_config_request import LlmGenerationRunConfigRequest  # noqa: PLC0415
        from ..models.template_evaluation_run_config_request import (
            TemplateEvaluationRunConfigRequest,  # noqa: PLC0415
        )

        name = self.name

        run_configuration: dict[str, Any] | Unset
        if isinstance(self.run_configuration, Unset):
            run_configuration = UNSET
        elif isinstance(self.run_configuration, LlmGenerationRunConfigRequest):
            run_configuration = self.run_configuration.to_dict()
        elif isinstance(self.run_configuration, TemplateEvaluationRunConfigRequest):
            run_configuration = self.run_configuration.to_dict()
        else:
            run_configuration = self.run_configuration.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if run_configuration is not UNSET:
            field_dict["run_configuration"] = run_configuration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_call_run_config_request import AgentCallRunConfigRequest  # noqa: PLC0415
        from ..models.llm_generation_run_config_request import LlmGenerationRunConfigRequest  # noqa: PLC0415
        from ..models.template_evaluation_run_config_request import (
            TemplateEvaluationRunConfigRequest,  # noqa: PLC0415
        )

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        def _parse_run_configuration(
            data: object,
        ) -> (
            AgentCallRunConfigRequest
            | LlmGenerationRunConfigRequest
            | TemplateEvaluationRunConfigRequest
            | Unset
        ):
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_configuration_request_type_0 = (
                    LlmGenerationRunConfigRequest.from_dict(data)
                )

                return componentsschemas_run_configuration_request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_configuration_request_type_1 = (
                    TemplateEvaluationRunConfigRequest.from_dict(data)
                )

                return componentsschemas_run_configuration_request_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_run_configuration_request_type_2 = (
                AgentCallRunConfigRequest.from_dict(data)
            )

            return componentsschemas_run_configuration_request_type_2

        run_configuration = _parse_run_configuration(d.pop("run_configuration", UNSET))

        update_run_experiment_task_request = cls(
            name=name,
            run_configuration=run_configuration,
        )

        return update_run_experiment_task_request
