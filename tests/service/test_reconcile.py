"""send_reconciled: a write whose answer is lost is looked for, resent a bounded number of
times only when it did not land, and otherwise reported with the cause of the loss."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ax_tasks_mcp.service.errors import ConflictError, UnknownOutcomeError
from ax_tasks_mcp.service.reconcile import send_reconciled
from ax_tasks_mcp.service.wire import LostAnswer


class Writes:
    """A send that plays a script: a value to return or an exception to raise, in turn."""

    def __init__(self, *steps: object) -> None:
        self.steps = list(steps)
        self.sent = 0

    def __call__(self) -> str:
        self.sent += 1
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return str(step)


def lost(reason: str = "ReadTimeout") -> LostAnswer:
    return LostAnswer("POST", "/v2/tasks", reason)


def finder(*answers: str | None) -> tuple[Callable[[str], str | None], list[str]]:
    """A find that answers in turn, and the causes it was asked about."""
    queue = list(answers)
    asked: list[str] = []

    def find(cause: str) -> str | None:
        asked.append(cause)
        return queue.pop(0)

    return find, asked


def unknown(cause: str) -> UnknownOutcomeError:
    return UnknownOutcomeError.for_write("create task T", "list the tasks", cause=cause)


def test_an_answer_that_arrives_is_returned_without_looking() -> None:
    find, asked = finder()
    assert send_reconciled(Writes("made"), find=find, unknown=unknown, max_resends=2) == "made"
    assert asked == []


def test_a_lost_answer_whose_write_landed_returns_what_it_made() -> None:
    send = Writes(lost("HTTP 502 Bad Gateway"))
    find, asked = finder("found")
    assert send_reconciled(send, find=find, unknown=unknown, max_resends=2) == "found"
    assert (send.sent, asked) == (1, ["HTTP 502 Bad Gateway"])


def test_a_write_that_did_not_land_is_resent_exactly_max_resends_times() -> None:
    send = Writes(lost(), lost(), lost(), "never")
    find, asked = finder(None, None, None)
    with pytest.raises(UnknownOutcomeError) as caught:
        send_reconciled(send, find=find, unknown=unknown, max_resends=2)
    assert send.sent == 3
    assert len(asked) == 3
    assert "(ReadTimeout)" in caught.value.message  # the cause of the loss is in the error
    assert isinstance(caught.value.__cause__, LostAnswer)


def test_no_resends_means_one_send() -> None:
    send = Writes(lost("RemoteProtocolError"), "never")
    find, _ = finder(None)
    with pytest.raises(UnknownOutcomeError, match="RemoteProtocolError"):
        send_reconciled(send, find=find, unknown=unknown, max_resends=0)
    assert send.sent == 1


def test_a_resend_that_lands_returns_its_answer() -> None:
    send = Writes(lost(), "made on the resend")
    find, _ = finder(None)
    result = send_reconciled(send, find=find, unknown=unknown, max_resends=1)
    assert (result, send.sent) == ("made on the resend", 2)


def test_a_refusal_of_the_first_send_is_the_answer() -> None:
    send = Writes(ConflictError("The name is taken."))
    find, asked = finder()
    with pytest.raises(ConflictError):
        send_reconciled(send, find=find, unknown=unknown, max_resends=2, refusals=(ConflictError,))
    assert asked == []


def test_a_refused_resend_means_the_first_write_landed_late() -> None:
    send = Writes(lost(), ConflictError("The name is taken."))
    find, asked = finder(None, "made by the first send")
    result = send_reconciled(
        send, find=find, unknown=unknown, max_resends=2, refusals=(ConflictError,)
    )
    assert result == "made by the first send"
    assert asked == ["ReadTimeout", "a resend was refused"]


def test_a_refused_resend_with_nothing_found_is_the_refusal() -> None:
    send = Writes(lost(), ConflictError("The name is taken."))
    find, _ = finder(None, None)
    with pytest.raises(ConflictError, match="taken"):
        send_reconciled(send, find=find, unknown=unknown, max_resends=2, refusals=(ConflictError,))
