"""The data an empty sandbox starts with: the same names, IDs and counts every time.

Timestamps are relative to the moment of seeding (the clock), everything else is fixed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from . import ids, runs
from .workload import DAY, HOUR

ORGANIZATION_NUMBER = 1
SANDBOX_USER_NUMBER = 1


@dataclass(frozen=True)
class _Project:
    name: str
    spans_per_hour: int
    project_type: str | None = "APPLICATION"


@dataclass(frozen=True)
class _Dataset:
    name: str
    version_sizes: tuple[int, ...]
    experiments: tuple[str, ...]


@dataclass(frozen=True)
class _Evaluator:
    name: str
    type: str
    scope: str
    versions: int
    description: str
    failure: str | None = None


@dataclass(frozen=True)
class _Space:
    name: str
    description: str
    is_private: bool
    projects: tuple[_Project, ...]
    datasets: tuple[_Dataset, ...]
    evaluators: tuple[_Evaluator, ...] = field(default=())


_COMMON_EVALUATORS = (
    _Evaluator("hallucination", "TEMPLATE", "SPAN", 3, "Is the answer supported by the context?"),
    _Evaluator("relevance", "TEMPLATE", "SPAN", 2, "Does the answer address the question?"),
    _Evaluator("toxicity", "TEMPLATE", "SPAN", 1, "Flags toxic or abusive output."),
    _Evaluator("json-validity", "CODE", "SPAN", 2, "Output parses as JSON."),
    _Evaluator(
        "trace-goal-completion", "TEMPLATE", "TRACE", 1, "Did the agent reach the user's goal?"
    ),
    _Evaluator("session-frustration", "TEMPLATE", "SESSION", 1, "Is the user getting frustrated?"),
)

SPACES = (
    _Space(
        "demo",
        "Demo space: a chatbot and a RAG app with evaluations.",
        False,
        (
            _Project("chatbot", 120),
            _Project("rag-search", 60),
            _Project("support-agent", 40),
        ),
        (
            _Dataset("qa-golden", (40, 60), ("baseline-gpt-4o", "claude-sonnet", "prompt-v2")),
            _Dataset("rag-questions", (25,), ("retriever-k5", "retriever-k10")),
        ),
        (
            *_COMMON_EVALUATORS,
            _Evaluator(
                "pii-regex-check",
                "CODE",
                "SPAN",
                2,
                "Regex PII scan; its latest version is broken and fails every run.",
                failure="Evaluator 'pii-regex-check' raised re.error: unterminated character "
                "set at position 7. Fix the evaluator code or pin an earlier version.",
            ),
        ),
    ),
    _Space(
        "production-llm",
        "Production LLM applications.",
        True,
        (
            _Project("checkout-assistant", 900),
            _Project("chatbot-v2", 300),
            _Project("guardrails-harness", 20, "HARNESS"),
        ),
        (
            _Dataset(
                "checkout-regressions",
                (120, 150, 180),
                ("nightly-1", "nightly-2", "gpt-4o-mini-trial", "claude-haiku-trial"),
            ),
            _Dataset("summaries-gold", (80,), ("summarizer-v1", "summarizer-v2")),
        ),
        _COMMON_EVALUATORS,
    ),
    _Space(
        "research",
        "Agent experiments and prompt research.",
        False,
        (
            _Project("agent-sandbox", 15),
            _Project("prompt-lab", 8, "EXPERIMENT"),
        ),
        (_Dataset("agent-trajectories", (30,), ("react-baseline", "planner-v1")),),
        _COMMON_EVALUATORS[:2] + _COMMON_EVALUATORS[4:],
    ),
)

_INTEGRATIONS: tuple[dict[str, Any], ...] = (
    {
        "name": "openai-prod",
        "provider": "OPEN_AI",
        "is_agent": False,
        "doc": {
            "has_api_key": True,
            "base_url": None,
            "model_names": ["gpt-4o", "gpt-4o-mini", "o3-mini"],
            "headers": None,
            "enable_default_models": True,
            "function_calling_enabled": True,
            "auth_type": "DEFAULT",
            "provider_metadata": None,
        },
    },
    {
        "name": "anthropic",
        "provider": "ANTHROPIC",
        "is_agent": False,
        "doc": {
            "has_api_key": True,
            "base_url": None,
            "model_names": ["claude-sonnet-4-5", "claude-haiku-4-5"],
            "headers": None,
            "enable_default_models": True,
            "function_calling_enabled": True,
            "auth_type": "DEFAULT",
            "provider_metadata": None,
        },
    },
    {
        "name": "support-agent-runtime",
        "provider": "CUSTOM",
        "is_agent": True,
        "doc": {
            "has_api_key": False,
            "base_url": "http://127.0.0.1:9000/agent",
            "model_names": None,
            "headers": {"X-Agent-Env": "sandbox"},
            "enable_default_models": False,
            "function_calling_enabled": False,
            "auth_type": "PROXY_WITH_HEADERS",
            "provider_metadata": None,
        },
    },
)


def seed(conn: sqlite3.Connection, now: float) -> None:
    """Fill an empty database (schema already created)."""
    user = SANDBOX_USER_NUMBER
    for integ in _INTEGRATIONS:
        conn.execute(
            "INSERT INTO integrations (name, provider, is_agent, doc, created_by, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                integ["name"],
                integ["provider"],
                int(integ["is_agent"]),
                json.dumps(integ["doc"]),
                user,
                now - 90 * DAY,
                now - 10 * DAY,
            ),
        )
    for s_index, space in enumerate(SPACES):
        created = now - (200 - s_index) * DAY
        space_id = _insert(
            conn,
            "INSERT INTO spaces (name, description, is_private, created_at) VALUES (?, ?, ?, ?)",
            (space.name, space.description, int(space.is_private), created),
        )
        for project in space.projects:
            _insert(
                conn,
                "INSERT INTO projects (space_id, name, project_type, spans_per_hour, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    space_id,
                    project.name,
                    project.project_type,
                    project.spans_per_hour,
                    now - 30 * DAY,
                ),
            )
        for d_index, dataset in enumerate(space.datasets):
            _seed_dataset(conn, space_id, dataset, now - (20 - d_index) * DAY)
        for evaluator in space.evaluators:
            ev_id = _insert(
                conn,
                "INSERT INTO evaluators (space_id, name, description, type, data_scope, failure, "
                "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    space_id,
                    evaluator.name,
                    evaluator.description,
                    evaluator.type,
                    evaluator.scope,
                    evaluator.failure,
                    user,
                    now - 60 * DAY,
                    now - (60 - 10 * evaluator.versions) * DAY,
                ),
            )
            for v in range(evaluator.versions):
                conn.execute(
                    "INSERT INTO evaluator_versions (evaluator_id, created_at) VALUES (?, ?)",
                    (ev_id, now - (60 - 10 * (v + 1)) * DAY),
                )
    _seed_tasks(conn, now)


def _insert(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int:
    cursor = conn.execute(sql, params)
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _seed_dataset(conn: sqlite3.Connection, space_id: int, dataset: _Dataset, born: float) -> None:
    dataset_id = _insert(
        conn,
        "INSERT INTO datasets (space_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (space_id, dataset.name, born, born + (len(dataset.version_sizes) - 1) * 2 * DAY),
    )
    version_ids = []
    for v_index, size in enumerate(dataset.version_sizes):
        version_ids.append(
            _insert(
                conn,
                "INSERT INTO dataset_versions (dataset_id, name, example_count, created_at) "
                "VALUES (?, ?, ?, ?)",
                (dataset_id, f"v{v_index + 1}", size, born + v_index * 2 * DAY),
            )
        )
    for e_index, name in enumerate(dataset.experiments):
        version_index = min(e_index, len(version_ids) - 1)
        at = born + (e_index + 1) * 3 * HOUR + version_index * 2 * DAY
        conn.execute(
            "INSERT INTO experiments (space_id, dataset_id, dataset_version_id, name, "
            "example_count, traces_project_id, integration_id, run_id, visible_from, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?)",
            (
                space_id,
                dataset_id,
                version_ids[version_index],
                name,
                dataset.version_sizes[version_index],
                1 + e_index % 2,
                at,
                at,
                at + 600,
            ),
        )


def _lookup(conn: sqlite3.Connection, table: str, name: str, space: str) -> int:
    row = conn.execute(
        f"SELECT t.id FROM {table} t JOIN spaces s ON s.id = t.space_id "  # noqa: S608
        "WHERE t.name = ? AND s.name = ?",
        (name, space),
    ).fetchone()
    assert row is not None, (table, name, space)
    return int(row[0])


def _evaluator_ref(conn: sqlite3.Connection, name: str, space: str) -> str:
    return ids.encode(ids.EVALUATOR, _lookup(conn, "evaluators", name, space))


def _insert_task(
    conn: sqlite3.Connection,
    *,
    space: str,
    name: str,
    task_type: str,
    project: str | None,
    dataset: str | None,
    config: dict[str, Any],
    born: float,
) -> int:
    space_id = _space_id(conn, space)
    project_id = _lookup(conn, "projects", project, space) if project else None
    dataset_id = _lookup(conn, "datasets", dataset, space) if dataset else None
    continuous = born if config.get("is_continuous") else None
    return _insert(
        conn,
        "INSERT INTO tasks (space_id, name, type, project_id, dataset_id, config, "
        "continuous_since, last_run_at, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        (
            space_id,
            name,
            task_type,
            project_id,
            dataset_id,
            json.dumps(config),
            continuous,
            SANDBOX_USER_NUMBER,
            born,
            born,
        ),
    )


def _space_id(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT id FROM spaces WHERE name = ?", (name,)).fetchone()
    assert row is not None
    return int(row[0])


def _seed_tasks(conn: sqlite3.Connection, now: float) -> None:
    user = SANDBOX_USER_NUMBER
    chatbot = _insert_task(
        conn,
        space="demo",
        name="chatbot-hallucination",
        task_type="TEMPLATE_EVALUATION",
        project="chatbot",
        dataset=None,
        config={
            "sampling_rate": 0.5,
            "is_continuous": False,
            "query_filter": "attributes.openinference.span.kind = 'LLM'",
            "query_filters": None,
            "experiment_ids": [],
            "evaluators": [
                {
                    "evaluator_id": _evaluator_ref(conn, "hallucination", "demo"),
                    "evaluator_version_id": None,
                    "query_filter": None,
                    "column_mappings": {"output": "attributes.output.value"},
                },
                {
                    "evaluator_id": _evaluator_ref(conn, "relevance", "demo"),
                    "evaluator_version_id": None,
                    "query_filter": None,
                    "column_mappings": None,
                },
            ],
            "run_configuration": None,
        },
        born=now - 5 * DAY,
    )
    for days_ago in (4, 2):
        end = now - days_ago * DAY
        runs.create_run(
            conn,
            chatbot,
            runs.TriggerParams(data_start=end - DAY, data_end=end),
            created_at=end + HOUR,
            created_by=user,
            speed=1.0,
        )

    dataset_ref = _lookup(conn, "datasets", "qa-golden", "demo")
    experiment_rows = conn.execute(
        "SELECT id FROM experiments WHERE dataset_id = ? ORDER BY id LIMIT 2", (dataset_ref,)
    ).fetchall()
    qa = _insert_task(
        conn,
        space="demo",
        name="qa-golden-json-check",
        task_type="CODE_EVALUATION",
        project=None,
        dataset="qa-golden",
        config={
            "sampling_rate": None,
            "is_continuous": False,
            "query_filter": None,
            "query_filters": None,
            "experiment_ids": [ids.encode(ids.EXPERIMENT, r[0]) for r in experiment_rows],
            "evaluators": [
                {
                    "evaluator_id": _evaluator_ref(conn, "json-validity", "demo"),
                    "evaluator_version_id": None,
                    "query_filter": None,
                    "column_mappings": {"output": "attributes.output.value"},
                }
            ],
            "run_configuration": None,
        },
        born=now - 3 * DAY,
    )
    runs.create_run(
        conn, qa, runs.TriggerParams(), created_at=now - 3 * DAY + HOUR, created_by=user, speed=1.0
    )

    openai = ids.encode(ids.INTEGRATION, 1)
    checkout = _insert_task(
        conn,
        space="production-llm",
        name="checkout-nightly-generation",
        task_type="RUN_EXPERIMENT",
        project=None,
        dataset="checkout-regressions",
        config={
            "sampling_rate": None,
            "is_continuous": False,
            "query_filter": None,
            "query_filters": None,
            "experiment_ids": [],
            "evaluators": [],
            "run_configuration": {
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": openai,
                "model_name": "gpt-4o-mini",
                "messages": [
                    {"role": "SYSTEM", "content": "You are a checkout assistant."},
                    {"role": "USER", "content": "{question}"},
                ],
                "input_variable_format": "F_STRING",
                "invocation_parameters": {"temperature": 0.2},
                "provider_parameters": {},
            },
        },
        born=now - 2 * DAY,
    )
    runs.create_run(
        conn,
        checkout,
        runs.TriggerParams(experiment_name="nightly-3"),
        created_at=now - DAY,
        created_by=user,
        speed=1.0,
    )

    agent = _insert_task(
        conn,
        space="research",
        name="agent-goal-completion",
        task_type="TEMPLATE_EVALUATION",
        project="agent-sandbox",
        dataset=None,
        config={
            "sampling_rate": 1.0,
            "is_continuous": True,
            "query_filter": None,
            "query_filters": {
                "filters": [{"id": "A", "filter": "attributes.openinference.span.kind = 'AGENT'"}],
                "expression": "A",
            },
            "experiment_ids": [],
            "evaluators": [
                {
                    "evaluator_id": _evaluator_ref(conn, "trace-goal-completion", "research"),
                    "evaluator_version_id": None,
                    "query_filter": None,
                    "column_mappings": None,
                    "query_mappings": [
                        {
                            "variable_name": "goal",
                            "query_ids": ["A"],
                            "attribute_path": "attributes.input.value",
                        }
                    ],
                }
            ],
            "run_configuration": None,
        },
        born=now - DAY,
    )
    runs.create_run(
        conn,
        agent,
        runs.TriggerParams(data_start=now - 2 * DAY, data_end=now - DAY),
        created_at=now - DAY,
        created_by=user,
        speed=1.0,
    )
