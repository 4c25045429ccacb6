"""The Tab key in real shells: the scripts ``ax-tasks completion SHELL`` prints, loaded into
bash (always), zsh and fish (when installed; each skips cleanly without its shell), asking a
served sandbox that counts what reaches it (``--access-log``).

bash runs the completion function as bash's Tab would (COMP_LINE, COMP_POINT, COMP_WORDS);
zsh runs it with compadd and _files stubbed, since they exist only inside zsh's completion
widgets; fish answers ``complete -C LINE`` itself.  What the line editor then does with the
candidates (the text it keeps, inserts and lists) is seen in interactive shells on a pty.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.interactive_shell import Typed, keys_into
from tests.support.sandbox_data import Catalog, span_task_body
from tests.support.served_sandbox import ROOT, ServedSandbox, cli_env

pytestmark = pytest.mark.e2e

KEY = "ak-tab-0c4f9e2d7b18"
BIN = str(Path(sys.executable).parent)

BASH = """
eval "$(ax-tasks completion bash)"
COMP_LINE="$LINE"; COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=${#COMP_WORDS[@]}
_ax_tasks_complete
for word in "${COMPREPLY[@]}"; do printf '%s\\n' "$word"; done
"""
ZSH = """
compdef() { : }
compadd() { print -rl -- ${(P)${@[-1]}} }
_files() { print -r -- :files }
eval "$(ax-tasks completion zsh)"
words=(${(z)LINE}); [[ $LINE == *' ' ]] && words+=('')
CURRENT=${#words}; PREFIX=${words[CURRENT]}
_ax_tasks_complete
"""
FISH = 'ax-tasks completion fish | source; complete -C "$LINE"'
#: How an interactive shell loads the completion, as the script's first lines say.
LOAD = {
    "bash": 'eval "$(ax-tasks completion bash)"',
    "zsh": 'autoload -Uz compinit && compinit -u -D; eval "$(ax-tasks completion zsh)"',
    "fish": "ax-tasks completion fish | source",
}
#: The install steps each script's first lines give, as README.md and docs/cli.md do: what to
#: type, then what goes in the shell's startup file.
INSTALL = {
    "zsh": (
        ["mkdir -p ~/.zfunc", "ax-tasks completion zsh > ~/.zfunc/_ax-tasks"],
        ["fpath=(~/.zfunc $fpath)", "autoload -Uz compinit && compinit"],
    ),
    "fish": (
        [
            "mkdir -p ~/.config/fish/completions",
            "ax-tasks completion fish > ~/.config/fish/completions/ax-tasks.fish",
        ],
        [],
    ),
}
#: Tasks whose names differ only in case, or hold a space, beside the seeded ones.
NAMES = ("Nightly QA", "nightly-relevance", "QA relevance")


@dataclass
class Shells:
    sandbox: ServedSandbox
    dead: str
    cache: Path
    env: dict[str, str]

    def requests(self) -> int:
        """Requests the sandbox has answered so far."""
        return self.sandbox.log_text().count("sandbox: ")

    def tab(self, shell: str, line: str, **env: str | None) -> list[str]:
        """What the shell would offer at the end of ``line``."""
        if shutil.which(shell) is None:
            pytest.skip(f"{shell} is not installed")
        environ = {**self.env, "LINE": line, **env}
        environ = {k: v for k, v in environ.items() if v is not None}
        argv = {
            "bash": ["bash", "--norc", "--noprofile", "-c", BASH],
            "zsh": ["zsh", "-f", "-c", ZSH],
            "fish": ["fish", "--no-config", "-c", FISH],
        }[shell]
        done = subprocess.run(
            argv, capture_output=True, text=True, env=environ, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # nothing is ever written into the prompt
        return [line.split("\t")[0] for line in done.stdout.splitlines()]

    def typed(self, shell: str, keys: str) -> Typed:
        """The line and the screen after typing ``keys`` into an interactive ``shell``."""
        if shutil.which(shell) is None:
            pytest.skip(f"{shell} is not installed")
        return keys_into(shell, LOAD[shell], keys, self.env, self.cache.parent / "line")

    def url(self) -> str:
        return self.sandbox.url

    def age_the_cache(self) -> None:
        for path in self.cache.rglob("*.json"):
            data = json.loads(path.read_text())
            path.write_text(json.dumps({**data, "at": 0}))


@pytest.fixture(scope="module")
def shells(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shells]:
    tmp = tmp_path_factory.mktemp("completion")
    # A server that accepts connections and never answers: a network gone dead.
    with (
        socket.create_server(("127.0.0.1", 0)) as dead,
        ServedSandbox(tmp / "sandbox.db", tmp).start("--access-log", "--api-key", KEY) as sandbox,
    ):
        with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {KEY}"}) as api:
            for name in NAMES:
                api.post("/v2/tasks", json=span_task_body(Catalog(api), name)).raise_for_status()
        cache = tmp / "cache"
        env = cli_env(
            tmp,
            PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            ARIZE_API_KEY=KEY,
            XDG_CACHE_HOME=str(cache),
        )
        yield Shells(sandbox, f"http://127.0.0.1:{dead.getsockname()[1]}", cache, env)


ALL = ["bash", "zsh", "fish"]


@pytest.mark.parametrize("shell", ALL)
def test_a_command_an_option_and_a_fixed_value_complete_with_no_request(
    shells: Shells, shell: str
) -> None:
    before = shells.requests()
    assert shells.tab(shell, "ax-tasks li") == ["list", "list-runs"]
    assert shells.tab(shell, "ax-tasks list --task-t") == ["--task-type"]
    assert sorted(shells.tab(shell, "ax-tasks list-runs x --status c")) == [
        "cancelled",
        "completed",
    ]
    assert shells.requests() == before


@pytest.mark.parametrize("shell", ALL)
def test_a_task_name_completes_from_the_served_sandbox(shells: Shells, shell: str) -> None:
    line = f"ax-tasks --base-url {shells.url()} get --space demo chat"
    assert shells.tab(shell, line) == ["chatbot-hallucination"]


def test_the_second_tab_sends_nothing(shells: Shells) -> None:
    line = f"ax-tasks --base-url {shells.url()} list --space demo --project "
    before = shells.requests()
    first = shells.tab("bash", line)
    assert "chatbot" in first
    sent = shells.requests() - before
    assert sent >= 2  # the space's name resolved, then its projects listed
    assert shells.tab("bash", line[:-1] + " CH") == ["chatbot"]
    assert shells.requests() - before == sent


def test_without_a_key_the_names_come_from_the_cache(shells: Shells) -> None:
    line = f"ax-tasks --base-url {shells.url()} datasets --space demo --name "
    assert "qa-golden" in shells.tab("bash", line)
    shells.age_the_cache()
    before = shells.requests()
    # The cache is old, so the API is asked, but there is no key: nothing can be sent.
    assert "qa-golden" in shells.tab("bash", line, ARIZE_API_KEY=None)
    assert shells.requests() == before


def test_a_dead_network_gives_nothing_within_the_timeout(shells: Shells) -> None:
    line = f"ax-tasks --base-url {shells.dead} get --space demo chat"
    started = time.monotonic()
    assert shells.tab("bash", line, AX_TASKS_COMPLETION_TIMEOUT="1") == []
    # The server would hold the request forever; the Tab gave up at its timeout (start-up
    # of the shell and of Python comes on top, hence the margin).
    assert time.monotonic() - started < 15


def test_zsh_keeps_the_word_typed_and_lists_the_names_that_differ_from_it_in_case(
    shells: Shells,
) -> None:
    # zsh lists at once what it cannot lengthen ("nightly"), else lengthens it at the first
    # Tab, in any case as its own case-insensitive matching does ("q" becomes "qA"), and lists
    # at the second.
    for word, tabs, names in (
        ("nightly", "\t", NAMES[:2]),
        ("q", "\t\t", ("QA relevance", "qa-golden-json-check")),
    ):
        line = f"ax-tasks --base-url {shells.url()} get -s demo {word}"
        shown = shells.typed("zsh", line + tabs)
        assert shown.line.startswith(line)
        assert all(name in shown.screen for name in names), shown


@pytest.mark.parametrize(
    ("shell", "typed", "completed"),
    [
        ("bash", "'chat", "'chatbot-hallucination' "),
        ("bash", "Nightly\\ ", "'Nightly QA' "),
        ("bash", '"QA r', '"QA relevance" '),
        ("zsh", "'QA r", "'QA relevance' "),
    ],
)
def test_a_word_typed_with_a_quote_or_an_escaped_space_completes_quoted_for_the_shell(
    shells: Shells, shell: str, typed: str, completed: str
) -> None:
    start = f"ax-tasks --base-url {shells.url()} get -s demo "
    assert shells.typed(shell, start + typed + "\t").line == start + completed


def test_bash_lists_the_names_after_an_open_quote_and_keeps_the_word(shells: Shells) -> None:
    line = f"ax-tasks --base-url {shells.url()} get -s demo 'Nigh"
    shown = shells.typed("bash", line + "\t\t")
    assert shown.line == line
    assert all(name in shown.screen for name in NAMES[:2]), shown


@pytest.mark.parametrize("typed", ["'QA r", "QA\\ r", '"QA r'])
def test_fish_matches_the_word_as_it_would_run_it(shells: Shells, typed: str) -> None:
    line = f"ax-tasks --base-url {shells.url()} get -s demo {typed}"
    assert shells.tab("fish", line) == ["QA relevance"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_install_steps_the_docs_give_work_in_a_fresh_home(
    shells: Shells, shell: str, tmp_path: Path
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    typed, startup = INSTALL[shell]
    script = subprocess.run(
        ["ax-tasks", "completion", shell], env=shells.env, capture_output=True, text=True
    ).stdout
    for text in (script, *(ROOT.joinpath(doc).read_text() for doc in ("README.md", "docs/cli.md"))):
        assert all(line in text for line in typed + startup)
    home = tmp_path / "new-user"
    home.mkdir()
    env = {k: v for k, v in shells.env.items() if k not in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    env["HOME"] = str(home)
    subprocess.run(["bash", "-ec", "\n".join(typed)], env=env, check=True)  # as typed
    if shell == "zsh":
        (home / ".zshrc").write_text("\n".join(startup) + "\n")
        shown = keys_into("zsh", "", "ax-tasks li\t", env, tmp_path / "line", startup_files=True)
        assert shown.line == "ax-tasks list"  # list, list-runs: their common start
    else:  # fish loads ~/.config/fish/completions by itself
        done = subprocess.run(
            ["fish", "-c", 'complete -C "ax-tasks li"'], env=env, capture_output=True, text=True
        )
        assert [line.split("\t")[0] for line in done.stdout.splitlines()] == ["list", "list-runs"]
