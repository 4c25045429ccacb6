"""Tests for scripts/spec-drift (scripts/spec_drift.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import respx
import spec_drift
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
OURS = FIXTURES / "ours.yaml"
EQUIVALENT = FIXTURES / "upstream_equivalent.yaml"
DRIFT = FIXTURES / "upstream_drift.yaml"
CYCLES_OURS = FIXTURES / "cycles_ours.yaml"
CYCLES_UPSTREAM = FIXTURES / "cycles_upstream.yaml"
WRAPPER = Path(__file__).resolve().parents[2] / "scripts" / "spec-drift"
UPSTREAM_URL = "https://api.arize.com/v2/spec.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = spec_drift.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sections(text: str) -> dict[str, list[str]]:
    """Split the text report into {heading: [indented lines]}."""
    result: dict[str, list[str]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("  "):
            result.setdefault(heading, []).append(line.strip())
        elif line:
            heading = line
    return result


def assert_input_error(code: int, out: str, err: str, message: str) -> None:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert err.startswith("spec-drift: error: ")
    assert message in err


# --------------------------------------------------------------------------- no drift


def test_identical_specs_report_no_drift(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, OURS, "--ours", OURS)
    assert (code, err) == (0, "")
    assert out.splitlines()[2:] == [
        "operations: 4 in ours, 4 present in both, 0 removed upstream, 0 upstream not covered",
        "",
        "no drift (4 operation(s) compared)",
    ]


def test_openapi30_spelling_of_the_same_api_is_not_drift(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # nullable: true vs type [X, 'null'] / anyOf [.., null]; const vs one-value enum;
    # boolean vs numeric exclusiveMinimum; enum order; docs, examples and x-* fields;
    # inline vs $ref parameters/responses; path-level vs operation-level parameters.
    code, out, err = run(capsys, EQUIVALENT, "--ours", OURS)
    assert (code, err) == (0, "")
    assert out == (
        f"ours:     {OURS} (OpenAPI 3.1.0)\n"
        f"upstream: {EQUIVALENT} (OpenAPI 3.0.3)\n"
        "operations: 4 in ours, 4 present in both, 0 removed upstream, 1 upstream not covered\n"
        "\n"
        "not covered by ours (info, 1):\n"
        "  GET /v2/datasets\n"
        "\n"
        "no drift (4 operation(s) compared)\n"
    )


def test_json_upstream_file_is_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    upstream = tmp_path / "spec.json"
    upstream.write_text(json.dumps(yaml.safe_load(EQUIVALENT.read_text())), encoding="utf-8")
    code, out, _ = run(capsys, upstream, "--ours", OURS, "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_default_ours_is_used_without_flag(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spec_drift, "DEFAULT_OURS", OURS)
    code, out, _ = run(capsys, EQUIVALENT)
    assert code == 0
    assert out.startswith(f"ours:     {OURS} (OpenAPI 3.1.0)\n")


# --------------------------------------------------------------------------- drift


def test_full_drift_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, DRIFT, "--ours", OURS)
    assert (code, err) == (1, "")
    assert out == (
        f"ours:     {OURS} (OpenAPI 3.1.0)\n"
        f"upstream: {DRIFT} (OpenAPI 3.0.3)\n"
        "operations: 4 in ours, 3 present in both, 1 removed upstream, 1 upstream not covered\n"
        "(+ = only upstream, - = only ours)\n"
        "\n"
        "GET /v2/tasks\n"
        "  parameter query.limit → maximum: ours 100, upstream 500\n"
        '  parameter query.status: enum + "paused"\n'
        "  response 200 → properties.data.items: field - description\n"
        '  response 200 → properties.data.items.properties.status: enum + "paused"\n'
        "  response 200 → properties.next_cursor: type: ours string, upstream integer\n"
        "\n"
        "POST /v2/tasks\n"
        "  request body → oneOf: variant + type=llm_evaluation\n"
        "  request body → oneOf: variant count: ours 2, upstream 3\n"
        "  request body → oneOf[0].properties.run_configuration: required + input_variable_format\n"
        "  request body → oneOf[1].properties.code: nullable: ours false, upstream true\n"
        "  response 201: field - description\n"
        '  response 201 → properties.status: enum + "paused"\n'
        "  responses: status - 422\n"
        "\n"
        "GET /v2/tasks/{task_id}\n"
        "  response 200: field - description\n"
        '  response 200 → properties.status: enum + "paused"\n'
        "  responses: status + 429\n"
        "\n"
        "DELETE /v2/tasks/{task_id}\n"
        "  operation removed upstream\n"
        "\n"
        "not covered by ours (info, 1):\n"
        "  GET /v2/datasets\n"
        "\n"
        "drift: 16 difference(s) in 4 operation(s)\n"
    )


def test_added_enum_value(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, DRIFT, "--ours", OURS)
    lines = sections(out)
    assert 'response 200 → properties.status: enum + "paused"' in lines["GET /v2/tasks/{task_id}"]
    assert 'parameter query.status: enum + "paused"' in lines["GET /v2/tasks"]
    # reordering the other values is not reported
    assert not [line for line in out.splitlines() if "enum -" in line]


def test_removed_field(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, DRIFT, "--ours", OURS)
    lines = sections(out)
    assert "response 201: field - description" in lines["POST /v2/tasks"]
    assert "response 200 → properties.data.items: field - description" in lines["GET /v2/tasks"]


def test_changed_required_flag(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, DRIFT, "--ours", OURS)
    assert (
        "request body → oneOf[0].properties.run_configuration: required + input_variable_format"
        in sections(out)["POST /v2/tasks"]
    )


def test_status_codes_added_and_removed(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, DRIFT, "--ours", OURS)
    lines = sections(out)
    assert "responses: status + 429" in lines["GET /v2/tasks/{task_id}"]
    assert "responses: status - 422" in lines["POST /v2/tasks"]


def test_removed_operation_and_not_covered_info(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, DRIFT, "--ours", OURS)
    lines = sections(out)
    assert lines["DELETE /v2/tasks/{task_id}"] == ["operation removed upstream"]
    assert lines["not covered by ours (info, 1):"] == ["GET /v2/datasets"]


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, DRIFT, "--ours", OURS, "--format", "json")
    assert (code, err) == (1, "")
    entries = json.loads(out)
    assert len(entries) == 16
    assert all(set(e) == {"operation", "location", "kind", "ours", "upstream"} for e in entries)
    assert {
        "operation": "GET /v2/tasks",
        "location": "parameter query.limit → maximum",
        "kind": "constraint-changed",
        "ours": 100,
        "upstream": 500,
    } in entries
    assert {
        "operation": "POST /v2/tasks",
        "location": "request body → oneOf[0].properties.run_configuration",
        "kind": "required-added",
        "ours": None,
        "upstream": "input_variable_format",
    } in entries
    assert {
        "operation": "GET /v2/tasks/{task_id}",
        "location": "response 200 → properties.status",
        "kind": "enum-value-added",
        "ours": None,
        "upstream": "paused",
    } in entries
    assert {
        "operation": "DELETE /v2/tasks/{task_id}",
        "location": "operation",
        "kind": "operation-removed",
        "ours": "DELETE /v2/tasks/{task_id}",
        "upstream": None,
    } in entries
    assert {
        "operation": "POST /v2/tasks",
        "location": "request body → oneOf",
        "kind": "variant-count-changed",
        "ours": 2,
        "upstream": 3,
    } in entries
    # "not covered" upstream operations are information, not drift
    assert not [e for e in entries if e["operation"] == "GET /v2/datasets"]


def test_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, DRIFT, "--ours", OURS, "--format", "json")
    second = run(capsys, DRIFT, "--ours", OURS, "--format", "json")
    assert first == second


def test_parameter_and_request_body_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ours = {
        "openapi": "3.1.0",
        "paths": {
            "/v2/items": {
                "post": {
                    "parameters": [
                        {"name": "space_id", "in": "query", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string", "maxLength": 10},
                                        "kind": {"const": "a"},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    upstream = json.loads(json.dumps(ours))
    upstream["openapi"] = "3.0.3"
    operation = upstream["paths"]["/v2/items"]["post"]
    operation["parameters"] = [
        {"name": "space_id", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}},
    ]
    operation["requestBody"]["required"] = True
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["name"] = {"type": "string", "maxLength": 20, "pattern": "^[a-z]+$"}
    body["properties"]["kind"] = {"type": "string", "enum": ["b"]}
    (tmp_path / "ours.yaml").write_text(yaml.safe_dump(ours), encoding="utf-8")
    (tmp_path / "up.yaml").write_text(yaml.safe_dump(upstream), encoding="utf-8")

    code, out, _ = run(capsys, tmp_path / "up.yaml", "--ours", tmp_path / "ours.yaml")
    assert code == 1
    assert sections(out)["POST /v2/items"] == [
        "parameter query.space_id: required: ours false, upstream true",
        "parameters: parameter + query.page (required)",
        "parameters: parameter - query.q",
        "request body: required: ours false, upstream true",
        'request body → properties.kind: enum + "b"',
        'request body → properties.kind: enum - "a"',
        "request body → properties.name.maxLength: ours 10, upstream 20",
        "request body → properties.name.pattern: ours (none), upstream ^[a-z]+$",
    ]


def test_request_body_and_media_types_added_or_removed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def spec(version: str, operations: dict[str, object]) -> str:
        return yaml.safe_dump({"openapi": version, "paths": {"/v2/things": operations}})

    json_body = {"content": {"application/json": {"schema": {"type": "object"}}}}
    csv_body = {"content": {"text/csv": {"schema": {"type": "string"}}}}
    ok = {"200": {"description": "ok"}}
    (tmp_path / "ours.yaml").write_text(
        spec(
            "3.1.0",
            {
                "put": {"requestBody": json_body, "responses": ok},
                "patch": {"requestBody": json_body, "responses": ok},
                "get": {"responses": {"200": json_body}},
            },
        ),
        encoding="utf-8",
    )
    (tmp_path / "up.yaml").write_text(
        spec(
            "3.0.3",
            {
                "put": {"responses": ok},
                "patch": {"requestBody": json_body, "responses": ok},
                "post": {"requestBody": json_body, "responses": ok},
                "get": {"responses": {"200": csv_body}},
            },
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, tmp_path / "up.yaml", "--ours", tmp_path / "ours.yaml")
    assert code == 1
    lines = sections(out)
    assert lines["PUT /v2/things"] == ["request body: removed upstream"]
    assert lines["GET /v2/things"] == [
        "response 200: media type + text/csv",
        "response 200: media type - application/json",
    ]
    assert "PATCH /v2/things" not in lines
    assert lines["not covered by ours (info, 1):"] == ["POST /v2/things"]


def test_paths_match_regardless_of_template_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def spec(version: str, name: str) -> str:
        param = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        operation = {"parameters": [param], "responses": {"204": {"description": "gone"}}}
        return yaml.safe_dump(
            {"openapi": version, "paths": {f"/v2/x/{{{name}}}": {"delete": operation}}}
        )

    (tmp_path / "ours.yaml").write_text(spec("3.1.0", "task_id"), encoding="utf-8")
    (tmp_path / "up.yaml").write_text(spec("3.0.3", "id"), encoding="utf-8")
    code, out, _ = run(capsys, tmp_path / "up.yaml", "--ours", tmp_path / "ours.yaml")
    assert code == 1
    assert sections(out)["DELETE /v2/x/{task_id}"] == [
        "parameters: parameter + path.id (required)",
        "parameters: parameter - path.task_id",
    ]


# --------------------------------------------------------------------------- cycles


def test_ref_cycles_terminate_and_report_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, CYCLES_UPSTREAM, "--ours", CYCLES_OURS)
    assert code == 1
    assert sections(out)["GET /v2/nodes/{node_id}"] == [
        "response 200 → properties.owner: field + email"
    ]


def test_ref_cycles_against_themselves_are_no_drift(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, CYCLES_UPSTREAM, "--ours", CYCLES_UPSTREAM)
    assert code == 0
    assert out.endswith("no drift (1 operation(s) compared)\n")


# --------------------------------------------------------------------------- URL upstream


def test_url_upstream_is_fetched(capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock:
        route = respx.get(UPSTREAM_URL).mock(
            return_value=httpx.Response(200, text=DRIFT.read_text(encoding="utf-8"))
        )
        code, out, err = run(capsys, UPSTREAM_URL, "--ours", OURS)
    assert route.called
    assert (code, err) == (1, "")
    assert f"upstream: {UPSTREAM_URL} (OpenAPI 3.0.3)" in out.splitlines()
    assert "responses: status + 429" in sections(out)["GET /v2/tasks/{task_id}"]


def test_url_http_error_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock:
        respx.get(UPSTREAM_URL).mock(return_value=httpx.Response(404))
        code, out, err = run(capsys, UPSTREAM_URL, "--ours", OURS)
    assert_input_error(code, out, err, f"cannot fetch {UPSTREAM_URL}: HTTP 404 Not Found")


def test_url_connection_error_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock:
        respx.get(UPSTREAM_URL).mock(side_effect=httpx.ConnectError("connection refused"))
        code, out, err = run(capsys, UPSTREAM_URL, "--ours", OURS)
    assert_input_error(code, out, err, f"cannot fetch {UPSTREAM_URL}: connection refused")


# --------------------------------------------------------------------------- bad input


def test_missing_upstream_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, err = run(capsys, missing, "--ours", OURS)
    assert_input_error(code, out, err, f"{missing}: no such file")


def test_missing_ours_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "tasks.yaml"
    code, out, err = run(capsys, DRIFT, "--ours", missing)
    assert_input_error(code, out, err, f"{missing}: no such file")


def test_upstream_not_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, FIXTURES / "not_yaml.yaml", "--ours", OURS)
    assert_input_error(code, out, err, "not_yaml.yaml: not valid YAML or JSON: ")
    assert "(line 4)" in err


def test_upstream_not_openapi(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, FIXTURES / "not_openapi.yaml", "--ours", OURS)
    assert_input_error(
        code, out, err, "not_openapi.yaml: not an OpenAPI 3.x document (missing or bad 'openapi'"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- just\n- a list\n", "not an OpenAPI document (top level is not a mapping)"),
        ("", "not an OpenAPI document (top level is not a mapping)"),
        ("swagger: '2.0'\npaths: {}\n", "Swagger/OpenAPI 2.0 is not supported"),
        ("openapi: 3.1.0\npaths: [1, 2]\n", "not an OpenAPI document ('paths' is not a mapping)"),
        ("{not json", "not valid YAML or JSON"),
    ],
)
def test_invalid_documents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    upstream = tmp_path / "upstream.yaml"
    upstream.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, upstream, "--ours", OURS)
    assert_input_error(code, out, err, message)


def test_directory_and_binary_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, "--ours", OURS)
    assert_input_error(code, out, err, "is a directory")
    binary = tmp_path / "spec.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    code, out, err = run(capsys, binary, "--ours", OURS)
    assert_input_error(code, out, err, "not a UTF-8 text file")


def test_malformed_but_parseable_spec_does_not_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    upstream = tmp_path / "odd.yaml"
    upstream.write_text(
        "openapi: 3.0.0\n"
        "paths:\n"
        "  /v2/tasks:\n"
        "    get:\n"
        "      parameters: not-a-list\n"
        "      responses:\n"
        "        200:\n"
        "          content: {application/json: {schema: just-a-string}}\n"
        "    post: 42\n"
        "  /v2/tasks/{task_id}: [1, 2]\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, upstream, "--ours", OURS)
    assert code == 1
    assert "Traceback" not in err
    lines = sections(out)
    assert lines["POST /v2/tasks"] == ["operation removed upstream"]
    assert "responses: status - 400" in lines["GET /v2/tasks"]


def test_bad_format_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, DRIFT, "--ours", OURS, "--format", "xml")
    assert code == 2
    assert out == ""
    assert "invalid choice: 'xml'" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- wrapper


def _wrapper_env() -> dict[str, str]:
    # The shebang is `/usr/bin/env python3`: put this venv's interpreter first.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@pytest.mark.e2e  # a fresh interpreter
def test_executable_wrapper_runs(tmp_path: Path) -> None:
    assert os.access(WRAPPER, os.X_OK)
    result = subprocess.run(
        [str(WRAPPER), str(DRIFT), "--ours", str(OURS), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_wrapper_env(),
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)) == 16


@pytest.mark.e2e  # a fresh interpreter
def test_executable_wrapper_bad_input_has_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(WRAPPER), str(tmp_path / "missing.yaml"), "--ours", str(OURS)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_wrapper_env(),
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"spec-drift: error: {tmp_path / 'missing.yaml'}: no such file\n"
