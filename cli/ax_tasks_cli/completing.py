"""What the shell gets at the Tab key.

A completion script (``ax-tasks completion SHELL``) runs ``ax-tasks`` with ``_AX_TASKS_COMPLETE``
set to the shell's name; the entry point hands the call here, before any parsing, and this
module is imported only then.  The words before the cursor come as arguments (zsh, fish) or in
``COMP_LINE``/``COMP_POINT`` (bash, whose own word splitting breaks IDs at ``=``; read by
``completion_line``); each shell's words arrive unquoted (``'QA r`` is ``QA r``).  The answer is
one candidate per line, ``value<TAB>description`` (bash takes the value only), or the single
line ``:files`` when the shell should complete file names itself.

* Commands, options and fixed values (task types, run statuses, output formats) come from the
  command tree and a table: no request.
* Names (spaces, projects, datasets, evaluators, AI integrations, experiments, tasks, run IDs)
  come from ``completion_names``: the API or the sandbox, through a short on-disk cache, within
  ``AX_TASKS_COMPLETION_TIMEOUT`` seconds.
* Nothing but candidates is ever written: stderr is silenced, every failure gives no candidate.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from ax_tasks_cli.compat import completion_context, completion_target
from ax_tasks_cli.completion_line import read_line, replies
from ax_tasks_cli.errors import PROG
from ax_tasks_cli.output import FORMATS

__all__ = ["FILES", "Candidate", "candidates", "complete"]

FILES = ":files"
SHELLS = ("bash", "zsh", "fish")
TIMEOUT_ENV = "AX_TASKS_COMPLETION_TIMEOUT"
DEFAULT_TIMEOUT = 2.0

_TASK_TYPES = ("template_evaluation", "code_evaluation", "run_experiment")
_RUN_STATUSES = ("pending", "running", "completed", "failed", "cancelled")
#: Fixed values by parameter; a command's own list first (create-evaluation makes no
#: run-experiment task).
_FIXED: dict[tuple[str | None, str], tuple[str, ...]] = {
    ("create-evaluation", "task_type"): _TASK_TYPES[:2],
    ("export", "output"): ("yaml", "json"),
    ("plan", "output"): ("table", "json"),
    ("apply", "output"): ("table", "json"),
    (None, "task_type"): _TASK_TYPES,
    (None, "status"): _RUN_STATUSES,
    (None, "output"): FORMATS,
    ("completion", "shell"): SHELLS,
}
#: The parameters whose names the command looks up within a space (the --name filters of
#: list and the lookups are not: they need none).
_IN_A_SPACE = frozenset({"task", "project", "dataset"})
#: What a parameter names, for the names the API knows.
_LIVE: dict[tuple[str | None, str], str] = {
    (None, "space"): "spaces",
    (None, "project"): "projects",
    (None, "dataset"): "datasets",
    (None, "task"): "tasks",
    (None, "run_id"): "runs",
    ("list", "name"): "tasks",
    ("spaces", "name"): "spaces",
    ("projects", "name"): "projects",
    ("datasets", "name"): "datasets",
    ("evaluators", "name"): "evaluators",
    ("ai-integrations", "name"): "ai_integrations",
    ("experiments", "name"): "experiments",
}


@dataclass(frozen=True)
class Candidate:
    """One completion: the text to insert and what the shell may show beside it."""

    value: str
    help: str = ""


def timeout_setting(env: Mapping[str, str]) -> tuple[float, str]:
    """(the completion timeout in seconds, where it came from).  A bad value is ignored, since
    a completion never says anything; ``ax-tasks config`` says it."""
    given = env.get(TIMEOUT_ENV, "").strip()
    if not given:
        return DEFAULT_TIMEOUT, "default"
    try:
        value = float(given)
    except ValueError:
        value = 0.0
    if 0 < value < float("inf"):
        return value, f"env {TIMEOUT_ENV}"
    return DEFAULT_TIMEOUT, f"default ({TIMEOUT_ENV}={given!r} is not a positive number)"


def timeout(env: Mapping[str, str]) -> float:
    """The completion timeout in seconds (AX_TASKS_COMPLETION_TIMEOUT)."""
    return timeout_setting(env)[0]


def _table(table: Mapping[tuple[str | None, str], Any], command: str | None, name: str) -> Any:
    return table.get((command, name), table.get((None, name)))


def _takes_a_path(param: Any) -> bool:
    """A parameter whose value is a file or folder name (``-f FILE``, ``--db PATH``)."""
    metavar = str(getattr(param, "metavar", None) or "").upper()
    return any(word in metavar for word in ("FILE", "PATH", "DIR"))


def matching(values: Sequence[Candidate], word: str) -> list[Candidate]:
    """The candidates starting with ``word``, in any case."""
    folded = word.casefold()
    return [c for c in values if c.value.casefold().startswith(folded)]


def _space_instead(context: Any, target: Any, word: str) -> list[Candidate]:
    """With no space on the line and no default one, the command would refuse a name, so none
    is offered; in a name's own place (not an option's value), the option that gives a space."""
    if target.param_type_name == "option":
        return []
    for param in context.command.params:
        if param.name == "space":
            space = Candidate(max(param.opts, key=len), "names are looked up within a space")
            return matching([space], word)
    return []


def candidates(
    group: Any, args: Sequence[str], incomplete: str, env: Mapping[str, str], budget: float
) -> list[Candidate] | str:
    """The completions of ``incomplete`` after ``args`` (or FILES)."""
    with contextlib.redirect_stdout(io.StringIO()):  # an eager option (--version) may print
        context = completion_context(group, PROG, args)
        target, word = completion_target(context, args, incomplete)
    prefix = incomplete[: len(incomplete) - len(word)] if incomplete.endswith(word) else ""
    if not hasattr(target, "param_type_name"):  # a command: its subcommands and options
        return [Candidate(i.value, i.help or "") for i in target.shell_complete(context, word)]
    command = context.command.name
    fixed = _table(_FIXED, command, target.name)
    if fixed is not None:
        found = matching([Candidate(v) for v in fixed], word)
        if not found and word and _takes_a_path(target):
            return FILES  # -o tasks.csv: a file name
        return [Candidate(prefix + c.value, c.help) for c in found]
    kind = _table(_LIVE, command, target.name)
    if kind is not None:
        if args and args[-1] in getattr(target, "opts", ()):
            # "--space" ends the words: read the other options without it.
            with contextlib.redirect_stdout(io.StringIO()):
                context = completion_context(group, PROG, args[:-1])
        from ax_tasks_cli.completion_names import live_names, space_given

        if target.name in _IN_A_SPACE and not space_given(context, env):
            return _space_instead(context, target, word)
        names = live_names(kind, context, word, env=env, budget=budget)
        return [Candidate(prefix + c.value, c.help) for c in names]
    if _takes_a_path(target):
        return FILES
    items = target.shell_complete(context, word)
    if any(item.type in ("file", "dir") for item in items):
        return FILES
    return [Candidate(prefix + i.value, i.help or "") for i in items]


# -- the shells' side ------------------------------------------------------------------------


def _described(found: list[Candidate]) -> str:
    """``value<TAB>help`` lines (zsh and fish show the help beside the value)."""
    return "\n".join(f"{c.value}\t{' '.join(c.help.split())}" if c.help else c.value for c in found)


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """Nothing reaches the prompt but the answer: stderr goes nowhere meanwhile."""
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stderr(nowhere):
        yield


def complete(
    group: Any,
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Answer the shell that set _AX_TASKS_COMPLETE; always exit 0."""
    started = time.monotonic()
    env = os.environ if env is None else env
    out = sys.stdout if out is None else out
    shell = env.get("_AX_TASKS_COMPLETE", "")
    text = ""
    with _silenced(), contextlib.suppress(BaseException):
        if shell == "bash":
            given = env.get("COMP_LINE", "")
            point = int(env.get("COMP_POINT", len(given)))
            line = read_line(given[:point], env.get("_AX_TASKS_WORDBREAKS", "=:"))
            args, incomplete = line.words[1:], line.word
        else:
            args, incomplete = list(argv[:-1]), argv[-1] if argv else ""
        if shell in SHELLS:
            budget = timeout(env) - (time.monotonic() - started)
            found = candidates(group, args, incomplete, env, budget)
            if found == FILES:
                text = FILES
            elif isinstance(found, list) and shell == "bash":
                text = "\n".join(replies((c.value for c in found), line))
            elif isinstance(found, list):
                text = _described(found)
    if text:
        out.write(text + "\n")
        out.flush()
    return 0
