"""Events: upserted by event_id, stored whole as JSON with filter columns and link/index rows beside them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, select

from ..errors import QueryError
from ..model import Event
from . import schema
from .articles import _clean, dumps, insert_rows, now_iso
from .engine import chunks, insert_for, max_params, rows_per_statement
from .filters import EventFilter, where_clauses

ORDERS = ("date", "-date", "killed")
MIN_PREFIX = 6
_INT64 = (-(2**63), 2**63 - 1)


def _int(value: Any) -> int | None:
    # A column copy only: a count outside BIGINT is kept in the JSON and left out of the column.
    if isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value <= _INT64[1]:
        return value
    return None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def event_row(event: Event) -> dict[str, Any]:
    loc, date = event.location, event.date
    return {
        "event_id": event.event_id,
        "event_type": _clean(event.event_type),
        "sub_event_type": _clean(event.sub_event_type),
        "status": _clean(event.status),
        "date_start": _clean(date.start),
        "date_end": _clean(date.end),
        "date_precision": _clean(date.precision),
        "country": _clean(loc.country.strip().upper()) if isinstance(loc.country, str) else None,
        "admin1": _clean(loc.admin1),
        "lat": _float(loc.lat),
        "lon": _float(loc.lon),
        "killed_best": _int(event.killed.best),
        "killed_low": _int(event.killed.low),
        "killed_high": _int(event.killed.high),
        "wounded_best": _int(event.wounded.best),
        "confidence": _float(event.confidence),
        "summary": _clean(event.summary),
        "data": dumps(event, f"event {event.event_id}"),
        "updated_at": now_iso(),
    }


def actor_rows(event: Event) -> list[dict[str, Any]]:
    """event_actors rows: perpetrators, claimants (not denials) and targets, one per (role, key, name)."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(role: str, name: str | None, actor_id: str | None) -> None:
        name = _clean(name or "") or ""
        actor_id = _clean(actor_id) or None
        if not name.strip() and not actor_id:
            return
        name = name.strip() or actor_id or ""
        key = actor_id or name.lower()
        row = {"event_id": event.event_id, "role": role, "actor_key": key, "name": name,
               "actor_id": actor_id, "name_lower": name.lower()}
        found.setdefault((role, key, name), row)

    for ref in event.perpetrators:
        add(schema.ROLE_PERPETRATOR, ref.name, ref.actor_id)
    for claim in event.claims:
        if not claim.denial:
            add(schema.ROLE_CLAIMANT, claim.name, claim.actor_id)
    for target in event.targets:
        add(schema.ROLE_TARGET, target.name or target.mention, target.actor_id)
    return list(found.values())


def upsert_events(conn: Connection, events: list[Event], *, article_id: str) -> None:
    """Insert or replace ``events`` (by event_id) and rebuild their actor, mention and article links.

    The links follow the new record (its perpetrators/claims/targets, mention_ids and sources), plus the
    article being written, whose text reported the event.
    """
    latest = {e.event_id: e for e in events}  # one row per id per statement (PostgreSQL requires it)
    if not latest:
        return
    rows = [event_row(e) for e in latest.values()]
    insert = insert_for(conn.dialect.name)
    stmt = insert(schema.events)
    stmt = stmt.on_conflict_do_update(
        index_elements=["event_id"], set_={c: stmt.excluded[c] for c in rows[0] if c != "event_id"}
    )
    for batch in chunks(rows, rows_per_statement(conn, len(rows[0]))):
        conn.execute(stmt, batch)  # executemany of one compiled upsert
    ids = list(latest)
    for tbl in (schema.event_actors, schema.event_mentions, schema.event_articles):
        for batch in chunks(ids, max_params(conn)):
            conn.execute(delete(tbl).where(tbl.c.event_id.in_(batch)))
    actors, mention_links, article_links = [], [], []
    for event in latest.values():
        actors.extend(actor_rows(event))
        mention_links.extend({"event_id": event.event_id, "mention_id": m} for m in dict.fromkeys(event.mention_ids))
        sources = dict.fromkeys([article_id, *(s.article_id for s in event.sources)])
        article_links.extend({"event_id": event.event_id, "article_id": a} for a in sources)
    insert_rows(conn, schema.event_actors, actors)
    insert_rows(conn, schema.event_mentions, mention_links)
    insert_rows(conn, schema.event_articles, article_links)


def _load(data: str) -> Event:
    return Event.from_dict(json.loads(data))


def row_by_id_or_prefix(conn: Connection, table: Any, key: Any, event_id: str, *, what: str = "") -> Any:
    """The row of ``table`` whose ``key`` column is ``event_id``, or the one row whose key starts with it (at
    least MIN_PREFIX characters); None if there is none. QueryError E306 if the prefix names several (the
    message lists two of them, after ``what``: "matches retired ids ...")."""
    row = conn.execute(select(table).where(key == event_id)).first()
    if row is not None or len(event_id) < MIN_PREFIX:
        return row
    rows = conn.execute(
        select(table).where(key.startswith(event_id, autoescape=True)).order_by(key).limit(2)
    ).all()
    if len(rows) > 1:
        first, second = rows[0]._mapping[key], rows[1]._mapping[key]
        raise QueryError("E306", f"{event_id!r} matches {what}{first}, {second}, ...")
    return rows[0] if rows else None


def get_event(conn: Connection, event_id: str) -> Event | None:
    """The event with this id, or with this unique prefix (at least MIN_PREFIX characters)."""
    row = row_by_id_or_prefix(conn, schema.events, schema.events.c.event_id, event_id)
    return _load(row.data) if row is not None else None


def _order_by(order: str) -> list[Any]:
    e = schema.events.c
    if order == "date":
        return [e.date_start.desc().nulls_last(), e.event_id]
    if order == "-date":
        return [e.date_start.asc().nulls_last(), e.event_id]
    if order == "killed":
        return [e.killed_best.desc().nulls_last(), e.date_start.desc().nulls_last(), e.event_id]
    raise QueryError("E302", f"order={order!r}: expected one of {', '.join(ORDERS)}")


def query_events(
    conn: Connection, flt: EventFilter | None, *, limit: int | None, offset: int, order: str
) -> list[Event]:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise QueryError("E302", f"limit={limit!r}: expected a non-negative integer or None")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise QueryError("E302", f"offset={offset!r}: expected a non-negative integer")
    e = schema.events.c
    stmt = select(e.data).where(and_(True, *where_clauses(flt, conn.dialect.name))).order_by(*_order_by(order))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return [_load(d) for d in conn.execute(stmt).scalars()]


def iter_events(engine: Engine, flt: EventFilter | None, *, batch_size: int) -> Iterator[Event]:
    """Every matching event by event_id, in keyset pages: no transaction stays open between pages."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise QueryError("E302", f"batch_size={batch_size!r}: expected a positive integer")
    e = schema.events.c
    clauses = where_clauses(flt, engine.dialect.name)
    last: str | None = None
    while True:
        stmt = select(e.event_id, e.data).where(and_(True, *clauses)).order_by(e.event_id).limit(batch_size)
        if last is not None:
            stmt = stmt.where(e.event_id > last)
        with engine.connect() as conn:
            rows = conn.execute(stmt).all()
        for row in rows:
            yield _load(row.data)
        if len(rows) < batch_size:
            return
        last = rows[-1].event_id


def count_events(conn: Connection, flt: EventFilter | None) -> int:
    stmt = select(func.count()).select_from(schema.events).where(and_(True, *where_clauses(flt, conn.dialect.name)))
    return int(conn.execute(stmt).scalar() or 0)
