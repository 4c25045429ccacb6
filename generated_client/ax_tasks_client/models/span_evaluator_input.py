from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.string_map import StringMap


T = TypeVar("T", bound="SpanEvaluatorInput")


@_attrs_define
class SpanEvaluatorInput:
    """An evaluator over single spans.

    Attributes:
        evaluator_id (str):
        evaluator_version_id (None | str | Unset): Pin a version of the evaluator; null or absent runs the latest.
        query_filter (None | str | Unset): An extra filter for this evaluator, combined with the task's by AND.
        column_mappings (None | StringMap | Unset): Template variable → span column.
    """

    evaluator_id: str
    evaluator_version_id: None | str | Unset = UNSET
    query_filter: None | str | Unset = UNSET
    column_mappings: None | StringMap | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.string_map import StringMap  # noqa: PLC0415

        evaluator_id = self.evaluator_id

        evaluator_version_id: None | str | Unset
        if isinstance(self.evaluator_version_id, Unset):
            evaluator_version_id = UNSET
        else:
            evaluator_version_id = self.evaluator_version_id

        query_filter: None | str | Unset
        if isinstance(self.query_filter, Unset):
            query_filter = UNSET
        else:
            query_filter = self.query_filter

        column_mappings: dict[str, Any] | None | Unset
        if isinstance(self.column_mappings, Unset):
            column_mappings = UNSET
        elif isinstance(self.column_mappings, StringMap):
            column_mappings = self.column_mappings.to_dict()
        else:
            column_mappings = self.column_mappings

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "evaluator_id": evaluator_id,
            }
        )
        if evaluator_version_id is not UNSET:
            field_dict["evaluator_version_id"] = evaluator_version_id
        if query_filter is not UNSET:
            field_dict["query_filter"] = query_filter
        if column_mappings is not UNSET:
            field_dict["column_mappings"] = column_mappings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.string_map import StringMap  # noqa: PLC0415

        d = dict(src_dict)
        evaluator_id = d.pop("evaluator_id")

        def _parse_evaluator_version_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        evaluator_version_id = _parse_evaluator_version_id(d.pop("evaluator_version_id", UNSET))

        def _parse_query_filter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        query_filter = _parse_query_filter(d.pop("query_filter", UNSET))

        def _parse_column_mappings(data: object) -> None | StringMap | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                column_mappings_type_0 = StringMap.from_dict(data)

                return column_mappings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StringMap | Unset, data)

        column_mappings = _parse_column_mappings(d.pop("column_mappings", UNSET))

        span_evaluator_input = cls(
            evaluator_id=evaluator_id,
            evaluator_version_id=evaluator_version_id,
            query_filter=query_filter,
            column_mappings=column_mappings,
        )

        return span_evaluator_input
