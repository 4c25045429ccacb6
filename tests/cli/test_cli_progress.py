"""Progress on long work: a live line on a terminal's stderr, nothing anywhere else.

The module is tested on its own (counting, totals, notes, the line ending with the last item)
and where commands use it: following every cursor with --all.  Waiting is in test_cli_runs.
"""

from __future__ import annotations

import io
import json
from typing import Any

from ax_tasks_cli.progress import Progress
from tests.support.terminal import SGR, drawn

SB = "--sandbox"


def _on_terminal(**options: Any) -> tuple[Progress, io.StringIO]:
    stream = io.StringIO()
    progress = Progress(stream, "Applying", live=True, width=lambda: 80, **options)
    return progress, stream


def test_a_count_with_a_total_shows_how_many_of_how_many() -> None:
    progress, stream = _on_terminal(unit="task", total=5)
    with progress:
        progress.advance(3)
        progress.update(description="Applying changes")
    lines = drawn(stream.getvalue())
    assert any("Applying changes" in line and "3 of 5 tasks" in line for line in lines), lines


def test_a_count_without_a_total_shows_the_count_and_its_unit() -> None:
    progress, stream = _on_terminal(unit="task", plural=lambda word, n: f"{word}(s)")
    with progress:
        progress.advance()
        progress.advance(1_499)
    assert any("1,500 task(s)" in line for line in drawn(stream.getvalue()))


def test_the_line_is_erased_at_the_end_and_notes_stay_above_it() -> None:
    progress, stream = _on_terminal(unit="task")
    with progress:
        progress.note("Skipped 'nightly': unchanged.")
        progress.advance()
    text = stream.getvalue()
    assert "Skipped 'nightly': unchanged." in text
    assert text.endswith("\x1b[2K")  # the last thing drawn erases the line


def test_off_it_writes_nothing_but_notes() -> None:
    stream = io.StringIO()
    with Progress(stream, "Applying", live=False, unit="task", total=3) as progress:
        progress.advance()
        progress.show("Run X: RUNNING", emphasis="RUNNING", style="cyan")
        progress.note("Skipped 'nightly': unchanged.")
    assert stream.getvalue() == "Skipped 'nightly': unchanged.\n"


def test_track_ends_the_line_after_the_last_item_before_the_caller_goes_on() -> None:
    progress, stream = _on_terminal(unit="task")
    with progress:
        items = list(progress.track(["a", "b"]))
        drawn_before_exit = stream.getvalue()
        stream.write("TABLE")
    assert items == ["a", "b"]
    assert drawn_before_exit.endswith("\x1b[2K")  # erased before the table is written
    assert stream.getvalue().endswith("TABLE")


def test_markup_in_a_name_is_shown_as_written() -> None:
    progress, stream = _on_terminal()
    with progress:
        progress.show("Task [bold]x[/bold]: RUNNING", emphasis="RUNNING", style="cyan")
    assert any("Task [bold]x[/bold]: RUNNING" in line for line in drawn(stream.getvalue()))


# -- where commands use it -----------------------------------------------------------------


def test_list_all_on_a_terminal_counts_what_it_reads_then_prints_the_table(ax) -> None:
    result = ax(SB, "list", "--all", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert any("Reading" in line and "4 tasks" in line for line in drawn(result.stderr))
    assert not SGR.search(result.stderr)
    assert "chatbot-hallucination" in result.stdout


def test_list_all_piped_shows_no_progress(ax) -> None:
    result = ax(SB, "list", "--all", "-o", "ndjson")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 4


def test_list_all_streaming_to_the_terminal_keeps_the_line_off_it(ax) -> None:
    result = ax(SB, "datasets", "--all", "-o", "ndjson", tty=True)
    assert result.exit_code == 0
    assert drawn(result.stderr) == []
    assert all(json.loads(line)["id"] for line in result.stdout.splitlines())


def test_list_all_into_a_pipe_shows_progress_on_the_terminal_s_stderr(ax) -> None:
    result = ax(
        SB,
        "list-runs",
        "chatbot-hallucination",
        "-s",
        "demo",
        "--all",
        "-o",
        "ndjson",
        tty={"stderr"},
    )
    assert result.exit_code == 0
    assert any("Reading" in line and " runs" in line for line in drawn(result.stderr))
    assert result.stdout.strip()
