"""Exports: JSON, JSON Lines, CSV (ACLED/GTD-style columns) and GeoJSON.

Every writer streams events one at a time, so exporting a large database needs no more memory than one
event. JSON and JSONL write the Event records of DESIGN.md unchanged; CSV flattens them; GeoJSON makes each
located event a Feature (events with no coordinates keep ``geometry: null``, which QGIS accepts).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from .errors import QueryError
from .model import Event

FORMATS = ("json", "jsonl", "csv", "geojson")

# CSV columns: ACLED names first, then GTD names, then conflictlens' own. Documented in README.md.
CSV_COLUMNS = [
    # ACLED-style
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities",
    # GTD-style
    "iyear", "imonth", "iday", "country_iso2", "provstate", "city", "specificity", "attacktype1_txt",
    "attacktype2_txt", "targtype1_txt", "target1", "gname", "gname2", "individual_perpetrators",
    "claimed", "claim_group", "weaptype1_txt", "weapdetail", "nkill", "nwound", "nkillter",
    "victims", "summary",
    # conflictlens
    "event_id", "status", "date_start", "date_end", "date_text", "killed_best", "killed_low",
    "killed_high", "wounded_best", "wounded_low", "wounded_high", "geonameid", "place_precision",
    "sources_count", "article_ids", "urls", "confidence",
]


def _date_parts(event: Event) -> tuple[str, str, str]:
    start = event.date.start or ""
    if event.date.precision in ("unknown",) or not start:
        return "", "", ""
    year, month, day = (start.split("-") + ["", ""])[:3]
    month = month if event.date.precision in ("day", "week", "month") else "0"
    day = day if event.date.precision in ("day",) else "0"
    return year, str(int(month)) if month else "", str(int(day)) if day else ""


def _time_precision(precision: str) -> int | str:
    # ACLED time_precision: 1 = day, 2 = week (or a few days), 3 = month or vaguer.
    return {"day": 1, "week": 2, "month": 3, "year": 3}.get(precision, "")


def _join(values: Iterable[str | None]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def csv_row(event: Event) -> dict[str, Any]:
    """One flat CSV row for ``event`` (column names in ``CSV_COLUMNS``)."""
    from .resolve.precision import acled_geo_precision, gtd_specificity

    loc = event.location
    perps = [p.name for p in event.perpetrators]
    year, month, day = _date_parts(event)
    fatalities = event.killed.best if event.killed.best is not None else event.killed.low
    sources = event.sources
    row: dict[str, Any] = {
        "event_id_cnty": f"{loc.country or 'XX'}-{event.event_id}",
        "event_date": event.date.start or "",
        "year": year,
        "time_precision": _time_precision(event.date.precision),
        "event_type": event.event_type or "",
        "sub_event_type": event.sub_event_type or "",
        "actor1": perps[0] if perps else "",
        "assoc_actor_1": _join(perps[1:]),
        "actor2": _join(t.mention for t in event.targets[:1]) or _join(v.type for v in event.victims[:1]),
        "country": loc.country or "",
        "admin1": loc.admin1 or "",
        "location": loc.name or "",
        "latitude": "" if loc.lat is None else loc.lat,
        "longitude": "" if loc.lon is None else loc.lon,
        "geo_precision": acled_geo_precision(loc) or "",
        "source": _join(s.url or s.title or s.article_id for s in sources),
        "notes": event.summary or "",
        "fatalities": "" if fatalities is None else fatalities,
        "iyear": year,
        "imonth": month,
        "iday": day,
        "country_iso2": loc.country or "",
        "provstate": loc.admin1 or "",
        "city": loc.name if loc.precision in ("point", "city") else "",
        "specificity": gtd_specificity(loc) or "",
        "attacktype1_txt": event.attack_types[0] if event.attack_types else "",
        "attacktype2_txt": event.attack_types[1] if len(event.attack_types) > 1 else "",
        "targtype1_txt": event.targets[0].type or "" if event.targets else "",
        "target1": event.targets[0].mention if event.targets else "",
        "gname": perps[0] if perps else ("Unknown" if event.event_type else ""),
        "gname2": perps[1] if len(perps) > 1 else "",
        "individual_perpetrators": _join(i.name or i.mention for i in event.perpetrator_individuals),
        "claimed": int(any(not c.denial for c in event.claims)),
        "claim_group": _join(c.name for c in event.claims if not c.denial),
        "weaptype1_txt": event.weapons[0].type or "" if event.weapons else "",
        "weapdetail": _join(w.mention for w in event.weapons),
        "nkill": "" if event.killed.best is None else event.killed.best,
        "nwound": "" if event.wounded.best is None else event.wounded.best,
        "nkillter": "" if event.perpetrators_killed.best is None else event.perpetrators_killed.best,
        "victims": _join(v.name or v.mention for v in event.victims),
        "summary": event.summary or "",
        "event_id": event.event_id,
        "status": event.status,
        "date_start": event.date.start or "",
        "date_end": event.date.end or "",
        "date_text": event.date.text or "",
        "geonameid": "" if loc.geonameid is None else loc.geonameid,
        "place_precision": loc.precision,
        "sources_count": len(sources),
        "article_ids": _join(s.article_id for s in sources),
        "urls": _join(s.url for s in sources),
        "confidence": round(event.confidence, 3),
    }
    for key, counts in (("killed", event.killed), ("wounded", event.wounded)):
        for part in ("best", "low", "high"):
            value = getattr(counts, part)
            row[f"{key}_{part}"] = "" if value is None else value
    return row


def geojson_feature(event: Event) -> dict[str, Any]:
    """A GeoJSON Feature: Point geometry when the event has coordinates, else ``null``."""
    loc = event.location
    geometry = None
    if loc.lat is not None and loc.lon is not None:
        geometry = {"type": "Point", "coordinates": [loc.lon, loc.lat]}
    properties = csv_row(event)
    return {"type": "Feature", "id": event.event_id, "geometry": geometry, "properties": properties}


def write_json(events: Iterable[Event], out: TextIO) -> int:
    out.write("[")
    n = 0
    for n, event in enumerate(events, 1):
        out.write(",\n" if n > 1 else "\n")
        out.write(json.dumps(event.to_dict(), ensure_ascii=False))
    out.write("\n]\n")
    return n


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for n, event in enumerate(events, 1):
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
    return n


def write_csv(events: Iterable[Event], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for n, event in enumerate(events, 1):
        writer.writerow(csv_row(event))
    return n


def write_geojson(events: Iterable[Event], out: TextIO) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for n, event in enumerate(events, 1):
        out.write(",\n" if n > 1 else "\n")
        out.write(json.dumps(geojson_feature(event), ensure_ascii=False))
    out.write("\n]}\n")
    return n


WRITERS: dict[str, Callable[[Iterable[Event], TextIO], int]] = {
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "geojson": write_geojson,
}


def write_events(events: Iterable[Event], out: TextIO, *, format: str) -> int:  # noqa: A002
    """Write ``events`` to ``out`` in ``format``; returns how many were written."""
    try:
        writer = WRITERS[format.lower()]
    except KeyError:
        raise QueryError("E303", f"{format!r}; choose one of {', '.join(FORMATS)}") from None
    return writer(events, out)
