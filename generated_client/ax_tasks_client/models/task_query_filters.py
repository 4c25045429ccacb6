from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_query_filter import TaskQueryFilter


T = TypeVar("T", bound="TaskQueryFilters")


@_attrs_define
class TaskQueryFilters:
    """The trace/session shape of a task filter.

    Attributes:
        filters (list[TaskQueryFilter]):
        expression (str | Unset): How the filters combine, for example `A AND B`. When a single-filter task is created
            without it, reads return the lone id.
    """

    filters: list[TaskQueryFilter]
    expression: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filters = []
        for filters_item_data in self.filters:
            filters_item = filters_item_data.to_dict()
            filters.append(filters_item)

        expression = self.expression

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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
        from ..models.task_query_filter import TaskQueryFilter  # noqa: PLC0415

        d = dict(src_dict)
        filters = []
        _filters = d.pop("filters")
        for filters_item_data in _filters:
            filters_item = TaskQueryFilter.from_dict(filters_item_data)

            filters.append(filters_item)

        expression = d.pop("expression", UNSET)

        task_query_filters = cls(
            filters=filters,
            expression=expression,
        )

        task_query_filters.additional_properties = d
        return task_query_filters

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
