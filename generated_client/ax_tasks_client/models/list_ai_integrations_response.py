from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ai_integration import AiIntegration
    from ..models.pagination_metadata import PaginationMetadata


T = TypeVar("T", bound="ListAiIntegrationsResponse")


@_attrs_define
class ListAiIntegrationsResponse:
    """
    Attributes:
        ai_integrations (list[AiIntegration]):
        pagination (PaginationMetadata):
    """

    ai_integrations: list[AiIntegration]
    pagination: PaginationMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ai_integrations = []
        for ai_integrations_item_data in self.ai_integrations:
            ai_integrations_item = ai_integrations_item_data.to_dict()
            ai_integrations.append(ai_integrations_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ai_integrations": ai_integrations,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ai_integration import AiIntegration  # noqa: PLC0415
        from ..models.pagination_metadata import PaginationMetadata  # noqa: PLC0415

        d = dict(src_dict)
        ai_integrations = []
        _ai_integrations = d.pop("ai_integrations")
        for ai_integrations_item_data in _ai_integrations:
            ai_integrations_item = AiIntegration.from_dict(ai_integrations_item_data)

            ai_integrations.append(ai_integrations_item)

        pagination = PaginationMetadata.from_dict(d.pop("pagination"))

        list_ai_integrations_response = cls(
            ai_integrations=ai_integrations,
            pagination=pagination,
        )

        list_ai_integrations_response.additional_properties = d
        return list_ai_integrations_response

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
