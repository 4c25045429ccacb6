from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ai_integration_auth_type import AiIntegrationAuthType
from ..models.ai_integration_provider import AiIntegrationProvider
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ai_integration_scoping import AiIntegrationScoping
    from ..models.aws_provider_metadata import AwsProviderMetadata
    from ..models.gcp_provider_metadata import GcpProviderMetadata
    from ..models.string_map import StringMap


T = TypeVar("T", bound="AiIntegration")


@_attrs_define
class AiIntegration:
    """
    Attributes:
        id (str):
        name (str):
        provider (AiIntegrationProvider):
        has_api_key (bool):
        enable_default_models (bool):
        function_calling_enabled (bool):
        auth_type (AiIntegrationAuthType):
        scopings (list[AiIntegrationScoping]):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        created_by_user_id (None | str):
        base_url (None | str | Unset):
        model_names (list[str] | None | Unset):
        headers (None | StringMap | Unset):
        provider_metadata (AwsProviderMetadata | GcpProviderMetadata | None | Unset):
    """

    id: str
    name: str
    provider: AiIntegrationProvider
    has_api_key: bool
    enable_default_models: bool
    function_calling_enabled: bool
    auth_type: AiIntegrationAuthType
    scopings: list[AiIntegrationScoping]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    created_by_user_id: None | str
    base_url: None | str | Unset = UNSET
    model_names: list[str] | None | Unset = UNSET
    headers: None | StringMap | Unset = UNSET
    provider_metadata: AwsProviderMetadata | GcpProviderMetadata | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.aws_provider_metadata import AwsProviderMetadata  # noqa: PLC0415
        from ..models.gcp_provider_metadata import GcpProviderMetadata  # noqa: PLC0415
        from ..models.string_map import StringMap  # noqa: PLC0415

        id = self.id

        name = self.name

        provider = self.provider.value

        has_api_key = self.has_api_key

        enable_default_models = self.enable_default_models

        function_calling_enabled = self.function_calling_enabled

        auth_type = self.auth_type.value

        scopings = []
        for scopings_item_data in self.scopings:
            scopings_item = scopings_item_data.to_dict()
            scopings.append(scopings_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        created_by_user_id: None | str
        created_by_user_id = self.created_by_user_id

        base_url: None | str | Unset
        if isinstance(self.base_url, Unset):
            base_url = UNSET
        else:
            base_url = self.base_url

        model_names: list[str] | None | Unset
        if isinstance(self.model_names, Unset):
            model_names = UNSET
        elif isinstance(self.model_names, list):
            model_names = self.model_names

        else:
            model_names = self.model_names

        headers: dict[str, Any] | None | Unset
        if isinstance(self.headers, Unset):
            headers = UNSET
        elif isinstance(self.headers, StringMap):
            headers = self.headers.to_dict()
        else:
            headers = self.headers

        provider_metadata: dict[str, Any] | None | Unset
        if isinstance(self.provider_metadata, Unset):
            provider_metadata = UNSET
        elif isinstance(self.provider_metadata, AwsProviderMetadata):
            provider_metadata = self.provider_metadata.to_dict()
        elif isinstance(self.provider_metadata, GcpProviderMetadata):
            provider_metadata = self.provider_metadata.to_dict()
        else:
            provider_metadata = self.provider_metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "provider": provider,
                "has_api_key": has_api_key,
                "enable_default_models": enable_default_models,
                "function_calling_enabled": function_calling_enabled,
                "auth_type": auth_type,
                "scopings": scopings,
                "created_at": created_at,
                "updated_at": updated_at,
                "created_by_user_id": created_by_user_id,
            }
        )
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if model_names is not UNSET:
            field_dict["model_names"] = model_names
        if headers is not UNSET:
            field_dict["headers"] = headers
        if provider_metadata is not UNSET:
            field_dict["provider_metadata"] = provider_metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ai_integration_scoping import AiIntegrationScoping  # noqa: PLC0415
        from ..models.aws_provider_metadata import AwsProviderMetadata  # noqa: PLC0415
        from ..models.gcp_provider_metadata import GcpProviderMetadata  # noqa: PLC0415
        from ..models.string_map import StringMap  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        provider = AiIntegrationProvider(d.pop("provider"))

        has_api_key = d.pop("has_api_key")

        enable_default_models = d.pop("enable_default_models")

        function_calling_enabled = d.pop("function_calling_enabled")

        auth_type = AiIntegrationAuthType(d.pop("auth_type"))

        scopings = []
        _scopings = d.pop("scopings")
        for scopings_item_data in _scopings:
            scopings_item = AiIntegrationScoping.from_dict(scopings_item_data)

            scopings.append(scopings_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_created_by_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by_user_id = _parse_created_by_user_id(d.pop("created_by_user_id"))

        def _parse_base_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_url = _parse_base_url(d.pop("base_url", UNSET))

        def _parse_model_names(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                model_names_type_0 = cast(list[str], data)

                return model_names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        model_names = _parse_model_names(d.pop("model_names", UNSET))

        def _parse_headers(data: object) -> None | StringMap | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headers_type_0 = StringMap.from_dict(data)

                return headers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StringMap | Unset, data)

        headers = _parse_headers(d.pop("headers", UNSET))

        def _parse_provider_metadata(
            data: object,
        ) -> AwsProviderMetadata | GcpProviderMetadata | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_provider_metadata_type_0 = AwsProviderMetadata.from_dict(data)

                return componentsschemas_provider_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_provider_metadata_type_1 = GcpProviderMetadata.from_dict(data)

                return componentsschemas_provider_metadata_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AwsProviderMetadata | GcpProviderMetadata | None | Unset, data)

        provider_metadata = _parse_provider_metadata(d.pop("provider_metadata", UNSET))

        ai_integration = cls(
            id=id,
            name=name,
            provider=provider,
            has_api_key=has_api_key,
            enable_default_models=enable_default_models,
            function_calling_enabled=function_calling_enabled,
            auth_type=auth_type,
            scopings=scopings,
            created_at=created_at,
            updated_at=updated_at,
            created_by_user_id=created_by_user_id,
            base_url=base_url,
            model_names=model_names,
            headers=headers,
            provider_metadata=provider_metadata,
        )

        ai_integration.additional_properties = d
        return ai_integration

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
