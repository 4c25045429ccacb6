"""Tasks as code: export, plan and apply.

``export`` writes a space's tasks as a file; ``plan -f FILE`` shows what ``apply -f FILE`` would
do to make the space match it.  Everything in the files is checked before the first request (a
bad file is one line, ``file:line:column``, and exit 2); a plan only reads; apply asks on a
terminal, needs --yes in a script, and --replace and --prune for the changes that lose run
history.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ax_tasks_cli import exitcodes
from ax_tasks_cli.asking import ask_or_decline, require_terminal
from ax_tasks_cli.errors import CliProblem, UsageProblem, describe
from ax_tasks_cli.options import command
from ax_tasks_cli.output import check_writable
from ax_tasks_cli.runtime import Session, command_session

if TYPE_CHECKING:
    from ax_tasks_cli.plan_view import StepLine
    from ax_tasks_mcp import ApplyReport, Plan, SpaceTasks

__all__ = ["COMMANDS"]

_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_SHOWN_STEPS = 10

Files = Annotated[
    list[str],
    typer.Option(
        "--file",
        "-f",
        metavar="FILE",
        help="A tasks file (YAML, or JSON by extension); repeat for several, - for stdin.",
    ),
]
DefaultSpace = Annotated[
    str | None,
    typer.Option(
        "--space",
        "-s",
        metavar="SPACE",
        help="Space of a file that names none (default: the profile's space or ARIZE_SPACE).",
    ),
]
Prune = Annotated[
    bool,
    typer.Option(
        "--prune",
        help="Include deleting the tasks of the files' spaces that no file names (they lose "
        "their runs).",
    ),
]
PlanOutput = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FORMAT",
        help="table (the readable plan) or json. Default: table on a terminal, json otherwise.",
    ),
]


class ApplyStopped(CliProblem):
    """Some writes of an apply landed, then one failed: exit 8, naming both."""

    exit_code = exitcodes.LANDED
    kind = "write_landed"


def _load(files: list[str]) -> list[SpaceTasks]:
    """The files, read and checked before anything is sent."""
    from ax_tasks_mcp import MAX_TASKS_FILE_BYTES, load_tasks

    texts: list[tuple[str, str | bytes]] = []
    paths: list[str] = []
    for name in files:
        if name == "-":  # read once, bounded: a larger input is refused, not cut
            texts.append(("<stdin>", sys.stdin.buffer.read(MAX_TASKS_FILE_BYTES + 1)))
        else:
            paths.append(name)
    return load_tasks(paths, texts)


def _plan(session: Session, files: list[str], space: str | None, prune: bool) -> Plan:
    from ax_tasks_mcp import plan_tasks

    spaces = _load(files)
    line = _step_line(session)
    try:
        return plan_tasks(
            session.service(), spaces, prune=prune, space=session.space(space), on_progress=line
        )
    finally:
        line.finish()


def _step_line(session: Session) -> StepLine:
    from ax_tasks_cli.plan_view import StepLine

    return StepLine(session.progress())


_PLAN_FORMATS = ("table", "json")


def _plan_output(output: str | None) -> str | None:
    """-o of plan and apply, for the session (errors follow it: text or JSON); any other
    value is refused by :func:`_machine` inside the session."""
    known = output is not None and output.strip().lower() in _PLAN_FORMATS
    return output if known else None


def _machine(session: Session, output: str | None) -> bool:
    """JSON unless a person reads stdout, or the table was asked for."""
    if output is not None and output.strip().lower() not in _PLAN_FORMATS:
        raise UsageProblem(f"--output: {output!r} is not table or json.")
    return session.choice.format == "json"


def _show(session: Session, found: Plan) -> None:
    from ax_tasks_cli.plan_view import render_plan

    session.stdout.write(render_plan(found, color=session.runtime.color("stdout")))
    session.stdout.flush()


def _write_json(session: Session, data: object) -> None:
    session.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    session.stdout.flush()


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------


@command(
    "export",
    "ax-tasks export --space demo > tasks.yaml",
    "ax-tasks export -s demo -o tasks.yaml",
    "ax-tasks export -s demo --task chatbot-hallucination -o one.json",
)
def export(
    ctx: typer.Context,
    space: Annotated[
        list[str] | None,
        typer.Option(
            "--space",
            "-s",
            metavar="SPACE",
            help="Space to export, by name or ID; repeat for several (default: the profile's "
            "space or ARIZE_SPACE).",
        ),
    ] = None,
    task: Annotated[
        list[str] | None,
        typer.Option(
            "--task", "-t", metavar="TASK", help="Only this task (name or ID); repeat for more."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FORMAT|FILE",
            help="yaml (default) or json on stdout, or a file: .yaml, .yml or .json (written "
            "whole or not at all).",
        ),
    ] = None,
) -> None:
    """Write the tasks of a space to a file that plan and apply read back.

    References are written by name where the name is unique, read-only fields are left out
    (the task's ID stays, so a new name is a rename), and the first line names the file's
    JSON Schema for editors.
    """
    with command_session(ctx, notice=False) as session:
        from ax_tasks_cli.columns import noun
        from ax_tasks_mcp import dump_tasks, export_tasks

        fmt, path = _export_target(output)
        spaces = [session.space(s) for s in space or []] or [None]
        line = _step_line(session)
        try:
            result = export_tasks(session.service(), spaces, tasks=task or [], on_progress=line)
        finally:
            line.finish()
        for skipped in result.skipped:
            session.warn(f"Left out {skipped} (a task type this version cannot write).")
        text = dump_tasks(result, fmt)
        if path is None:
            session.stdout.write(text)
            session.stdout.flush()
            return
        write_whole(path, text)
        session.warn(f"Wrote {result.count} {noun('task', result.count)} to {path}")


def _export_target(output: str | None) -> tuple[str, Path | None]:
    if output is None or not output.strip() or output.strip().lower() == "yaml":
        return "yaml", None
    if output.strip().lower() == "json":
        return "json", None
    path = Path(output.strip()).expanduser()
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageProblem(
            f"--output: {output!r} is neither yaml, json nor a file ending in .yaml, .yml or .json."
        )
    check_writable(path, output)
    return fmt, path


def write_whole(path: Path, text: str) -> None:
    """Write beside, then rename over: a reader (or a full disk) never sees half a file."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the rename
        "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        raise UsageProblem(
            f"--output: cannot write {str(path)!r}: {exc.strerror or exc}."
        ) from None


