"""Corpus statistics for the CLI's ``stats`` command and the API's overview page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from . import schema

UNKNOWN = "unknown"  # the key for events without a type or country (JSON object keys must be strings)


def counts(conn: Connection) -> dict[str, int]:
    return {
        "articles": _count(conn, schema.articles),
        "mentions": _count(conn, schema.mentions),
        "events": _count(conn, schema.events),
    }


def _count(conn: Connection, tbl: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(tbl)).scalar() or 0)


def stats(conn: Connection) -> dict[str, Any]:
    e = schema.events.c
    out: dict[str, Any] = counts(conn)
    for key, col in (("by_event_type", e.event_type), ("by_country", e.country)):
        rows = conn.execute(select(col, func.count()).group_by(col).order_by(func.count().desc(), col))
        out[key] = {(value if value is not None else UNKNOWN): int(n) for value, n in rows}
    month = func.substr(e.date_start, 1, 7)
    rows = conn.execute(
        select(month.label("month"), func.count(), func.coalesce(func.sum(e.killed_best), 0))
        .where(e.date_start.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    out["by_month"] = {m: {"events": int(n), "killed": int(k)} for m, n, k in rows}
    totals = conn.execute(
        select(func.coalesce(func.sum(e.killed_best), 0), func.coalesce(func.sum(e.wounded_best), 0))
    ).one()
    out["killed_best_total"] = int(totals[0])
    out["wounded_best_total"] = int(totals[1])
    return out
