"""The layering of design.md, checked on the source: who may import whom."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "ax_tasks_mcp" / "sandbox"
MCP_FACE = [
    "server.py",
    "mcp_tools.py",
    "mcp_task_tools.py",
    "mcp_run_tools.py",
    "mcp_lookup_tools.py",
    "mcp_confirmation.py",
    "mcp_service_calls.py",
    "mcp_parameters.py",
    "mcp_outputs.py",
    "mcp_auth.py",
    "__main__.py",
]
FACES = [ROOT / "cli", *(ROOT / "ax_tasks_mcp" / name for name in MCP_FACE)]


def python_files(*places: Path) -> Iterator[Path]:
    for place in places:
        if place.is_file():
            yield place
        elif place.is_dir():
            yield from sorted(place.rglob("*.py"))


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports, absolute or relative, at any depth of the file."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return found


def importers_of(prefix: str, files: Iterator[Path]) -> list[str]:
    return [
        str(path.relative_to(ROOT))
        for path in files
        if any(name == prefix or name.startswith(prefix + ".") for name in imported_modules(path))
    ]


def test_only_the_service_layer_imports_the_generated_client() -> None:
    assert importers_of("generated_client", python_files(*FACES, SANDBOX)) == []


@pytest.mark.parametrize("layer", ["cli", "ax_tasks_mcp.tasks", "ax_tasks_mcp.server"])
def test_the_sandbox_knows_nothing_of_the_client_side(layer: str) -> None:
    assert importers_of(layer, python_files(SANDBOX)) == []


def test_the_service_layer_never_imports_a_face() -> None:
    service = [
        path
        for path in python_files(ROOT / "ax_tasks_mcp")
        if SANDBOX not in path.parents and path.name not in MCP_FACE
    ]
    assert importers_of("cli", iter(service)) == []
    for face in MCP_FACE:
        assert importers_of(f"ax_tasks_mcp.{face.removesuffix('.py')}", iter(service)) == []


def test_the_import_scanner_sees_relative_and_nested_imports(tmp_path: Path) -> None:
    probe = tmp_path / "cli" / "commands" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("import os\n\ndef f():\n    from ...generated_client import models\n")
    assert imported_modules(probe, root=tmp_path) == {"os", "generated_client"}
