"""Fuzzing the CLI: arguments and JSON arguments against the embedded sandbox.

Whatever the arguments, ``ax-tasks`` must never show a traceback: it either succeeds or prints a
clear message and exits with a documented code (0-7, 130).  ``--verbose`` is left out: it adds
the traceback of a service error to the message on purpose (cli/ax_tasks_cli/errors.py, show_error).
Examples are deterministic (``derandomize``) and modest in number; file output goes to a
temporary directory, and the arguments are kept from naming absolute paths, so nothing outside
it is written.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime
from tests.fuzz.conftest import VirtualTime
from tests.support.fuzz_depth import examples

pytestmark = pytest.mark.fuzz

ALLOWED_EXIT_CODES = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 130})
#: Commands that serve forever (or start another program); not fuzzed.
SKIPPED_COMMANDS = frozenset({"mcp", "sandbox serve"})
NUMERIC_OPTIONS = frozenset(
    {"limit", "max_spans", "max_examples", "sampling_rate", "timeout", "poll_interval"}
)
JSON_OPTIONS = frozenset({"evaluators", "run_configuration", "query_filters", "tracing_metadata"})
TIME_OPTIONS = frozenset({"data_start_time", "data_end_time"})
#: Safe -o values: formats, and relative files (the test runs in a temporary directory).
OUTPUTS = ["table", "json", "yaml", "ndjson", "csv", "JSON", "xml", "", "out.json", "out.yaml"]
OUTPUTS += ["out.ndjson", "out.csv", "out.txt", "out.weird", "out", "sub/out.json"]
JSON_KEYS = [
    "evaluator_id",
    "evaluator",
    "evaluator_version_id",
    "column_mappings",
    "query_filter",
    "query_mappings",
    "variable_name",
    "query_ids",
    "attribute_path",
    "filters",
    "id",
    "filter",
    "expression",
    "experiment_type",
    "ai_integration_id",
    "integration_id",
    "model_name",
    "messages",
    "role",
    "content",
    "input_variable_format",
    "invocation_parameters",
    "provider_parameters",
    "template",
    "provide_explanation",
    "classification_choices",
    "input_template",
]
ODD_WORDS = [
    "",
    " ",
    "-",
    "--",
    "@",
    "@missing.json",
    "{}",
    "[]",
    "null",
    "[{}]",
    '{"a": 1',
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "true",
    "x" * 300,
    "名前",
    "naïve",
    "2026-03-01T00:00:00Z",
    "2026-03-01",
    "yesterday",
    "template_evaluation",
    "RUN_EXPERIMENT",
    "completed",
    "VGFza1J1bjo5OTpxUndY",
    "T25saW5lVGFzazo0NTpxUndY",
    "TW9kZWw6MTIzOmFCY0Q=",
    "not base64!",
]
#: Plain text that cannot name an absolute or home path.
SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/\\~"),
    max_size=30,
)

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _commands() -> dict[str, Any]:
    root = typer.main.get_command(app)
    found: dict[str, Any] = {}
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            for sub_name, sub_command in sub.items():
                found[f"{name} {sub_name}"] = sub_command
        else:
            found[name] = command
    return {k: v for k, v in found.items() if k not in SKIPPED_COMMANDS}


COMMANDS = _commands()


def json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**40), 2**40)
        | st.floats(allow_nan=False, allow_infinity=False)
        | SAFE_TEXT
        | st.sampled_from(ODD_WORDS[:12])
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.sampled_from(JSON_KEYS) | SAFE_TEXT, children, max_size=5)
        ),
        max_leaves=12,
    )


def json_texts(words: list[str]) -> st.SearchStrategy[str]:
    """JSON argument text: valid JSON of every shape, near-misses, and broken JSON."""
    valid = json_values().map(json.dumps)
    shaped = st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "evaluator": st.sampled_from(words),
                "evaluator_id": st.sampled_from(words),
                "column_mappings": st.dictionaries(SAFE_TEXT, SAFE_TEXT, max_size=2),
                "query_filter": st.none() | SAFE_TEXT,
                "experiment_type": st.sampled_from(["llm_generation", "AGENT_CALL", "x"]),
                "ai_integration_id": st.sampled_from(words),
                "messages": st.lists(
                    st.fixed_dictionaries(
                        {"role": st.sampled_from(["user", "SYSTEM", "x"]), "content": SAFE_TEXT}
                    ),
                    max_size=2,
                ),
            },
        ),
        max_size=3,
    )
    shaped_text = (shaped | shaped.map(lambda items: items[0] if items else {})).map(json.dumps)
    broken = valid.map(lambda text: text[:-1] if len(text) > 1 else "{") | st.sampled_from(
        ["{", "[1,", "{'a': 1}", "@nofile.json", "-", "", "   ", "nul", "[{]}"]
    )
    return st.one_of(shaped_text, valid, broken)


def tame_value(name: str, words: list[str]) -> st.SearchStrategy[str]:
    """Plausible values only, so that more cases get past argument checks to the service."""
    if name in NUMERIC_OPTIONS:
        if name == "sampling_rate":
            return st.floats(0, 1).map(lambda x: f"{x:.2f}")
        if name in ("timeout", "poll_interval"):
            return st.sampled_from(["1", "0.5", "30", "600"])
        return st.integers(1, 100).map(str)
    if name in TIME_OPTIONS:
        return st.sampled_from(["2026-03-01T00:00:00Z", "2026-03-02T00:00:00+00:00"])
    if name in JSON_OPTIONS:
        return json_texts(words)
    if name == "output":
        return st.sampled_from(["json", "table", "ndjson", "csv", "yaml"])
    if name == "db":
        return st.just("fuzz.db")
    if name in ("task_type", "status"):
        return st.sampled_from(["template_evaluation", "RUN_EXPERIMENT", "completed", "failed"])
    return st.sampled_from(words)


def option_value(name: str, words: list[str]) -> st.SearchStrategy[str]:
    odd = st.sampled_from(ODD_WORDS) | SAFE_TEXT
    if name in NUMERIC_OPTIONS:
        numbers = st.integers(-5, 200).map(str) | st.floats(
            allow_nan=True, allow_infinity=False
        ).map(repr)
        return numbers | odd
    if name in JSON_OPTIONS:
        return json_texts(words)
    if name in TIME_OPTIONS:
        return (
            st.datetimes().map(lambda d: d.isoformat())
            | st.sampled_from(["2026-03-01T00:00:00Z", "now", "2026-13-01T00:00:00Z"])
            | odd
        )
    if name == "output":
        return st.sampled_from(OUTPUTS)
    if name == "db":
        return st.sampled_from(["fuzz.db", "sub/fuzz.db"])
    return st.sampled_from(words) | odd


def check_result(result: Result, args: list[str], outcomes: Counter[str] | None = None) -> None:
    """No traceback; a documented exit code; a failure always says what went wrong."""
    if outcomes is not None:
        outcomes[f"CLI exit {result.exit_code}"] += 1
    shown = f"args={args!r}\nexit={result.exit_code}\nstdout={result.stdout[-2000:]!r}"
    shown += f"\nstderr={result.stderr[-2000:]!r}"
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), (
        f"uncaught {exception!r}\n{shown}"
    )
    assert result.exit_code in ALLOWED_EXIT_CODES, shown
    for text in (result.stdout, result.stderr):
        assert "Traceback (most recent call last)" not in text, shown
    if result.exit_code != 0:
        message = result.stderr.strip()
        assert message, f"a failure with no message\n{shown}"
        assert "internal_error" not in message, shown
        assert "Re-run with --verbose to see the details" not in message, shown


def invoke(args: list[str], db: Path) -> Result:
    runtime = Runtime(service_options=VirtualTime().options())
    env = {
        "AX_TASKS_SANDBOX_DB": str(db),
        "AX_TASKS_NO_ALPHA_NOTICE": "1",
        "AX_TASKS_CONFIG_DIR": str(db.parent / "config"),
        "ARIZE_API_KEY": None,
        "ARIZE_PROFILE": None,
        "ARIZE_SPACE": None,
        "ARIZE_BASE_URL": None,
        "NO_COLOR": "1",
    }
    return CliRunner().invoke(app, args, env=env, obj=runtime, catch_exceptions=True)


def draw_command(data: st.DataObject, words: list[str]) -> list[str]:
    path = data.draw(st.sampled_from(sorted(COMMANDS)), label="command")
    command = COMMANDS[path]
    args = ["--sandbox", *path.split()]
    tame = data.draw(st.booleans(), label="tame")
    value = tame_value if tame else option_value
    for param in command.params:
        name = param.name or ""
        if param.param_type_name == "argument":
            if data.draw(st.integers(0, 9)) > 0:
                args.append(data.draw(value(name, words), label=name))
            continue
        wanted = tame and bool(getattr(param, "required", False))
        if not wanted and data.draw(st.integers(0, 3)) != 0:
            continue
        options = list(param.opts) + list(getattr(param, "secondary_opts", []) or [])
        flag = data.draw(st.sampled_from(options), label=f"{name} flag")
        if getattr(param, "is_flag", False):
            args.append(flag)
        else:
            args += [flag, data.draw(value(name, words), label=name)]
    if data.draw(st.integers(0, 9)) == 0:
        args += data.draw(st.lists(st.sampled_from(ODD_WORDS) | SAFE_TEXT, max_size=3))
    return args


@settings(FUZZ, max_examples=examples(120))
@given(data=st.data())
def test_cli_arguments_never_give_a_traceback(
    data: st.DataObject,
    sandbox_db: Path,
    vocabulary: list[str],
    run_ids: list[str],
    workdir: Path,
    fuzz_cases: Counter[str],
    fuzz_outcomes: Counter[str],
) -> None:
    words = vocabulary + run_ids
    args = draw_command(data, words)
    fuzz_cases["CLI arguments (per command)"] += 1
    check_result(invoke(args, sandbox_db), args, fuzz_outcomes)


@settings(FUZZ, max_examples=examples(40))
@given(
    tokens=st.lists(
        st.sampled_from([*ODD_WORDS, "--all", "-o", "--limit", "--space", "demo", "list"])
        | SAFE_TEXT.filter(lambda t: t.strip() not in SKIPPED_COMMANDS and t != "mcp"),
        max_size=6,
    )
)
def test_random_argument_lists_never_give_a_traceback(
    tokens: list[str],
    sandbox_db: Path,
    workdir: Path,
    fuzz_cases: Counter[str],
    fuzz_outcomes: Counter[str],
) -> None:
    args = ["--sandbox", *tokens]
    fuzz_cases["CLI arguments (random lists)"] += 1
    check_result(invoke(args, sandbox_db), args, fuzz_outcomes)


def _json_command(data: st.DataObject, words: list[str]) -> list[str]:
    text = data.draw(json_texts(words), label="json")
    unique = f"fuzz-{data.draw(st.integers(0, 10**9))}"
    choice = data.draw(st.integers(0, 6), label="shape")
    dry = ["--dry-run"] if data.draw(st.booleans()) else []
    if choice == 0:
        return [
            "create-evaluation",
            "--name",
            unique,
            "--task-type",
            "template_evaluation",
            "--space",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            text,
            *dry,
        ]
    if choice == 1:
        return [
            "create-run-experiment",
            "--name",
            unique,
            "--space",
            "production-llm",
            "--dataset",
            "checkout-regressions",
            "--run-configuration",
            text,
            *dry,
        ]
    if choice == 2:
        kind = data.draw(st.sampled_from(["template_evaluation", "run_experiment", "code"]))
        target = data.draw(st.sampled_from([["--project", "chatbot"], ["--dataset", "qa-golden"]]))
        option = data.draw(st.sampled_from(["--evaluators", "--run-configuration"]))
        return [
            "create",
            "--name",
            unique,
            "--task-type",
            kind,
            "--space",
            "demo",
            *target,
            option,
            text,
            *dry,
        ]
    if choice == 3:
        return ["update", "chatbot-hallucination", "--space", "demo", "--evaluators", text, *dry]
    if choice == 4:
        return ["update", "chatbot-hallucination", "--space", "demo", "--query-filters", text, *dry]
    if choice == 5:
        return [
            "update",
            "checkout-nightly-generation",
            "--space",
            "production-llm",
            "--run-configuration",
            text,
            *dry,
        ]
    return [
        "trigger-run",
        "checkout-nightly-generation",
        "--space",
        "production-llm",
        "--experiment-name",
        unique,
        "--tracing-metadata",
        text,
        *dry,
    ]


@settings(FUZZ, max_examples=examples(100))
@given(data=st.data())
def test_json_arguments_never_give_a_traceback(
    data: st.DataObject,
    sandbox_db: Path,
    vocabulary: list[str],
    workdir: Path,
    fuzz_cases: Counter[str],
    fuzz_outcomes: Counter[str],
) -> None:
    args = ["--sandbox", *_json_command(data, vocabulary)]
    if data.draw(st.integers(0, 3)) == 0:
        args += ["-o", data.draw(st.sampled_from(["json", "table", "yaml"]))]
    fuzz_cases["CLI JSON arguments"] += 1
    check_result(invoke(args, sandbox_db), args, fuzz_outcomes)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--sandbox", "list", "--limit", "0"], 2),
        (["--sandbox", "get", "no-such-task", "--space", "demo"], 4),
        (
            [
                "--sandbox",
                "create-evaluation",
                "--name",
                "x",
                "--task-type",
                "template_evaluation",
                "--space",
                "demo",
                "--project",
                "chatbot",
                "--evaluators",
                "[1",
            ],
            2,
        ),
        (["--sandbox", "get-run", "not-an-id"], 2),
        (["--sandbox", "nope"], 2),
    ],
)
def test_known_mistakes_give_their_documented_exit_code(
    args: list[str], code: int, sandbox_db: Path, workdir: Path
) -> None:
    result = invoke(args, sandbox_db)
    check_result(result, args)
    assert result.exit_code == code
