"""server.json (the MCP Registry entry), the README's mcp-name marker, the server's identity and
pyproject.toml say the same name, version and addresses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp import TasksService, load_settings
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.calls import ServiceHandle
from ax_tasks_mcp.server.identity import ICON_SVG, ICONS, REGISTRY_NAME, WEBSITE_URL
from tests.packaging.conftest import ROOT

SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"


def test_name_marker_and_identity_agree(server_json: dict[str, Any]) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    markers = re.findall(r"<!--\s*mcp-name:\s*(\S+)\s*-->", readme)
    assert markers == [server_json["name"]]
    assert server_json["name"] == REGISTRY_NAME
    namespace, _, server = REGISTRY_NAME.partition("/")
    assert REGISTRY_NAME.count("/") == 1
    assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", namespace)  # reverse DNS
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*[a-z0-9]", server)


def test_versions_and_package_match_pyproject(
    server_json: dict[str, Any], pyproject: dict[str, Any]
) -> None:
    assert server_json["$schema"] == SCHEMA
    assert server_json["version"] == pyproject["version"]
    [package] = server_json["packages"]
    assert package["registryType"] == "pypi"
    assert package["registryBaseUrl"] == "https://pypi.org"
    assert package["identifier"] == pyproject["name"]
    assert package["version"] == pyproject["version"]
    assert package["transport"] == {"type": "stdio"}
    # `uvx ax-tasks mcp`: the package's own command, with its mcp subcommand
    assert package["runtimeHint"] == "uvx"
    assert pyproject["name"] in pyproject["scripts"]
    assert [a["value"] for a in package["packageArguments"]] == ["mcp"]


def test_addresses_match_pyproject_and_the_server(
    server_json: dict[str, Any], pyproject: dict[str, Any]
) -> None:
    urls = pyproject["urls"]
    assert server_json["websiteUrl"] == urls["Homepage"] == WEBSITE_URL
    assert server_json["repository"] == {"url": urls["Repository"], "source": "github"}
    assert len(server_json["description"]) <= 100
    assert ICONS[0].src.startswith("data:image/svg+xml;base64,")


def test_environment_variables_are_the_ones_the_server_reads(
    server_json: dict[str, Any], tmp_path: Path
) -> None:
    variables = {v["name"]: v for v in server_json["packages"][0]["environmentVariables"]}
    assert variables["ARIZE_API_KEY"]["isSecret"] is True
    assert variables["ARIZE_API_KEY"]["isRequired"] is True
    env = {"ARIZE_API_KEY": "k-123", "ARIZE_SPACE": "demo"}
    settings = load_settings(env=env, config_dir=tmp_path, home=tmp_path)
    assert settings.api_key == "k-123"
    assert settings.space == "demo"
    assert set(variables) == set(env)


def test_the_wheel_metadata_is_ready_for_pypi(pyproject: dict[str, Any]) -> None:
    assert pyproject["readme"] == "README.md"
    assert pyproject["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert {"Homepage", "Repository", "Documentation", "Issues"} <= set(pyproject["urls"])
    assert "mcp" in pyproject["keywords"]
    classifiers = pyproject["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert pyproject["scripts"]["ax-tasks-mcp"] == "ax_tasks_mcp.server.app:run"


@pytest.mark.anyio
async def test_the_server_tells_its_identity(tmp_path: Path, pyproject: dict[str, Any]) -> None:
    server = build_server(ServiceHandle(lambda: TasksService.sandbox(str(tmp_path / "s.db"))))
    async with Client(server, mode="legacy") as client:
        info = client.server_info
    assert info is not None
    assert info.name == "ax-tasks"
    assert info.title == "Arize AX tasks"
    assert info.version == pyproject["version"]
    assert info.website_url == WEBSITE_URL
    assert info.icons == ICONS
    assert ICON_SVG.startswith("<svg")
    assert ICON_SVG.endswith("</svg>")
