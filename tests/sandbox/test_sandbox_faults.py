"""Faults on demand: 503s and 429s with Retry-After, latency, hangs; a faulted write changes
nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox import BackgroundServer, embedded_transport
from ax_tasks_mcp.sandbox.faults import FaultConfig, FaultInjector
from tests.support.sandbox_data import AUTH, Catalog, span_task_body

pytestmark = pytest.mark.faults


def test_faults_are_off_by_default() -> None:
    config = FaultConfig()
    assert not config.active
    assert FaultInjector(config).decide() is None


@pytest.mark.parametrize("bad", [{"rate": -0.1}, {"rate": 1.5}, {"latency": -1}])
def test_nonsense_fault_settings_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        FaultConfig(**bad)


def test_every_request_faults_at_rate_one_with_503_or_429_and_retry_after(make_app: Any) -> None:
    client = TestClient(make_app(faults=FaultConfig(rate=1.0, seed=7)), headers=AUTH)
    statuses = set()
    for _ in range(40):
        response = client.get("/v2/tasks")
        statuses.add(response.status_code)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code
        if response.status_code == 429:
            assert response.headers["retry-after"] == "1"
        else:
            assert "retry-after" not in response.headers
    assert statuses == {429, 503}


def test_the_fault_rate_is_the_share_of_faulted_requests_and_the_seed_repeats_it() -> None:
    first = FaultInjector(FaultConfig(rate=0.3, seed=42))
    second = FaultInjector(FaultConfig(rate=0.3, seed=42))
    a = [first.decide() for _ in range(2000)]
    b = [second.decide() for _ in range(2000)]
    assert a == b
    share = sum(d is not None for d in a) / len(a)
    assert 0.25 < share < 0.35


def test_a_faulted_write_changes_nothing(tmp_path: Path, make_app: Any, client_for: Any) -> None:
    db = str(tmp_path / "f.db")
    with client_for(make_app(db)) as api:
        catalog = Catalog(api)
        before = api.get("/v2/tasks", params={"limit": 100}).json()["tasks"]
    faulty = TestClient(make_app(db, faults=FaultConfig(rate=1.0, seed=1)), headers=AUTH)
    for i in range(10):
        response = faulty.post("/v2/tasks", json=span_task_body(catalog, f"lost-{i}"))
        assert response.status_code in (429, 503)
    with client_for(make_app(db)) as api:
        assert api.get("/v2/tasks", params={"limit": 100}).json()["tasks"] == before


def test_latency_is_added_to_every_request(make_app: Any) -> None:
    client = TestClient(make_app(faults=FaultConfig(latency=0.2)), headers=AUTH)
    started = time.monotonic()
    assert client.get("/v2/spaces").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_an_embedded_hang_ends_in_the_clients_read_timeout(tmp_path: Path) -> None:
    transport = embedded_transport(tmp_path / "h.db", faults=FaultConfig(hang=True))
    with httpx.Client(transport=transport, base_url="http://sandbox", headers=AUTH) as client:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            client.get("/v2/tasks", timeout=0.3)
        assert time.monotonic() - started >= 0.3


def test_an_embedded_slow_answer_arrives_after_hang_seconds(tmp_path: Path) -> None:
    faults = FaultConfig(hang=True, hang_seconds=0.2)
    transport = embedded_transport(tmp_path / "h.db", faults=faults)
    with httpx.Client(transport=transport, base_url="http://sandbox", headers=AUTH) as client:
        assert client.get("/v2/spaces", timeout=5).status_code == 200


@pytest.mark.e2e
def test_a_hanging_server_accepts_connections_but_never_answers(tmp_path: Path) -> None:
    with BackgroundServer(tmp_path / "h.db", faults=FaultConfig(hang=True)) as server:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{server.url}/v2/tasks", headers=AUTH, timeout=httpx.Timeout(5, read=0.5))
        assert time.monotonic() - started >= 0.5
    assert not server.running


@pytest.mark.e2e
def test_a_faulty_server_answers_429_with_retry_after_over_http(tmp_path: Path) -> None:
    faults = FaultConfig(rate=1.0, seed=3)
    with BackgroundServer(tmp_path / "r.db", faults=faults) as server:
        seen = {
            httpx.get(f"{server.url}/v2/spaces", headers=AUTH).headers.get("retry-after")
            for _ in range(20)
        }
    assert "1" in seen


@pytest.mark.e2e
def test_a_slow_server_answers_a_write_after_hang_seconds(tmp_path: Path) -> None:
    faults = FaultConfig(hang=True, hang_seconds=0.3)
    with (
        BackgroundServer(tmp_path / "s.db", faults=faults) as server,
        httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client,
    ):
        started = time.monotonic()
        created = client.post("/v2/tasks", json=span_task_body(Catalog(client), "slow"))
        assert created.status_code == 201, created.text
        assert time.monotonic() - started >= 0.3
