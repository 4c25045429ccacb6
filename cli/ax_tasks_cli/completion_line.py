"""bash's command line as its line editor reads it, for the Tab key.

bash hands a completion the line as typed (``COMP_LINE``), quotes and backslashes included.
:func:`read_line` unquotes its words as bash would run them, and finds the text readline will
replace with a candidate: what follows an open quote (``'Nigh``: ``Nigh``), else what follows
the last word-break character outside quotes (``--space=de``: ``de``; ``Nightly\\ `` keeps its
escaped space).  :func:`replies` writes each candidate as that text's replacement, quoted for
where it goes: readline closes an open quote itself, and inserts everything else as it is.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Line", "read_line", "replies"]

_QUOTES = "'\""
#: What a backslash escapes inside double quotes; before anything else it stays.
_ESCAPED_IN_DOUBLE = '$`"\\\n'


@dataclass(frozen=True)
class Line:
    """The words before the cursor, unquoted; the current one split where readline replaces."""

    words: list[str]
    """The words before the current one."""
    kept: str
    """The start of the current word that readline keeps (before the text it replaces)."""
    typed: str
    """The rest of the current word, which a candidate replaces."""
    quote: str = ""
    """The quote still open at the cursor ('' when none)."""

    @property
    def word(self) -> str:
        """The current word, unquoted."""
        return self.kept + self.typed


def read_line(line: str, breaks: str) -> Line:
    """Read ``line`` (up to the cursor) as bash does, with ``breaks`` its COMP_WORDBREAKS."""
    words: list[str] = []
    word: list[str] | None = None  # None between words
    # Where readline's text starts in the current word: after its last word-break character
    # outside quotes, or, while a quote is open, after that quote.
    after_break = after_quote = 0
    quote = ""
    escaped = False
    for char in line:
        if escaped:
            escaped = False
            assert word is not None
            if quote and char not in _ESCAPED_IN_DOUBLE:
                word.append("\\")
            if char != "\n":  # a backslash before a newline joins the lines
                word.append(char)
        elif (quote == "'" and char != "'") or (quote == '"' and char not in '"\\'):
            assert word is not None
            word.append(char)
        elif quote:
            if char == quote:
                quote = ""
            else:
                escaped = True  # a backslash inside double quotes
        elif char.isspace():
            if word is not None:
                words.append("".join(word))
            word = None
        else:
            if word is None:
                word, after_break = [], 0
            if char == "\\":
                escaped = True
            elif char in _QUOTES:
                quote, after_quote = char, len(word)
            else:
                word.append(char)
                if char in breaks:
                    after_break = len(word)
    current = "".join(word or ())
    cut = after_quote if quote else after_break
    return Line(words, current[:cut], current[cut:], quote)


def _quoted(text: str, quote: str) -> str:
    """``text`` to insert where ``quote`` is open (readline adds the closing quote)."""
    if quote == "'":
        return text.replace("'", "'\\''")
    if quote == '"':
        return re.sub(r'([$`"\\])', r"\\\1", text)
    return shlex.quote(text)


def replies(values: Iterable[str], line: Line) -> list[str]:
    """COMPREPLY for candidates that are whole current words: each one's text after what
    readline keeps, quoted for where it goes (one that does not extend the kept part is left
    out)."""
    kept = line.kept.casefold()
    found = []
    for value in values:
        rest = value[len(line.kept) :]
        if value[: len(line.kept)].casefold() == kept and rest:
            found.append(_quoted(rest, line.quote))
    return found
