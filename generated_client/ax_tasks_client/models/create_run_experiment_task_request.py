from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.agent_call_run_config_request import AgentCallRunConfigRequest
    from ..models.llm_generation_run_config_request import LlmGenerationRunConfigRequest
    from ..models.template_evaluation_run_config_request import TemplateEvaluationRunConfigRequest


T = TypeVar("T", bound="CreateRunExperimentTaskRequest")


@_attrs_define
class CreateRunExperimentTaskRequest:
    """A task that runs a prompt over a dataset; each run is triggered and creates an experiment.

    Attributes:
        name (str): Unique within the space.
        type_ (Literal['RUN_EXPERIMENT']):
        dataset_id (str):
        run_configuration (AgentCallRunConfigRequest | LlmGenerationRunConfigRequest |
            TemplateEvaluationRunConfigRequest): A run-experiment task's configuration, flat and told apart by
            `experiment_type`.
    """

    name: str
    type_: Literal["RUN_EXPERIMENT"]
    dataset_id: str
    run_configuration: (
        AgentCallRunConfigRequest
        | LlmGenerationRunConfigRequest
        | TemplateEvaluationRunConfigRequest
    )

    def to_dict(self) -> dict[str, Any]:
        from ..models.llm_generation_run_config_request import LlmGenerationRunConfigRequest  # noqa: PLC0415
        from ..models.template_evaluation_run_config_request import (
            TemplateEvaluationRunConfigRequest,  # noqa: PLC0415
        )

        name = self.name

        type_ = self.type_

        dataset_id = self.dataset_id

        run_configuration: dict[str, Any]
        if isinstance(self.run_configuration, LlmGenerationRunConfigRequest):
            run_configuration = self.run_configuration.to_dict()
        elif isinstance(self.run_configuration, TemplateEvaluationRunConfigRequest):
            run_configuration = self.run_configuration.to_dict()
        else:
            run_configuration = self.run_configuration.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
                "dataset_id": dataset_id,
                "run_configuration": run_configuration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_call_run_config_request import AgentCallRunConfigRequest  # noqa: PLC0415
        from ..models.llm_generation_run_config_request import LlmGenerationRunConfigRequest  # noqa: PLC0415
        from ..models.template_evaluation_run_config_request import (
            TemplateEvaluationRunConfigRequest,  # noqa: PLC0415
        )

        d = dict(src_dict)
        name = d.pop("name")

        type_ = cast(Literal["RUN_EXPERIMENT"], d.pop("type"))
        if type_ != "RUN_EXPERIMENT":
            raise ValueError(f"type must match const 'RUN_EXPERIMENT', got '{type_}'")

        dataset_id = d.pop("dataset_id")

        def _parse_run_configuration(
            data: object,
        ) -> (
            AgentCallRunConfigRequest
            | LlmGenerationRunConfigRequest
            | TemplateEvaluationRunConfigRequest
        ):
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

        run_configuration = _parse_run_configuration(d.pop("run_configuration"))

        create_run_experiment_task_request = cls(
            name=name,
            type_=type_,
            dataset_id=dataset_id,
            run_configuration=run_configuration,
        )

        return create_run_experiment_task_request
