"""``EventFilter``: the one way the CLI, the API and the library ask for a subset of events.

Values are checked when the filter is built (and again when it is used, since the dataclass is mutable);
a value that cannot mean anything (a malformed date, an inverted bbox) raises ``QueryError`` E302 instead
of silently matching nothing. ``where_clauses`` turns a filter into dialect-neutral Core expressions.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from ..errors import QueryError
from ..model import STATUSES
from . import schema
from .articles import fts_article_ids

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO2 = re.compile(r"^[A-Za-z]{2}$")
Bbox = tuple[float, float, float, float]


@dataclass(kw_only=True)
class EventFilter:
    """Which events to return; every field left ``None`` matches everything.

    since/until: ISO dates (``YYYY-MM-DD``; ``YYYY-MM`` and ``YYYY`` also work). An event matches ``since``
    if its date range ends on or after it and ``until`` if it starts on or before it; undated events do not
    match either. country: ISO2, any case. admin1: exact, any case. actor: case-insensitive substring of a
    perpetrator's or claimant's name or actor_id. event_type: exact, any case, ACLED type or sub-type.
    status: one of ``model.STATUSES``. min_killed: best killed estimate at least this. text: words that
    must all appear in one of the event's source articles (full-text). bbox: (min_lon, min_lat, max_lon,
    max_lat) in degrees; min_lon > max_lon means a box across the antimeridian.
    """

    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    status: str | None = None
    min_killed: int | None = None
    text: str | None = None
    bbox: Bbox | None = None

    def __post_init__(self) -> None:
        validate(self)

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


def _bad(field: str, value: Any, why: str) -> QueryError:
    return QueryError("E302", f"{field}={value!r}: {why}")


def parse_date(value: Any, *, field: str, end: bool = False) -> str:
    """An ISO date string; a year or month expands to its first day (or last, with ``end``)."""
    if not isinstance(value, str):
        raise _bad(field, value, "expected an ISO date string")
    match = _DATE.match(value.strip()[:10] if "T" in value else value.strip())
    if not match:
        raise _bad(field, value, "expected YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(match[1]), match[2], match[3]
    m = int(month) if month else (12 if end else 1)
    if not 1 <= m <= 12 or year < 1:
        raise _bad(field, value, "not a calendar date")
    last = calendar.monthrange(year, m)[1]
    d = int(day) if day else (last if end else 1)
    if not 1 <= d <= last:
        raise _bad(field, value, "not a calendar date")
    return f"{year:04d}-{m:02d}-{d:02d}"


def parse_bbox(value: Any) -> Bbox:
    """(min_lon, min_lat, max_lon, max_lat) from a 4-sequence or a ``"a,b,c,d"`` string."""
    items = value.split(",") if isinstance(value, str) else value
    try:
        nums = tuple(float(v) for v in items)
    except (TypeError, ValueError) as exc:
        raise _bad("bbox", value, "expected four numbers") from exc
    if len(nums) != 4 or not all(math.isfinite(n) for n in nums):
        raise _bad("bbox", value, "expected four finite numbers")
    min_lon, min_lat, max_lon, max_lat = nums
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise _bad("bbox", value, "longitudes must be within -180..180")
    if not (-90 <= min_lat <= max_lat <= 90):
        raise _bad("bbox", value, "latitudes must be within -90..90 and min_lat <= max_lat")
    return nums  # type: ignore[return-value]


def _min_killed(value: Any) -> int:
    if isinstance(value, bool):
        raise _bad("min_killed", value, "expected a non-negative integer")
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise _bad("min_killed", value, "expected a non-negative integer") from exc
    if number < 0 or (isinstance(value, float) and not value.is_integer()):
        raise _bad("min_killed", value, "expected a non-negative integer")
    return number


def _text(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(field, value, "expected a non-empty string")
    return value.strip()


def validate(flt: EventFilter) -> dict[str, Any]:
    """The filter's values, normalised; raises ``QueryError`` E302 for the first bad one."""
    out: dict[str, Any] = {}
    if flt.since is not None:
        out["since"] = parse_date(flt.since, field="since")
    if flt.until is not None:
        out["until"] = parse_date(flt.until, field="until", end=True)
    if "since" in out and "until" in out and out["since"] > out["until"]:
        raise _bad("since", flt.since, f"is after until={flt.until!r}")
    if flt.country is not None:
        if not isinstance(flt.country, str) or not _ISO2.match(flt.country.strip()):
            raise _bad("country", flt.country, "expected an ISO 3166-1 alpha-2 code such as 'PK'")
        out["country"] = flt.country.strip().upper()
    for name in ("admin1", "actor", "event_type", "text"):
        value = getattr(flt, name)
        if value is not None:
            out[name] = _text(name, value)
    if flt.status is not None:
        status = _text("status", flt.status).lower()
        if status not in STATUSES:
            raise _bad("status", flt.status, f"expected one of {', '.join(STATUSES)}")
        out["status"] = status
    if flt.min_killed is not None:
        out["min_killed"] = _min_killed(flt.min_killed)
    if flt.bbox is not None:
        out["bbox"] = parse_bbox(flt.bbox)
    return out


