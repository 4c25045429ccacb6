from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.tool_call_type import ToolCallType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_call_function_request import ToolCallFunctionRequest


T = TypeVar("T", bound="ToolCallRequest")


@_attrs_define
class ToolCallRequest:
    """
    Attributes:
        type_ (ToolCallType):
        function (ToolCallFunctionRequest):
        id (str | Unset):
    """

    type_: ToolCallType
    function: ToolCallFunctionRequest
    id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        function = self.function.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "function": function,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tool_call_function_request import ToolCallFunctionRequest  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ToolCallType(d.pop("type"))

        function = ToolCallFunctionRequest.from_dict(d.pop("function"))

        id = d.pop("id", UNSET)

        tool_call_request = cls(
            type_=type_,
            function=function,
            id=id,
        )

        return tool_call_request
