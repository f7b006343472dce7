"""Redirects of retired event ids (schema version 7): an event id that once existed keeps leading somewhere.

Analysts bookmark and cite event ids. Fusion can make such an id disappear in two ways: a cluster merge folds
the smaller of two events into the larger and deletes it (``fusion_queries.retire_events_in``, reason
``"merged"``), and ``conflictlens fuse --rebuild`` recomputes every event, after which an id may not exist
any more (``fusion_queries.replace_all_events``, reason ``"rebuilt"``: the old id leads to the event that now
holds the old event's first report). ``event_redirects(old_id, new_id, reason, created)`` records where each
such id went, written in the transaction that retires it, so a reader can follow it (``Store.lookup_event``).

Invariants kept by every writer here:

* flat: ``new_id`` is never itself a redirected id; when an event A that others lead to is retired into B,
  their rows are moved to B in the same transaction (X -> A, then A -> B gives X -> B and A -> B);
* a live event always wins: when an id becomes an event again (a write of that id, a rebuild that recreates
  it), its row is deleted; readers also look for a live event first, so a stale row could never shadow one;
* after a rebuild every row leads to an existing event (live or hidden by review); a row whose target went
  and whose reports no event holds any more is deleted (the old id is unknown then, as before redirects).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Column, Connection, Index, MetaData, String, Table, bindparam, delete, or_, select, update

from ..model import Event
from . import schema
from .articles import insert_rows, now_iso
from .engine import chunks, max_params
from .events import get_event, row_by_id_or_prefix

MERGED, REBUILT = "merged", "rebuilt"

redirects_metadata = MetaData()  # own MetaData, like fusion_keys': earlier migrations stay as released

event_redirects = Table(
    "event_redirects",
    redirects_metadata,
    Column("old_id", String(128), primary_key=True),
    Column("new_id", String(128), nullable=False),
    Column("reason", String(16), nullable=False),  # "merged" | "rebuilt"
    Column("created", String(32), nullable=False),  # ISO time the old id was retired
    Index("ix_event_redirects_new", "new_id"),
)


@dataclass(frozen=True, kw_only=True)
class Redirect:
    """Where a retired event id leads: ``old_id`` was ``reason`` ("merged" | "rebuilt") into ``new_id``."""

    old_id: str
    new_id: str
    reason: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """One line for people, e.g. "event ev-1 was merged into ev-2"."""
        if self.reason == MERGED:
            return f"event {self.old_id} was merged into {self.new_id}"
        return f"event {self.old_id} was replaced by {self.new_id} in a fusion rebuild"


@dataclass(frozen=True, kw_only=True)
class EventLookup:
    """An event found by an id someone had (``Store.lookup_event``): ``redirect`` is set when that id was
    retired and ``event`` is where it leads, so callers can say so instead of showing another id silently."""

    event: Event
    redirect: Redirect | None = None


def migrate_v7(conn: Connection, dialect: str) -> None:
    """Migration 7: the redirect table (empty: ids retired before it existed are not known)."""
    redirects_metadata.create_all(conn, checkfirst=True)


def _redirect(row: Any) -> Redirect:
    return Redirect(old_id=row.old_id, new_id=row.new_id, reason=row.reason, created=row.created)


def lookup(conn: Connection, event_id: str) -> Redirect | None:
    """The redirect of a retired id, or of the one retired id starting with ``event_id`` (at least
    ``events.MIN_PREFIX`` characters); None if there is none. QueryError E306 if the prefix is ambiguous.
    Callers look for a live event first: a live event always wins."""
    row = row_by_id_or_prefix(conn, event_redirects, event_redirects.c.old_id, event_id, what="retired ids ")
    return _redirect(row) if row is not None else None


def find_event(conn: Connection, event_id: str) -> EventLookup | None:
    """The live event with this id or unique prefix; else the live event a retired id (or unique prefix of
    one) leads to, with its redirect; None if neither (also when the redirect leads to an event that review
    has hidden since: ``hidden_events``). QueryError E306 if a prefix is ambiguous."""
    event = get_event(conn, event_id)
    if event is not None:
        return EventLookup(event=event)
    redirect = lookup(conn, event_id)
    if redirect is None:
        return None
    event = get_event(conn, redirect.new_id)
    return EventLookup(event=event, redirect=redirect) if event is not None else None


def forget(conn: Connection, event_ids: Iterable[str]) -> None:
    """Inside the caller's transaction: ``event_ids`` are live events (again), so no row redirects them."""
    r = event_redirects.c
    for batch in chunks(list(dict.fromkeys(event_ids)), max_params(conn)):
        conn.execute(delete(event_redirects).where(r.old_id.in_(batch)))


