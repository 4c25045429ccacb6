from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.response_format_type import ResponseFormatType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.response_format_json_schema_request import ResponseFormatJsonSchemaRequest


T = TypeVar("T", bound="ResponseFormatRequest")


@_attrs_define
class ResponseFormatRequest:
    """
    Attributes:
        type_ (ResponseFormatType):
        json_schema (ResponseFormatJsonSchemaRequest | Unset):
    """

    type_: ResponseFormatType
    json_schema: ResponseFormatJsonSchemaRequest | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        json_schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.json_schema, Unset):
            json_schema = self.json_schema.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if json_schema is not UNSET:
            field_dict["json_schema"] = json_schema

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.response_format_json_schema_request import ResponseFormatJsonSchemaRequest  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ResponseFormatType(d.pop("type"))

        _json_schema = d.pop("json_schema", UNSET)
        json_schema: ResponseFormatJsonSchemaRequest | Unset
        if isinstance(_json_schema, Unset):
            json_schema = UNSET
        else:
            json_schema = ResponseFormatJsonSchemaRequest.from_dict(_json_schema)

        response_format_request = cls(
            type_=type_,
            json_schema=json_schema,
        )

        return response_format_request
