"""Terminal tables at 80 columns - no line wider than the terminal, no
break inside a word, real display widths for CJK and emoji, and a note for hidden columns.
Pipes keep the plain, exact text."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

SB = "--sandbox"
NO_COLOR = {"NO_COLOR": "1"}
WIDE_NAME = "幻覚チェック 🤖 nightly"


@pytest.fixture
def narrow(ax):
    ax.width = 80
    return ax


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_list_fits_80_columns_and_says_which_columns_it_hid(narrow) -> None:
    result = narrow(SB, "list", "-s", "demo", tty=True, env=NO_COLOR)
    assert result.exit_code == 0, result.stderr
    lines = _lines(result.stdout)
    assert max(cell_len(line) for line in lines) <= 80
    assert "chatbot-hallucination" in result.stdout  # whole names, never split
    hidden = re.search(
        r"(\d+) columns? hidden \(([^)]*)\): -o json or a wider terminal", result.stderr
    )
    assert hidden, result.stderr
    for header in hidden.group(2).split(", "):
        assert header not in lines[0]


def test_cjk_and_emoji_names_keep_the_columns_aligned(narrow) -> None:
    created = narrow.json(
        SB,
        "create-evaluation",
        "-n",
        WIDE_NAME,
        "--task-type",
        "template_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        '[{"evaluator": "relevance"}]',
    )
    result = narrow(SB, "list", "-s", "demo", tty=True, env=NO_COLOR)
    lines = _lines(result.stdout)
    header = lines[0]
    type_at = cell_len(header[: header.index("TYPE")])
    row = next(line for line in lines if line.startswith(created["id"]))
    assert WIDE_NAME in row
    # The TYPE column starts at the same display column in the row as in the header.
    before_type = row[: row.index("TEMPLATE_EVALUATION")]
    assert cell_len(before_type) == type_at


def test_list_runs_keeps_the_times_and_cuts_a_long_failure_reason(narrow, ax) -> None:
    reason_words = "the evaluator could not reach the model provider " * 4
    runs = [
        {
            "id": "VGFza1J1bjoxOkxsbWk=",
            "status": "FAILED",
            "num_successes": 3,
            "num_errors": 2,
            "num_skipped": 0,
            "created_at": "2026-11-26T08:36:39Z",
            "run_finished_at": "2026-11-26T08:40:39Z",
            "failure_reason": reason_words.strip(),
        },
    ]
    from ax_tasks_cli.terminal_table import terminal_table

    text, hidden = terminal_table(runs, "run", width=80)
    lines = _lines(text)
    assert len(lines) == 2  # the reason is one line, cut, not five
    assert "2026-11-26T08:36:39Z" in lines[1]
    assert lines[1].endswith("…")
    assert max(cell_len(line) for line in lines) <= 80
    assert "CREATED" not in hidden


def test_sandbox_info_fits_80_columns_without_breaking_words(narrow) -> None:
    result = narrow(SB, "sandbox", "info", tty=True, env=NO_COLOR)
    assert result.exit_code == 0, result.stderr
    path, *lines = _lines(result.stdout)
    assert path.startswith("sandbox database: ")  # a path is shown whole, however long
    assert max(cell_len(line) for line in lines) <= 80
    assert "TEMPLATE/SPAN" in result.stdout
    assert "RUN_EXP" in result.stdout  # whole, or cut with "…", never folded
    assert "checkout-nightly-generation" in result.stdout
    assert not any(line.strip() in ("N", "NT") for line in lines)


def test_a_pipe_gets_the_plain_table_with_every_column(ax) -> None:
    result = ax(SB, "list", "-s", "demo", "-o", "table")
    assert result.exit_code == 0
    assert "LAST RUN" in result.stdout
    assert "hidden" not in result.stderr
