"""The wire imports the generated code of an operation when that operation is first called, so a
read pays for its own modules only (models/__init__.py imports no model)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import json, sys
import httpx
from ax_tasks_mcp.service.wire import ArizeApi

def loaded():
    return sorted(m for m in sys.modules if m.startswith("generated_client."))

at_import = loaded()
run = {"id": "VGFza1J1bjox", "task_id": "T25saW5lVGFzazox", "status": "QUEUED"}
http = httpx.Client(
    base_url="http://127.0.0.1:9",
    transport=httpx.MockTransport(lambda request: httpx.Response(200, json=run)),
)
got = ArizeApi(http).get_run("VGFza1J1bjox")
print(json.dumps({"at_import": at_import, "after_read": loaded(), "got": got}))
"""


def _probe() -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    result: dict[str, list[str]] = json.loads(out.stdout)
    return result


def test_importing_the_wire_loads_no_operation_and_no_model() -> None:
    at_import = _probe()["at_import"]
    assert not [m for m in at_import if m.startswith("generated_client.models.")]
    assert not [m for m in at_import if m.count(".") >= 3]  # generated_client.api.<tag>.<op>


def test_a_read_loads_its_operation_and_only_the_models_it_names() -> None:
    result = _probe()
    after = result["after_read"]
    assert "generated_client.api.task_runs.get_task_run" in after
    assert not [m for m in after if m.startswith("generated_client.api.tasks.")]
    models = {m.rsplit(".", 1)[-1] for m in after if m.startswith("generated_client.models.")}
    assert "task" not in models
    assert "create_template_evaluation_task_request" not in models
    assert {"task_run", "task_run_status", "problem"} <= models
    assert result["got"] == {
        "id": "VGFza1J1bjox",
        "task_id": "T25saW5lVGFzazox",
        "status": "QUEUED",
    }
