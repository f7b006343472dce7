"""Actors as the stored events show them: perpetrators and claimants grouped by actor key.

``actor_key`` is the resolved actor_id when there is one, else the lower-cased name, so an unresolved
group that reports give under different spellings stays separate until the resolver links them. Resolved
actors are then filled in from the actors tables (``actor_records.enrich``): canonical name, type, country,
aliases and relations with evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import Connection, func, select

from ..model import Actor, Casualties, stable_id
from . import schema
from .actor_records import enrich

ROLES = (schema.ROLE_PERPETRATOR, schema.ROLE_CLAIMANT)


def list_actors(conn: Connection, *, name: str | None = None) -> list[Actor]:
    """One Actor per key, by event_count (desc) then name; ``name`` keeps those whose id or any name
    contains it (case-insensitive)."""
    ea, ev = schema.event_actors.c, schema.events.c
    per_event = (
        select(ea.actor_key, ea.event_id, func.max(ea.actor_id).label("actor_id"))
        .where(ea.role.in_(ROLES))
        .group_by(ea.actor_key, ea.event_id)
        .subquery()
    )
    totals = conn.execute(
        select(
            per_event.c.actor_key,
            func.max(per_event.c.actor_id).label("actor_id"),
            func.count().label("n"),
            func.min(ev.date_start).label("first"),
            func.max(func.coalesce(ev.date_end, ev.date_start)).label("last"),
            func.sum(ev.killed_best).label("best"),
            func.sum(ev.killed_low).label("low"),
            func.sum(ev.killed_high).label("high"),
        )
        .join(schema.events, ev.event_id == per_event.c.event_id)
        .group_by(per_event.c.actor_key)
    ).all()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    name_rows = conn.execute(
        select(ea.actor_key, ea.name, func.count(func.distinct(ea.event_id)))
        .where(ea.role.in_(ROLES))
        .group_by(ea.actor_key, ea.name)
    )
    for key, actor_name, n in name_rows:
        names[key][actor_name] += int(n)
    needle = name.strip().lower() if name else None
    actors: list[Actor] = []
    for row in totals:
        # most frequent name first; ties go to the alphabetically first, so the result is deterministic
        ranked = sorted(names[row.actor_key].items(), key=lambda kv: (-kv[1], kv[0]))
        canonical = ranked[0][0] if ranked else row.actor_key
        actor = Actor(
            actor_id=row.actor_id or stable_id(row.actor_key, prefix="actor-"),
            name=canonical,
            aliases=[n for n, _ in ranked[1:]],
            event_count=int(row.n),
            first_event=row.first,
            last_event=row.last,
            killed_total=Casualties(
                best=_opt_int(row.best), low=_opt_int(row.low), high=_opt_int(row.high)
            ),
        )
        actors.append(actor)
    enrich(conn, actors)
    if needle:
        actors = [a for a in actors if any(needle in s.lower() for s in (a.actor_id, a.name, *a.aliases))]
    actors.sort(key=lambda a: (-a.event_count, a.name.lower(), a.actor_id))
    return actors


def _opt_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
