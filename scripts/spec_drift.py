"""Report drift between the upstream Arize AX OpenAPI spec and our hand-written one.

Only the operations present in *our* spec are compared; upstream operations we do
not cover are listed as information, never as drift.  Documentation-only keywords
(description, summary, example(s), title, ``x-*``) are ignored, and OpenAPI 3.0
and 3.1 spellings of the same thing (``nullable: true`` vs a ``'null'`` type or
variant, ``const`` vs a one-value ``enum``, boolean vs numeric exclusive bounds)
are treated as equal.

Usage::

    scripts/spec-drift UPSTREAM [--ours openapi/tasks.yaml] [--format text|json]

Exit codes: 0 no drift, 1 drift found, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from spec_documents import (
    HTTP_METHODS,
    Difference,
    InputError,
    Operation,
    Report,
    Spec,
    as_dict,
    body_prefix,
    content_schemas,
    load_spec,
    operations_of,
    parameters_of,
)
from spec_schemas import SchemaComparer

__all__ = [
    "Difference",
    "InputError",
    "Report",
    "Spec",
    "compare_specs",
    "load_spec",
    "main",
    "render_json",
    "render_text",
]

DEFAULT_OURS = Path(__file__).resolve().parent.parent / "openapi" / "tasks.yaml"


# --------------------------------------------------------------------------- comparison


def _param_label(where: str, name: str) -> str:
    return f"{where}.{name}"


def _compare_operation(
    ours: Spec, upstream: Spec, mine: Operation, theirs: Operation
) -> list[Difference]:
    cmp = SchemaComparer(ours, upstream, mine.label)

    # Parameters, by (in, name).
    mine_params, theirs_params = parameters_of(ours, mine), parameters_of(upstream, theirs)
    for where, name in sorted(set(mine_params) - set(theirs_params)):
        cmp.add("parameters", "parameter-removed", _param_label(where, name), None)
    for where, name in sorted(set(theirs_params) - set(mine_params)):
        label = _param_label(where, name)
        if theirs_params[(where, name)].get("required") is True or where == "path":
            label += " (required)"
        cmp.add("parameters", "parameter-added", None, label)
    for where, name in sorted(set(mine_params) & set(theirs_params)):
        mp, tp = mine_params[(where, name)], theirs_params[(where, name)]
        prefix = f"parameter {_param_label(where, name)}"
        mine_required = where == "path" or mp.get("required") is True
        theirs_required = where == "path" or tp.get("required") is True
        if mine_required != theirs_required:
            cmp.add(prefix, "required-changed", mine_required, theirs_required)
        cmp.compare(_param_schema(ours, mp), _param_schema(upstream, tp), prefix)

    # Request body.
    mine_body, theirs_body = mine.op.get("requestBody"), theirs.op.get("requestBody")
    if mine_body is not None and theirs_body is None:
        cmp.add("request body", "request-body-removed", "present", None)
    elif mine_body is None and theirs_body is not None:
        cmp.add("request body", "request-body-added", None, "present")
    elif mine_body is not None and theirs_body is not None:
        mine_required = as_dict(ours.deref(mine_body)).get("required") is True
        theirs_required = as_dict(upstream.deref(theirs_body)).get("required") is True
        if mine_required != theirs_required:
            cmp.add("request body", "required-changed", mine_required, theirs_required)
        _compare_content(cmp, ours, upstream, mine_body, theirs_body, "request body")

    # Responses, by status code.
    mine_responses = {str(k): v for k, v in as_dict(mine.op.get("responses")).items()}
    theirs_responses = {str(k): v for k, v in as_dict(theirs.op.get("responses")).items()}
    for status in sorted(set(mine_responses) - set(theirs_responses)):
        cmp.add("responses", "status-removed", status, None)
    for status in sorted(set(theirs_responses) - set(mine_responses)):
        cmp.add("responses", "status-added", None, status)
    for status in sorted(set(mine_responses) & set(theirs_responses)):
        _compare_content(
            cmp,
            ours,
            upstream,
            mine_responses[status],
            theirs_responses[status],
            f"response {status}",
        )
    return cmp.found


def _param_schema(spec: Spec, param: dict[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    schemas = content_schemas(spec, param)
    return next(iter(schemas.values()), {})


def _compare_content(
    cmp: SchemaComparer,
    ours: Spec,
    upstream: Spec,
    mine: Any,
    theirs: Any,
    base: str,
) -> None:
    mine_media, theirs_media = content_schemas(ours, mine), content_schemas(upstream, theirs)
    for media in sorted(set(mine_media) - set(theirs_media)):
        cmp.add(base, "media-type-removed", media, None)
    for media in sorted(set(theirs_media) - set(mine_media)):
        cmp.add(base, "media-type-added", None, media)
    common = sorted(set(mine_media) & set(theirs_media))
    for media in common:
        prefix = body_prefix(base, media, common)
        cmp.compare(mine_media[media], theirs_media[media], prefix)


def compare_specs(ours: Spec, upstream: Spec) -> Report:
    """Compare the operations of ``ours`` against ``upstream``."""
    mine_ops, theirs_ops = operations_of(ours), operations_of(upstream)
    differences: list[Difference] = []
    compared: list[str] = []
    removed: list[str] = []
    for key in sorted(mine_ops, key=lambda k: (mine_ops[k].path, HTTP_METHODS.index(k[0]))):
        mine = mine_ops[key]
        theirs = theirs_ops.get(key)
        if theirs is None:
            removed.append(mine.label)
            differences.append(
                Difference(mine.label, "operation", "operation-removed", mine.label, None)
            )
            continue
        compared.append(mine.label)
        differences.extend(
            sorted(_compare_operation(ours, upstream, mine, theirs), key=Difference.sort_key)
        )
    not_covered = [
        theirs_ops[k].label
        for k in sorted(theirs_ops, key=lambda k: (theirs_ops[k].path, HTTP_METHODS.index(k[0])))
        if k not in mine_ops
    ]
    # Identical differences can arise when one schema is reached twice; keep one.
    unique = list({(d.operation, *d.sort_key()): d for d in differences}.values())
    return Report(unique, compared, removed, not_covered)


# --------------------------------------------------------------------------- rendering

_LABELS = {
    "field-added": "field",
    "field-removed": "field",
    "required-added": "required",
    "required-removed": "required",
    "enum-value-added": "enum",
    "enum-value-removed": "enum",
    "enum-changed": "enum",
    "parameter-added": "parameter",
    "parameter-removed": "parameter",
    "status-added": "status",
    "status-removed": "status",
    "media-type-added": "media type",
    "media-type-removed": "media type",
    "variant-added": "variant",
    "variant-removed": "variant",
    "variant-count-changed": "variant count",
    "type-changed": "type",
    "nullable-changed": "nullable",
    "required-changed": "required",
    "additional-properties-changed": "additionalProperties",
    "unresolved-ref": "unresolved $ref",
    "constraint-changed": "",
}


def _show(kind: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str) and not kind.startswith("enum"):
        return value
    return json.dumps(value, default=str)


def _describe(difference: Difference) -> str:
    kind, ours, upstream = difference.kind, difference.ours, difference.upstream
    if kind == "operation-removed":
        return "operation removed upstream"
    if kind in ("request-body-added", "request-body-removed"):
        return f"{difference.location}: {kind.rsplit('-', 1)[1]} upstream"
    label = _LABELS.get(kind, kind)
    if kind.endswith("-added") and ours is None:
        text = f"{label} + {_show(kind, upstream)}"
    elif kind.endswith("-removed") and upstream is None:
        text = f"{label} - {_show(kind, ours)}"
    else:
        change = f"ours {_show(kind, ours)}, upstream {_show(kind, upstream)}"
        text = f"{label}: {change}" if label else change
    return f"{difference.location}: {text}"


def render_text(report: Report, ours: Spec, upstream: Spec) -> str:
    """Human-readable report, grouped by operation."""
    lines = [
        f"ours:     {ours.source} (OpenAPI {ours.version})",
        f"upstream: {upstream.source} (OpenAPI {upstream.version})",
        f"operations: {len(report.compared) + len(report.removed)} in ours,"
        f" {len(report.compared)} present in both, {len(report.removed)} removed upstream,"
        f" {len(report.not_covered)} upstream not covered",
    ]
    if report.has_drift:
        lines.append("(+ = only upstream, - = only ours)")
        by_operation: dict[str, list[Difference]] = {}
        for difference in report.differences:
            by_operation.setdefault(difference.operation, []).append(difference)
        for operation, differences in by_operation.items():
            lines.append("")
            lines.append(operation)
            lines.extend(f"  {_describe(d)}" for d in differences)
    if report.not_covered:
        lines.append("")
        lines.append(f"not covered by ours (info, {len(report.not_covered)}):")
        lines.extend(f"  {label}" for label in report.not_covered)
    lines.append("")
    if report.has_drift:
        operations = len({d.operation for d in report.differences})
        lines.append(f"drift: {len(report.differences)} difference(s) in {operations} operation(s)")
    else:
        lines.append(f"no drift ({len(report.compared)} operation(s) compared)")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """JSON list of differences (``not covered`` operations are not drift, so omitted)."""
    return json.dumps([d.as_dict() for d in report.differences], indent=2, default=str) + "\n"


# --------------------------------------------------------------------------- CLI


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spec-drift",
        description=(
            "Report drift between an upstream Arize AX OpenAPI spec and ours, "
            "on the operations ours covers. Exit 0: no drift, 1: drift, 2: input error."
        ),
    )
    parser.add_argument("upstream", metavar="UPSTREAM", help="upstream spec: file path or URL")
    parser.add_argument(
        "--ours",
        default=None,
        help="our spec (default: openapi/tasks.yaml in the repository)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    ours_source = args.ours if args.ours is not None else str(DEFAULT_OURS)
    try:
        ours = load_spec(ours_source)
        upstream = load_spec(args.upstream)
    except InputError as exc:
        print(f"spec-drift: error: {exc}", file=sys.stderr)
        return 2
    report = compare_specs(ours, upstream)
    if args.format == "json":
        out.write(render_json(report))
    else:
        out.write(render_text(report, ours, upstream))
    return 1 if report.has_drift else 0


if __name__ == "__main__":
    sys.exit(main())
