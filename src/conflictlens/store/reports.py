"""Read-side queries the API needs beyond ``Store``'s: keyset pages, time series, breakdowns, actor profiles.

All dialect-neutral SQLAlchemy Core over the same tables and the same ``where_clauses`` as ``query_events``,
so a filter means the same thing in the CLI, the API and the exports. Keyset pages (rather than OFFSET)
keep page 1,000 of 100k events as fast as page 1 and stable while rows are added.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, false, func, or_, select, true

from ..errors import QueryError
from ..model import Actor, Casualties, Event, stable_id
from . import schema
from .actors import ROLES
from .filters import EventFilter, where_clauses

SORTS = ("date", "-date", "killed")
INTERVALS = ("week", "month")
GROUPS = ("type", "country", "admin1", "actor")
UNKNOWN = "unknown"


def _sort_keys(sort: str) -> list[tuple[Any, bool]]:
    """(column, descending) pairs; every key sorts NULLs last; event_id (ascending) breaks ties."""
    e = schema.events.c
    if sort == "date":
        return [(e.date_start, True)]
    if sort == "-date":
        return [(e.date_start, False)]
    if sort == "killed":
        return [(e.killed_best, True), (e.date_start, True)]
    raise QueryError("E302", f"sort={sort!r}: expected one of {', '.join(SORTS)}")


def _after(keys: list[tuple[Any, bool]], values: Sequence[Any], last_id: str) -> ColumnElement[bool]:
    """Rows strictly after (values..., last_id) in the order of ``keys`` (NULLs last), then event_id."""
    e = schema.events.c
    alternatives = []
    prefix: list[ColumnElement[bool]] = []
    for (col, desc), value in zip(keys, values):
        if value is None:
            beyond: ColumnElement[bool] = false()  # nothing sorts after NULL at this level
            equal = col.is_(None)
        else:
            beyond = or_(col < value if desc else col > value, col.is_(None))
            equal = col == value
        alternatives.append(and_(true(), *prefix, beyond))
        prefix.append(equal)
    alternatives.append(and_(true(), *prefix, e.event_id > last_id))
    return or_(*alternatives)


def where(flt: EventFilter | None, dialect: str) -> list[ColumnElement[bool]]:
    """The store's own filter clauses (one definition for the CLI, the library and the API)."""
    return where_clauses(flt, dialect)


def count(conn: Connection, flt: EventFilter | None) -> int:
    e = schema.events.c
    stmt = select(func.count(e.event_id)).where(and_(true(), *where(flt, conn.dialect.name)))
    return int(conn.execute(stmt).scalar() or 0)


def page_events(
    conn: Connection, flt: EventFilter | None, *, sort: str, limit: int, after: list[Any] | None = None,
    raw: bool = False,
) -> tuple[list[Any], list[Any] | None]:
    """One page of events and the key of its last row (None when there is no further page).

    ``after`` is a key returned by the previous page: ``[sort values..., event_id]``. With ``raw`` the
    events are the stored JSON records as dicts (no dataclass round trip: a page of 200 costs ~1 ms).
    """
    keys = _sort_keys(sort)
    e = schema.events.c
    clauses = where(flt, conn.dialect.name)
    if after is not None:
        if not isinstance(after, list) or len(after) != len(keys) + 1 or not isinstance(after[-1], str):
            raise QueryError("E302", "cursor does not belong to this sort order")
        clauses.append(_after(keys, after[:-1], after[-1]))
    order = [(c.desc() if d else c.asc()).nulls_last() for c, d in keys] + [e.event_id.asc()]
    # Sort narrow rows first, then fetch the JSON of just this page: the sorter never carries the records.
    ids_stmt = select(e.event_id, *[c for c, _ in keys]).where(and_(true(), *clauses)).order_by(*order).limit(limit + 1)
    rows = conn.execute(ids_stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0] for r in rows]
    data = {r[0]: r[1] for r in conn.execute(select(e.event_id, e.data).where(e.event_id.in_(ids)))} if ids else {}
    records = [json.loads(data[i]) for i in ids if i in data]
    events = records if raw else [Event.from_dict(r) for r in records]
    last_key = [*rows[-1][1:], rows[-1][0]] if (more and rows) else None
    return events, last_key


def _week_start(day: str) -> str | None:
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        return None
    return (d - dt.timedelta(days=d.weekday())).isoformat()


