from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_run_status import TaskRunStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskRun")


@_attrs_define
class TaskRun:
    """One run of a task. Servers may add fields.

    Attributes:
        id (str):
        task_id (str):
        status (TaskRunStatus): Where a run is; COMPLETED, FAILED and CANCELLED are terminal.
        run_started_at (datetime.datetime | None):
        run_finished_at (datetime.datetime | None):
        data_start_time (datetime.datetime | None): Null for RUN_EXPERIMENT runs.
        data_end_time (datetime.datetime | None): Null for RUN_EXPERIMENT runs.
        num_successes (int):
        num_errors (int):
        num_skipped (int):
        created_at (datetime.datetime):
        created_by_user_id (None | str):
        experiment_id (None | str | Unset): RUN_EXPERIMENT runs
        failure_reason (None | str | Unset): Why a run FAILED or was CANCELLED, for example that every item already had
            labels and the run must be re-triggered with `override_evaluations`.
    """

    id: str
    task_id: str
    status: TaskRunStatus
    run_started_at: datetime.datetime | None
    run_finished_at: datetime.datetime | None
    data_start_time: datetime.datetime | None
    data_end_time: datetime.datetime | None
    num_successes: int
    num_errors: int
    num_skipped: int
    created_at: datetime.datetime
    created_by_user_id: None | str
    experiment_id: None | str | Unset = UNSET
    failure_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        task_id = self.task_id

        status = self.status.value

        run_started_at: None | str
        if isinstance(self.run_started_at, datetime.datetime):
            run_started_at = self.run_started_at.isoformat()
        else:
            run_started_at = self.run_started_at

        run_finished_at: None | str
        if isinstance(self.run_finished_at, datetime.datetime):
            run_finished_at = self.run_finished_at.isoformat()
        else:
            run_finished_at = self.run_finished_at

        data_start_time: None | str
        if isinstance(self.data_start_time, datetime.datetime):
            data_start_time = self.data_start_time.isoformat()
        else:
            data_start_time = self.data_start_time

        data_end_time: None | str
        if isinstance(self.data_end_time, datetime.datetime):
            data_end_time = self.data_end_time.isoformat()
        else:
            data_end_time = self.data_end_time

        num_successes = self.num_successes

        num_errors = self.num_errors

        num_skipped = self.num_skipped

        created_at = self.created_at.isoformat()

        created_by_user_id: None | str
        created_by_user_id = self.created_by_user_id

        experiment_id: None | str | Unset
        if isinstance(self.experiment_id, Unset):
            experiment_id = UNSET
        else:
            experiment_id = self.experiment_id

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "task_id": task_id,
                "status": status,
                "run_started_at": run_started_at,
                "run_finished_at": run_finished_at,
                "data_start_time": data_start_time,
                "data_end_time": data_end_time,
                "num_successes": num_successes,
                "num_errors": num_errors,
                "num_skipped": num_skipped,
                "created_at": created_at,
                "created_by_user_id": created_by_user_id,
            }
        )
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        task_id = d.pop("task_id")

        status = TaskRunStatus(d.pop("status"))

        def _parse_run_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                run_started_at_type_0 = datetime.datetime.fromisoformat(data)

                return run_started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        run_started_at = _parse_run_started_at(d.pop("run_started_at"))

        def _parse_run_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                run_finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return run_finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        run_finished_at = _parse_run_finished_at(d.pop("run_finished_at"))

        def _parse_data_start_time(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                data_start_time_type_0 = datetime.datetime.fromisoformat(data)

                return data_start_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        data_start_time = _parse_data_start_time(d.pop("data_start_time"))

        def _parse_data_end_time(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                data_end_time_type_0 = datetime.datetime.fromisoformat(data)

                return data_end_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        data_end_time = _parse_data_end_time(d.pop("data_end_time"))

        num_successes = d.pop("num_successes")

        num_errors = d.pop("num_errors")

        num_skipped = d.pop("num_skipped")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_created_by_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by_user_id = _parse_created_by_user_id(d.pop("created_by_user_id"))

        def _parse_experiment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        experiment_id = _parse_experiment_id(d.pop("experiment_id", UNSET))

        def _parse_failure_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason", UNSET))

        task_run = cls(
            id=id,
            task_id=task_id,
            status=status,
            run_started_at=run_started_at,
            run_finished_at=run_finished_at,
            data_start_time=data_start_time,
            data_end_time=data_end_time,
            num_successes=num_successes,
            num_errors=num_errors,
            num_skipped=num_skipped,
            created_at=created_at,
            created_by_user_id=created_by_user_id,
            experiment_id=experiment_id,
            failure_reason=failure_reason,
        )

        task_run.additional_properties = d
        return task_run

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
