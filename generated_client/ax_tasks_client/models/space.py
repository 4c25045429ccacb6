from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.space_agent_runtime import SpaceAgentRuntime
    from ..models.space_llm_integration import SpaceLlmIntegration


T = TypeVar("T", bound="Space")


@_attrs_define
class Space:
    """
    Attributes:
        id (str):
        name (str):
        description (str):
        created_at (datetime.datetime):
        is_private (bool):
        organization_id (str | Unset): Older servers may leave it out.
        default_llm_integration (None | SpaceLlmIntegration | Unset):
        ml_models_enabled (bool | Unset):
        gradient_start_color (str | Unset):
        gradient_end_color (str | Unset):
        default_agent_runtime (None | SpaceAgentRuntime | Unset):
    """

    id: str
    name: str
    description: str
    created_at: datetime.datetime
    is_private: bool
    organization_id: str | Unset = UNSET
    default_llm_integration: None | SpaceLlmIntegration | Unset = UNSET
    ml_models_enabled: bool | Unset = UNSET
    gradient_start_color: str | Unset = UNSET
    gradient_end_color: str | Unset = UNSET
    default_agent_runtime: None | SpaceAgentRuntime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.space_agent_runtime import SpaceAgentRuntime  # noqa: PLC0415
        from ..models.space_llm_integration import SpaceLlmIntegration  # noqa: PLC0415

        id = self.id

        name = self.name

        description = self.description

        created_at = self.created_at.isoformat()

        is_private = self.is_private

        organization_id = self.organization_id

        default_llm_integration: dict[str, Any] | None | Unset
        if isinstance(self.default_llm_integration, Unset):
            default_llm_integration = UNSET
        elif isinstance(self.default_llm_integration, SpaceLlmIntegration):
            default_llm_integration = self.default_llm_integration.to_dict()
        else:
            default_llm_integration = self.default_llm_integration

        ml_models_enabled = self.ml_models_enabled

        gradient_start_color = self.gradient_start_color

        gradient_end_color = self.gradient_end_color

        default_agent_runtime: dict[str, Any] | None | Unset
        if isinstance(self.default_agent_runtime, Unset):
            default_agent_runtime = UNSET
        elif isinstance(self.default_agent_runtime, SpaceAgentRuntime):
            default_agent_runtime = self.default_agent_runtime.to_dict()
        else:
            default_agent_runtime = self.default_agent_runtime

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "created_at": created_at,
                "is_private": is_private,
            }
        )
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if default_llm_integration is not UNSET:
            field_dict["default_llm_integration"] = default_llm_integration
        if ml_models_enabled is not UNSET:
            field_dict["ml_models_enabled"] = ml_models_enabled
        if gradient_start_color is not UNSET:
            field_dict["gradient_start_color"] = gradient_start_color
        if gradient_end_color is not UNSET:
            field_dict["gradient_end_color"] = gradient_end_color
        if default_agent_runtime is not UNSET:
            field_dict["default_agent_runtime"] = default_agent_runtime

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.space_agent_runtime import SpaceAgentRuntime  # noqa: PLC0415
        from ..models.space_llm_integration import SpaceLlmIntegration  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        is_private = d.pop("is_private")

        organization_id = d.pop("organization_id", UNSET)

        def _parse_default_llm_integration(data: object) -> None | SpaceLlmIntegration | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                default_llm_integration_type_0 = SpaceLlmIntegration.from_dict(data)

                return default_llm_integration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpaceLlmIntegration | Unset, data)

        default_llm_integration = _parse_default_llm_integration(
            d.pop("default_llm_integration", UNSET)
        )

        ml_models_enabled = d.pop("ml_models_enabled", UNSET)

        gradient_start_color = d.pop("gradient_start_color", UNSET)

        gradient_end_color = d.pop("gradient_end_color", UNSET)

        def _parse_default_agent_runtime(data: object) -> None | SpaceAgentRuntime | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                default_agent_runtime_type_0 = SpaceAgentRuntime.from_dict(data)

                return default_agent_runtime_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpaceAgentRuntime | Unset, data)

        default_agent_runtime = _parse_default_agent_runtime(d.pop("default_agent_runtime", UNSET))

        space = cls(
            id=id,
            name=name,
            description=description,
            created_at=created_at,
            is_private=is_private,
            organization_id=organization_id,
            default_llm_integration=default_llm_integration,
            ml_models_enabled=ml_models_enabled,
            gradient_start_color=gradient_start_color,
            gradient_end_color=gradient_end_color,
            default_agent_runtime=default_agent_runtime,
        )

        space.additional_properties = d
        return space

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
