from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_type import TaskType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_call_run_config import AgentCallRunConfig
    from ..models.llm_generation_run_config import LlmGenerationRunConfig
    from ..models.task_evaluator import TaskEvaluator
    from ..models.task_query_filters import TaskQueryFilters
    from ..models.template_evaluation_run_config import TemplateEvaluationRunConfig


T = TypeVar("T", bound="Task")


@_attrs_define
class Task:
    """A task. Which fields are set follows its `type` and whether it scores a project or a dataset.

    Attributes:
        id (str):
        name (str):
        type_ (TaskType): What a task does.
        is_continuous (bool):
        query_filter (None | str): Span shape; null for the trace/session shape.
        evaluators (list[TaskEvaluator]): Empty for RUN_EXPERIMENT tasks.
        experiment_ids (list[str]): Empty for project tasks.
        last_run_at (datetime.datetime | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        created_by_user_id (None | str):
        project_id (None | str | Unset): Set on project tasks.
        dataset_id (None | str | Unset): Set on dataset tasks and every RUN_EXPERIMENT task.
        sampling_rate (float | None | Unset):
        query_filters (None | TaskQueryFilters | Unset): Trace/session shape; null for the span shape.
        run_configuration (AgentCallRunConfig | LlmGenerationRunConfig | None | TemplateEvaluationRunConfig | Unset):
            RUN_EXPERIMENT tasks only; null otherwise.
    """

    id: str
    name: str
    type_: TaskType
    is_continuous: bool
    query_filter: None | str
    evaluators: list[TaskEvaluator]
    experiment_ids: list[str]
    last_run_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    created_by_user_id: None | str
    project_id: None | str | Unset = UNSET
    dataset_id: None | str | Unset = UNSET
    sampling_rate: float | None | Unset = UNSET
    query_filters: None | TaskQueryFilters | Unset = UNSET
    run_configuration: (
        AgentCallRunConfig | LlmGenerationRunConfig | None | TemplateEvaluationRunConfig | Unset
    ) = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_call_run_config import AgentCallRunConfig  # noqa: PLC0415
        from ..models.llm_generation_run_config import LlmGenerationRunConfig  # noqa: PLC0415
        from ..models.task_query_filters import TaskQueryFilters  # noqa: PLC0415
        from ..models.template_evaluation_run_config import TemplateEvaluationRunConfig  # noqa: PLC0415

        id = self.id

        name = self.name

        type_ = self.type_.value

        is_continuous = self.is_continuous

        query_filter: None | str
        query_filter = self.query_filter

        evaluators = []
        for evaluators_item_data in self.evaluators:
            evaluators_item = evaluators_item_data.to_dict()
            evaluators.append(evaluators_item)

        experiment_ids = self.experiment_ids

        last_run_at: None | str
        if isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        created_by_user_id: None | str
        created_by_user_id = self.created_by_user_id

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        dataset_id: None | str | Unset
        if isinstance(self.dataset_id, Unset):
            dataset_id = UNSET
        else:
            dataset_id = self.dataset_id

        sampling_rate: float | None | Unset
        if isinstance(self.sampling_rate, Unset):
            sampling_rate = UNSET
        else:
            sampling_rate = self.sampling_rate

        query_filters: dict[str, Any] | None | Unset
        if isinstance(self.query_filters, Unset):
            query_filters = UNSET
        elif isinstance(self.query_filters, TaskQueryFilters):
            query_filters = self.query_filters.to_dict()
        else:
            query_filters = self.query_filters

        run_configuration: dict[str, Any] | None | Unset
        if isinstance(self.run_configuration, Unset):
            run_configuration = UNSET
        elif isinstance(self.run_configuration, LlmGenerationRunConfig):
            run_configuration = self.run_configuration.to_dict()
        elif isinstance(self.run_configuration, TemplateEvaluationRunConfig):
            run_configuration = self.run_configuration.to_dict()
        elif isinstance(self.run_configuration, AgentCallRunConfig):
            run_configuration = self.run_configuration.to_dict()
        else:
            run_configuration = self.run_configuration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
                "is_continuous": is_continuous,
                "query_filter": query_filter,
                "evaluators": evaluators,
                "experiment_ids": experiment_ids,
                "last_run_at": last_run_at,
                "created_at": created_at,
                "updated_at": updated_at,
                "created_by_user_id": created_by_user_id,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if sampling_rate is not UNSET:
            field_dict["sampling_rate"] = sampling_rate
        if query_filters is not UNSET:
            field_dict["query_filters"] = query_filters
        if run_configuration is not UNSET:
            field_dict["run_configuration"] = run_configuration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_call_run_config import AgentCallRunConfig  # noqa: PLC0415
        from ..models.llm_generation_run_config import LlmGenerationRunConfig  # noqa: PLC0415
        from ..models.task_evaluator import TaskEvaluator  # noqa: PLC0415
        from ..models.task_query_filters import TaskQueryFilters  # noqa: PLC0415
        from ..models.template_evaluation_run_config import TemplateEvaluationRunConfig  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        type_ = TaskType(d.pop("type"))

        is_continuous = d.pop("is_continuous")

        def _parse_query_filter(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        query_filter = _parse_query_filter(d.pop("query_filter"))

        evaluators = []
        _evaluators = d.pop("evaluators")
        for evaluators_item_data in _evaluators:
            evaluators_item = TaskEvaluator.from_dict(evaluators_item_data)

            evaluators.append(evaluators_item)

        experiment_ids = cast(list[str], d.pop("experiment_ids"))

        def _parse_last_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_created_by_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by_user_id = _parse_created_by_user_id(d.pop("created_by_user_id"))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        def _parse_dataset_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dataset_id = _parse_dataset_id(d.pop("dataset_id", UNSET))

        def _parse_sampling_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sampling_rate = _parse_sampling_rate(d.pop("sampling_rate", UNSET))

        def _parse_query_filters(data: object) -> None | TaskQueryFilters | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                query_filters_type_0 = TaskQueryFilters.from_dict(data)

                return query_filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskQueryFilters | Unset, data)

        query_filters = _parse_query_filters(d.pop("query_filters", UNSET))

        def _parse_run_configuration(
            data: object,
        ) -> (
            AgentCallRunConfig | LlmGenerationRunConfig | None | TemplateEvaluationRunConfig | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_configuration_type_0 = LlmGenerationRunConfig.from_dict(data)

                return componentsschemas_run_configuration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_configuration_type_1 = TemplateEvaluationRunConfig.from_dict(
                    data
                )

                return componentsschemas_run_configuration_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_configuration_type_2 = AgentCallRunConfig.from_dict(data)

                return componentsschemas_run_configuration_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                AgentCallRunConfig
                | LlmGenerationRunConfig
                | None
                | TemplateEvaluationRunConfig
                | Unset,
                data,
            )

        run_configuration = _parse_run_configuration(d.pop("run_configuration", UNSET))

        task = cls(
            id=id,
            name=name,
            type_=type_,
            is_continuous=is_continuous,
            query_filter=query_filter,
            evaluators=evaluators,
            experiment_ids=experiment_ids,
            last_run_at=last_run_at,
            created_at=created_at,
            updated_at=updated_at,
            created_by_user_id=created_by_user_id,
            project_id=project_id,
            dataset_id=dataset_id,
            sampling_rate=sampling_rate,
            query_filters=query_filters,
            run_configuration=run_configuration,
        )

        task.additional_properties = d
        return task

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
