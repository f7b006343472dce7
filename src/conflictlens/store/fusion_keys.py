"""Identity keys of events (schema version 6): which stored events a report with no time to block by may be.

An undated report is blocked by time only over the week before its publication (none at all without a
publication date), so the time-indexed candidate query (``fusion_queries.candidate_events``) cannot find an
older incident it tells. ``conflictlens.fusion.blocking`` also compares such a report with the events that
share an identity key with it (a word of a victim's name or of a target or victim description, per country and
event family), up to a year before its publication; this table is that index in the store:
``fusion_keys(key, event_id)``, ``key`` = ``"country|family|word"`` (``blocking.store_keys``).

It is a superset index: rows are added for every event the fuser writes (before the article's write, so a
failed write leaves only a harmless extra row), never needed to be removed for correctness (a key whose event
is gone or changed matches nothing or is filtered by the exact rule in memory), and rewritten whole by
``conflictlens fuse --rebuild``. Events stored before this table existed get their keys on that rebuild.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, Text, delete, select

from ..model import Event
from . import schema
from .articles import insert_rows
from .engine import chunks, max_params, write_options

fusion_keys_metadata = MetaData()  # own MetaData, like review's and fusion's: earlier migrations stay as released

fusion_keys = Table(
    "fusion_keys",
    fusion_keys_metadata,
    Column("key", Text, primary_key=True),
    Column("event_id", String(128), primary_key=True),
)


def migrate_v6(conn: Connection, dialect: str) -> None:
    """Migration 6: the identity-key index of events (empty: existing events are keyed by ``fuse --rebuild``)."""
    fusion_keys_metadata.create_all(conn, checkfirst=True)


def _rows(keys: Mapping[str, Iterable[str]]) -> list[dict[str, str]]:
    return [{"key": k, "event_id": event_id} for event_id, ks in keys.items() for k in dict.fromkeys(ks)]


def add_keys(engine: Engine, keys: Mapping[str, Iterable[str]]) -> None:
    """Record the identity keys of events (``{event_id: keys}``), keeping rows already there."""
    rows = _rows(keys)
    if not rows:
        return
    with engine.connect() as conn:
        conn.execution_options(**write_options(engine.dialect.name))
        with conn.begin():
            insert_rows(conn, fusion_keys, rows, ignore_conflicts=True)


def replace_keys(conn: Connection, keys: Mapping[str, Iterable[str]]) -> None:
    """Inside the caller's transaction: every key row replaced by ``keys`` (a rebuild)."""
    conn.execute(delete(fusion_keys))
    insert_rows(conn, fusion_keys, _rows(keys))


def delete_keys(conn: Connection, event_ids: Sequence[str]) -> None:
    for batch in chunks(list(event_ids), max_params(conn)):
        conn.execute(delete(fusion_keys).where(fusion_keys.c.event_id.in_(batch)))


def events_with_keys(conn: Connection, keys: Sequence[str]) -> list[Event]:
    """The stored events having any of ``keys``, in event id order."""
    e, k = schema.events.c, fusion_keys.c
    ids: set[str] = set()
    for batch in chunks(sorted(set(keys)), max_params(conn)):
        ids.update(conn.execute(select(k.event_id).where(k.key.in_(batch))).scalars())
    found: list[Event] = []
    for batch in chunks(sorted(ids), max_params(conn)):
        found += [Event.from_dict(json.loads(d)) for d in
                  conn.execute(select(e.data).where(e.event_id.in_(batch)).order_by(e.event_id)).scalars()]
    return sorted(found, key=lambda ev: ev.event_id)
