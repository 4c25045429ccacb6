from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.string_map import StringMap
    from ..models.task_query_mapping import TaskQueryMapping


T = TypeVar("T", bound="TaskEvaluator")


@_attrs_define
class TaskEvaluator:
    """An evaluator as configured on a task.

    Attributes:
        evaluator_id (str):
        evaluator_name (str):
        evaluator_version_id (None | str): The pinned version; null runs the latest.
        query_filter (None | str): Span shape; combined with the task's filter by AND.
        column_mappings (None | StringMap): Span shape; template variable → column.
        query_mappings (list[TaskQueryMapping] | None | Unset): Trace/session shape only.
    """

    evaluator_id: str
    evaluator_name: str
    evaluator_version_id: None | str
    query_filter: None | str
    column_mappings: None | StringMap
    query_mappings: list[TaskQueryMapping] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.string_map import StringMap  # noqa: PLC0415

        evaluator_id = self.evaluator_id

        evaluator_name = self.evaluator_name

        evaluator_version_id: None | str
        evaluator_version_id = self.evaluator_version_id

        query_filter: None | str
        query_filter = self.query_filter

        column_mappings: dict[str, Any] | None
        if isinstance(self.column_mappings, StringMap):
            column_mappings = self.column_mappings.to_dict()
        else:
            column_mappings = self.column_mappings

        query_mappings: list[dict[str, Any]] | None | Unset
        if isinstance(self.query_mappings, Unset):
            query_mappings = UNSET
        elif isinstance(self.query_mappings, list):
            query_mappings = []
            for query_mappings_type_0_item_data in self.query_mappings:
                query_mappings_type_0_item = query_mappings_type_0_item_data.to_dict()
                query_mappings.append(query_mappings_type_0_item)

        else:
            query_mappings = self.query_mappings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluator_id": evaluator_id,
                "evaluator_name": evaluator_name,
                "evaluator_version_id": evaluator_version_id,
                "query_filter": query_filter,
                "column_mappings": column_mappings,
            }
        )
        if query_mappings is not UNSET:
            field_dict["query_mappings"] = query_mappings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.string_map import StringMap  # noqa: PLC0415
        from ..models.task_query_mapping import TaskQueryMapping  # noqa: PLC0415

        d = dict(src_dict)
        evaluator_id = d.pop("evaluator_id")

        evaluator_name = d.pop("evaluator_name")

        def _parse_evaluator_version_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        evaluator_version_id = _parse_evaluator_version_id(d.pop("evaluator_version_id"))

        def _parse_query_filter(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        query_filter = _parse_query_filter(d.pop("query_filter"))

        def _parse_column_mappings(data: object) -> None | StringMap:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                column_mappings_type_0 = StringMap.from_dict(data)

                return column_mappings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StringMap, data)

        column_mappings = _parse_column_mappings(d.pop("column_mappings"))

        def _parse_query_mappings(data: object) -> list[TaskQueryMapping] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                query_mappings_type_0 = []
                _query_mappings_type_0 = data
                for query_mappings_type_0_item_data in _query_mappings_type_0:
                    query_mappings_type_0_item = TaskQueryMapping.from_dict(
                        query_mappings_type_0_item_data
                    )

                    query_mappings_type_0.append(query_mappings_type_0_item)

                return query_mappings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TaskQueryMapping] | None | Unset, data)

        query_mappings = _parse_query_mappings(d.pop("query_mappings", UNSET))

        task_evaluator = cls(
            evaluator_id=evaluator_id,
            evaluator_name=evaluator_name,
            evaluator_version_id=evaluator_version_id,
            query_filter=query_filter,
            column_mappings=column_mappings,
            query_mappings=query_mappings,
        )

        task_evaluator.additional_properties = d
        return task_evaluator

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
