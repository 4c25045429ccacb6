"""SQLite storage: where the file lives, the schema, and transactions.

One connection per Store, guarded by a lock, so a Store can be shared by threads. Separate
processes share the file safely: WAL, a busy timeout, and BEGIN IMMEDIATE for every write, so
two writers queue instead of losing each other's rows.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .settings import ENV_DB, database_problem, folder_problem, schema_problem

MEMORY = ":memory:"
SCHEMA_VERSION = "1"
BUSY_TIMEOUT_MS = 30_000

Seeder = Callable[[sqlite3.Connection, float], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS spaces (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    is_private INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    project_type TEXT,
    spans_per_hour INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS dataset_versions (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    example_count INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS evaluators (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    type TEXT NOT NULL,
    data_scope TEXT NOT NULL,
    failure TEXT,
    created_by INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS evaluator_versions (
    id INTEGER PRIMARY KEY,
    evaluator_id INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS integrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    is_agent INTEGER NOT NULL,
    doc TEXT NOT NULL,
    created_by INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS experiments (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL,
    dataset_id INTEGER NOT NULL,
    dataset_version_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    example_count INTEGER NOT NULL,
    traces_project_id INTEGER,
    integration_id INTEGER,
    run_id INTEGER,
    visible_from REAL NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS experiments_name ON experiments (dataset_id, name);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    project_id INTEGER,
    dataset_id INTEGER,
    config TEXT NOT NULL,
    continuous_since REAL,
    last_run_at REAL,
    created_by INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_name ON tasks (space_id, name);
CREATE TABLE IF NOT EXISTS task_runs (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL,
    plan TEXT NOT NULL,
    slot INTEGER,
    cancelled_at REAL,
    created_by INTEGER,
    created_at REAL NOT NULL,
    UNIQUE (task_id, slot)
);
CREATE INDEX IF NOT EXISTS task_runs_task ON task_runs (task_id);
CREATE INDEX IF NOT EXISTS task_runs_followups
    ON task_runs (json_extract(plan, '$.followups_pending'));
"""

# Indexes that only make reads cheaper (no constraint), so a database made before them gains them
# when opened. An index on one column also holds the rowid, so `space_id = ? ... ORDER BY id`
# pages walk it in order and stop after the page; the partial index keeps the per-request
# look for due continuous runs from scanning every task.
_READ_INDEXES = {
    "tasks_space": "tasks (space_id)",
    "tasks_project": "tasks (project_id)",
    "tasks_dataset": "tasks (dataset_id)",
    "tasks_continuous": "tasks (continuous_since) WHERE continuous_since IS NOT NULL",
    "experiments_dataset": "experiments (dataset_id)",
    "experiments_space": "experiments (space_id)",
}


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """The ID a new row of ``table`` takes: past every ID the table ever held, deleted ones
    included, as the real service never gives an ID out twice (SQLite alone would reuse the
    highest after it is deleted)."""
    key = f"last_id:{table}"
    kept = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    highest = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]  # noqa: S608
    chosen = max(int(kept[0]) if kept else 0, int(highest)) + 1
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(chosen)))
    return chosen