# --------------------------------------------------------------------------------------------
# plan
# --------------------------------------------------------------------------------------------


@command(
    "plan",
    "ax-tasks plan -f tasks.yaml",
    "ax-tasks plan -f tasks.yaml --prune -o json",
    "ax-tasks plan -f tasks.yaml --exit-code   # exit 9 when there are changes",
)
def plan(
    ctx: typer.Context,
    file: Files,
    space: DefaultSpace = None,
    prune: Prune = False,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=f"Exit {exitcodes.CHANGES} when the plan has changes, 0 when it has none "
            "(for CI).",
        ),
    ] = False,
    output: PlanOutput = None,
) -> None:
    """Show what apply would change, task by task (reads only).

    Per task: create, update (field by field, old → new), replace (a field that cannot change
    in place), delete (with --prune) or unchanged; the last line sums it up.
    """
    with command_session(ctx, _plan_output(output)) as session:
        machine = _machine(session, output)
        found = _plan(session, file, space, prune)
        if machine:
            _write_json(session, found.to_dict())
        else:
            _show(session, found)
        if exit_code and found.has_changes:
            raise typer.Exit(exitcodes.CHANGES)


# --------------------------------------------------------------------------------------------
# apply
# --------------------------------------------------------------------------------------------


@command(
    "apply",
    "ax-tasks apply -f tasks.yaml",
    "ax-tasks apply -f tasks.yaml --yes",
    "ax-tasks apply -f tasks.yaml --prune --replace --yes",
)
def apply(
    ctx: typer.Context,
    file: Files,
    space: DefaultSpace = None,
    prune: Prune = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Allow replacing (deleting and re-creating) tasks whose type, project, dataset "
            "or experiments changed; they lose their runs.",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Apply without asking (for scripts and CI).")
    ] = False,
    output: PlanOutput = None,
) -> None:
    """Make the spaces match the files (shows the plan, asks first).

    Creates, updates, replaces (--replace) and deletes (--prune) tasks. On a terminal it asks
    first; elsewhere it refuses unless --yes is given. A second apply of the same files changes
    nothing.
    """
    with command_session(ctx, _plan_output(output)) as session:
        machine = _machine(session, output)
        if not yes:
            require_terminal(
                session, "apply", "Pass --yes to apply, or run plan to see the changes first."
            )
        found = _plan(session, file, space, prune)
        if not found.has_changes:
            if machine:
                _write_json(session, {"plan": found.to_dict(), "applied": {"landed": []}})
            session.warn(f"No changes: the spaces match the files ({found.summary()}).")
            return
        found.check_replace(replace)
        if not machine:
            _show(session, found)
        elif not yes:  # JSON is for after; the question needs the plan in words
            from ax_tasks_cli.plan_view import render_plan

            session.stderr.write(render_plan(found))
        if not yes:
            ask_or_decline(session, "Apply these changes?", "Nothing was changed.")
        report = _apply(session, found, replace)
        if machine:
            _write_json(session, {"plan": found.to_dict(), "applied": report.to_dict()})
        _outcome(session, report)


def _apply(session: Session, found: Plan, replace: bool) -> ApplyReport:
    from ax_tasks_mcp import apply_plan

    line = _step_line(session)
    try:
        return apply_plan(session.service(), found, replace=replace, on_progress=line)
    finally:
        line.finish()


def _outcome(session: Session, report: ApplyReport) -> None:
    """Say what was done; a failure names what landed (exit 8) or is the failure itself."""
    said = report.summary()
    if report.failed is None:
        session.warn(f"Applied: {said}.")
        return
    change, failed_step, error = report.failed
    if not report.landed:
        raise error
    done = report.done()
    landed = done[:_SHOWN_STEPS]
    more = len(done) - len(landed)
    listing = "; ".join(landed) + (f"; and {more} more" if more else "")
    reason = str(describe(error).get("message") or type(error).__name__)
    raise ApplyStopped(
        f"Apply stopped: {failed_step} {change.label} failed: {reason.rstrip('.')}. Landed "
        f"({said}): {listing}. Not tried: {len(report.not_tried)}. Run apply again to finish: "
        "it plans from what is there now."
    )


COMMANDS = (export, plan, apply)
