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

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from ..errors import StorageError
from . import schema
from .engine import write_options

log = logging.getLogger(__name__)

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

def _v2_review(conn: Connection, dialect: str) -> None:
    """Review corrections: the corrections log, the machine records they apply to, hidden events.

    Also the API's covering index over the events' filter and sort columns: a filter no single index
    serves (type, status, actor, free text) then scans this narrow index instead of the table, whose rows
    carry the whole JSON record; ``store.reports.page_events`` selects only indexed columns for the same reason.
    """
    schema.review_metadata.create_all(conn, checkfirst=True)
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_events_api_cover ON events (date_start, event_id, date_end, killed_best, "
        "country, status, event_type, sub_event_type, admin1, lat, lon)"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
    Migration(2, "review corrections", _v2_review),
    Migration(3, "fusion", lambda conn, dialect: _v3_fusion(conn, dialect)),
    Migration(4, "trigram indexes on actor names (PostgreSQL)", lambda conn, dialect: _v4_pg_trigram(conn, dialect)),
    Migration(5, "actors", lambda conn, dialect: _v5_actors(conn, dialect)),
    Migration(6, "fusion identity keys", lambda conn, dialect: _v6_fusion_keys(conn, dialect)),
    Migration(7, "event redirects", lambda conn, dialect: _v7_event_redirects(conn, dialect)),
)
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


def _v3_fusion(conn: Connection, dialect: str) -> None:
    """Fusion: the order reports were fused in, and an index for the candidate-event query."""
    schema.fusion_metadata.create_all(conn, checkfirst=True)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_fusion_block ON events (country, date_end)")


def _v4_pg_trigram(conn: Connection, dialect: str) -> None:
    """PostgreSQL only (a no-op on SQLite): the ``pg_trgm`` extension and GIN trigram indexes on actor names.

    ``name`` serves similarity matching of spellings (``similarity(name, 'Tehreek-e-Taliban')``, ``name % x``);
    ``name_lower`` and ``lower(actor_key)`` serve the actor filter's substring match (``name_lower LIKE
    '%taliban%' OR lower(actor_key) LIKE ...``), which a b-tree cannot. pg_trgm is a trusted extension (PostgreSQL 13+), so a database owner may create it; where the role
    may not, the indexes are left out with a warning and the same queries still work, only unindexed.
    """
    if dialect != "postgresql":
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        log.warning("pg_trgm is not available (%s); actor names are not trigram-indexed", exc.orig or exc)
        return
    for name, expression in (("name", "name"), ("name_lower", "name_lower"), ("key_lower", "lower(actor_key)")):
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_event_actors_{name}_trgm ON event_actors USING gin ({expression} gin_trgm_ops)"
        )


def _v5_actors(conn: Connection, dialect: str) -> None:
    """Actors: the actors articles named, their aliases, the relations and aims sentences the texts state."""
    schema.actors_metadata.create_all(conn, checkfirst=True)


def _v6_fusion_keys(conn: Connection, dialect: str) -> None:
    """Fusion: the identity-key index of events (``store.fusion_keys``): undated reports meet older events by it."""
    from .fusion_keys import migrate_v6

    migrate_v6(conn, dialect)


def _v7_event_redirects(conn: Connection, dialect: str) -> None:
    """Redirects of retired event ids (``store.redirects``): a merged-away or rebuilt-away id leads to its survivor."""
    from .redirects import migrate_v7

    migrate_v7(conn, dialect)
