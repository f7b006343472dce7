"""Store-side queries for cross-article fusion (``conflictlens.fusion``).

* ``record_order`` - remember the order reports are fused in (``mention_order``, schema version 3);
* ``candidate_events`` - the stored events a report may belong to: a superset of the blocking rule of
  ``fusion.blocking`` computed from indexed columns (country, event_type, date_start/date_end), which the
  fusion engine then filters with the exact rule;
* ``mentions_by_id`` - the stored reports of events a new report joins (to merge them again);
* ``ordered_mentions`` / ``all_sources`` - everything a rebuild needs, in fusion order;
* ``replace_all_events`` - swap the whole events table content (and the identity keys) in one transaction,
  redirecting the ids that no longer exist afterwards (``store.redirects``, reason "rebuilt");
* ``retire_events`` - delete events that a cluster merge folded into another, once the survivor is stored,
  redirecting their ids to the survivor (``store.redirects``, reason "merged");
* ``block_locks`` - PostgreSQL advisory locks serialising writers of the same blocks (see ``Fuser.locked``).
The identity-key index for reports with no date (``fusion_keys``) is in ``store.fusion_keys``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

from sqlalchemy import Engine, and_, delete, inspect, or_, select, text
from sqlalchemy.engine import Connection

from ..model import Event, EventMention, Source
from . import schema
from .articles import insert_rows
from .engine import chunks, max_params, write_options
from .events import actor_rows, event_row

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
FAMILY_TYPES = {"violence": VIOLENT_TYPES, "unrest": ("Protests", "Riots"), "strategic": ("Strategic developments",)}
MAX_SLACK = 3  # days: at least the largest DATE_SLACK of fusion.features
OPEN_START = 367  # days: at least fusion.features.OPEN_START_DAYS


def record_order(engine: Engine, article_id: str, mention_ids: Sequence[str]) -> None:
    """Append ``mention_ids`` (in order) to the fusion order, replacing earlier rows of the same mentions."""
    if not mention_ids:
        return
    tbl = schema.mention_order
    with engine.connect() as conn:
        conn.execution_options(**write_options(engine.dialect.name))
        with conn.begin():
            for batch in chunks(list(mention_ids), max_params(conn)):
                conn.execute(delete(tbl).where(tbl.c.mention_id.in_(batch)))
            insert_rows(conn, tbl, [{"mention_id": m, "article_id": article_id} for m in mention_ids], ignore_conflicts=True)


def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(max(1, ordinal)).isoformat()


def candidate_events(conn: Connection, *, country: str, family: str, window: tuple[int, int]) -> list[Event]:
    """Stored events of ``country`` ("" = unknown) and type ``family`` whose blocking window may overlap
    ``window`` (day ordinals). A superset: undated events of the block are always included."""
    e = schema.events.c
    types = FAMILY_TYPES.get(family, ())
    type_clause = e.event_type.in_(types)
    if family == "violence":
        type_clause = or_(type_clause, e.event_type.is_(None), e.event_type.not_in(sum(FAMILY_TYPES.values(), ())))
    country_clause = e.country == country if country else or_(e.country.is_(None), e.country == "")
    lo, hi = _iso(window[0] - MAX_SLACK), _iso(window[1] + MAX_SLACK)
    dated = and_(
        e.date_end.is_not(None),
        e.date_end >= lo,
        or_(e.date_start <= hi, and_(e.date_start.is_(None), e.date_end <= _iso(window[1] + OPEN_START))),
    )
    start_only = and_(e.date_end.is_(None), e.date_start.is_not(None), e.date_start >= lo, e.date_start <= hi)
    undated = and_(e.date_start.is_(None), e.date_end.is_(None))
    stmt = select(e.data).where(country_clause, type_clause, or_(dated, start_only, undated)).order_by(e.event_id)
    return [Event.from_dict(json.loads(d)) for d in conn.execute(stmt).scalars()]


def mentions_by_id(conn: Connection, mention_ids: Iterable[str]) -> dict[str, EventMention]:
    m = schema.mentions.c
    found: dict[str, EventMention] = {}
    for batch in chunks(dict.fromkeys(mention_ids), max_params(conn)):
        for data in conn.execute(select(m.data).where(m.mention_id.in_(batch))).scalars():
            mention = EventMention.from_dict(json.loads(data))
            found[mention.mention_id] = mention
    return found


def all_sources(conn: Connection) -> dict[str, Source]:
    """Every article's Source record (no text), by article_id."""
    a = schema.articles.c
    rows = conn.execute(select(a.article_id, a.source_id, a.url, a.title, a.published))
    return {r.article_id: Source(article_id=r.article_id, source_id=r.source_id, url=r.url, title=r.title,
                                 published=r.published) for r in rows}


def ordered_mentions(engine: Engine, *, batch_size: int = 2000) -> Iterator[EventMention]:
    """Every stored mention in fusion order: mentions with no recorded order first (stored before fusion
    existed), by ingest time, article and position; then the rest by their ``mention_order`` sequence."""
    m, a, o = schema.mentions.c, schema.articles.c, schema.mention_order.c
    legacy = (
        select(m.data)
        .select_from(schema.mentions.join(schema.articles, a.article_id == m.article_id))
        .where(~m.mention_id.in_(select(o.mention_id)))
        .order_by(a.ingested_at, m.article_id, m.position)
    )
    ordered = (
        select(m.data)
        .select_from(schema.mentions.join(schema.mention_order, o.mention_id == m.mention_id))
        .order_by(o.seq)
    )
    for stmt in (legacy, ordered):
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(stmt)
            for data in result.scalars():
                yield EventMention.from_dict(json.loads(data))


