"""Tasks as code end to end: ax-tasks over loopback HTTP against two served sandboxes, one
exported from and one fresh, through every step of a team's day with a tasks file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ax_tasks_cli import exitcodes
from tests.support.served_sandbox import ServedSandbox

pytestmark = pytest.mark.e2e

KEY = "plans-e2e-key"


@pytest.fixture
def sandboxes(tmp_path: Path) -> Iterator[tuple[ServedSandbox, ServedSandbox]]:
    source = ServedSandbox(tmp_path / "source.db", tmp_path)
    fresh = ServedSandbox(tmp_path / "fresh.db", tmp_path)
    try:
        yield source.start(), fresh.start()
    finally:
        source.stop()
        fresh.stop()


def test_export_apply_elsewhere_edit_prune_and_refuse_a_replace(
    ax, sandboxes: tuple[ServedSandbox, ServedSandbox], tmp_path: Path
) -> None:
    source, fresh = sandboxes
    env = {"ARIZE_API_KEY": KEY}

    def on(server: ServedSandbox, *args: str, code: int = 0, **options: Any) -> Any:
        result = ax("--base-url", server.url, *args, env=env, **options)
        assert result.exit_code == code, result.stderr
        return json.loads(result.stdout) if result.stdout.startswith("{") else result

    def plan() -> dict[str, Any]:
        found: dict[str, Any] = on(fresh, "plan", "-f", str(file), "--prune", "-o", "json")
        return found

    def changes() -> list[tuple[str, str, list[str]]]:
        return [
            (c["action"], c["task"], [f["field"] for f in c.get("fields", [])])
            for c in plan()["changes"]
            if c["action"] != "unchanged"
        ]

    # A seeded space with two tasks of the team's own, exported.
    for name, rate in (("nightly-relevance", "0.2"), ("nightly-toxicity", "0.3")):
        on(
            source,
            "create-evaluation",
            "--name",
            name,
            "--task-type",
            "template_evaluation",
            "--space",
            "demo",
            "--project",
            "chatbot",
            "--sampling-rate",
            rate,
            "--evaluators",
            '[{"evaluator": "relevance"}]',
        )
    file = tmp_path / "demo.yaml"
    on(source, "export", "--space", "demo", "-o", str(file))

    # Applied to a fresh sandbox: the two are created, and then the plan there is empty.
    assert changes() == [
        (
            "create",
            "nightly-relevance",
            ["type", "project", "sampling_rate", "is_continuous", "evaluators"],
        ),
        (
            "create",
            "nightly-toxicity",
            ["type", "project", "sampling_rate", "is_continuous", "evaluators"],
        ),
    ]
    on(fresh, "apply", "-f", str(file), "--yes")
    assert changes() == []
    assert on(fresh, "plan", "-f", str(file), "--exit-code", "-o", "json")["summary"]["create"] == 0

    # A sampling rate, a name (its ID kept) and an evaluator list: exactly three updates.
    document = yaml.safe_load(file.read_text())
    tasks = {task["name"]: task for task in document["tasks"]}
    tasks["nightly-relevance"]["sampling_rate"] = 0.5
    tasks["chatbot-hallucination"]["name"] = "chatbot-hallucination-v2"
    tasks["nightly-toxicity"]["evaluators"].append({"evaluator": "toxicity"})
    file.write_text(yaml.safe_dump(document, sort_keys=False))
    assert sorted(changes()) == [
        ("update", "chatbot-hallucination-v2", ["name"]),
        ("update", "nightly-relevance", ["sampling_rate"]),
        ("update", "nightly-toxicity", ["evaluators"]),
    ]
    renamed = next(c for c in plan()["changes"] if c["task"] == "chatbot-hallucination-v2")
    assert renamed["id"] == tasks["chatbot-hallucination"]["id"]
    on(fresh, "plan", "-f", str(file), "--exit-code", code=exitcodes.CHANGES)

    # Applied: the plan is empty again, and applying again writes nothing.
    applied = on(fresh, "apply", "-f", str(file), "--yes", "-o", "json")
    assert [s["step"] for s in applied["applied"]["landed"]] == ["update"] * 3
    assert changes() == []
    again = on(fresh, "apply", "-f", str(file), "--yes", "-o", "json")
    assert again["applied"]["landed"] == []

    # A task removed from the file: --prune deletes it.
    document["tasks"] = [t for t in document["tasks"] if t["name"] != "nightly-toxicity"]
    file.write_text(yaml.safe_dump(document, sort_keys=False))
    assert changes() == [("delete", "nightly-toxicity", [])]
    on(fresh, "apply", "-f", str(file), "--yes", "--prune")
    assert changes() == []

    # A task's dataset changed: apply refuses without --replace, and nothing is written.
    tasks["qa-golden-json-check"].update(dataset="rag-questions", experiments=["retriever-k5"])
    file.write_text(yaml.safe_dump(document, sort_keys=False))
    refused = on(fresh, "apply", "-f", str(file), "--yes", code=exitcodes.USAGE)
    assert "would be replaced" in refused.stderr
    assert "Give --replace to allow it" in refused.stderr
    assert changes() == [("replace", "qa-golden-json-check", ["dataset", "experiments"])]
