from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_config_request_tools_item import ToolConfigRequestToolsItem


T = TypeVar("T", bound="ToolConfigRequest")


@_attrs_define
class ToolConfigRequest:
    """
    Attributes:
        tools (list[ToolConfigRequestToolsItem] | Unset):
        tool_choice (Any | Unset): Any JSON value; may be null.
    """

    tools: list[ToolConfigRequestToolsItem] | Unset = UNSET
    tool_choice: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.to_dict()
                tools.append(tools_item)

        tool_choice = self.tool_choice

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tools is not UNSET:
            field_dict["tools"] = tools
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tool_config_request_tools_item import ToolConfigRequestToolsItem  # noqa: PLC0415

        d = dict(src_dict)
        _tools = d.pop("tools", UNSET)
        tools: list[ToolConfigRequestToolsItem] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = ToolConfigRequestToolsItem.from_dict(tools_item_data)

                tools.append(tools_item)

        tool_choice = d.pop("tool_choice", UNSET)

        tool_config_request = cls(
            tools=tools,
            tool_choice=tool_choice,
        )

        return tool_config_request
