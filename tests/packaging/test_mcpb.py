"""scripts/build_mcpb.py: the MCP Bundle's manifest follows the manifest 0.4 format, matches
pyproject.toml and the server, and the bundle holds what the manifest points at."""

from __future__ import annotations

import json
import subprocess
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from scripts import build_mcpb
from tests.packaging.conftest import ROOT

# The top-level keys manifest 0.4 allows (it rejects any other).
ALLOWED = {
    "$schema", "dxt_version", "manifest_version", "name", "display_name", "version",
    "description", "long_description", "author", "repository", "homepage", "documentation",
    "support", "icon", "icons", "screenshots", "localization", "server", "tools",
    "tools_generated", "prompts", "prompts_generated", "keywords", "license",
    "privacy_policies", "compatibility", "user_config", "_meta",
}  # fmt: skip
REQUIRED = {"name", "version", "description", "author", "server"}
USER_CONFIG_TYPES = {"string", "number", "boolean", "directory", "file"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    target = build_mcpb.build(tmp_path_factory.mktemp("mcpb"))
    assert target.suffix == ".mcpb"
    return zipfile.ZipFile(target)


@pytest.fixture(scope="module")
def manifest(bundle: zipfile.ZipFile) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundle.read("manifest.json"))
    return data


def test_the_manifest_has_the_format_s_keys_only(manifest: dict[str, Any]) -> None:
    assert REQUIRED <= set(manifest) <= ALLOWED
    assert manifest["manifest_version"] == "0.4"
    assert set(manifest["author"]) <= {"name", "email", "url"}
    assert set(manifest["repository"]) == {"type", "url"}
    assert set(manifest["compatibility"]) <= {"claude_desktop", "platforms", "runtimes"}
    assert set(manifest["compatibility"]["platforms"]) <= {"darwin", "win32", "linux"}


def test_the_manifest_matches_pyproject(
    manifest: dict[str, Any], pyproject: dict[str, Any]
) -> None:
    assert manifest["name"] == pyproject["name"]
    assert manifest["version"] == pyproject["version"]
    assert manifest["license"] == pyproject["license"]
    assert manifest["homepage"] == pyproject["urls"]["Homepage"]
    assert manifest["compatibility"]["runtimes"]["python"] == pyproject["requires-python"]


def test_the_server_entry_runs_the_released_package(
    manifest: dict[str, Any], bundle: zipfile.ZipFile, pyproject: dict[str, Any]
) -> None:
    server = manifest["server"]
    assert server["type"] == "uv"
    assert set(server) <= {"type", "entry_point", "mcp_config"}
    assert server["entry_point"] in bundle.namelist()
    config = server["mcp_config"]
    assert set(config) <= {"command", "args", "env", "platform_overrides"}
    assert config["command"] == "uv"
    assert config["args"][-1] == server["entry_point"]
    assert "ax_tasks_mcp.server.app import run" in bundle.read(server["entry_point"]).decode()
    project = tomllib.loads(bundle.read("pyproject.toml").decode())
    assert project["project"]["dependencies"] == [f"ax-tasks=={pyproject['version']}"]
    assert project["tool"]["uv"]["package"] is False


def test_user_config_is_well_formed_and_used(manifest: dict[str, Any]) -> None:
    options = manifest["user_config"]
    for option in options.values():
        assert {"type", "title", "description"} <= set(option)
        assert option["type"] in USER_CONFIG_TYPES
    assert options["api_key"]["sensitive"] is True
    env = manifest["server"]["mcp_config"]["env"]
    assert env == {"ARIZE_API_KEY": "${user_config.api_key}", "ARIZE_SPACE": "${user_config.space}"}


def test_tools_and_prompts_are_the_server_s(manifest: dict[str, Any]) -> None:
    from ax_tasks_mcp.server.prompts import PROMPTS
    from ax_tasks_mcp.server.tools import READ_TOOLS, WRITE_TOOLS

    assert {t["name"] for t in manifest["tools"]} == READ_TOOLS | WRITE_TOOLS
    prompts = {p["name"]: p for p in manifest["prompts"]}
    assert set(prompts) == set(PROMPTS)
    judge = prompts["setup_llm_judge_evaluation"]
    assert judge["arguments"] == ["space", "project", "evaluator"]
    assert "${arguments.project}" in judge["text"]


def test_built_bundles_are_not_committed() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(ROOT / "dist" / "ax-tasks-0.0.0.mcpb")],
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 0
    assert not list(Path(ROOT).glob("*.mcpb"))
