from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskQueryMappingInput")


@_attrs_define
class TaskQueryMappingInput:
    """
    Attributes:
        variable_name (str):
        query_ids (list[str]):
        attribute_path (str):
    """

    variable_name: str
    query_ids: list[str]
    attribute_path: str

    def to_dict(self) -> dict[str, Any]:
        variable_name = self.variable_name

        query_ids = self.query_ids

        attribute_path = self.attribute_path

        field_dict: dict[str, Any] = {}

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

        task_query_mapping_input = cls(
            variable_name=variable_name,
            query_ids=query_ids,
            attribute_path=attribute_path,
        )

        return task_query_mapping_input
