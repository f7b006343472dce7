"""Database URLs, engines and the few dialect differences the store has to know about.

Everything above this module is SQLAlchemy Core that runs unchanged on SQLite and PostgreSQL. What is
dialect-specific lives here (connection PRAGMAs, how a transaction begins, the insert construct with
ON CONFLICT, the bind-parameter limit) or behind an explicit ``dialect == "sqlite"`` check in the module
that needs it (FTS5 in ``articles.py`` and ``migrations.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..errors import StorageError

T = TypeVar("T")

DEFAULT_DB_URL = "sqlite:///conflictlens.db"
ENV_VAR = "CONFLICTLENS_DB"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
# Execution option read by the "begin" hook: "IMMEDIATE" takes SQLite's write lock at BEGIN, so two
# writers queue on busy_timeout instead of failing when a read transaction tries to upgrade.
BEGIN_OPTION = "conflictlens_begin"
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def resolve_db_url(url: str | None = None) -> str:
    """The database URL to use: ``url`` if given, else ``$CONFLICTLENS_DB``, else ``DEFAULT_DB_URL``.

    A bare file path (no ``://``) means a SQLite file. Raises ``StorageError`` E201 for a URL that does not
    parse or names a backend other than SQLite or PostgreSQL.
    """
    chosen = url if url is not None else os.environ.get(ENV_VAR) or DEFAULT_DB_URL
    chosen = chosen.strip()
    if not chosen:
        raise StorageError("E201", "empty database URL")
    if "://" not in chosen:
        chosen = f"sqlite:///{chosen}"
    parsed = _parse(chosen)
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise StorageError("E201", f"unsupported backend {parsed.get_backend_name()!r} in {_safe(parsed)}")
    return chosen


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
        parsed.get_dialect()  # unknown backend or driver names fail here, not at the first query
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StorageError("E201", f"{url!r}: {exc}") from exc
    return parsed


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for a resolved URL, with our per-connection settings installed."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+pysqlite")
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            try:
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError("E201", f"{_safe(parsed)}: {exc}") from exc
    elif backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is what we install
    try:
        engine = create_engine(parsed, pool_pre_ping=backend == "postgresql")
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StorageError("E201", f"{_safe(parsed)}: {exc}") from exc
    if backend == "sqlite":
        _install_sqlite_hooks(engine)
    return engine


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (it would not BEGIN before DDL or
        # SELECT); the "begin" hook below emits BEGIN itself. PRAGMAs then run outside any transaction.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION, "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def write_options(dialect: str) -> dict[str, Any]:
    """Execution options for a connection that is about to write."""
    return {BEGIN_OPTION: "IMMEDIATE"} if dialect == "sqlite" else {}


def insert_for(dialect: str) -> Any:
    """The dialect's ``insert`` construct, which has ``on_conflict_do_nothing``/``on_conflict_do_update``."""
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:  # pragma: no cover - resolve_db_url admits only the two backends above
        raise StorageError("E201", f"unsupported dialect {dialect!r}")
    return insert


def max_params(conn: Connection) -> int:
    """How many bind parameters one statement may carry on this connection."""
    if conn.dialect.name == "sqlite":
        import sqlite3

        dbapi_conn = conn.connection.dbapi_connection
        getlimit = getattr(dbapi_conn, "getlimit", None)
        if getlimit is not None:
            return int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return 999  # the historical compile-time default
    return 32767  # PostgreSQL's protocol allows 65535; stay well inside it


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (at least 1)."""
    size = max(1, size)
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_per_statement(conn: Connection, columns: Sequence[object] | int) -> int:
    """How many rows of ``columns`` fit in one multi-row statement under the parameter limit."""
    n = columns if isinstance(columns, int) else len(columns)
    return max(1, max_params(conn) // max(1, n))
