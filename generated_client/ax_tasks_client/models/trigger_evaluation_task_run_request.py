from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggerEvaluationTaskRunRequest")


@_attrs_define
class TriggerEvaluationTaskRunRequest:
    """A run of an evaluation task; every field is optional and `{}` uses the server's defaults.
    The window applies to project tasks: start before end, at most 30 days.

        Attributes:
            data_start_time (datetime.datetime | Unset): Start of the window; defaults to the task's last run time and is
                required on a project task's first run.
            data_end_time (datetime.datetime | Unset): End of the window; defaults to now.
            max_spans (int | Unset): At most this many spans (server default 10000).
            override_evaluations (bool | Unset): Re-score spans that already have labels (server default false).
            experiment_ids (list[str] | Unset): Dataset tasks only; the experiments to score in this run.
    """

    data_start_time: datetime.datetime | Unset = UNSET
    data_end_time: datetime.datetime | Unset = UNSET
    max_spans: int | Unset = UNSET
    override_evaluations: bool | Unset = UNSET
    experiment_ids: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        data_start_time: str | Unset = UNSET
        if not isinstance(self.data_start_time, Unset):
            data_start_time = self.data_start_time.isoformat()

        data_end_time: str | Unset = UNSET
        if not isinstance(self.data_end_time, Unset):
            data_end_time = self.data_end_time.isoformat()

        max_spans = self.max_spans

        override_evaluations = self.override_evaluations

        experiment_ids: list[str] | Unset = UNSET
        if not isinstance(self.experiment_ids, Unset):
            experiment_ids = self.experiment_ids

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if data_start_time is not UNSET:
            field_dict["data_start_time"] = data_start_time
        if data_end_time is not UNSET:
            field_dict["data_end_time"] = data_end_time
        if max_spans is not UNSET:
            field_dict["max_spans"] = max_spans
        if override_evaluations is not UNSET:
            field_dict["override_evaluations"] = override_evaluations
        if experiment_ids is not UNSET:
            field_dict["experiment_ids"] = experiment_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _data_start_time = d.pop("data_start_time", UNSET)
        data_start_time: datetime.datetime | Unset
        if isinstance(_data_start_time, Unset):
            data_start_time = UNSET
        else:
            data_start_time = datetime.datetime.fromisoformat(_data_start_time)

        _data_end_time = d.pop("data_end_time", UNSET)
        data_end_time: datetime.datetime | Unset
        if isinstance(_data_end_time, Unset):
            data_end_time = UNSET
        else:
            data_end_time = datetime.datetime.fromisoformat(_data_end_time)

        max_spans = d.pop("max_spans", UNSET)

        override_evaluations = d.pop("override_evaluations", UNSET)

        experiment_ids = cast(list[str], d.pop("experiment_ids", UNSET))

        trigger_evaluation_task_run_request = cls(
            data_start_time=data_start_time,
            data_end_time=data_end_time,
            max_spans=max_spans,
            override_evaluations=override_evaluations,
            experiment_ids=experiment_ids,
        )

        return trigger_evaluation_task_run_request