def where_clauses(flt: EventFilter | None, dialect: str) -> list[ColumnElement[bool]]:
    """Core boolean expressions over ``schema.events`` (ANDed by the caller)."""
    if flt is None:
        return []
    v = validate(flt)
    ev = schema.events.c
    clauses: list[ColumnElement[bool]] = []
    if "since" in v:
        clauses.append(func.coalesce(ev.date_end, ev.date_start) >= v["since"])
    if "until" in v:
        clauses.append(func.coalesce(ev.date_start, ev.date_end) <= v["until"])
    if "country" in v:
        clauses.append(ev.country == v["country"])
    if "admin1" in v:
        clauses.append(func.lower(ev.admin1) == v["admin1"].lower())
    if "event_type" in v:
        wanted = v["event_type"].lower()
        clauses.append(or_(func.lower(ev.event_type) == wanted, func.lower(ev.sub_event_type) == wanted))
    if "status" in v:
        clauses.append(func.lower(ev.status) == v["status"])
    if "min_killed" in v:
        clauses.append(ev.killed_best >= v["min_killed"])
    if "bbox" in v:
        min_lon, min_lat, max_lon, max_lat = v["bbox"]
        lon_ok = (
            ev.lon.between(min_lon, max_lon)
            if min_lon <= max_lon
            else or_(ev.lon >= min_lon, ev.lon <= max_lon)
        )
        clauses.append(and_(ev.lat.between(min_lat, max_lat), lon_ok))
    if "actor" in v:
        # One pass over the actor rows gives the matching event ids (a non-correlated subquery the database
        # materialises once), instead of probing the actor rows again for every candidate event.
        ea = schema.event_actors.c
        needle = v["actor"].lower()
        # SQLite's LIKE already ignores ASCII case (ids are ASCII slugs), and lower() per row costs more than the
        # match itself; PostgreSQL's LIKE is case-sensitive and has a trigram index on lower(actor_key).
        key = ea.actor_key if dialect == "sqlite" else func.lower(ea.actor_key)
        matching_events = (
            select(ea.event_id)
            .where(ea.role.in_((schema.ROLE_PERPETRATOR, schema.ROLE_CLAIMANT)))
            .where(
                or_(
                    ea.name_lower.contains(needle, autoescape=True),
                    key.contains(needle, autoescape=True),
                )
            )
        )
        clauses.append(ev.event_id.in_(matching_events))
    if "text" in v:
        matching = fts_article_ids(v["text"], dialect)
        if matching is None:  # nothing searchable in the text: no event can match
            clauses.append(false())
        else:
            linked = select(schema.event_articles.c.event_id).where(
                schema.event_articles.c.article_id.in_(matching)
            )
            clauses.append(ev.event_id.in_(linked))
    return clauses
