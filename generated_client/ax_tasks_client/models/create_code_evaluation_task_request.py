from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.span_evaluator_input import SpanEvaluatorInput
    from ..models.task_query_filters_input import TaskQueryFiltersInput
    from ..models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput


T = TypeVar("T", bound="CreateCodeEvaluationTaskRequest")


@_attrs_define
class CreateCodeEvaluationTaskRequest:
    """A code-evaluator task; the same fields as a template evaluation task.

    Attributes:
        name (str): Unique within the space.
        type_ (Literal['CODE_EVALUATION']):
        evaluators (list[SpanEvaluatorInput | TraceOrSessionEvaluatorInput]): The evaluators to run; each evaluator at
            most once.
        project_id (str | Unset): The project whose spans are scored.
        dataset_id (str | Unset): The dataset whose experiment results are scored.
        experiment_ids (list[str] | Unset): The experiments to score; at least one with `dataset_id`, none for project
            tasks.
        sampling_rate (float | Unset): Share of spans scored (project tasks only).
        is_continuous (bool | Unset): Score new spans as they arrive (project tasks only; false or absent for dataset
            tasks).
        query_filter (str | Unset): Span filter; exclusive with `query_filters`.
        query_filters (TaskQueryFiltersInput | Unset):
    """

    name: str
    type_: Literal["CODE_EVALUATION"]
    evaluators: list[SpanEvaluatorInput | TraceOrSessionEvaluatorInput]
    project_id: str | Unset = UNSET
    dataset_id: str | Unset = UNSET
    experiment_ids: list[str] | Unset = UNSET
    sampling_rate: float | Unset = UNSET
    is_continuous: bool | Unset = UNSET
    query_filter: str | Unset = UNSET
    query_filters: TaskQueryFiltersInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput  # noqa: PLC0415

        name = self.name

        type_ = self.type_

        evaluators = []
        for evaluators_item_data in self.evaluators:
            evaluators_item: dict[str, Any]
            if isinstance(evaluators_item_data, TraceOrSessionEvaluatorInput):
                evaluators_item = evaluators_item_data.to_dict()
            else:
                evaluators_item = evaluators_item_data.to_dict()

            evaluators.append(evaluators_item)

        project_id = self.project_id

        dataset_id = self.dataset_id

        experiment_ids: list[str] | Unset = UNSET
        if not isinstance(self.experiment_ids, Unset):
            experiment_ids = self.experiment_ids

        sampling_rate = self.sampling_rate

        is_continuous = self.is_continuous

        query_filter = self.query_filter

        query_filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.query_filters, Unset):
            query_filters = self.query_filters.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
                "evaluators": evaluators,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if experiment_ids is not UNSET:
            field_dict["experiment_ids"] = experiment_ids
        if sampling_rate is not UNSET:
            field_dict["sampling_rate"] = sampling_rate
        if is_continuous is not UNSET:
            field_dict["is_continuous"] = is_continuous
        if query_filter is not UNSET:
            field_dict["query_filter"] = query_filter
        if query_filters is not UNSET:
            field_dict["query_filters"] = query_filters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span_evaluator_input import SpanEvaluatorInput  # noqa: PLC0415
        from ..models.task_query_filters_input import TaskQueryFiltersInput  # noqa: PLC0415
        from ..models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        type_ = cast(Literal["CODE_EVALUATION"], d.pop("type"))
        if type_ != "CODE_EVALUATION":
            raise ValueError(f"type must match const 'CODE_EVALUATION', got '{type_}'")

        evaluators = []
        _evaluators = d.pop("evaluators")
        for evaluators_item_data in _evaluators:

            def _parse_evaluators_item(
                data: object,
            ) -> SpanEvaluatorInput | TraceOrSessionEvaluatorInput:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_task_evaluator_input_type_0 = (
                        TraceOrSessionEvaluatorInput.from_dict(data)
                    )

                    return componentsschemas_task_evaluator_input_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_task_evaluator_input_type_1 = SpanEvaluatorInput.from_dict(data)

                return componentsschemas_task_evaluator_input_type_1

            evaluators_item = _parse_evaluators_item(evaluators_item_data)

            evaluators.append(evaluators_item)

        project_id = d.pop("project_id", UNSET)

        dataset_id = d.pop("dataset_id", UNSET)

        experiment_ids = cast(list[str], d.pop("experiment_ids", UNSET))

        sampling_rate = d.pop("sampling_rate", UNSET)

        is_continuous = d.pop("is_continuous", UNSET)

        query_filter = d.pop("query_filter", UNSET)

        _query_filters = d.pop("query_filters", UNSET)
        query_filters: TaskQueryFiltersInput | Unset
        if isinstance(_query_filters, Unset):
            query_filters = UNSET
        else:
            query_filters = TaskQueryFiltersInput.from_dict(_query_filters)

        create_code_evaluation_task_request = cls(
            name=name,
            type_=type_,
            evaluators=evaluators,
            project_id=project_id,
            dataset_id=dataset_id,
            experiment_ids=experiment_ids,
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=query_filters,
        )

        return create_code_evaluation_task_request