def timeline(conn: Connection, flt: EventFilter | None, *, interval: str = "month") -> list[dict[str, Any]]:
    """Events and summed best-estimate fatalities per ISO week (Monday date) or month (``YYYY-MM``)."""
    if interval not in INTERVALS:
        raise QueryError("E302", f"interval={interval!r}: expected one of {', '.join(INTERVALS)}")
    e = schema.events.c
    clauses = [e.date_start.is_not(None), *where(flt, conn.dialect.name)]
    # Group by day in SQL (portable), fold into weeks here: at most a few thousand days per query.
    period = func.substr(e.date_start, 1, 7 if interval == "month" else 10)
    stmt = (
        select(period.label("p"), func.count(), func.coalesce(func.sum(e.killed_best), 0))
        .where(and_(*clauses))
        .group_by(period)
    )
    out: dict[str, list[int]] = {}
    for p, n, killed in conn.execute(stmt):
        key = p if interval == "month" else _week_start(p)
        if key is None:
            continue
        slot = out.setdefault(key, [0, 0])
        slot[0] += int(n)
        slot[1] += int(killed)
    return [{"period": k, "events": v[0], "killed": v[1]} for k, v in _fill(sorted(out.items()), interval)]


def _fill(items: list[tuple[str, list[int]]], interval: str, *, most: int = 5000) -> list[tuple[str, list[int]]]:
    """Add the empty periods between the first and the last, so a chart's x axis is proportional to time."""
    if len(items) < 2:
        return items
    have = dict(items)
    first, last = items[0][0], items[-1][0]
    out: list[tuple[str, list[int]]] = []
    if interval == "month":
        year, month = int(first[:4]), int(first[5:7])
        while len(out) <= most:
            key = f"{year:04d}-{month:02d}"
            out.append((key, have.get(key, [0, 0])))
            if key >= last:
                return out
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while day <= end and len(out) <= most:
            out.append((day.isoformat(), have.get(day.isoformat(), [0, 0])))
            day += dt.timedelta(days=7)
        if day > end:
            return out
    return items  # too long a span to fill: the periods with events only


def breakdown(conn: Connection, flt: EventFilter | None, *, by: str, limit: int = 20) -> list[dict[str, Any]]:
    """The top ``limit`` values of ``by`` (type, country, admin1, actor) with events and fatalities."""
    e = schema.events.c
    clauses = where(flt, conn.dialect.name)
    killed = func.coalesce(func.sum(e.killed_best), 0)
    if by == "actor":
        ea = schema.event_actors.c
        per_event = (
            select(ea.actor_key, ea.event_id, func.max(ea.name).label("name"), func.max(ea.actor_id).label("actor_id"))
            .where(ea.role.in_(ROLES))
            .group_by(ea.actor_key, ea.event_id)
            .subquery()
        )
        stmt = (
            select(per_event.c.actor_key, func.max(per_event.c.name), func.max(per_event.c.actor_id), func.count(), killed)
            .join(schema.events, e.event_id == per_event.c.event_id)
            .where(and_(true(), *clauses))
            .group_by(per_event.c.actor_key)
            .order_by(func.count().desc(), per_event.c.actor_key)
            .limit(limit)
        )
        return [
            {"key": key, "name": name, "actor_id": actor_id or stable_id(key, prefix="actor-"), "events": int(n), "killed": int(k)}
            for key, name, actor_id, n, k in conn.execute(stmt)
        ]
    column = {"type": e.event_type, "country": e.country, "admin1": e.admin1}.get(by)
    if column is None:
        raise QueryError("E302", f"group={by!r}: expected one of {', '.join(GROUPS)}")
    stmt = (
        select(column, func.count(), killed)
        .where(and_(true(), *clauses))
        .group_by(column)
        .order_by(func.count().desc(), column)
        .limit(limit)
    )
    return [{"key": k if k is not None else UNKNOWN, "events": int(n), "killed": int(kl)} for k, n, kl in conn.execute(stmt)]


def totals(conn: Connection, flt: EventFilter | None) -> dict[str, int]:
    e = schema.events.c
    row = conn.execute(
        select(func.count(), func.coalesce(func.sum(e.killed_best), 0), func.coalesce(func.sum(e.wounded_best), 0))
        .where(and_(true(), *where(flt, conn.dialect.name)))
    ).one()
    return {"events": int(row[0]), "killed": int(row[1]), "wounded": int(row[2])}


# --- actors ---------------------------------------------------------------------------------------------------


