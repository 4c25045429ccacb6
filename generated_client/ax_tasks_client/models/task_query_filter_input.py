from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskQueryFilterInput")


@_attrs_define
class TaskQueryFilterInput:
    """
    Attributes:
        id (str):
        filter_ (str):
    """

    id: str
    filter_: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        filter_ = self.filter_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "filter": filter_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        filter_ = d.pop("filter")

        task_query_filter_input = cls(
            id=id,
            filter_=filter_,
        )

        return task_query_filter_input
