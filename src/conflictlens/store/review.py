"""Review: analysts' corrections to events, kept as a log and re-applied whenever the pipeline writes again.

The corrected record is what the ``events`` table holds, so every reader (filters, ``query_events``,
``iter_events``, exports, stats) sees the corrected values without knowing about review. What makes the
corrections survive re-processing and re-fusion is the split between three things:

* ``corrections`` - the log, one row per action, in order, with author, time, previous value and reason;
* ``event_base`` - the machine-made record each corrected event started from;
* ``derive`` - base record + its corrections, in order -> the record written to ``events`` (or, for an
  event marked "not an incident" or merged into another, to ``hidden_events``).

When ``Store.write_article`` upserts an event that has corrections, ``reapply`` takes the new machine
record as the event's base and derives it again in the same transaction.

Actions: ``correct`` (one field gets a new value), ``reject`` (not an incident) and ``restore``, ``merge`` /
``merged_into`` (one event absorbs another: mentions, sources and evidence are united, empty fields filled),
``split`` / ``split_from`` (mentions move out into a new event built from their stored EventMentions).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select

from ..errors import QueryError
from ..model import (
    Event,
    EventMention,
    Incident,
    Source,
    Span,
    field_types,
    value_from_plain,
    stable_id,
)
from . import schema
from .articles import dumps, insert_rows, now_iso
from .engine import chunks, insert_for, max_params
from .events import actor_rows, event_row
from .review_values import REVIEWABLE_FIELDS, check_value, to_plain

ACTIONS = ("correct", "reject", "restore", "merge", "merged_into", "split", "split_from")
VISIBLE, NOT_INCIDENT, MERGED = "visible", "not_incident", "merged"


@dataclass(kw_only=True)
class Correction:
    """One logged review action (``previous`` and ``value`` are plain JSON values)."""

    id: int
    event_id: str
    action: str
    field: str | None
    previous: Any
    value: Any
    author: str
    reason: str | None
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _bad(detail: str) -> QueryError:
    return QueryError("E307", detail)


def _loads(data: str | None) -> Any:
    return None if data is None else json.loads(data)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


# --- reading -------------------------------------------------------------------------------------------


def history(conn: Connection, event_id: str) -> list[Correction]:
    c = schema.corrections.c
    rows = conn.execute(select(schema.corrections).where(c.event_id == event_id).order_by(c.id)).mappings()
    return [_correction(r) for r in rows]


def recent(conn: Connection, *, limit: int = 50) -> list[Correction]:
    c = schema.corrections.c
    rows = conn.execute(select(schema.corrections).order_by(c.id.desc()).limit(limit)).mappings()
    return [_correction(r) for r in rows]


def _correction(row: Any) -> Correction:
    return Correction(
        id=int(row["id"]), event_id=row["event_id"], action=row["action"], field=row["field"],
        previous=_loads(row["previous"]), value=_loads(row["value"]), author=row["author"],
        reason=row["reason"], created_at=row["created_at"],
    )


def hidden_event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """``{"state", "merged_into", "event"}`` for an event review took out of ``events``, else None."""
    h = schema.hidden_events.c
    row = conn.execute(select(schema.hidden_events).where(h.event_id == event_id)).mappings().first()
    if row is None:
        return None
    return {"state": row["state"], "merged_into": row["merged_into"], "event": Event.from_dict(json.loads(row["data"]))}


def _visible(conn: Connection, event_id: str) -> Event | None:
    e = schema.events.c
    data = conn.execute(select(e.data).where(e.event_id == event_id)).scalar()
    return None if data is None else Event.from_dict(json.loads(data))


# --- deriving the corrected record --------------------------------------------------------------------------


@dataclass
class _Derived:
    event: Event
    state: str = VISIBLE
    merged_into: str | None = None
    dropped_articles: set[str] = dataclasses.field(default_factory=set)


def _mention_articles(conn: Connection, mention_ids: list[str]) -> dict[str, str]:
    m = schema.mentions.c
    found: dict[str, str] = {}
    for batch in chunks(mention_ids, max_params(conn)):
        found.update((r[0], r[1]) for r in conn.execute(select(m.mention_id, m.article_id).where(m.mention_id.in_(batch))))
    return found


def _unite(into: Event, other: Event) -> None:
    """``into`` absorbs ``other``: mention ids, sources and evidence united; empty fields filled."""
    into.mention_ids = list(dict.fromkeys([*into.mention_ids, *other.mention_ids]))
    have = {s.article_id for s in into.sources}
    into.sources.extend(s for s in other.sources if s.article_id not in have)
    for name, spans in other.evidence.items():
        for span in spans:
            into.add_evidence(name, span)
    for name in REVIEWABLE_FIELDS:
        mine, theirs = getattr(into, name), getattr(other, name)
        empty = mine in (None, [], "") or (hasattr(mine, "is_empty") and mine.is_empty()) or (
            name in ("date", "location") and mine.precision == "unknown" and getattr(theirs, "precision", "unknown") != "unknown")
        if empty and theirs not in (None, [], ""):
            setattr(into, name, theirs)
            if name in other.reasons:
                into.reasons[name] = f"from merged event {other.event_id}: {other.reasons[name]}"
    into.confidence = max(into.confidence, other.confidence)


def _drop_mentions(conn: Connection, event: Event, moved: list[str]) -> set[str]:
    """Remove ``moved`` mentions from ``event`` with the sources and evidence only they supported."""
    where = _mention_articles(conn, [*event.mention_ids])
    event.mention_ids = [m for m in event.mention_ids if m not in set(moved)]
    kept_articles = {where[m] for m in event.mention_ids if m in where}
    moved_articles = {where[m] for m in moved if m in where} - kept_articles
    if not moved_articles:
        return set()
    event.sources = [s for s in event.sources if s.article_id not in moved_articles]
    event.evidence = {
        name: kept for name, spans in event.evidence.items()
        if (kept := [s for s in spans if s.article_id not in moved_articles])
    }
    return moved_articles


def _apply(conn: Connection, d: _Derived, c: Correction) -> None:
    ev = d.event
    if c.action == "correct" and c.field:
        setattr(ev, c.field, value_from_plain(field_types(Incident)[c.field], c.value))
        ev.reasons[c.field] = f"corrected by {c.author}" + (f": {c.reason}" if c.reason else "")
    elif c.action == "reject":
        d.state, d.merged_into = NOT_INCIDENT, None
    elif c.action == "restore":
        d.state, d.merged_into = VISIBLE, None
    elif c.action == "merged_into":
        d.state, d.merged_into = MERGED, c.value["into"]
    elif c.action == "merge":
        other = hidden_event(conn, c.value["event_id"])
        absorbed = other["event"] if other else Event.from_dict(c.value["record"])
        _unite(ev, absorbed)
    elif c.action == "split":
        d.dropped_articles |= _drop_mentions(conn, ev, c.value["mention_ids"])
    # "split_from" only documents where the event came from: its base record already is the split-off part


def derive(conn: Connection, event_id: str) -> _Derived | None:
    """Rebuild ``event_id`` from its base record and corrections and write it where it now belongs."""
    b = schema.event_base.c
    data = conn.execute(select(b.data).where(b.event_id == event_id)).scalar()
    if data is None:
        return None
    d = _Derived(Event.from_dict(json.loads(data)))
    for c in history(conn, event_id):
        _apply(conn, d, c)
    if d.state == VISIBLE:
        _write_visible(conn, d)
        conn.execute(delete(schema.hidden_events).where(schema.hidden_events.c.event_id == event_id))
    else:
        _unlink(conn, event_id)
        conn.execute(delete(schema.events).where(schema.events.c.event_id == event_id))
        _upsert(conn, schema.hidden_events, "event_id", {
            "event_id": event_id, "state": d.state, "merged_into": d.merged_into,
            "data": dumps(d.event, f"event {event_id}"), "updated_at": now_iso()})
    return d


def _unlink(conn: Connection, event_id: str) -> None:
    for tbl in (schema.event_actors, schema.event_mentions, schema.event_articles):
        conn.execute(delete(tbl).where(tbl.c.event_id == event_id))


def _upsert(conn: Connection, tbl: Any, key: str, row: dict[str, Any]) -> None:
    stmt = insert_for(conn.dialect.name)(tbl).values(row)
    conn.execute(stmt.on_conflict_do_update(index_elements=[key], set_={k: v for k, v in row.items() if k != key}))


def _write_visible(conn: Connection, d: _Derived) -> None:
    ev = d.event
    ea = schema.event_articles.c
    linked = set(conn.execute(select(ea.article_id).where(ea.event_id == ev.event_id)).scalars())
    articles = (linked | {s.article_id for s in ev.sources}) - d.dropped_articles
    _upsert(conn, schema.events, "event_id", event_row(ev))
    _unlink(conn, ev.event_id)
    insert_rows(conn, schema.event_actors, actor_rows(ev))
    insert_rows(conn, schema.event_mentions, [{"event_id": ev.event_id, "mention_id": m} for m in dict.fromkeys(ev.mention_ids)])
    insert_rows(conn, schema.event_articles, [{"event_id": ev.event_id, "article_id": a} for a in sorted(articles)])


def reapply(conn: Connection, event_ids: list[str]) -> list[str]:
    """After the pipeline (re)wrote ``event_ids``: those with corrections take the new record as their
    base and are derived again; so is every event that had absorbed one of them, and every event split out
    of one of them (the pipeline never writes those, and a full re-fusion deletes them). Returns the ids
    that were derived. Called inside the writer's transaction."""
    c = schema.corrections.c
    corrected: dict[str, None] = {}
    for batch in chunks(list(dict.fromkeys(event_ids)), max_params(conn)):
        corrected.update((i, None) for i in conn.execute(select(c.event_id).where(c.event_id.in_(batch)).distinct()).scalars())
    if not corrected:
        return []
    e = schema.events.c
    touched: list[str] = []
    followers: dict[str, None] = {}
    for event_id in corrected:
        data = conn.execute(select(e.data).where(e.event_id == event_id)).scalar()
        if data is None:
            continue
        _upsert(conn, schema.event_base, "event_id", {"event_id": event_id, "data": data, "updated_at": now_iso()})
        d = derive(conn, event_id)
        touched.append(event_id)
        if d is not None and d.merged_into:
            followers[d.merged_into] = None
        for split in conn.execute(select(c.value).where(c.event_id == event_id, c.action == "split")).scalars():
            followers[json.loads(split)["new_event_id"]] = None
    for follower in followers:
        if follower not in corrected and derive(conn, follower) is not None:
            touched.append(follower)
    return touched