def actor_key(conn: Connection, actor_id: str) -> str | None:
    """The event_actors key behind an id that ``list_actors`` gave: a resolved actor_id, or the
    ``actor-`` stable id of an unresolved name."""
    ea = schema.event_actors.c
    if conn.execute(select(ea.actor_key).where(ea.actor_key == actor_id).limit(1)).first() is not None:
        return actor_id
    if not actor_id.startswith("actor-"):
        return None
    # Unresolved keys are lower-cased names: find the one whose stable id this is.
    for key in conn.execute(select(ea.actor_key).where(ea.actor_id.is_(None)).distinct()).scalars():
        if stable_id(key, prefix="actor-") == actor_id:
            return key
    return None


def actor_profile(conn: Connection, key: str) -> Actor | None:
    """The Actor record for one key, as ``list_actors`` builds it, without aggregating every actor."""
    ea, ev = schema.event_actors.c, schema.events.c
    event_ids = select(ea.event_id).where(ea.actor_key == key, ea.role.in_(ROLES)).distinct().subquery()
    row = conn.execute(
        select(
            func.count(), func.min(ev.date_start), func.max(func.coalesce(ev.date_end, ev.date_start)),
            func.sum(ev.killed_best), func.sum(ev.killed_low), func.sum(ev.killed_high),
        ).where(ev.event_id.in_(select(event_ids.c.event_id)))
    ).one()
    if not row[0]:
        return None
    names = conn.execute(
        select(ea.name, func.count(func.distinct(ea.event_id)), func.max(ea.actor_id))
        .where(ea.actor_key == key, ea.role.in_(ROLES))
        .group_by(ea.name)
    ).all()
    ranked = sorted(((n, int(c)) for n, c, _ in names), key=lambda kv: (-kv[1], kv[0]))
    resolved = next((a for _, _, a in names if a), None)

    def opt(v: Any) -> int | None:
        return None if v is None else int(v)

    return Actor(
        actor_id=resolved or stable_id(key, prefix="actor-"),
        name=ranked[0][0] if ranked else key,
        aliases=[n for n, _ in ranked[1:]],
        event_count=int(row[0]),
        first_event=row[1],
        last_event=row[2],
        killed_total=Casualties(best=opt(row[3]), low=opt(row[4]), high=opt(row[5])),
    )


def actor_events(conn: Connection, key: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """The actor's events, oldest first: ``{event_id, date, killed, event_type, sub_event_type, summary,
    roles}`` for a timeline (roles: perpetrator and/or claimant)."""
    ea, ev = schema.event_actors.c, schema.events.c
    ids = (
        select(ea.event_id).where(ea.actor_key == key, ea.role.in_(ROLES)).distinct().subquery()
    )
    stmt = (
        select(ev.event_id, ev.date_start, ev.killed_best, ev.event_type, ev.sub_event_type, ev.summary)
        .where(ev.event_id.in_(select(ids.c.event_id)))
        .order_by(ev.date_start.asc().nulls_last(), ev.event_id)
        .limit(limit)
    )
    rows = conn.execute(stmt).all()
    roles: dict[str, list[str]] = {}
    for batch_start in range(0, len(rows), 500):
        batch = [r[0] for r in rows[batch_start: batch_start + 500]]
        found = conn.execute(
            select(ea.event_id, ea.role).where(ea.actor_key == key, ea.role.in_(ROLES), ea.event_id.in_(batch)).distinct()
        )
        for event_id, role in found:
            roles.setdefault(event_id, []).append(role)
    return [
        {"event_id": i, "date": d, "killed": k, "event_type": t, "sub_event_type": st, "summary": s,
         "roles": sorted(roles.get(i, []), key=ROLES.index)}
        for i, d, k, t, st, s in rows
    ]


def co_actors(conn: Connection, key: str, *, limit: int = 15) -> list[dict[str, Any]]:
    """Actors named as perpetrator or claimant in the same events as ``key``, most shared events first."""
    ea = schema.event_actors.c
    mine = select(ea.event_id).where(ea.actor_key == key, ea.role.in_(ROLES))
    stmt = (
        select(ea.actor_key, func.max(ea.name), func.max(ea.actor_id), func.count(func.distinct(ea.event_id)))
        .where(ea.event_id.in_(mine), ea.actor_key != key, ea.role.in_(ROLES))
        .group_by(ea.actor_key)
        .order_by(func.count(func.distinct(ea.event_id)).desc(), ea.actor_key)
        .limit(limit)
    )
    return [
        {"actor_id": a or stable_id(k, prefix="actor-"), "name": n, "shared_events": int(c)}
        for k, n, a, c in conn.execute(stmt)
    ]


def article_event_ids(conn: Connection, article_id: str) -> list[str]:
    ea = schema.event_articles.c
    return list(conn.execute(select(ea.event_id).where(ea.article_id == article_id).order_by(ea.event_id)).scalars())
