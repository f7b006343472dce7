"""Schema migrations: an ordered list of plain functions, each applied once in its own transaction.

``schema_migrations(version, description, applied_at)`` records what has been applied. ``migrate`` is
called by ``Store.open``: it is a read-only no-op on an up-to-date database, refuses (E202) a database
written by a newer conflictlens, and otherwise applies the pending migrations under a write lock
(SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock) so two processes opening a new database at
once do not both create it.

A migration must not change once released: when a later version alters a table, freeze the current
definition of that table inside ``_v1_initial`` first (it creates the tables as ``schema.py`` declares them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from ..errors import StorageError
from . import schema
from .engine import write_options

# Any constant: PostgreSQL advisory-lock key for "conflictlens migrations".
_PG_LOCK_KEY = 0x636C656E


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection, str], None]


def _v1_initial(conn: Connection, dialect: str) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t.name != "schema_migrations"]
    schema.metadata.create_all(conn, tables=tables, checkfirst=True)
    if dialect == "sqlite":
        # A plain (not external-content) FTS5 table keyed by an UNINDEXED article_id: external content
        # would have to follow articles' implicit rowid, which VACUUM may renumber.
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "article_id UNINDEXED, title, text, tokenize='porter unicode61')"
        )
    elif dialect == "postgresql":
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_articles_tsv ON articles USING gin (" + PG_TSVECTOR_SQL + ")"
        )


# The one tsvector expression: queries must repeat it verbatim for PostgreSQL to use the GIN index.
PG_TSVECTOR_SQL = "to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(text, ''))"

MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _v1_initial),)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    return int(conn.execute(select(func.max(schema.schema_migrations.c.version))).scalar() or 0)


def _check_not_newer(version: int) -> None:
    if version > LATEST_VERSION:
        raise StorageError(
            "E202", f"database is at version {version}, this conflictlens knows up to {LATEST_VERSION}"
        )


def migrate(engine: Engine) -> int:
    """Apply pending migrations; returns the schema version afterwards."""
    dialect = engine.dialect.name
    with engine.connect() as conn:
        with conn.begin():
            version = current_version(conn)
        _check_not_newer(version)
        if version == LATEST_VERSION:
            return version
        conn.execution_options(**write_options(dialect))
        for migration in MIGRATIONS:
            with conn.begin():
                if dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                schema.schema_migrations.create(conn, checkfirst=True)
                version = current_version(conn)  # re-read under the lock: another process may have won
                _check_not_newer(version)
                if migration.version <= version:
                    continue
                try:
                    migration.apply(conn, dialect)
                except DBAPIError as exc:
                    raise StorageError(
                        "E201", f"migration {migration.version} ({migration.description}) failed: {exc}"
                    ) from exc
                conn.execute(
                    schema.schema_migrations.insert().values(
                        version=migration.version,
                        description=migration.description,
                        applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    )
                )
        with conn.begin():
            return current_version(conn)