# --- review actions (each runs inside the caller's write transaction) -----------------------------------------


def _log(conn: Connection, event_id: str, action: str, *, author: str, reason: str | None,
         field: str | None = None, previous: Any = None, value: Any = None) -> None:
    conn.execute(schema.corrections.insert().values(
        event_id=event_id, action=action, field=field, previous=_dump(previous), value=_dump(value),
        author=author, reason=reason, created_at=now_iso()))


def _ensure_base(conn: Connection, event: Event) -> None:
    b = schema.event_base.c
    if conn.execute(select(b.event_id).where(b.event_id == event.event_id)).first() is None:
        conn.execute(schema.event_base.insert().values(
            event_id=event.event_id, data=dumps(event, f"event {event.event_id}"), updated_at=now_iso()))


def _check_author(author: Any, reason: Any) -> tuple[str, str | None]:
    if not isinstance(author, str) or not author.strip() or len(author) > 200:
        raise _bad("author: expected a non-empty name of at most 200 characters")
    if reason is not None and (not isinstance(reason, str) or len(reason) > 5000):
        raise _bad("reason: expected text of at most 5000 characters")
    return author.strip(), (reason.strip() or None) if isinstance(reason, str) else None


def _require(conn: Connection, event_id: str, *, hidden_ok: bool = False) -> Event:
    event = _visible(conn, event_id)
    if event is None and hidden_ok:
        found = hidden_event(conn, event_id)
        event = found["event"] if found else None
    if event is None:
        raise QueryError("E301", event_id)
    return event


