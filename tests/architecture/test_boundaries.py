"""The layering docs/layout.md describes, checked on the source: who may import whom, and
which names one module may take from another."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "ax_tasks_mcp" / "sandbox"
FACES = [ROOT / "cli", ROOT / "ax_tasks_mcp" / "server", ROOT / "ax_tasks_mcp" / "__main__.py"]


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


PACKAGE = ROOT / "ax_tasks_mcp"
SERVICE = PACKAGE / "service"
# The seam to the generated client: the calls (wire), the list requests (listing) and the
# request bodies (bodies).  Everything else speaks plain dicts and the service's own types.
SEAM = [SERVICE / "bodies.py", SERVICE / "listing.py", SERVICE / "wire.py"]


def test_only_the_seam_modules_import_the_generated_client() -> None:
    everything = python_files(ROOT / "cli", PACKAGE, ROOT / "scripts")
    assert importers_of("ax_tasks_client", everything) == [
        str(path.relative_to(ROOT)) for path in SEAM
    ]


def test_the_sandbox_imports_nothing_of_ax_tasks_mcp_outside_itself() -> None:
    outside = [
        path
        for path in python_files(SANDBOX)
        if any(
            (name == "ax_tasks_mcp" or name.startswith("ax_tasks_mcp."))
            and not (name == "ax_tasks_mcp.sandbox" or name.startswith("ax_tasks_mcp.sandbox."))
            for name in imported_modules(path)
        )
    ]
    assert outside == []


@pytest.mark.parametrize("face", ["ax_tasks_cli", "ax_tasks_mcp.server", "ax_tasks_mcp.sandbox"])
def test_the_service_layer_never_imports_a_face(face: str) -> None:
    # The one real-or-sandbox switch (service/connect.py) may embed the sandbox, lazily, and
    # sandbox_env.py may read its settings before it is opened.
    service = (p for p in python_files(SERVICE) if p.name not in ("connect.py", "sandbox_env.py"))
    assert importers_of(face, service) == []


def test_the_import_scanner_sees_relative_and_nested_imports(tmp_path: Path) -> None:
    probe = tmp_path / "cli" / "commands" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("import os\n\ndef f():\n    from ...generated_client import models\n")
    assert imported_modules(probe, root=tmp_path) == {"os", "generated_client"}


# -- the faces use the library's public API ---------------------------------------------------

SERVER = PACKAGE / "server"
CLI = ROOT / "cli" / "ax_tasks_cli"

# What a face may import from ax_tasks_mcp: the package root (the library API, see its
# __init__), the version, and its own modules.  The CLI also starts the other programs the
# package holds: the MCP server (`ax-tasks mcp`, through its entry point) and the sandbox
# (`ax-tasks sandbox serve|info|reset`, which knows nothing of the service).  The embedded
# sandbox behind --sandbox is reached through connect(), never imported by a face.
PUBLIC = ("ax_tasks_mcp", "ax_tasks_mcp.version")
OWN_AND_PUBLIC = {
    "cli": (*PUBLIC, "ax_tasks_mcp.server.app", "ax_tasks_mcp.sandbox"),
    "server": (*PUBLIC, "ax_tasks_mcp.server"),
}


def _outside(name: str, allowed: tuple[str, ...]) -> bool:
    inside_package = name == "ax_tasks_mcp" or name.startswith("ax_tasks_mcp.")
    exact = {"ax_tasks_mcp", "ax_tasks_mcp.version", "ax_tasks_mcp.server.app"}
    fits = any(
        name == prefix or (prefix not in exact and name.startswith(prefix + "."))
        for prefix in allowed
    )
    return inside_package and not fits


@pytest.mark.parametrize(
    ("face", "places"),
    [("cli", [CLI]), ("server", [SERVER, PACKAGE / "__main__.py"])],
)
def test_the_faces_import_only_the_public_api(face: str, places: list[Path]) -> None:
    allowed = OWN_AND_PUBLIC[face]
    private = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if _outside(name, allowed)
        )
        for path in python_files(*places)
    }
    assert {path: names for path, names in private.items() if names} == {}


def test_the_public_api_scanner_refuses_a_private_service_module() -> None:
    assert _outside("ax_tasks_mcp.service.tasks", OWN_AND_PUBLIC["cli"])
    assert _outside("ax_tasks_mcp.server.tools", OWN_AND_PUBLIC["cli"])
    assert _outside("ax_tasks_mcp.sandbox.store", OWN_AND_PUBLIC["server"])
    assert not _outside("ax_tasks_mcp", OWN_AND_PUBLIC["server"])
    assert not _outside("ax_tasks_mcp.sandbox.serve", OWN_AND_PUBLIC["cli"])


def test_the_package_top_holds_at_most_four_modules() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 4


def test_every_public_name_resolves() -> None:
    import ax_tasks_mcp

    for name in ax_tasks_mcp.__all__:
        assert getattr(ax_tasks_mcp, name) is not None, name
    with pytest.raises(AttributeError):
        ax_tasks_mcp.not_a_name  # noqa: B018


@pytest.mark.e2e  # a fresh interpreter
def test_importing_the_package_loads_no_service_module() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, ax_tasks_mcp, ax_tasks_mcp.version\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ax_tasks_mcp.', 'httpx'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "['ax_tasks_mcp.version']"


# -- the service's modules share only public names ----------------------------------------------


def private_names_borrowed(path: Path, root: Path = ROOT) -> list[str]:
    """Private names (``_x``, not dunders) a file takes from modules of ax_tasks_mcp or
    ax_tasks_client: imported by name, or read as an attribute of an imported module."""

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    def ours(module: str) -> bool:
        return module.split(".")[0] in {"ax_tasks_mcp", "ax_tasks_client"}

    tree = ast.parse(path.read_text(), filename=str(path))
    modules: set[str] = set()  # local names bound to one of our modules
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and ours(node.module):
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{node.module}.{alias.name}")
                modules.add(alias.asname or alias.name)  # may be a submodule
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if ours(alias.name):
                    modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in modules:
                found.append(f"{ast.unparse(node)}")
    return found


def test_no_service_module_borrows_a_private_name_of_another() -> None:
    borrowed = {
        str(path.relative_to(ROOT)): private_names_borrowed(path) for path in python_files(SERVICE)
    }
    assert {path: names for path, names in borrowed.items() if names} == {}


def test_the_private_name_scanner_sees_imports_and_module_attributes(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from ax_tasks_mcp.service.core import _group, Core\n"
        "from ax_tasks_mcp.service import dry_run as checks\n"
        "import ax_tasks_client.api\n"
        "checks._every(None)\n"
        "ax_tasks_client.api.tasks._get_kwargs()\n"
        "from os import _exit\n"
        "Core.__init__\n"
    )
    assert private_names_borrowed(probe, root=tmp_path) == [
        "ax_tasks_mcp.service.core._group",
        "checks._every",
        "ax_tasks_client.api.tasks._get_kwargs",
    ]


# -- each face reaches its framework's private names in one room: its compat.py ---------------


def test_only_the_servers_compat_module_reads_the_sdks_private_attributes() -> None:
    from ax_tasks_mcp.server import compat

    names = [name for _, name, _ in compat.PRIVATE]
    readers = {
        str(path.relative_to(ROOT)): [n for n in names if f".{n}" in path.read_text()]
        for path in python_files(SERVER)
        if path.name != "compat.py"
    }
    assert {path: found for path, found in readers.items() if found} == {}


def test_only_the_clis_compat_module_imports_typers_private_names() -> None:
    def private_typer(path: Path) -> list[str]:
        found = []
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("typer"):
                module = node.module or ""
                if any(part.startswith("_") for part in module.split(".")):
                    found.append(module)
                found += [f"{module}.{a.name}" for a in node.names if a.name.startswith("_")]
        return found

    readers = {
        str(path.relative_to(ROOT)): private_typer(path)
        for path in python_files(CLI)
        if path.name != "compat.py"
    }
    assert {path: found for path, found in readers.items() if found} == {}
    assert private_typer(CLI / "compat.py")  # the check sees what compat.py imports


# -- tests say what they guard --------------------------------------------------------------------


def test_no_test_cites_an_issue_number_for_what_it_guards() -> None:
    import re

    citing = re.compile(r"\bissues? #?\d+", re.IGNORECASE)
    cited = [
        str(path.relative_to(ROOT))
        for path in python_files(ROOT / "tests")
        if citing.search(path.read_text())
    ]
    assert cited == []
