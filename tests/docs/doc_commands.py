"""The shell commands of a markdown file, as a reader would type them, and how the docs test
runs each (tests/docs/test_docs_commands.py).

A fenced ``sh``/``bash``/``shell`` block is read line by line (a trailing backslash joins
lines).  What the text says about a command, the test reads:

* ``<!-- not run: needs ... -->`` on the lines before a fence: the whole block needs something
  a test cannot have (a second shell, an Arize account, an MCP client); it is listed, not run.
  So is the ``<!-- test-command -->`` block, which is the test suite itself.
* ``# not run: needs ...`` at the end of a command (or ``(not run: needs ...)`` within its
  comment): that command alone.
* ``# exit N`` (or ``# exit N: why``) at the end of a command: it is expected to exit N
  (otherwise 0).

Each command becomes :class:`Step`\\ s: an ``export``, a file written by a here-document, an
install step (``pip install uv``, ``uv sync``; checked by test_docs_install.py), or a program
run with its environment (``uv run [options]`` dropped, ``NAME=value`` taken).  A block with
pipes, command substitution or shell variables of its own is run by bash as a whole.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ("README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")))
_FENCE = re.compile(
    r"(?P<marks>(?:^<!--[^\n]*-->\n)*)^```(?P<lang>sh|bash|shell|python)\n(?P<body>.*?)^```",
    re.M | re.S,
)
_BLOCK_MARK = re.compile(r"<!-- not run: (needs [^>]*?) -->")
_NOT_RUN = re.compile(r"#.*\bnot run: (needs [^)\n]*)")
_EXIT = re.compile(r"#\s*exit (\d+)(?::|\s*$)")
_HEREDOC = re.compile(r"^cat > (?P<path>\S+) <<'?(?P<end>\w+)'?$")
_SHELL_ONLY = re.compile(r"\$\(|`|\|\||[^|]\|[^|]|\$[A-Za-z_{?]")
_EXPANDABLE = re.compile(r"\$(HOME|PWD)\b|\$\{(HOME|PWD)\}")


@dataclass
class Command:
    """One command line as written, with what the text says about it."""

    line: str
    expected_exit: int = 0
    not_run: str | None = None


@dataclass
class Block:
    source: str
    number: int
    lang: str
    body: str
    not_run: str | None = None
    commands: list[Command] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.source} block {self.number}"

    @property
    def needs_bash(self) -> bool:
        """Pipes, command substitution or its own variables: only a shell runs it as written."""
        return any(
            _SHELL_ONLY.search(_EXPANDABLE.sub("", c.line))
            for c in self.commands
            if c.not_run is None
        )


def blocks(source: str) -> list[Block]:
    """Every shell (and Python) block of ``source``, its commands parsed."""
    text = (ROOT / source).read_text(encoding="utf-8")
    found: list[Block] = []
    for number, match in enumerate(_FENCE.finditer(text), start=1):
        marks = match.group("marks")
        block = Block(source, number, match.group("lang"), match.group("body"))
        mark = _BLOCK_MARK.search(marks)
        if mark:
            block.not_run = mark.group(1)
        elif "<!-- test-command -->" in marks:
            block.not_run = "needs nothing: it is the test suite itself, run by CI"
        if block.lang != "python":
            block.commands = _commands(block.body)
        found.append(block)
    return found


def _commands(body: str) -> list[Command]:
    lines = body.replace("\\\n", " ").splitlines()
    commands: list[Command] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        heredoc = _HEREDOC.match(line.strip())
        if heredoc:  # the document and its end marker belong to the command
            end = lines.index(heredoc.group("end"), index)
            line = "\n".join([line, *lines[index:end], heredoc.group("end")])
            index = end + 1
        command = Command(line)
        skipped = _NOT_RUN.search(line)
        if skipped:
            command.not_run = skipped.group(1)
        expected = _EXIT.search(line)
        if expected:
            command.expected_exit = int(expected.group(1))
        commands.append(command)
    return commands


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


@dataclass
class Step:
    """``kind``: export, unset, write, install or run."""

    kind: str
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    path: str = ""
    text: str = ""
    stdout_to: str | None = None


def _expand(token: str, env: dict[str, str]) -> str:
    return _EXPANDABLE.sub(lambda m: env.get(m.group(1) or m.group(2), ""), token)


def steps(command: Command, env: dict[str, str]) -> list[Step]:
    """The steps of a command typed in a shell whose variables are ``env`` (``export``\\ s
    update it as they are met)."""
    heredoc = _HEREDOC.match(command.line.split("\n", 1)[0].strip())
    if heredoc:
        text = command.line.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
        return [Step("write", path=heredoc.group("path"), text=text)]
    tokens = shlex.split(command.line, comments=True)
    found: list[Step] = []
    for words in _split(tokens, ("&&", ";")):
        words = [_expand(word, env) for word in words]
        found.append(_step(words, env))
        if found[-1].kind in ("export", "unset"):
            _apply(found[-1], env)
    return found


def _split(tokens: list[str], separators: tuple[str, ...]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in separators:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _step(words: list[str], env: dict[str, str]) -> Step:
    if words[0] == "export":
        return Step("export", env=dict(word.split("=", 1) for word in words[1:]))
    if words[0] == "unset":
        return Step("unset", argv=words[1:])
    if words[:3] == ["pip", "install", "uv"] or words[:2] == ["uv", "sync"]:
        return Step("install", argv=words)
    assigned: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        assigned[name] = value
    if words[:2] == ["uv", "run"]:
        words = words[2:]
        while words and words[0].startswith("--"):
            words = words[2:] if words[0] in ("--directory", "--with") else words[1:]
    stdout_to = None
    if len(words) > 2 and words[-2] == ">":
        stdout_to = words[-1]
        words = words[:-2]
    return Step("run", argv=words, env=assigned, stdout_to=stdout_to)


def _apply(step: Step, env: dict[str, str]) -> None:
    if step.kind == "export":
        env.update(step.env)
    for name in step.argv if step.kind == "unset" else ():
        env.pop(name, None)


def fresh_env(home: Path) -> dict[str, str]:
    """A fresh login's environment: a new home, none of our variables, this Python first."""
    kept = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")
    env = {name: os.environ[name] for name in kept if name in os.environ}
    env["HOME"] = str(home)
    return env