def correct(conn: Connection, event_id: str, field: str, value: Any, *, author: str, reason: str | None) -> None:
    author, reason = _check_author(author, reason)
    event = _require(conn, event_id, hidden_ok=True)
    plain = check_value(field, value)
    _ensure_base(conn, event)
    _log(conn, event_id, "correct", author=author, reason=reason, field=field,
         previous=to_plain(getattr(event, field)), value=plain)
    derive(conn, event_id)


def reject(conn: Connection, event_id: str, *, author: str, reason: str | None) -> None:
    author, reason = _check_author(author, reason)
    event = _require(conn, event_id)
    _ensure_base(conn, event)
    _log(conn, event_id, "reject", author=author, reason=reason, previous=VISIBLE, value=NOT_INCIDENT)
    derive(conn, event_id)


def restore(conn: Connection, event_id: str, *, author: str, reason: str | None) -> None:
    author, reason = _check_author(author, reason)
    found = hidden_event(conn, event_id)
    if found is None or found["state"] != NOT_INCIDENT:
        raise _bad(f"{event_id} is not marked as not an incident")
    _log(conn, event_id, "restore", author=author, reason=reason, previous=NOT_INCIDENT, value=VISIBLE)
    derive(conn, event_id)


def merge(conn: Connection, target_id: str, source_id: str, *, author: str, reason: str | None) -> None:
    """``target_id`` absorbs ``source_id``, which is hidden as merged."""
    author, reason = _check_author(author, reason)
    if target_id == source_id:
        raise _bad("an event cannot be merged with itself")
    target, source = _require(conn, target_id), _require(conn, source_id)
    _ensure_base(conn, target)
    _ensure_base(conn, source)
    _log(conn, source_id, "merged_into", author=author, reason=reason, previous=VISIBLE, value={"into": target_id})
    derive(conn, source_id)
    _log(conn, target_id, "merge", author=author, reason=reason,
         previous={"mention_ids": target.mention_ids, "sources": [s.article_id for s in target.sources]},
         value={"event_id": source_id, "record": source.to_dict()})
    derive(conn, target_id)


