from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pagination_metadata import PaginationMetadata
    from ..models.task_run import TaskRun


T = TypeVar("T", bound="ListTaskRunsResponse")


@_attrs_define
class ListTaskRunsResponse:
    """
    Attributes:
        task_runs (list[TaskRun]):
        pagination (PaginationMetadata):
    """

    task_runs: list[TaskRun]
    pagination: PaginationMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_runs = []
        for task_runs_item_data in self.task_runs:
            task_runs_item = task_runs_item_data.to_dict()
            task_runs.append(task_runs_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task_runs": task_runs,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pagination_metadata import PaginationMetadata  # noqa: PLC0415
        from ..models.task_run import TaskRun  # noqa: PLC0415

        d = dict(src_dict)
        task_runs = []
        _task_runs = d.pop("task_runs")
        for task_runs_item_data in _task_runs:
            task_runs_item = TaskRun.from_dict(task_runs_item_data)

            task_runs.append(task_runs_item)

        pagination = PaginationMetadata.from_dict(d.pop("pagination"))

        list_task_runs_response = cls(
            task_runs=task_runs,
            pagination=pagination,
        )

        list_task_runs_response.additional_properties = d
        return list_task_runs_response

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
