from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_query_filter_input import TaskQueryFilterInput


T = TypeVar("T", bound="TaskQueryFiltersInput")


@_attrs_define
class TaskQueryFiltersInput:
    """
    Attributes:
        filters (list[TaskQueryFilterInput]):
        expression (str | Unset):
    """

    filters: list[TaskQueryFilterInput]
    expression: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        filters = []
        for filters_item_data in self.filters:
            filters_item = filters_item_data.to_dict()
            filters.append(filters_item)

        expression = self.expression

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "filters": filters,
            }
        )
        if expression is not UNSET:
            field_dict["expression"] = expression

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_query_filter_input import TaskQueryFilterInput  # noqa: PLC0415

        d = dict(src_dict)
        filters = []
        _filters = d.pop("filters")
        for filters_item_data in _filters:
            filters_item = TaskQueryFilterInput.from_dict(filters_item_data)

            filters.append(filters_item)

        expression = d.pop("expression", UNSET)

        task_query_filters_input = cls(
            filters=filters,
            expression=expression,
        )

        return task_query_filters_input