def split(conn: Connection, event_id: str, mention_ids: Any, *, author: str, reason: str | None) -> str:
    """Move ``mention_ids`` out of ``event_id`` into a new event; returns the new event's id."""
    author, reason = _check_author(author, reason)
    event = _require(conn, event_id)
    if not isinstance(mention_ids, list) or not mention_ids or not all(isinstance(m, str) for m in mention_ids):
        raise _bad("mention_ids: expected a non-empty list of mention ids")
    moved = list(dict.fromkeys(mention_ids))
    unknown = [m for m in moved if m not in event.mention_ids]
    if unknown:
        raise _bad(f"mention_ids not in {event_id}: {', '.join(unknown)}")
    if len(moved) == len(set(event.mention_ids)):
        raise _bad("a split must leave at least one mention in the event")
    new_id = stable_id("split", event_id, *sorted(moved), prefix="ev-")
    if _visible(conn, new_id) is not None or hidden_event(conn, new_id) is not None:
        raise _bad(f"these mentions were already split out as {new_id}")
    part = _split_part(conn, event, moved, new_id)
    _ensure_base(conn, event)
    _log(conn, event_id, "split", author=author, reason=reason,
         previous={"mention_ids": event.mention_ids}, value={"mention_ids": moved, "new_event_id": new_id})
    derive(conn, event_id)
    conn.execute(schema.event_base.insert().values(event_id=new_id, data=dumps(part, f"event {new_id}"), updated_at=now_iso()))
    _log(conn, new_id, "split_from", author=author, reason=reason, value={"event_id": event_id, "mention_ids": moved})
    derive(conn, new_id)
    return new_id


def _split_part(conn: Connection, event: Event, moved: list[str], new_id: str) -> Event:
    """The new event: the first moved mention's values (stored EventMentions), their sources and evidence.
    Mentions that are not stored leave the new event a copy of the original's values."""
    m = schema.mentions.c
    rows = conn.execute(select(m.mention_id, m.data).where(m.mention_id.in_(moved))).all()
    mentions = {r.mention_id: EventMention.from_dict(json.loads(r.data)) for r in rows}
    found = [mentions[i] for i in moved if i in mentions]
    if not found:
        part = Event.from_dict({**event.to_dict(), "event_id": new_id, "mention_ids": moved})
        return part
    first = found[0]
    values = {f.name: getattr(first, f.name) for f in dataclasses.fields(Incident)}
    part = Event(event_id=new_id, mention_ids=moved, **values)
    part.evidence = {}
    for mention in found:
        for name, spans in mention.evidence.items():
            for span in spans:
                part.add_evidence(name, Span(article_id=span.article_id, start=span.start, end=span.end, text=span.text))
    by_article = {s.article_id: s for s in event.sources}
    for article_id in dict.fromkeys(x.article_id for x in found):
        part.sources.append(by_article.get(article_id) or _source(conn, article_id))
    return part


def _source(conn: Connection, article_id: str) -> Source:
    a = schema.articles.c
    row = conn.execute(select(a.source_id, a.url, a.title, a.published).where(a.article_id == article_id)).first()
    if row is None:
        return Source(article_id=article_id)
    return Source(article_id=article_id, source_id=row.source_id, url=row.url, title=row.title, published=row.published)