def cursor_secret(conn: sqlite3.Connection) -> bytes:
    """The key that signs this database's page cursors (made when the database is)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'cursor_secret'").fetchone()
    return str(row[0]).encode() if row is not None else b""


def casefold(value: Any) -> Any:
    """SQL casefold(x): Python's str.casefold, so SQL filters match names as Python does
    (SQLite's lower() and LIKE fold ASCII only). Anything but text passes through."""
    return value.casefold() if isinstance(value, str) else value


def resolve_db_path(db_path: str | os.PathLike[str] | None = None) -> str:
    """The argument, else $AX_TASKS_SANDBOX_DB, else <user data dir>/ax-tasks/sandbox.db."""
    if db_path is None:
        db_path = os.environ.get(ENV_DB) or None
    if db_path is None:
        from platformdirs import user_data_dir

        db_path = Path(user_data_dir("ax-tasks")) / "sandbox.db"
    text = os.fspath(db_path)
    if text != MEMORY and not text.startswith("file:"):
        path = Path(text).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise folder_problem(path, exc) from None
        text = str(path)
    return text


class Store:
    """A connection to one sandbox database; one that cannot be used is refused at once with
    a :class:`~ax_tasks_mcp.sandbox.settings.SandboxSettingError` saying why."""

    def __init__(self, db_path: str | os.PathLike[str] | None = None) -> None:
        self.path = resolve_db_path(db_path)
        self._lock = threading.RLock()
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            raise database_problem(self.path, exc) from None

    def _open(self) -> None:
        self._conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            uri=self.path.startswith("file:"),
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.create_function("casefold", 1, casefold, deterministic=True)
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.path != MEMORY:
            self._enable_wal()
        self._conn.execute("PRAGMA foreign_keys = OFF")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # is it SQLite?

    def wait_for_locks(self, seconds: float) -> None:
        """How long a statement waits for another process's lock before it fails with
        "database is locked" (each request sets it from its own timeout)."""
        with self._lock:
            self._conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    def _enable_wal(self) -> None:
        # Switching to WAL needs a moment of exclusive access; another process opening the
        # same new file at the same time can make it fail once, so retry briefly.
        for attempt in range(50):
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for reading."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._commit()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once (BEGIN IMMEDIATE); rolled back on error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._commit()

    def _commit(self) -> None:
        """Commit; a transaction that cannot (a statement still running, a full disk) is rolled
        back, so its lock ends with the request: a long-lived process (the MCP server) would
        otherwise hold it for its whole life, and every other process would wait for it until
        its retry budget is spent."""
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def ensure_ready(self, seeder: Seeder, now: float) -> None:
        """Create the schema if missing and seed an empty database (idempotent)."""
        try:
            self._ensure_ready(seeder, now)
        except sqlite3.DatabaseError as exc:
            raise database_problem(self.path, exc) from None

    def _ensure_ready(self, seeder: Seeder, now: float) -> None:
        with self._lock:
            version = self._schema_version()
            if version is not None:
                if version != SCHEMA_VERSION:
                    raise schema_problem(self.path, version, SCHEMA_VERSION)
                self._add_missing_indexes()
                self._add_cursor_secret()
                return
            with self.write() as conn:
                self._create_schema(conn)
                if conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone() is None:
                    seeder(conn, now)
                    conn.execute("INSERT INTO meta (key, value) VALUES ('seeded', ?)", (str(now),))
                    conn.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                        (SCHEMA_VERSION,),
                    )

    def reset(self, seeder: Seeder, now: float) -> None:
        """Drop everything and seed again, in one transaction (only in a sandbox's database
        or an empty one: another program's tables are never dropped)."""
        try:
            self._schema_version()
            self._reset(seeder, now)
        except sqlite3.DatabaseError as exc:
            raise database_problem(self.path, exc) from None

    def _reset(self, seeder: Seeder, now: float) -> None:
        with self._lock, self.write() as conn:
            names = [
                r["name"]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            for name in names:
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            self._create_schema(conn)
            seeder(conn, now)
            conn.execute("INSERT INTO meta (key, value) VALUES ('seeded', ?)", (str(now),))
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )

    def _schema_version(self) -> str | None:
        """The schema version of a seeded database; None when it is new (or half made).  A
        database of something else (tables, none of them ours) is refused, never seeded."""
        with self.read() as conn:
            tables = {
                r["name"]
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        if "meta" not in tables:
            if tables - {"sqlite_sequence"}:
                raise database_problem(self.path, sqlite3.DatabaseError("not a sandbox database"))
            return None
        with self.read() as conn:
            seeded = conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone()
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if seeded is None:
            return None
        return str(row["value"]) if row is not None else "0"

    def _add_cursor_secret(self) -> None:
        """Give a database made before cursors were signed its key."""
        with self.read() as conn:
            if cursor_secret(conn):
                return
        with self.write() as conn:
            self._create_cursor_secret(conn)

    @staticmethod
    def _create_cursor_secret(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('cursor_secret', ?)",
            (secrets.token_hex(16),),
        )

    def _add_missing_indexes(self) -> None:
        """Create the read indexes a database made by an earlier sandbox lacks."""
        with self.read() as conn:
            present = {
                r["name"] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
            }
        if set(_READ_INDEXES) - present:
            with self.write() as conn:
                self._create_read_indexes(conn)

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        # executescript would COMMIT the open transaction, so run statement by statement.
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        Store._create_read_indexes(conn)
        Store._create_cursor_secret(conn)

    @staticmethod
    def _create_read_indexes(conn: sqlite3.Connection) -> None:
        for name, definition in _READ_INDEXES.items():
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
