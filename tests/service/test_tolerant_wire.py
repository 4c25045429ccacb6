"""The wire imports the generated code of an operation when that operation is first called, so a
read pays for its own request builder only: no model but the fixed values it sends, no attrs, no
generated Client.  Query values are sent as the spec's fixed values, in any case."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.wire import ArizeApi

PROBE = r"""
import json, sys
import httpx
from ax_tasks_mcp.service.wire import ArizeApi

def loaded():
    return sorted(m for m in sys.modules if m.startswith("ax_tasks_client."))

at_import = loaded()
run = {"id": "VGFza1J1bjox", "task_id": "T25saW5lVGFzazox", "status": "QUEUED"}
http = httpx.Client(
    base_url="http://127.0.0.1:9",
    transport=httpx.MockTransport(lambda request: httpx.Response(200, json=run)),
)
got = ArizeApi(http).get_run("VGFza1J1bjox")
print(json.dumps({"at_import": at_import, "after_read": loaded(), "got": got,
                  "attrs": "attr" in sys.modules}))
"""


@pytest.fixture(scope="module")
def probe() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# The enums whose values the service checks user input against (tiny modules).
KNOWN_VALUES = {"task_run_status"}


@pytest.mark.e2e  # a fresh interpreter
def test_importing_the_wire_loads_no_operation_and_no_model_but_the_known_values(
    probe: dict[str, Any],
) -> None:
    at_import = probe["at_import"]
    models = {m.rsplit(".", 1)[-1] for m in at_import if m.startswith("ax_tasks_client.models.")}
    assert models == KNOWN_VALUES
    assert not [m for m in at_import if m.count(".") >= 3]  # ax_tasks_client.api.<tag>.<op>


@pytest.mark.e2e  # a fresh interpreter
def test_a_read_loads_its_request_builder_and_no_model_and_no_attrs(
    probe: dict[str, Any],
) -> None:
    after = probe["after_read"]
    assert "ax_tasks_client.api.task_runs.get_task_run" in after
    assert not [m for m in after if m.startswith("ax_tasks_client.api.tasks.")]
    assert "ax_tasks_client.client" not in after
    models = {m.rsplit(".", 1)[-1] for m in after if m.startswith("ax_tasks_client.models.")}
    assert models == KNOWN_VALUES
    assert probe["attrs"] is False
    assert probe["got"] == {
        "id": "VGFza1J1bjox",
        "task_id": "T25saW5lVGFzazox",
        "status": "QUEUED",
    }


def _api(seen: list[httpx.Request]) -> ArizeApi:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"projects": [], "pagination": {}})

    return ArizeApi(
        httpx.Client(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(answer))
    )


def test_an_enum_query_value_is_sent_in_uppercase_and_a_malformed_one_refused_unsent() -> None:
    seen: list[httpx.Request] = []
    api = _api(seen)
    api.list_page("projects", project_type="harness")
    assert seen[0].url.params["project_type"] == "HARNESS"
    with pytest.raises(
        ValidationError, match="Unknown project_type 'no pe!': use one of APPLICATION"
    ):
        api.list_page("projects", project_type="no pe!")
    assert len(seen) == 1


def test_a_value_newer_than_the_enum_is_sent_as_the_one_word_it_is() -> None:
    seen: list[httpx.Request] = []
    _api(seen).list_page("projects", project_type="agentic")
    assert seen[0].url.params["project_type"] == "AGENTIC"


def test_a_filter_the_operation_does_not_take_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="projects take no 'colour' filter"):
        _api([]).list_page("projects", colour="red")
