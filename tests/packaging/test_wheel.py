"""The one-line install: the built wheel, installed into a clean environment (no checkout, no
dev tools), starts the MCP server over stdio and answers tools/list, by both of its commands.

Offline: the dependencies come from uv.lock through the uv cache `uv sync` filled; the wheel is
installed by itself (`--no-deps`) on top, as `uvx --from ax-tasks` would install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

from tests.packaging.conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not shutil.which("uv"), reason="needs uv")]


def uv(*args: str, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(
        ["uv", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the bin directory of a clean virtual environment it is installed in)."""
    base = tmp_path_factory.mktemp("wheel")
    uv("build", "--wheel", "--offline", "--quiet", "--out-dir", str(base / "dist"))
    [wheel] = (base / "dist").glob("ax_tasks-*.whl")
    venv = base / "venv"
    uv("venv", "--offline", "--quiet", str(venv))
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
    uv("sync", "--locked", "--offline", "--no-dev", "--no-install-project", "--quiet", env=env)
    python = venv / "bin" / "python"
    uv("pip", "install", "--offline", "--no-deps", "--quiet", "--python", str(python), str(wheel))
    return wheel, venv / "bin"


def test_the_wheel_carries_the_commands_and_the_metadata(
    installed: tuple[Path, Path], pyproject: dict[str, Any]
) -> None:
    wheel, _ = installed
    assert wheel.name == f"ax_tasks-{pyproject['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        info = f"ax_tasks-{pyproject['version']}.dist-info"
        scripts = archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
        names = archive.namelist()
    assert "ax-tasks-mcp = ax_tasks_mcp.server.app:run" in scripts
    assert "ax-tasks = ax_tasks_cli.main:run" in scripts
    for line in (
        "Name: ax-tasks",
        "License-Expression: MIT",
        "Description-Content-Type: text/markdown",
        "Project-URL: Homepage, https://github.com/ax-tasks/ax-tasks",
        "Requires-Python: >=3.11",
        "Classifier: Typing :: Typed",
    ):
        assert line in metadata
    assert "<!-- mcp-name: io.github.ax-tasks/ax-tasks -->" in metadata  # the README rides along
    assert "ax_tasks_mcp/sandbox/tasks.yaml" in names
    assert "ax_tasks_mcp/py.typed" in names  # "Typing :: Typed" holds
    assert not [n for n in names if n.startswith("tests/")]


def test_the_wheel_installs_only_names_of_its_own(installed: tuple[Path, Path]) -> None:
    """No generic top-level package (`cli`, `generated_client`) that another distribution could
    overwrite, or that would overwrite another's."""
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        top = {name.split("/", 1)[0] for name in archive.namelist()}
    packages = {name for name in top if not name.endswith(".dist-info")}
    assert packages == {"ax_tasks_mcp", "ax_tasks_cli", "ax_tasks_client"}


@pytest.mark.anyio
@pytest.mark.parametrize(("command", "args"), [("ax-tasks-mcp", []), ("ax-tasks", ["mcp"])])
async def test_the_installed_server_answers_tools_list_over_stdio(
    installed: tuple[Path, Path],
    tmp_path: Path,
    command: str,
    args: list[str],
    pyproject: dict[str, Any],
) -> None:
    _, bin_dir = installed
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AX_TASKS_SANDBOX_DB": str(tmp_path / "sandbox.db"),
        "AX_TASKS_CONFIG_DIR": str(tmp_path / "config"),
    }
    params = StdioServerParameters(
        command=str(bin_dir / command), args=[*args, "--sandbox"], env=env, cwd=tmp_path
    )
    with anyio.fail_after(120):
        async with Client(params, mode="legacy") as client:
            assert client.server_info is not None
            assert client.server_info.name == "ax-tasks"
            assert client.server_info.version == pyproject["version"]
            tools = (await client.list_tools()).tools
            assert {"list_tasks", "trigger_task_run"} <= {t.name for t in tools}
            assert len((await client.list_prompts()).prompts) == 4


@pytest.mark.anyio
async def test_uvx_from_the_wheel_answers_tools_list(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    """The literal one-liner, `uvx --from <the wheel> ax-tasks-mcp`, offline."""
    wheel, _ = installed
    uvx = ["--offline", "--from", str(wheel), "ax-tasks-mcp"]
    probe = subprocess.run(
        ["uvx", *uvx, "--help"], capture_output=True, text=True, timeout=300, check=False
    )
    if probe.returncode != 0 and "network was disabled" in probe.stderr:
        pytest.skip("the uv cache cannot resolve the wheel's dependencies offline")
    assert probe.returncode == 0, probe.stderr
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),  # uv's cache lives there
        "AX_TASKS_SANDBOX_DB": str(tmp_path / "sandbox.db"),
        "AX_TASKS_CONFIG_DIR": str(tmp_path / "config"),
    }
    params = StdioServerParameters(command="uvx", args=[*uvx, "--sandbox"], env=env, cwd=tmp_path)
    with anyio.fail_after(120):
        async with Client(params, mode="legacy") as client:
            names = {t.name for t in (await client.list_tools()).tools}
    assert "list_tasks" in names
