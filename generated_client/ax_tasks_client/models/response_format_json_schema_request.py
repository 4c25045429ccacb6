from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.response_format_json_schema_request_schema import (
        ResponseFormatJsonSchemaRequestSchema,
    )


T = TypeVar("T", bound="ResponseFormatJsonSchemaRequest")


@_attrs_define
class ResponseFormatJsonSchemaRequest:
    """
    Attributes:
        name (str):
        description (str | Unset):
        schema (ResponseFormatJsonSchemaRequestSchema | Unset):
        strict (bool | Unset):  Default: False.
    """

    name: str
    description: str | Unset = UNSET
    schema: ResponseFormatJsonSchemaRequestSchema | Unset = UNSET
    strict: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.schema, Unset):
            schema = self.schema.to_dict()

        strict = self.strict

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if schema is not UNSET:
            field_dict["schema"] = schema
        if strict is not UNSET:
            field_dict["strict"] = strict

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.response_format_json_schema_request_schema import (
            ResponseFormatJsonSchemaRequestSchema,  # noqa: PLC0415
        )

        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        _schema = d.pop("schema", UNSET)
        schema: ResponseFormatJsonSchemaRequestSchema | Unset
        if isinstance(_schema, Unset):
            schema = UNSET
        else:
            schema = ResponseFormatJsonSchemaRequestSchema.from_dict(_schema)

        strict = d.pop("strict", UNSET)

        response_format_json_schema_request = cls(
            name=name,
            description=description,
            schema=schema,
            strict=strict,
        )

        return response_format_json_schema_request
