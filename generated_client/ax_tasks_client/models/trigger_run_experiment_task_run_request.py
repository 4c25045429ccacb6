from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.string_map import StringMap


T = TypeVar("T", bound="TriggerRunExperimentTaskRunRequest")


@_attrs_define
class TriggerRunExperimentTaskRunRequest:
    """A run of a RUN_EXPERIMENT task; it creates an experiment named `experiment_name`.

    Attributes:
        experiment_name (str): Unique within the dataset (409 otherwise); no double quotes or backslashes.
        dataset_version_id (str | Unset): Defaults to the latest version.
        example_ids (list[str] | Unset): Only these examples; exclusive with `max_examples`.
        max_examples (int | Unset): At most this many examples
        query_filter (str | Unset): Only examples that match; intersected with `example_ids` and capped by
            `max_examples`.
        tracing_metadata (StringMap | Unset):
        evaluation_task_ids (list[str] | Unset): Evaluation tasks to trigger once the experiment finishes.
    """

    experiment_name: str
    dataset_version_id: str | Unset = UNSET
    example_ids: list[str] | Unset = UNSET
    max_examples: int | Unset = UNSET
    query_filter: str | Unset = UNSET
    tracing_metadata: StringMap | Unset = UNSET
    evaluation_task_ids: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        experiment_name = self.experiment_name

        dataset_version_id = self.dataset_version_id

        example_ids: list[str] | Unset = UNSET
        if not isinstance(self.example_ids, Unset):
            example_ids = self.example_ids

        max_examples = self.max_examples

        query_filter = self.query_filter

        tracing_metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tracing_metadata, Unset):
            tracing_metadata = self.tracing_metadata.to_dict()

        evaluation_task_ids: list[str] | Unset = UNSET
        if not isinstance(self.evaluation_task_ids, Unset):
            evaluation_task_ids = self.evaluation_task_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "experiment_name": experiment_name,
            }
        )
        if dataset_version_id is not UNSET:
            field_dict["dataset_version_id"] = dataset_version_id
        if example_ids is not UNSET:
            field_dict["example_ids"] = example_ids
        if max_examples is not UNSET:
            field_dict["max_examples"] = max_examples
        if query_filter is not UNSET:
            field_dict["query_filter"] = query_filter
        if tracing_metadata is not UNSET:
            field_dict["tracing_metadata"] = tracing_metadata
        if evaluation_task_ids is not UNSET:
            field_dict["evaluation_task_ids"] = evaluation_task_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.string_map import StringMap  # noqa: PLC0415

        d = dict(src_dict)
        experiment_name = d.pop("experiment_name")

        dataset_version_id = d.pop("dataset_version_id", UNSET)

        example_ids = cast(list[str], d.pop("example_ids", UNSET))

        max_examples = d.pop("max_examples", UNSET)

        query_filter = d.pop("query_filter", UNSET)

        _tracing_metadata = d.pop("tracing_metadata", UNSET)
        tracing_metadata: StringMap | Unset
        if isinstance(_tracing_metadata, Unset):
            tracing_metadata = UNSET
        else:
            tracing_metadata = StringMap.from_dict(_tracing_metadata)

        evaluation_task_ids = cast(list[str], d.pop("evaluation_task_ids", UNSET))

        trigger_run_experiment_task_run_request = cls(
            experiment_name=experiment_name,
            dataset_version_id=dataset_version_id,
            example_ids=example_ids,
            max_examples=max_examples,
            query_filter=query_filter,
            tracing_metadata=tracing_metadata,
            evaluation_task_ids=evaluation_task_ids,
        )

        return trigger_run_experiment_task_run_request
