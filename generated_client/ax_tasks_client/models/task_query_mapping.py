from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaskQueryMapping")


@_attrs_define
class TaskQueryMapping:
    """
    Attributes:
        variable_name (str):
        query_ids (list[str]): Ids (A–E) of the task's filters this variable reads; empty means any.
        attribute_path (str):
    """

    variable_name: str
    query_ids: list[str]
    attribute_path: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        variable_name = self.variable_name

        query_ids = self.query_ids

        attribute_path = self.attribute_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "variable_name": variable_name,
                "query_ids": query_ids,
                "attribute_path": attribute_path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        variable_name = d.pop("variable_name")

        query_ids = cast(list[str], d.pop("query_ids"))

        attribute_path = d.pop("attribute_path")

        task_query_mapping = cls(
            variable_name=variable_name,
            query_ids=query_ids,
            attribute_path=attribute_path,
        )

        task_query_mapping.additional_properties = d
        return task_query_mapping

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
