from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GcpProviderMetadata")


@_attrs_define
class GcpProviderMetadata:
    """
    Attributes:
        kind (Literal['GCP']):
        project_id (str):
        location (str):
        project_access_label (str):
    """

    kind: Literal["GCP"]
    project_id: str
    location: str
    project_access_label: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        project_id = self.project_id

        location = self.location

        project_access_label = self.project_access_label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "project_id": project_id,
                "location": location,
                "project_access_label": project_access_label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["GCP"], d.pop("kind"))
        if kind != "GCP":
            raise ValueError(f"kind must match const 'GCP', got '{kind}'")

        project_id = d.pop("project_id")

        location = d.pop("location")

        project_access_label = d.pop("project_access_label")

        gcp_provider_metadata = cls(
            kind=kind,
            project_id=project_id,
            location=location,
            project_access_label=project_access_label,
        )

        gcp_provider_metadata.additional_properties = d
        return gcp_provider_metadata

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