def _final(moved: Mapping[str, str], old: str) -> str:
    """Where ``old`` ends up when ``moved`` itself chains (X -> A and A -> B retired together: B)."""
    seen, new = {old}, moved[old]
    while new in moved and new not in seen:
        seen.add(new)
        new = moved[new]
    return new


def record(conn: Connection, moved: Mapping[str, str], *, reason: str) -> None:
    """Inside the caller's transaction: each retired id of ``moved`` ({old id: where it went}) leads to its
    new id; rows leading to a retired id follow it (flat chains); the new ids, live, lose any row of theirs."""
    moved = {old: _final(moved, old) for old in moved}
    moved = {old: new for old, new in moved.items() if old != new}
    if not moved:
        return
    r = event_redirects.c
    follow: list[dict[str, str]] = []
    for batch in chunks(sorted(moved), max_params(conn)):
        rows = conn.execute(select(r.old_id, r.new_id).where(r.new_id.in_(batch))).all()
        follow += [{"o": row.old_id, "n": moved[row.new_id]} for row in rows]
    if follow:
        conn.execute(update(event_redirects).where(r.old_id == bindparam("o")).values(new_id=bindparam("n")), follow)
    forget(conn, moved)
    created = now_iso()
    rows = [{"old_id": old, "new_id": new, "reason": reason, "created": created} for old, new in sorted(moved.items())]
    insert_rows(conn, event_redirects, rows)
    forget(conn, moved.values())  # also drops a row that following made circular (X -> A, A -> X: X is live)


# --- rebuild ----------------------------------------------------------------------------------------------


def reports_before_rebuild(conn: Connection, kept: set[str]) -> dict[str, list[str]]:
    """Before a rebuild replaces the events (inside its transaction): the report ids, in order, of each stored
    event whose id is not among the rebuilt events' ``kept`` ids, i.e. of every id the rebuild may retire."""
    e = schema.events.c
    missing = [i for i in conn.execute(select(e.event_id)).scalars() if i not in kept]
    found: dict[str, list[str]] = {}
    for batch in chunks(missing, max_params(conn)):
        for row in conn.execute(select(e.event_id, e.data).where(e.event_id.in_(batch))):
            found[row.event_id] = list(json.loads(row.data).get("mention_ids") or [])
    return found


def _existing(conn: Connection, event_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for tbl in (schema.events, schema.hidden_events):
        for batch in chunks(event_ids, max_params(conn)):
            found.update(conn.execute(select(tbl.c.event_id).where(tbl.c.event_id.in_(batch))).scalars())
    return found


def record_rebuild(conn: Connection, before: Mapping[str, list[str]]) -> int:
    """After a rebuild wrote the new events (same transaction; ``before`` from ``reports_before_rebuild``): each
    old id that no longer exists leads to the event now holding its first report (or, if no event holds that
    one, its first report an event holds); none if no event holds any of them. Then rows of ids that are
    events again are dropped and rows whose target is gone without a successor too. Returns the ids redirected."""
    existing = _existing(conn, list(before))
    gone = {old: ms for old, ms in before.items() if old not in existing}
    em = schema.event_mentions.c
    holder: dict[str, str] = {}
    for batch in chunks(sorted({m for ms in gone.values() for m in ms}), max_params(conn)):
        for row in conn.execute(select(em.mention_id, em.event_id).where(em.mention_id.in_(batch))):
            if row.mention_id not in holder or row.event_id < holder[row.mention_id]:
                holder[row.mention_id] = row.event_id
    moved = {old: held[0] for old, ms in gone.items() if (held := [holder[m] for m in ms if m in holder])}
    record(conn, moved, reason=REBUILT)
    r = event_redirects.c
    ids = [schema.events.c.event_id, schema.hidden_events.c.event_id]
    conn.execute(delete(event_redirects).where(or_(*(r.old_id.in_(select(c)) for c in ids))))
    conn.execute(delete(event_redirects).where(*(r.new_id.not_in(select(c)) for c in ids)))
    return len(moved)
