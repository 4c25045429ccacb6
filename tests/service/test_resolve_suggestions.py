"""Did-you-mean: the names most like a name that was not found."""

from __future__ import annotations

from ax_tasks_mcp.service.resolve import closest_names


def test_the_same_name_in_another_case_comes_first() -> None:
    assert closest_names("QA", ["qa-golden", "Qa", "qa"])[:2] == ["Qa", "qa"]


def test_names_close_only_when_case_is_ignored_are_found() -> None:
    assert closest_names("CHATBOT-V2", ["chatbot-v3", "zzz"]) == ["chatbot-v3"]


def test_up_to_five_close_names_are_offered() -> None:
    seen = [f"item-{n}" for n in range(1, 8)]
    assert len(closest_names("ITEM-0", seen)) == 5


def test_names_containing_the_name_are_offered_and_others_are_not() -> None:
    found = closest_names("bot", ["chatbot", "robotics", "zzz"])
    assert set(found) == {"chatbot", "robotics"}
