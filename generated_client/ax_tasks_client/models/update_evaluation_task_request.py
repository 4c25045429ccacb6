from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.span_evaluator_input import SpanEvaluatorInput
    from ..models.task_query_filters_input import TaskQueryFiltersInput
    from ..models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput


T = TypeVar("T", bound="UpdateEvaluationTaskRequest")


@_attrs_define
class UpdateEvaluationTaskRequest:
    """Changes to a TEMPLATE_EVALUATION or CODE_EVALUATION task; at least one field.

    Attributes:
        name (str | Unset):
        sampling_rate (float | Unset):
        is_continuous (bool | Unset):
        query_filter (None | str | Unset): The new span filter; null clears it.
        query_filters (None | TaskQueryFiltersInput | Unset): The new trace/session filters; null clears the filters and
            the expression.
        evaluators (list[SpanEvaluatorInput | TraceOrSessionEvaluatorInput] | Unset): Replaces the whole list; each
            entry carries its own version pin.
    """

    name: str | Unset = UNSET
    sampling_rate: float | Unset = UNSET
    is_continuous: bool | Unset = UNSET
    query_filter: None | str | Unset = UNSET
    query_filters: None | TaskQueryFiltersInput | Unset = UNSET
    evaluators: list[SpanEvaluatorInput | TraceOrSessionEvaluatorInput] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_query_filters_input import TaskQueryFiltersInput  # noqa: PLC0415
        from ..models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput  # noqa: PLC0415

        name = self.name

        sampling_rate = self.sampling_rate

        is_continuous = self.is_continuous

        query_filter: None | str | Unset
        if isinstance(self.query_filter, Unset):
            query_filter = UNSET
        else:
            query_filter = self.query_filter

        query_filters: dict[str, Any] | None | Unset
        if isinstance(self.query_filters, Unset):
            query_filters = UNSET
        elif isinstance(self.query_filters, TaskQueryFiltersInput):
            query_filters = self.query_filters.to_dict()
        else:
            query_filters = self.query_filters

        evaluators: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.evaluators, Unset):
            evaluators = []
            for evaluators_item_data in self.evaluators:
                evaluators_item: dict[str, Any]
                if isinstance(evaluators_item_data, TraceOrSessionEvaluatorInput):
                    evaluators_item = evaluators_item_data.to_dict()
                else:
                    evaluators_item = evaluators_item_data.to_dict()

                evaluators.append(evaluators_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if sampling_rate is not UNSET:
            field_dict["sampling_rate"] = sampling_rate
        if is_continuous is not UNSET:
            field_dict["is_continuous"] = is_continuous
        if query_filter is not UNSET:
            field_dict["query_filter"] = query_filter
        if query_filters is not UNSET:
            field_dict["query_filters"] = query_filters
        if evaluators is not UNSET:
            field_dict["evaluators"] = evaluators

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span_evaluator_input import SpanEvaluatorInput  # noqa: PLC0415
        from ..models.task_query_filters_input import TaskQueryFiltersInput  # noqa: PLC0415
        from ..models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        sampling_rate = d.pop("sampling_rate", UNSET)

        is_continuous = d.pop("is_continuous", UNSET)

        def _parse_query_filter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        query_filter = _parse_query_filter(d.pop("query_filter", UNSET))

        def _parse_query_filters(data: object) -> None | TaskQueryFiltersInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                query_filters_type_0 = TaskQueryFiltersInput.from_dict(data)

                return query_filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskQueryFiltersInput | Unset, data)

        query_filters = _parse_query_filters(d.pop("query_filters", UNSET))

        _evaluators = d.pop("evaluators", UNSET)
        evaluators: list[SpanEvaluatorInput | TraceOrSessionEvaluatorInput] | Unset = UNSET
        if _evaluators is not UNSET:
            evaluators = []
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
                    componentsschemas_task_evaluator_input_type_1 = SpanEvaluatorInput.from_dict(
                        data
                    )

                    return componentsschemas_task_evaluator_input_type_1

                evaluators_item = _parse_evaluators_item(evaluators_item_data)

                evaluators.append(evaluators_item)

        update_evaluation_task_request = cls(
            name=name,
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=query_filters,
            evaluators=evaluators,
        )

        return update_evaluation_task_request
