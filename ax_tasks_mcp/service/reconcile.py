"""Sending a write whose answer may be lost, without ever doing it twice.

The transport never resends a create, trigger or cancel once it may have reached the server
(api.py reports that as LostAnswer). Here the caller's `find` looks for what the write would
have made; only when nothing landed is the write sent again, a bounded number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ax_tasks_mcp.service.errors import UnknownOutcomeError
from ax_tasks_mcp.service.tracing import traced_find
from ax_tasks_mcp.service.wire import LostAnswer

__all__ = ["send_reconciled"]

R = TypeVar("R")


def send_reconciled(
    send: Callable[[], R],
    *,
    find: Callable[[str], R | None],
    unknown: Callable[[str], UnknownOutcomeError],
    max_resends: int,
    refusals: tuple[type[Exception], ...] = (),
) -> R:
    """Send; when the answer is lost, return what `find` finds or send again.

    `find(cause)` returns what the write made, None when it did not land, and raises
    `unknown(cause)` itself when it cannot tell. A `refusals` error on a resend (the name is
    taken, say) means the first attempt may have landed late, so `find` is asked once more.
    """
    find = traced_find(find)
    resends = 0
    while True:
        try:
            return send()
        except LostAnswer as lost:
            found = find(lost.reason)
            if found is not None:
                return found
            if resends >= max_resends:
                raise unknown(lost.reason) from lost
            resends += 1
        except refusals:
            if resends == 0:
                raise
            found = find("a resend was refused")
            if found is not None:
                return found
            raise
