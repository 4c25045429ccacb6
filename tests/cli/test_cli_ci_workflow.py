"""The GitHub Actions workflow in docs/tasks-workflow.yml, its steps run as written against a
served sandbox: a pull request's plan lands in the job summary, main applies, a bad file fails
the job with its place in the summary."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ax_tasks_mcp import dump_tasks, export_tasks
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.settings import Settings
from tests.support.served_sandbox import ROOT, ServedSandbox, cli_env

pytestmark = pytest.mark.e2e

WORKFLOW = yaml.safe_load((ROOT / "docs" / "tasks-workflow.yml").read_text())
#: Steps that fetch things a runner has and this checkout already holds.
SKIPPED = {"Install ax-tasks"}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedSandbox]:
    server = ServedSandbox(tmp_path / "sandbox.db", tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


def run_job(job: str, repo: Path, base_url: str) -> tuple[int, str, str]:
    """(exit status, output, job summary) of the job's ``run`` steps, as a runner's
    ``bash -e`` runs them, with the workflow's environment and the sandbox for Arize."""
    summary = repo / f"{job}-summary.md"
    env = cli_env(repo, **{k: str(v) for k, v in WORKFLOW["env"].items() if "${{" not in v})
    env.update(
        PATH=f"{Path(sys.executable).parent}:{env['PATH']}",
        ARIZE_API_KEY="workflow-test-key",  # the secret
        ARIZE_BASE_URL=base_url,
        GITHUB_STEP_SUMMARY=str(summary),
    )
    output = ""
    for step in WORKFLOW["jobs"][job]["steps"]:
        if "run" not in step or step.get("name") in SKIPPED:
            continue
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        output += done.stdout + done.stderr
        if done.returncode != 0:
            return done.returncode, output, summary.read_text() if summary.exists() else ""
    return 0, output, summary.read_text() if summary.exists() else ""


def test_a_pull_request_is_planned_in_the_summary_and_main_applies_it(
    served: ServedSandbox, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    (repo / "arize").mkdir(parents=True)
    settings = Settings(api_key="workflow-test-key", base_url=served.url)
    with TasksService.from_settings(settings) as service:
        text = dump_tasks(export_tasks(service, ["demo"]))
    document: dict[str, Any] = yaml.safe_load(text)
    document["tasks"][0]["sampling_rate"] = 0.25
    (repo / "arize" / "tasks.yaml").write_text(yaml.safe_dump(document, sort_keys=False))

    status, _, summary = run_job("plan", repo, served.url)
    assert status == 0
    assert "~ update task 'chatbot-hallucination'" in summary
    assert "sampling_rate: 0.5 → 0.25" in summary
    assert "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 1 unchanged." in summary

    status, output, summary = run_job("apply", repo, served.url)
    assert status == 0, output
    assert "Applied: 1 updated." in summary

    status, _, summary = run_job("plan", repo, served.url)
    assert status == 0
    assert "Plan: 0 to create, 0 to update" in summary.split("### What merging changes")[-1]


def test_a_bad_file_fails_the_plan_job_with_its_place_in_the_summary(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "arize").mkdir(parents=True)
    (repo / "arize" / "tasks.yaml").write_text("space: demo\ntasks:\n  - name: [\n")
    status, _, summary = run_job("plan", repo, "http://127.0.0.1:9")  # nothing is sent
    assert status == 2
    assert "ax-tasks: error: arize/tasks.yaml:4:1: not valid YAML" in summary
