"""The seeded sandbox as tests see it: the key header, the seeded resources by name, and
request bodies that the seeded data accepts (its clock is tests.support.clock.FakeTime).
"""

from __future__ import annotations

from typing import Any

import httpx

AUTH = {"Authorization": "Bearer test-key"}


class Catalog:
    """The seeded resources, by name, as the API lists them."""

    def __init__(self, client: httpx.Client) -> None:
        def all_of(path: str, key: str) -> list[dict[str, Any]]:
            return list(client.get(path, params={"limit": 100}).json()[key])

        self.spaces = {s["name"]: s for s in all_of("/v2/spaces", "spaces")}
        self.projects = {p["name"]: p for p in all_of("/v2/projects", "projects")}
        self.datasets = {d["name"]: d for d in all_of("/v2/datasets", "datasets")}
        self.experiments = {e["name"]: e for e in all_of("/v2/experiments", "experiments")}
        self.integrations = {i["name"]: i for i in all_of("/v2/ai-integrations", "ai_integrations")}
        self.evaluators: dict[tuple[str, str], dict[str, Any]] = {}
        names = {s["id"]: s["name"] for s in self.spaces.values()}
        for e in all_of("/v2/evaluators", "evaluators"):
            self.evaluators[(names[e["space_id"]], e["name"])] = e

    def evaluator(self, name: str, space: str = "demo") -> str:
        return str(self.evaluators[(space, name)]["id"])

    def experiments_of(self, dataset: str) -> list[str]:
        dataset_id = self.datasets[dataset]["id"]
        return [e["id"] for e in self.experiments.values() if e["dataset_id"] == dataset_id]


def span_task_body(catalog: Catalog, name: str = "my-task", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "type": "TEMPLATE_EVALUATION",
        "project_id": catalog.projects["chatbot"]["id"],
        "evaluators": [
            {
                "evaluator_id": catalog.evaluator("hallucination"),
                "column_mappings": {"output": "attributes.output.value"},
            }
        ],
    }
    body.update(extra)
    return body


def experiment_task_body(catalog: Catalog, name: str = "gen-task", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "type": "RUN_EXPERIMENT",
        "dataset_id": catalog.datasets["qa-golden"]["id"],
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": catalog.integrations["openai-prod"]["id"],
            "messages": [{"role": "USER", "content": "{question}"}],
            "input_variable_format": "F_STRING",
        },
    }
    body.update(extra)
    return body


WINDOW = {
    "data_start_time": "2026-03-08T00:00:00+00:00",
    "data_end_time": "2026-03-09T00:00:00+00:00",
}
