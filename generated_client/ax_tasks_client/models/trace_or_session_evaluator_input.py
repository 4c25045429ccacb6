from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_query_mapping_input import TaskQueryMappingInput


T = TypeVar("T", bound="TraceOrSessionEvaluatorInput")


@_attrs_define
class TraceOrSessionEvaluatorInput:
    """An evaluator over traces or sessions; `query_mappings` tells it apart from the span shape.

    Attributes:
        evaluator_id (str):
        query_mappings (list[TaskQueryMappingInput]):
        evaluator_version_id (None | str | Unset): Pin a version of the evaluator; null or absent runs the latest.
    """

    evaluator_id: str
    query_mappings: list[TaskQueryMappingInput]
    evaluator_version_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        evaluator_id = self.evaluator_id

        query_mappings = []
        for query_mappings_item_data in self.query_mappings:
            query_mappings_item = query_mappings_item_data.to_dict()
            query_mappings.append(query_mappings_item)

        evaluator_version_id: None | str | Unset
        if isinstance(self.evaluator_version_id, Unset):
            evaluator_version_id = UNSET
        else:
            evaluator_version_id = self.evaluator_version_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "evaluator_id": evaluator_id,
                "query_mappings": query_mappings,
            }
        )
        if evaluator_version_id is not UNSET:
            field_dict["evaluator_version_id"] = evaluator_version_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_query_mapping_input import TaskQueryMappingInput  # noqa: PLC0415

        d = dict(src_dict)
        evaluator_id = d.pop("evaluator_id")

        query_mappings = []
        _query_mappings = d.pop("query_mappings")
        for query_mappings_item_data in _query_mappings:
            query_mappings_item = TaskQueryMappingInput.from_dict(query_mappings_item_data)

            query_mappings.append(query_mappings_item)

        def _parse_evaluator_version_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        evaluator_version_id = _parse_evaluator_version_id(d.pop("evaluator_version_id", UNSET))

        trace_or_session_evaluator_input = cls(
            evaluator_id=evaluator_id,
            query_mappings=query_mappings,
            evaluator_version_id=evaluator_version_id,
        )

        return trace_or_session_evaluator_input
