"""The README's main job installs the runtime only: its ``uv sync``, run for a fresh home and a
new environment (as a dry run, nothing downloaded), installs no package of the development
group, and every ``uv run`` of the job keeps it that way."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.docs.doc_commands import ROOT, blocks, steps

pytestmark = pytest.mark.e2e


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503)."""
    found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert found, requirement
    return re.sub(r"[-_.]+", "-", found.group(0)).lower()


def _main_job() -> list[list[str]]:
    block = blocks("README.md")[0]
    assert "Run the main job" in (ROOT / "README.md").read_text(encoding="utf-8").split("```")[0]
    env: dict[str, str] = {}
    return [step.argv for command in block.commands for step in steps(command, env)]


def _would_install(sync: list[str], tmp_path: Path, name: str) -> set[str]:
    uv = shutil.which("uv")
    assert uv, "uv is not on the PATH (the README installs it with pip install uv)"
    home = tmp_path / f"home-{name}"
    home.mkdir()
    done = subprocess.run(
        [uv, *sync[1:], "--dry-run", "--offline"],
        cwd=ROOT,
        env={
            "HOME": str(home),
            "PATH": str(Path(uv).parent),
            "UV_PROJECT_ENVIRONMENT": str(tmp_path / f"venv-{name}"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / f"venv-{name}").exists()  # a dry run: nothing made
    return {_name(line.strip()[2:]) for line in done.stderr.splitlines() if line.startswith(" + ")}


def _runtime_closure(project: str) -> set[str]:
    """The packages the project's own dependencies pull in, by the lock (markers ignored: a
    superset), so a development package the runtime needs anyway (anyio) is not counted."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    needs = {
        _name(package["name"]): {_name(d["name"]) for d in package.get("dependencies", [])}
        for package in lock["package"]
    }
    found: set[str] = set()
    todo = [project]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += needs.get(name, set())
    return found


def test_the_main_job_installs_no_development_package(tmp_path: Path) -> None:
    job = _main_job()
    syncs = [argv for argv in job if argv[:2] == ["uv", "sync"]]
    assert len(syncs) == 1, job
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    name = _name(project["project"]["name"])
    development = {_name(r) for r in project["dependency-groups"]["dev"]} - _runtime_closure(name)
    assert {"pytest", "mypy", "bpe-openai"} <= development
    runtime = _would_install(syncs[0], tmp_path, "job")
    assert name in runtime
    assert runtime.isdisjoint(development), sorted(runtime & development)
    everything = _would_install(["uv", "sync", "--locked"], tmp_path, "all")
    assert development <= everything  # the check can see a development package when there is one
    assert len(runtime) < len(everything)


def test_every_uv_run_of_the_main_job_leaves_the_development_group_out() -> None:
    block = blocks("README.md")[0]
    runs = [line for line in block.body.split("&&") if line.strip().startswith("uv run")]
    assert runs
    for run in runs:
        assert run.strip().startswith("uv run --no-dev "), run
