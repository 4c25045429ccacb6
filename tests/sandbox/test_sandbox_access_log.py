"""``serve --access-log``: one line per request on stderr, what the tests count requests by."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox.access_log import with_access_log
from ax_tasks_mcp.sandbox.app import create_app


def test_each_request_is_one_line_with_its_status_and_never_a_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(tmp_path / "sandbox.db")
    try:
        with TestClient(with_access_log(app, True)) as client:
            headers = {"Authorization": "Bearer sk-secret-0123456789"}
            assert client.get("/v2/spaces?limit=1", headers=headers).status_code == 200
            assert client.get("/v2/nowhere", headers=headers).status_code == 404
    finally:
        app.state.sandbox.close()
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["sandbox: GET /v2/spaces?limit=1 200", "sandbox: GET /v2/nowhere 404"]


def test_without_it_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(tmp_path / "sandbox.db")
    try:
        with TestClient(with_access_log(app, False)) as client:
            client.get("/v2/spaces", headers={"Authorization": "Bearer k"})
    finally:
        app.state.sandbox.close()
    assert capsys.readouterr().err == ""
