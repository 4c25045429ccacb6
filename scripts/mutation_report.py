"""Scores of the last mutation run (mutants/ under the current directory: scripts/mutation.sh
runs it in .mutation/), one line per module, and the survivors.

    uv run python scripts/mutation_report.py FILE ...   (e.g. ax_tasks_mcp/server/schemas.py,
                                                         ax_tasks_cli/landed.py)

A mutant counts as caught when a test failed or timed out. Survivors that only change the
wording of a message (a string literal with a space in it) or only touch a logging call are set
aside: no test should pin a message's wording or a debug line. The score is caught / (mutants -
set aside); both counts are printed, and every survivor is listed by name for `mutmut show`.
"""

from __future__ import annotations

import ast
import io
import sys
import textwrap
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

CAUGHT = frozenset({"killed", "timeout", "caught by type check", "segfault"})
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "log"})
#: Names of the objects that log (``LOG``, ``self._log``, the retry announcer).
LOGGERS = ("log", "announce")


@dataclass
class Score:
    module: str
    total: int = 0
    caught: int = 0
    aside: dict[str, str] = field(default_factory=dict)
    survivors: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        counted = self.total - len(self.aside)
        return 100.0 * self.caught / counted if counted else 100.0


#: Token types that hold literal text (Python 3.12 splits f-strings into several).
TEXT_TOKENS = frozenset(
    {tokenize.STRING} | {getattr(tokenize, n) for n in ("FSTRING_MIDDLE",) if hasattr(tokenize, n)}
)


def _tokens(line: str) -> list[tokenize.TokenInfo]:
    """The tokens of one line, which may be part of a longer statement."""
    found: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            found.append(token)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # an unclosed bracket at the end of the line: the tokens so far are enough
    return found


def _shape(tokens: list[tokenize.TokenInfo]) -> list[tuple[int, str]]:
    return [(t.type, "<text>" if t.type in TEXT_TOKENS else t.string) for t in tokens]


def _texts(tokens: list[tokenize.TokenInfo]) -> list[str]:
    return [t.string for t in tokens if t.type in TEXT_TOKENS]


def _log_call_lines(source: str) -> set[int]:
    """1-based line numbers covered by logging calls (``LOG.debug(...)``, ``self._announce...``)."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return set()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = ast.unparse(node.func.value).lower()
        if node.func.attr in LOG_METHODS and any(word in owner for word in LOGGERS):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def why_aside(diff: str) -> str | None:
    """ "message text" or "log only" when the mutant changes nothing else, otherwise None."""
    original: list[str] = []
    removed: list[tuple[int, str]] = []
    added: list[str] = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++", "@@")):
            continue
        if line.startswith("-"):
            original.append(line[1:])
            removed.append((len(original), line[1:]))
        elif line.startswith("+"):
            added.append(line[1:])
        else:
            original.append(line[1:])
    if not removed:
        return None
    logged = _log_call_lines("\n".join(original))
    if all(number in logged for number, _ in removed):
        return "log only"
    if len(removed) != len(added):
        return None
    for (_, before), after in zip(removed, added, strict=True):
        old, new = _tokens(before), _tokens(after)
        if not old or _shape(old) != _shape(new):
            return None
        changed = [a for a, b in zip(_texts(old), _texts(new), strict=True) if a != b]
        if not changed or not all(" " in text for text in changed):
            return None
    return "message text"


def label(file: str) -> str:
    """``ax_tasks_mcp/server/schemas.py`` → ``server/schemas``; ``ax_tasks_cli/landed.py`` →
    ``cli/landed``."""
    parts = Path(file).with_suffix("").parts
    return f"{parts[1] if parts[0] == 'ax_tasks_mcp' else 'cli'}/{parts[-1]}"


def score(file: str) -> Score:
    data = SourceFileMutationData(path=Path(file))
    data.load()
    result = Score(label(file))
    for name, code in sorted(data.exit_code_by_key.items()):
        result.total += 1
        status = status_by_exit_code[code]
        if status in CAUGHT:
            result.caught += 1
            continue
        reason = why_aside(get_diff_for_mutant(name, path=data.path))
        if reason is not None and status == "survived":
            result.aside[name] = reason
        else:
            result.survivors.append(f"{name} ({status})")
    return result


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    scores = [score(file) for file in argv]
    print(f"{'module':<22} {'score':>6} {'caught':>7} {'mutants':>8} {'aside':>6} {'left':>5}")
    for s in scores:
        print(
            f"{s.module:<22} {s.percent:>5.1f}% {s.caught:>7} {s.total:>8} "
            f"{len(s.aside):>6} {len(s.survivors):>5}"
        )
    for s in scores:
        for name in s.survivors:
            print(f"survived: {name}")
        for name, reason in s.aside.items():
            print(f"aside ({reason}): {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
