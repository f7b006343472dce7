"""JSON views of records: the full Event of DESIGN.md plus review state, and compact rows for tables and maps."""

from __future__ import annotations

from typing import Any

from ..errors import QueryError
from ..store import Store
from ..store import review


def summary_row(e: dict[str, Any]) -> dict[str, Any]:
    """What the events table shows (from a stored Event record): small enough for 100 rows a page."""
    loc, date = e.get("location") or {}, e.get("date") or {}
    perps = [p.get("name") for p in e.get("perpetrators") or []]
    individuals = [i.get("name") or i.get("mention") for i in e.get("perpetrator_individuals") or []]
    return {
        "event_id": e["event_id"],
        "date": date.get("start"),
        "date_end": date.get("end"),
        "event_type": e.get("event_type"),
        "sub_event_type": e.get("sub_event_type"),
        "status": e.get("status"),
        "location": {k: loc.get(k) for k in ("name", "admin1", "country", "lat", "lon")},
        "perpetrators": perps or individuals,
        "killed": (e.get("killed") or {}).get("best"),
        "wounded": (e.get("wounded") or {}).get("best"),
        "summary": e.get("summary"),
        "sources": len(e.get("sources") or []),
        "confidence": e.get("confidence"),
    }


def point_row(e: dict[str, Any]) -> dict[str, Any]:
    """What a map marker needs."""
    loc = e.get("location") or {}
    return {
        "event_id": e["event_id"],
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "killed": (e.get("killed") or {}).get("best"),
        "date": (e.get("date") or {}).get("start"),
        "type": e.get("sub_event_type") or e.get("event_type"),
        "place": loc.get("name"),
    }


def event_detail(store: Store, event_id: str) -> dict[str, Any]:
    """The Event record with ``alternatives`` (fusion's per-field alternatives; ``{}`` until fusion fills
    them) and ``review`` (state, merged_into, corrections in order). E301 if there is no such event."""
    # A hidden event is looked up by its exact id first: a prefix lookup would find a visible neighbour.
    with store.engine.connect() as conn:
        hidden = review.hidden_event(conn, event_id)
    if hidden is not None:
        event, state, merged_into = hidden["event"], hidden["state"], hidden["merged_into"]
    else:
        event, state, merged_into = store.get_event(event_id), review.VISIBLE, None
    if event is None:
        raise QueryError("E301", event_id)
    with store.engine.connect() as conn:
        history = [c.to_dict() for c in review.history(conn, event.event_id)]
    record = event.to_dict()
    record.setdefault("alternatives", {})
    record["review"] = {"state": state, "merged_into": merged_into, "corrections": history}
    return record
