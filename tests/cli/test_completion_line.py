"""bash's command line read as readline reads it: the words unquoted, the text a candidate
replaces, and each candidate quoted for where it goes."""

from __future__ import annotations

import pytest

from ax_tasks_cli.completion_line import Line, read_line, replies

BREAKS = " \t\n\"'><=;|&(:"  # bash's default COMP_WORDBREAKS


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("ax-tasks get ", Line(["ax-tasks", "get"], "", "")),
        ("ax-tasks get -s 'my space' ch", Line(["ax-tasks", "get", "-s", "my space"], "", "ch")),
        ("ax-tasks get 'Nigh", Line(["ax-tasks", "get"], "", "Nigh", "'")),
        ('ax-tasks get "Nigh', Line(["ax-tasks", "get"], "", "Nigh", '"')),
        ("ax-tasks get Nightly\\ ", Line(["ax-tasks", "get"], "", "Nightly ")),
        ("ax-tasks get QA\\ r", Line(["ax-tasks", "get"], "", "QA r")),
        ("ax-tasks list --space=de", Line(["ax-tasks", "list"], "--space=", "de")),
        ("ax-tasks list --space='de", Line(["ax-tasks", "list"], "--space=", "de", "'")),
        ("ax-tasks list --space\\=de", Line(["ax-tasks", "list"], "", "--space=de")),
        ('x "a\\"b\\$c\\d', Line(["x"], "", 'a"b$c\\d', '"')),
        ("x 'it'\\''s", Line(["x"], "it'", "s", "'")),  # the last quote is open again
        ("x 'it'\\''s'", Line(["x"], "", "it's")),
        ("x a\\\nb", Line(["x"], "", "ab")),
    ],
)
def test_the_words_are_unquoted_and_split_where_readline_replaces(line: str, read: Line) -> None:
    assert read_line(line, BREAKS) == read


@pytest.mark.parametrize(
    ("line", "values", "inserted"),
    [
        ("x 'Nigh", ["Nightly QA", "nightly-relevance"], ["Nightly QA", "nightly-relevance"]),
        ("x nigh", ["Nightly QA", "nightly-relevance"], ["'Nightly QA'", "nightly-relevance"]),
        ("x Nightly\\ ", ["Nightly QA"], ["'Nightly QA'"]),
        ("x 'it", ["it's $HOME"], ["it'\\''s $HOME"]),
        ('x "it', ['it\'s "$HOME" `x` \\'], ['it\'s \\"\\$HOME\\" \\`x\\` \\\\']),
        ("x --name=QA\\ r", ["--name=QA relevance"], ["'QA relevance'"]),
        ("x --space=", ["--space=demo", "--space="], ["demo"]),  # nothing to add: left out
        ("x --SPACE=de", ["--space=demo"], ["demo"]),
    ],
)
def test_each_candidate_replaces_readlines_text_quoted_for_where_it_goes(
    line: str, values: list[str], inserted: list[str]
) -> None:
    assert replies(values, read_line(line, BREAKS)) == inserted
