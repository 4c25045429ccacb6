from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.evaluator import Evaluator
    from ..models.pagination_metadata import PaginationMetadata


T = TypeVar("T", bound="ListEvaluatorsResponse")


@_attrs_define
class ListEvaluatorsResponse:
    """
    Attributes:
        evaluators (list[Evaluator]):
        pagination (PaginationMetadata):
    """

    evaluators: list[Evaluator]
    pagination: PaginationMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluators = []
        for evaluators_item_data in self.evaluators:
            evaluators_item = evaluators_item_data.to_dict()
            evaluators.append(evaluators_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluators": evaluators,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evaluator import Evaluator  # noqa: PLC0415
        from ..models.pagination_metadata import PaginationMetadata  # noqa: PLC0415

        d = dict(src_dict)
        evaluators = []
        _evaluators = d.pop("evaluators")
        for evaluators_item_data in _evaluators:
            evaluators_item = Evaluator.from_dict(evaluators_item_data)

            evaluators.append(evaluators_item)

        pagination = PaginationMetadata.from_dict(d.pop("pagination"))

        list_evaluators_response = cls(
            evaluators=evaluators,
            pagination=pagination,
        )

        list_evaluators_response.additional_properties = d
        return list_evaluators_response

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
