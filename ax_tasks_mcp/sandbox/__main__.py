"""python -m ax_tasks_mcp.sandbox serve|info|reset"""

from __future__ import annotations

import argparse
import json
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ax_tasks_mcp.sandbox",
        description="A local, Arize-compatible tasks service on SQLite.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "SQLite file (default: $AX_TASKS_SANDBOX_DB or the user data dir)"

    serve = commands.add_parser("serve", help="serve the API over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--db", dest="db_path", help=db_help)
    serve.add_argument("--speed", type=float, default=None, help="run-time speed factor")
    serve.add_argument("--fault-rate", type=float, default=0.0, help="share answered 503/429")
    serve.add_argument("--fault-seed", type=int, default=None, help="seed for fault choice")
    serve.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    serve.add_argument("--hang", action="store_true", help="accept requests, answer none")
    serve.add_argument("--hang-seconds", type=float, default=None, help="answer after this")
    serve.add_argument("--allow-remote", action="store_true", help="allow a non-loopback host")
    serve.add_argument("--log-level", default="warning")
    serve.add_argument(
        "--future",
        action="store_true",
        default=None,
        help="answer as a next API release might: extra fields, a new task type and run status",
    )
    serve.add_argument("--api-key", help="accept only this key (401 for others)")
    serve.add_argument("--read-only-key", help="a key whose writes get 403")
    serve.add_argument("--access-log", action="store_true", help="one line per request on stderr")

    info = commands.add_parser("info", help="list what the sandbox holds, with IDs")
    info.add_argument("--db", dest="db_path", help=db_help)
    info.add_argument("--json", action="store_true", help="print JSON")

    reset = commands.add_parser("reset", help="wipe the database and seed it again")
    reset.add_argument("--db", dest="db_path", help=db_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .serve import PortUnavailable, RemoteHostRefused

    try:
        return _run(args)
    except RemoteHostRefused as exc:
        print(f"error: {exc} Pass --allow-remote if you really mean it.", file=sys.stderr)
        return 2
    except PortUnavailable as exc:
        print(f"error: {exc}; stop what holds it or choose another --port.", file=sys.stderr)
        return 1
    except ValueError as exc:  # a setting that cannot work (speed, database)
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from .serve import serve

        try:
            serve(
                host=args.host,
                port=args.port,
                db_path=args.db_path,
                fault_rate=args.fault_rate,
                latency=args.latency,
                hang=args.hang,
                speed=args.speed,
                allow_remote=args.allow_remote,
                fault_seed=args.fault_seed,
                hang_seconds=args.hang_seconds,
                log_level=args.log_level,
                future=args.future,
                api_key=args.api_key,
                read_only_key=args.read_only_key,
                access_log=args.access_log,
            )
        except KeyboardInterrupt:  # stopped with Ctrl-C: the conventional 128 + SIGINT
            return 130
        return 0
    if args.command == "info":
        from .admin import format_info, info

        summary = info(args.db_path)
        print(json.dumps(summary, indent=2) if args.json else format_info(summary))
        return 0
    from .admin import reset

    reset(args.db_path)
    print("sandbox reset and seeded again", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
