"""The actors tables: writing what the actor stage found with its article, and reading it back onto Actors.

``write_article_actors`` runs inside ``Store.write_article``'s transaction, so an article's actors, aliases,
relations and aims are stored with it or not at all; a re-ingested article is skipped before this runs, and
alias rows are keyed so that writing one twice adds nothing. ``enrich`` turns the Actors that the events
show (perpetrators and claimants grouped by key) into full records: canonical name, type, country, every
alias (KB, the user's file, learned from text) and relations with the spans that state them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from ..model import Actor, ActorRelation, Span
from ..resolve.actor_data import alias_key
from . import schema
from .articles import dumps, insert_rows
from .engine import chunks, insert_for, max_params

if TYPE_CHECKING:
    from ..resolve.actor_stage import AimMention, SeenActor
    from ..resolve.relations import RelationMention

_SOURCE_ORDER = {"user": 0, "kb": 1, "text": 2}


def _clean(value: Any, dialect: str) -> Any:
    # PostgreSQL text cannot hold NUL
    return value.replace("\x00", "") if dialect == "postgresql" and isinstance(value, str) else value


def write_article_actors(conn: Connection, article_id: str, *, actors: Sequence["SeenActor"] = (),
                         relations: Sequence["RelationMention"] = (), aims: Sequence["AimMention"] = ()) -> None:
    """Store the actors one article named (upserted: the latest KB record wins), their aliases, and the
    relations and aims sentences the article states."""
    d = conn.dialect.name
    latest = {seen.actor.actor_id: seen for seen in actors}
    if latest:
        rows = [
            {"actor_id": i, "name": _clean(s.actor.name, d), "type": s.actor.type, "country": s.actor.country,
             "source": s.source, "data": dumps(s.actor, f"actor {i}")}
            for i, s in latest.items()
        ]
        stmt = insert_for(d)(schema.actors)
        stmt = stmt.on_conflict_do_update(
            index_elements=["actor_id"], set_={c: stmt.excluded[c] for c in rows[0] if c != "actor_id"})
        conn.execute(stmt, rows)
    aliases: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for seen in latest.values():
        for a in seen.aliases:
            span = a.span
            row = {"actor_id": seen.actor.actor_id, "alias": _clean(a.alias, d), "source": a.source,
                   "article_id": span.article_id if span else "", "alias_key": alias_key(a.alias),
                   "start": span.start if span else None, "end": span.end if span else None,
                   "text": _clean(span.text, d) if span else None}
            aliases.setdefault((row["actor_id"], row["alias"], row["source"], row["article_id"]), row)
    insert_rows(conn, schema.actor_aliases, list(aliases.values()), ignore_conflicts=True)
    insert_rows(conn, schema.actor_relations, [
        {"article_id": article_id, "subject_id": r.subject.actor_id, "subject_name": _clean(r.subject.name, d),
         "type": r.type, "object_id": r.object.actor_id, "object_name": _clean(r.object.name, d),
         "start": r.span.start, "end": r.span.end, "text": _clean(r.span.text, d), "date": r.date}
        for r in relations
    ])
    aim_rows = {(a.actor_id, a.span.start): {"actor_id": a.actor_id, "article_id": article_id, "start": a.span.start,
                                             "end": a.span.end, "text": _clean(a.span.text, d)} for a in aims}
    insert_rows(conn, schema.actor_aims, list(aim_rows.values()), ignore_conflicts=True)


def _in(conn: Connection, column: Any, ids: Iterable[str], *columns: Any) -> list[Any]:
    """Rows of ``columns`` whose ``column`` is one of ``ids``, fetched in batches under the parameter limit."""
    out: list[Any] = []
    for batch in chunks(dict.fromkeys(ids), max(1, max_params(conn) - 10)):
        out.extend(conn.execute(select(*columns).where(column.in_(batch))).all())
    return out


def stored_actors(conn: Connection, ids: Iterable[str]) -> dict[str, Any]:
    """actor_id -> row (name, type, country, source, data) for those of ``ids`` in the actors table."""
    a = schema.actors.c
    return {r.actor_id: r for r in _in(conn, a.actor_id, ids, a.actor_id, a.name, a.type, a.country, a.source,
                                       a.data)}


def aliases_of(conn: Connection, ids: Iterable[str]) -> dict[str, list[Any]]:
    """actor_id -> alias rows: the user's names first, then the KB's, then those learned from text."""
    al = schema.actor_aliases.c
    out: dict[str, list[Any]] = {}
    rows = _in(conn, al.actor_id, ids, al.actor_id, al.alias, al.source, al.article_id, al.start, al.end, al.text)
    for r in sorted(rows, key=lambda r: (_SOURCE_ORDER.get(r.source, 3), r.article_id, r.start or 0, r.alias)):
        out.setdefault(r.actor_id, []).append(r)
    return out


def relation_rows(conn: Connection, column: Any, ids: Iterable[str]) -> list[Any]:
    """Stored relations whose ``column`` (subject_id or object_id) is one of ``ids``, in article order."""
    r = schema.actor_relations.c
    rows = _in(conn, column, ids, r.id, r.article_id, r.subject_id, r.subject_name, r.type, r.object_id,
               r.object_name, r.start, r.end, r.text, r.date)
    return sorted(rows, key=lambda row: row.id)


def span_of(row: Any) -> Span:
    return Span(article_id=row.article_id, start=row.start, end=row.end, text=row.text)


def group_relations(rows: Iterable[Any], *, outgoing: bool = True) -> list[ActorRelation]:
    """Relations as ``Actor.relations`` entries, one per (type, other actor), every stating span as evidence.
    ``outgoing``: the other actor is the object (else the subject, for relations pointing at an actor)."""
    grouped: dict[tuple[str, str], ActorRelation] = {}
    for row in rows:
        other_id, other_name = (row.object_id, row.object_name) if outgoing else (row.subject_id, row.subject_name)
        key = (row.type, other_id or alias_key(other_name))
        rel = grouped.setdefault(key, ActorRelation(type=row.type, actor_id=other_id, name=other_name))
        span = span_of(row)
        if span not in rel.evidence:
            rel.evidence.append(span)
    return list(grouped.values())


def enrich(conn: Connection, actors: list[Actor]) -> None:
    """Fill each of ``actors`` (as the events show it) from the actors tables, in place: canonical name,
    type, country, aliases (KB, user, text; then the names the events used), relations (the KB's links and
    those the texts state, with evidence) and the alias definitions as evidence."""
    ids = [a.actor_id for a in actors]
    if not ids:
        return
    stored = stored_actors(conn, ids)
    aliases = aliases_of(conn, ids)
    stated: dict[str, list[Any]] = {}
    for row in relation_rows(conn, schema.actor_relations.c.subject_id, ids):
        stated.setdefault(row.subject_id, []).append(row)
    for actor in actors:
        row = stored.get(actor.actor_id)
        if row is None:
            continue
        record = Actor.from_dict(json.loads(row.data))
        event_names = [actor.name, *actor.aliases]
        actor.name, actor.type, actor.country = row.name, row.type, row.country
        names = [a.alias for a in aliases.get(actor.actor_id, [])] + event_names
        actor.aliases = [n for n in dict.fromkeys(names) if n != actor.name]
        relations = {(r.type, r.actor_id or alias_key(r.name)): r for r in record.relations}
        for rel in group_relations(stated.get(actor.actor_id, [])):
            known = relations.get((rel.type, rel.actor_id or alias_key(rel.name)))
            if known is None:
                relations[(rel.type, rel.actor_id or alias_key(rel.name))] = rel
            else:
                known.evidence += [s for s in rel.evidence if s not in known.evidence]
        actor.relations = list(relations.values())
        actor.evidence = [
            Span(article_id=a.article_id, start=a.start, end=a.end, text=a.text)
            for a in aliases.get(actor.actor_id, []) if a.source == "text" and a.start is not None
        ]
