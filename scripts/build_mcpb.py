"""Build the MCP Bundle (``.mcpb``) of ax-tasks: a manifest, a tiny uv project that depends on
the released package, and its entry point, zipped.

    uv run python scripts/build_mcpb.py [--out DIR]   # default: dist/

The bundle uses the manifest's ``uv`` server type: the host runs ``uv run`` in the unpacked
bundle, which installs ``ax-tasks==<version>`` from PyPI and starts the stdio server.  The
manifest (manifest_version 0.4) is written from pyproject.toml and the server itself (its tools
and prompts), so it never drifts; nothing built here is committed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
MANIFEST_VERSION: Final = "0.4"
ENTRY_POINT: Final = "server/main.py"

ENTRY_SOURCE: Final = '''"""Entry point of the ax-tasks MCP Bundle: the stdio MCP server."""

from ax_tasks_mcp.server.app import run

if __name__ == "__main__":
    run()
'''

USER_CONFIG: Final[dict[str, dict[str, Any]]] = {
    "api_key": {
        "type": "string",
        "title": "Arize API key",
        "description": "The key the server acts with; it never leaves your machine but to Arize.",
        "sensitive": True,
        "required": True,
    },
    "space": {
        "type": "string",
        "title": "Default space",
        "description": "Space (name or ID) used when a request names none. Optional.",
        "required": False,
        "default": "",
    },
}


def project() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(data["project"])


async def _offered() -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """The tools and prompts the server offers, as the manifest lists them."""
    from mcp_types import InputRequiredResult

    from ax_tasks_mcp.server.calls import ServiceHandle
    from ax_tasks_mcp.server.tools import build_server

    def no_service() -> Any:
        raise RuntimeError("listing needs no service")

    server = build_server(ServiceHandle(no_service))
    tools = [{"name": t.name, "description": t.title or t.name} for t in await server.list_tools()]
    prompts = []
    for prompt in await server.list_prompts():
        arguments = [a.name for a in prompt.arguments or []]
        # required arguments as the manifest's placeholders; optional ones left out
        given = {a.name: f"${{arguments.{a.name}}}" for a in prompt.arguments or [] if a.required}
        rendered = await server.get_prompt(prompt.name, given)
        assert not isinstance(rendered, InputRequiredResult)
        first = rendered.messages[0].content
        prompts.append(
            {
                "name": prompt.name,
                "description": prompt.description or "",
                "arguments": arguments,
                "text": getattr(first, "text", ""),
            }
        )
    return tools, prompts


def manifest() -> dict[str, Any]:
    """The bundle's manifest.json, from pyproject.toml and the server."""
    meta = project()
    urls: dict[str, str] = meta.get("urls", {})
    tools, prompts = asyncio.run(_offered())
    return {
        "manifest_version": MANIFEST_VERSION,
        "name": meta["name"],
        "display_name": "Arize AX tasks",
        "version": meta["version"],
        "description": meta["description"],
        "author": {"name": meta["authors"][0]["name"]},
        "homepage": urls["Homepage"],
        "documentation": urls["Documentation"],
        "support": urls["Issues"],
        "repository": {"type": "git", "url": urls["Repository"]},
        "license": meta["license"],
        "keywords": meta["keywords"],
        "server": {
            "type": "uv",
            "entry_point": ENTRY_POINT,
            "mcp_config": {
                "command": "uv",
                "args": ["run", "--directory", "${__dirname}", ENTRY_POINT],
                "env": {
                    "ARIZE_API_KEY": "${user_config.api_key}",
                    "ARIZE_SPACE": "${user_config.space}",
                },
            },
        },
        "tools": tools,
        "prompts": prompts,
        "user_config": USER_CONFIG,
        "compatibility": {
            "platforms": ["darwin", "win32", "linux"],
            "runtimes": {"python": meta["requires-python"]},
        },
    }


def bundle_pyproject(meta: dict[str, Any]) -> str:
    """The bundle's own uv project: the released package, nothing to build."""
    return (
        "[project]\n"
        f'name = "{meta["name"]}-bundle"\n'
        f'version = "{meta["version"]}"\n'
        f'requires-python = "{meta["requires-python"]}"\n'
        f'dependencies = ["{meta["name"]}=={meta["version"]}"]\n'
        "\n[tool.uv]\npackage = false\n"
    )


def build(out: Path) -> Path:
    """Write the bundle's files under ``out`` and zip them into ``out/<name>-<version>.mcpb``."""
    data = manifest()
    files = {
        "manifest.json": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        "pyproject.toml": bundle_pyproject(project()),
        ENTRY_POINT: ENTRY_SOURCE,
    }
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{data['name']}-{data['version']}.mcpb"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the ax-tasks MCP Bundle (.mcpb).")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory")
    args = parser.parse_args(argv)
    print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