def replace_all_events(engine: Engine, events: Sequence[Event], keys: Mapping[str, Iterable[str]] | None = None) -> int:
    """Delete every event (and its link rows) and write ``events`` instead, in one transaction, with their
    identity keys (``{event_id: keys}``, ``store.fusion_keys``) when given. Events with analyst corrections
    (schema version 2, ``review``) get their corrections applied again. An event id that existed before and
    does not afterwards is redirected to the event now holding its first report (``redirects.record_rebuild``),
    so a bookmarked id still leads somewhere. Returns the number of ids redirected so."""
    from . import redirects
    from .fusion_keys import replace_keys

    with engine.connect() as conn:
        conn.execution_options(**write_options(engine.dialect.name))
        with conn.begin():
            before = redirects.reports_before_rebuild(conn, {e.event_id for e in events})
            for tbl in (schema.event_actors, schema.event_mentions, schema.event_articles, schema.events):
                conn.execute(delete(tbl))
            for batch in chunks(events, 2000):
                _insert(conn, batch)
            if keys is not None:
                replace_keys(conn, keys)
            _reapply_reviews(conn, [e.event_id for e in events])
            return redirects.record_rebuild(conn, before)


def retire_events(engine: Engine, retired: Mapping[str, str]) -> list[str]:
    """Delete each event of ``retired`` (``{retired id: surviving id}``, a cluster merge) whose every report
    is stored as a report of its survivor, in one transaction; returns the ids deleted. An event whose
    survivor was not written (the article's write failed or was a duplicate) is kept: nothing is lost, and
    the next report that meets both merges them again (the fold skips reports the survivor already has)."""
    with engine.connect() as conn:
        conn.execution_options(**write_options(engine.dialect.name))
        with conn.begin():
            return retire_events_in(conn, retired)


def retire_events_in(conn: Connection, retired: Mapping[str, str]) -> list[str]:
    """:func:`retire_events` inside the caller's transaction (``Store.write_article`` retires the events an
    article's reports merged away in the same transaction that stores their survivor). Each id deleted is
    redirected to its survivor, and ids that led to it follow (``redirects.record``: chains stay flat)."""
    from . import redirects
    from .fusion_keys import delete_keys

    em = schema.event_mentions.c
    gone: list[str] = []
    for old, keep in sorted(retired.items()):
        mine = set(conn.execute(select(em.mention_id).where(em.event_id == old)).scalars())
        if not mine:
            continue
        kept: set[str] = set()
        for batch in chunks(sorted(mine), max_params(conn) - 1):
            kept.update(conn.execute(select(em.mention_id).where(em.event_id == keep,
                                                                 em.mention_id.in_(batch))).scalars())
        if kept == mine:
            gone.append(old)
    for batch in chunks(gone, max_params(conn)):
        for tbl in (schema.event_actors, schema.event_mentions, schema.event_articles, schema.events):
            conn.execute(delete(tbl).where(tbl.c.event_id.in_(batch)))
    delete_keys(conn, gone)
    redirects.record(conn, {old: retired[old] for old in gone}, reason=redirects.MERGED)
    return gone


def _insert(conn: Connection, events: Sequence[Event]) -> None:
    """Plain inserts into the emptied tables: the same rows ``upsert_events`` writes."""
    insert_rows(conn, schema.events, [event_row(e) for e in events])
    actors, mention_links, article_links = [], [], []
    for event in events:
        actors.extend(actor_rows(event))
        mention_links.extend({"event_id": event.event_id, "mention_id": m} for m in dict.fromkeys(event.mention_ids))
        article_links.extend(
            {"event_id": event.event_id, "article_id": a} for a in dict.fromkeys(s.article_id for s in event.sources)
        )
    insert_rows(conn, schema.event_actors, actors)
    insert_rows(conn, schema.event_mentions, mention_links)
    insert_rows(conn, schema.event_articles, article_links)


def _reapply_reviews(conn: Connection, event_ids: list[str]) -> None:
    base = getattr(schema, "event_base", None)
    if base is None or not inspect(conn).has_table(base.name):
        return
    from . import review

    reviewed: set[str] = set()
    for batch in chunks(event_ids, max_params(conn)):
        reviewed.update(conn.execute(select(base.c.event_id).where(base.c.event_id.in_(batch))).scalars())
    if reviewed and hasattr(review, "reapply"):
        review.reapply(conn, sorted(reviewed))


def lock_key(country: str, family: str) -> int:
    """A signed 64-bit advisory-lock key for one (country, event family) block, the same in every process."""
    digest = hashlib.sha256(f"conflictlens-fusion|{country}|{family}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def block_locks(engine: Engine, blocks: Iterable[tuple[str, str]]) -> Iterator[None]:
    """Hold PostgreSQL session advisory locks on ``blocks`` ((country, family) pairs) until the block exits,
    so two ingests that could fuse into the same events read candidates and write one after the other.
    Taken in key order (no deadlock between writers). A no-op on SQLite, whose writers are serialised by
    the database lock but may still read candidates before another writer's article is committed."""
    keys = sorted({lock_key(c, f) for c, f in blocks})
    if engine.dialect.name != "postgresql" or not keys:
        yield
        return
    with engine.connect() as conn:
        for key in keys:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        conn.commit()
        try:
            yield
        finally:
            for key in reversed(keys):
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
