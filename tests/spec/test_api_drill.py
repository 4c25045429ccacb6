"""When the API moves, the type checker names the place in our code before any test runs: a
spec that renames get_task's task ID, renames a request model and drops an operation is
generated into a scratch folder, and mypy, run on the seam against it, names each line that
must change (docs/api-drill.md records the drill by hand)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "tasks.yaml"
SEAM = [f"ax_tasks_mcp/service/{name}.py" for name in ("wire", "listing", "bodies")]


def moved_spec() -> str:
    """openapi/tasks.yaml with three upstream-style changes."""
    text = SPEC.read_text()
    renamed_argument = text.replace(
        "  /v2/tasks/{task_id}:\n    parameters:\n"
        "      - $ref: '#/components/parameters/TaskIdPath'\n",
        "  /v2/tasks/{id}:\n    parameters:\n      - name: id\n        in: path\n"
        "        required: true\n        schema: {type: string}\n",
    )
    assert renamed_argument != text, "the drill's anchor moved: update moved_spec()"
    renamed_model = renamed_argument.replace("SpanEvaluatorInput", "SpanEvaluatorRequest")
    cancel = re.compile(r"  /v2/task-runs/\{run_id\}/cancel:\n.*?(?=\n  /v2/)", re.DOTALL)
    dropped, count = cancel.subn("", renamed_model)
    assert count == 1, "the drill's anchor moved: update moved_spec()"
    return dropped


def lines_of(path: str, needle: str) -> list[int]:
    lines = (ROOT / path).read_text().splitlines()
    return [number for number, line in enumerate(lines, 1) if needle in line]


def checker_config(folder: Path, client: Path) -> Path:
    """A mypy config that sees the moved client and nothing of the installed one (the editable
    install puts generated_client/ on site-packages' path): our packages, the scratch client,
    and the two libraries the seam is typed against."""
    libraries = folder / "libraries"
    libraries.mkdir()
    for name in ("httpx", "attrs", "attr"):
        spec = importlib.util.find_spec(name)
        assert spec is not None
        assert spec.submodule_search_locations
        (libraries / name).symlink_to(next(iter(spec.submodule_search_locations)))
    path = os.pathsep.join(map(str, (client, ROOT, ROOT / "cli", libraries)))
    config = folder / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\nfollow_imports = silent\nno_site_packages = True\n"
        f"mypy_path = {path}\n"
    )
    return config


@pytest.mark.e2e  # runs the pinned generator in its own environment, then mypy
def test_mypy_names_each_line_a_moved_api_asks_to_change(tmp_path: Path) -> None:
    spec = tmp_path / "tasks.yaml"
    spec.write_text(moved_spec())
    out = tmp_path / "out"
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "regen.sh"), "--spec", str(spec), "--into", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    config = checker_config(tmp_path, out / "generated_client")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-incremental", *SEAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = "\n".join(line for line in checked.stdout.splitlines() if line.startswith("ax_"))
    assert checked.returncode == 1, checked.stdout
    wire = "ax_tasks_mcp/service/wire.py"
    for operation in ("get_task", "update_task", "delete_task"):  # the renamed argument
        (line,) = lines_of(wire, f"{operation}.build_request(")
        assert f'{wire}:{line}: error: Unexpected keyword argument "task_id"' in report, report
    (line,) = lines_of(wire, "import cancel_task_run")  # the removed operation
    assert f'{wire}:{line}: error: Module "ax_tasks_client.api.task_runs" has no attribute' in (
        report
    )
    bodies = "ax_tasks_mcp/service/bodies.py"  # the renamed model
    first = lines_of(bodies, "span_evaluator_input import SpanEvaluatorInput")[0]
    missing = 'module named "ax_tasks_client.models.span_evaluator_input"'
    assert f"{bodies}:{first}: error: Cannot find implementation or library stub for {missing}" in (
        report
    )
