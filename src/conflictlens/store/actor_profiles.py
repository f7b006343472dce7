"""One actor's profile: who it is, what it has done, who it is tied to and what it wants, with evidence.

``find_actor_key`` accepts what a user types: an actor id, the ``actor-`` id of an unresolved name, or any
name (canonical, alias from the KB or learned from a text, or a name as reports wrote it).
``actor_profile`` returns the Actor record (DESIGN.md) plus leaders, places, event types, aims sentences
and the list of events.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import Connection, func, select

from ..model import Actor
from ..resolve.actor_data import alias_key
from . import reports, schema
from .actor_records import enrich, group_relations, relation_rows, span_of, stored_actors
from .actors import ROLES, list_actors


def _event_counts(conn: Connection, keys: list[str]) -> dict[str, int]:
    ea = schema.event_actors.c
    rows = conn.execute(
        select(ea.actor_key, func.count(func.distinct(ea.event_id)))
        .where(ea.actor_key.in_(keys), ea.role.in_(ROLES)).group_by(ea.actor_key)
    )
    return {k: int(n) for k, n in rows}


def _most_events(conn: Connection, keys: list[str]) -> str | None:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return None
    counts = _event_counts(conn, keys)
    return sorted(keys, key=lambda k: (-counts.get(k, 0), k))[0]


def find_actor_key(conn: Connection, query: str) -> str | None:
    """The actor key ``query`` names: an id (resolved or ``actor-``), else an exact name or alias (the one
    with most events when several actors share it), else a substring of a name or alias."""
    query = query.strip()
    if not query:
        return None
    key = reports.actor_key(conn, query)
    if key is not None or stored_actors(conn, [query]):
        return key or query
    al, ea, ac = schema.actor_aliases.c, schema.event_actors.c, schema.actors.c
    wanted = alias_key(query)
    by_alias = list(conn.execute(select(al.actor_id).where(al.alias_key == wanted).distinct()).scalars())
    by_alias += conn.execute(select(ac.actor_id).where(ac.name == query)).scalars()
    found = _most_events(conn, by_alias)
    if found is not None:
        return found
    by_name = conn.execute(
        select(ea.actor_key).where(ea.name_lower == query.lower(), ea.role.in_(ROLES)).distinct()).scalars()
    found = _most_events(conn, list(by_name))
    if found is not None:
        return found
    matches = list_actors(conn, name=query)
    return reports.actor_key(conn, matches[0].actor_id) if matches else None


def actor_profile(conn: Connection, query: str, *, limit: int = 1000) -> dict[str, Any] | None:
    """The profile of the actor ``query`` names (see ``find_actor_key``), or None: the Actor record plus
    ``actor_key``, ``leaders``, ``related`` (relations other actors state towards this one), ``places``,
    ``admin1``, ``event_types``, ``sub_event_types``, ``aims`` and ``events`` (oldest first, at most ``limit``)."""
    key = find_actor_key(conn, query)
    if key is None:
        return None
    actor = reports.actor_profile(conn, key)
    if actor is None:  # named in texts (relations, aims) but in no stored event
        row = stored_actors(conn, [key]).get(key)
        if row is None:
            return None
        actor = Actor(actor_id=key, name=row.name)
    enrich(conn, [actor])
    events = _events(conn, key, limit=limit)
    incoming = relation_rows(conn, schema.actor_relations.c.object_id, [actor.actor_id])
    leader_rows = [r for r in incoming if r.type == "leader_of"]
    leaders = []
    for rel in group_relations(leader_rows, outgoing=False):
        who = rel.actor_id or alias_key(rel.name)
        dates = sorted({r.date for r in leader_rows if r.date and (r.subject_id or alias_key(r.subject_name)) == who})
        leaders.append({"name": rel.name, "actor_id": rel.actor_id, "dates": dates,
                        "evidence": [s.to_dict() for s in rel.evidence]})
    related = [r.to_dict() for r in group_relations([r for r in incoming if r.type != "leader_of"], outgoing=False)]
    places: Counter[tuple[str, str | None, str | None]] = Counter()
    admin1: Counter[tuple[str, str | None]] = Counter()
    types: Counter[str] = Counter()
    subtypes: Counter[str] = Counter()
    for e in events:
        if e["place"]:
            places[(e["place"], e["admin1"], e["country"])] += 1
        if e["admin1"]:
            admin1[(e["admin1"], e["country"])] += 1
        types[e["event_type"] or "unknown"] += 1
        if e["sub_event_type"]:
            subtypes[e["sub_event_type"]] += 1
    aims = schema.actor_aims.c
    aim_rows = conn.execute(
        select(aims.article_id, aims.start, aims.end, aims.text).where(aims.actor_id == actor.actor_id)
        .order_by(aims.article_id, aims.start)
    ).all()
    return {
        **actor.to_dict(),
        "actor_key": key,
        "leaders": leaders,
        "related": related,
        "places": [{"name": n, "admin1": a, "country": c, "events": k}
                   for (n, a, c), k in sorted(places.items(), key=lambda kv: (-kv[1], kv[0][0]))[:20]],
        "admin1": [{"name": n, "country": c, "events": k}
                   for (n, c), k in sorted(admin1.items(), key=lambda kv: (-kv[1], kv[0][0]))[:20]],
        "event_types": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sub_event_types": dict(sorted(subtypes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "aims": [span_of(r).to_dict() for r in aim_rows],
        "events": events,
    }


def _events(conn: Connection, key: str, *, limit: int) -> list[dict[str, Any]]:
    """The actor's events, oldest first: id, dates, types, place, admin1, country, killed and roles."""
    ea, ev = schema.event_actors.c, schema.events.c
    ids = select(ea.event_id).where(ea.actor_key == key, ea.role.in_(ROLES)).distinct()
    rows = conn.execute(
        select(ev.event_id, ev.date_start, ev.date_end, ev.event_type, ev.sub_event_type, ev.country, ev.admin1,
               ev.killed_best, ev.killed_low, ev.killed_high, ev.data)
        .where(ev.event_id.in_(ids)).order_by(ev.date_start.asc().nulls_last(), ev.event_id).limit(limit)
    ).all()
    out = []
    for r in rows:
        location = json.loads(r.data).get("location") or {}
        out.append({
            "event_id": r.event_id, "date": r.date_start, "date_end": r.date_end, "event_type": r.event_type,
            "sub_event_type": r.sub_event_type, "place": location.get("name"), "admin1": r.admin1,
            "country": r.country, "killed": {"best": r.killed_best, "low": r.killed_low, "high": r.killed_high},
        })
    return out
