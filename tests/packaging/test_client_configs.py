"""The client configuration snippets of docs/mcp.md parse, start the server the one-line way
(uvx --from ax-tasks ax-tasks-mcp), pass only arguments ax-tasks-mcp accepts, and set only the
environment the registry entry declares."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest

from ax_tasks_mcp.server.app import _parser
from tests.packaging.conftest import ROOT

ONE_LINE = ["--from", "ax-tasks", "ax-tasks-mcp"]
CLAUDE_CODE_FLAGS = {"--scope": 1, "--env": 1, "-e": 1, "--transport": 1, "--header": 1}


def snippets() -> dict[str, str]:
    """``<!-- config: NAME -->`` followed by a fenced block, by name."""
    text = (ROOT / "docs" / "mcp.md").read_text("utf-8")
    found = re.findall(r"<!-- config: ([\w-]+) -->\n```\w*\n(.*?)```", text, flags=re.S)
    return dict(found)


def known_env(server_json: dict[str, Any]) -> set[str]:
    return {v["name"] for v in server_json["packages"][0]["environmentVariables"]}


def check_server(command: str, args: list[str]) -> None:
    """The command is the one-line install, and ax-tasks-mcp accepts the rest."""
    assert command == "uvx"
    assert args[:3] == ONE_LINE
    _parser().parse_args(args[3:])  # exits (SystemExit) on an unknown option


def test_every_client_has_a_snippet() -> None:
    assert set(snippets()) == {"claude-code", "claude-desktop", "cursor", "vscode"}


@pytest.mark.parametrize("client", ["claude-desktop", "cursor"])
def test_mcp_servers_json(client: str, server_json: dict[str, Any]) -> None:
    servers = json.loads(snippets()[client])["mcpServers"]
    assert servers
    for entry in servers.values():
        assert set(entry) <= {"command", "args", "env"}
        check_server(entry["command"], entry["args"])
        assert set(entry.get("env", {})) <= known_env(server_json)


def test_vscode_json(server_json: dict[str, Any]) -> None:
    config = json.loads(snippets()["vscode"])
    inputs = {i["id"]: i for i in config["inputs"]}
    assert all(i["type"] == "promptString" for i in inputs.values())
    for entry in config["servers"].values():
        assert entry["type"] == "stdio"
        check_server(entry["command"], entry["args"])
        env = entry.get("env", {})
        assert set(env) <= known_env(server_json)
        for value in env.values():
            for ref in re.findall(r"\$\{input:([\w-]+)\}", value):
                assert ref in inputs
    assert inputs["arize-api-key"]["password"] is True


def test_claude_code_commands(server_json: dict[str, Any]) -> None:
    lines = [line for line in snippets()["claude-code"].splitlines() if line.strip()]
    assert lines
    for line in lines:
        words = shlex.split(line)
        assert words[:3] == ["claude", "mcp", "add"]
        split = words.index("--")
        before, command = words[3:split], words[split + 1 :]
        names: list[str] = []
        i = 0
        while i < len(before):
            flag = before[i]
            if flag in CLAUDE_CODE_FLAGS:
                if flag in ("--env", "-e"):
                    assert before[i + 1].split("=", 1)[0] in known_env(server_json)
                i += 1 + CLAUDE_CODE_FLAGS[flag]
            else:
                assert not flag.startswith("-"), flag
                names.append(flag)
                i += 1
        assert len(names) == 1  # the server's name
        check_server(command[0], command[1:])
