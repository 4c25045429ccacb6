from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pagination_metadata import PaginationMetadata
    from ..models.space import Space


T = TypeVar("T", bound="ListSpacesResponse")


@_attrs_define
class ListSpacesResponse:
    """
    Attributes:
        spaces (list[Space]):
        pagination (PaginationMetadata):
    """

    spaces: list[Space]
    pagination: PaginationMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        spaces = []
        for spaces_item_data in self.spaces:
            spaces_item = spaces_item_data.to_dict()
            spaces.append(spaces_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "spaces": spaces,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pagination_metadata import PaginationMetadata  # noqa: PLC0415
        from ..models.space import Space  # noqa: PLC0415

        d = dict(src_dict)
        spaces = []
        _spaces = d.pop("spaces")
        for spaces_item_data in _spaces:
            spaces_item = Space.from_dict(spaces_item_data)

            spaces.append(spaces_item)

        pagination = PaginationMetadata.from_dict(d.pop("pagination"))

        list_spaces_response = cls(
            spaces=spaces,
            pagination=pagination,
        )

        list_spaces_response.additional_properties = d
        return list_spaces_response

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
