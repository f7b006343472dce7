"""Query parameters shared by the event routes: the filters (as ``EventFilter``) and opaque cursors.

Filter values arrive as strings and are checked by ``EventFilter`` itself, so a bad value is E302 with the
same wording as in the CLI, and every value reaches SQL as a bound parameter. A cursor is base64url JSON of
``{"s": sort, "k": key of the last row, "f": fingerprint of the filters}``: opaque to clients, and refused
(E302) when reused with another sort or other filters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

from ..errors import QueryError
from ..store import EventFilter


@dataclass
class Filters:
    flt: EventFilter
    raw: dict[str, str]  # the non-empty parameters as given, to rebuild links and fingerprint cursors

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.raw, sort_keys=True).encode()).hexdigest()[:12]


def event_filters(
    since: Annotated[str | None, Query(description="Events on or after this ISO date (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Events on or before this ISO date.")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code, e.g. PK.")] = None,
    admin1: Annotated[str | None, Query(description="First-level region name (exact, any case).")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat in degrees.")] = None,
    actor: Annotated[str | None, Query(description="Perpetrator or claimant name (substring) or actor id.")] = None,
    type: Annotated[str | None, Query(description="ACLED event type or sub-event type.")] = None,  # noqa: A002
    status: Annotated[str | None, Query(description="occurred, attempted, foiled, threatened or planned.")] = None,
    min_killed: Annotated[str | None, Query(description="Only events with at least this many killed (best estimate).")] = None,
    q: Annotated[str | None, Query(description="Free text: words that must all appear in a source article.")] = None,
) -> Filters:
    given = {"since": since, "until": until, "country": country, "admin1": admin1, "bbox": bbox, "actor": actor,
             "type": type, "status": status, "min_killed": min_killed, "q": q}
    raw = {k: v for k, v in given.items() if v is not None and v.strip() != ""}
    flt = EventFilter(
        since=raw.get("since"), until=raw.get("until"), country=raw.get("country"), admin1=raw.get("admin1"),
        actor=raw.get("actor"), event_type=raw.get("type"), status=raw.get("status"),
        min_killed=raw.get("min_killed"),  # type: ignore[arg-type] - EventFilter checks and converts it
        text=raw.get("q"), bbox=raw.get("bbox"),  # type: ignore[arg-type]
    )
    return Filters(flt=flt, raw=raw)


FiltersDep = Annotated[Filters, Depends(event_filters)]


def encode_cursor(sort: str, key: list[Any], filters: Filters) -> str:
    payload = json.dumps({"s": sort, "k": key, "f": filters.fingerprint()}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, filters: Filters) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        key, cursor_sort, fingerprint = data["k"], data["s"], data["f"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise QueryError("E302", "cursor: not a cursor this API returned") from exc
    if cursor_sort != sort or fingerprint != filters.fingerprint() or not isinstance(key, list):
        raise QueryError("E302", "cursor: it belongs to another sort order or other filters")
    return key
