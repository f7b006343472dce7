"""Read routes: events (paged, filtered, sorted), one event, articles, statistics and exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from .. import __version__
from ..errors import QueryError
from ..export import CSV_COLUMNS, csv_row, geojson_feature
from ..model import Event
from ..store import Store
from ..store import reports
from .problems import ERROR_RESPONSES, REDIRECT_RESPONSES, redirect_response
from .params import FiltersDep, decode_cursor, encode_cursor
from .views import event_detail, point_row, summary_row

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
MAX_LIMIT = {"full": 200, "summary": 500, "point": 5000}


def store_of(request: Request) -> Store:
    return request.app.state.store


@router.get("/config", summary="Server settings the UI needs")
def config(request: Request) -> dict[str, Any]:
    return {"version": __version__, "read_only": not request.app.state.token, "max_limit": MAX_LIMIT}


@router.get("/events", summary="Events, filtered, sorted and paged by cursor")
def list_events(
    request: Request,
    filters: FiltersDep,
    sort: Annotated[Literal["date", "-date", "killed"], Query(description="date: newest first; -date: oldest first; killed: most first.")] = "date",
    limit: Annotated[int, Query(ge=1, le=5000, description="Page size (at most 200 for view=full, 500 summary, 5000 point).")] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
    view: Annotated[Literal["full", "summary", "point"], Query(description="full Event records, table rows or map points.")] = "full",
    total: Annotated[bool | None, Query(description="Also count all matching events (default: on the first page only, i.e. without a cursor).")] = None,
) -> JSONResponse:
    if limit > MAX_LIMIT[view]:
        raise QueryError("E302", f"limit={limit}: at most {MAX_LIMIT[view]} for view={view}")
    store = store_of(request)
    after = decode_cursor(cursor, sort, filters) if cursor else None
    with store.engine.connect() as conn:
        events, last = reports.page_events(conn, filters.flt, sort=sort, limit=limit, after=after, raw=True)
        count = reports.count(conn, filters.flt) if (total if total is not None else cursor is None) else None
    render = {"full": lambda e: e, "summary": summary_row, "point": point_row}[view]
    # JSONResponse straight away: FastAPI's generic encoder costs more than the query on a full page.
    return JSONResponse({
        "items": [render(e) for e in events],
        "next_cursor": encode_cursor(sort, last, filters) if last is not None else None,
        "total": count,
        "limit": limit,
        "sort": sort,
        "filters": filters.raw,
    })


def detail_or_redirect(request: Request, event_id: str, render: Any, *, suffix: str = "") -> JSONResponse:
    """``render(event_detail(...))`` as JSON; for an id fusion retired (E301, but ``store.redirects`` knows
    where it went) a 301 to the same path under the event it became. Live and hidden events always win."""
    store = store_of(request)
    try:
        return JSONResponse(render(event_detail(store, event_id)))
    except QueryError as error:
        redirect = store.get_redirect(event_id) if error.code == "E301" else None
        if redirect is None:
            raise
        return redirect_response(request, redirect, suffix=suffix)


@router.get("/events/{event_id}", responses=REDIRECT_RESPONSES,
            summary="One event: every field, its evidence, sources, alternatives and review history",
            description="An id that fusion merged into another event, or that a rebuild replaced, answers 301 "
                        "with Location /api/events/{new id} and a body {\"redirect\": {\"from\", \"to\", \"reason\", "
                        "\"created\", \"location\"}}.")
def get_event(request: Request, event_id: str) -> JSONResponse:
    return detail_or_redirect(request, event_id, lambda record: record)


@router.get("/articles/{article_id}", summary="An article's text with the evidence offsets of every event from it")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    store = store_of(request)
    article = store.get_article(article_id)
    if article is None:
        raise QueryError("E305", article_id)
    with store.engine.connect() as conn:
        event_ids = reports.article_event_ids(conn, article_id)
    events = []
    for event_id in event_ids:
        event = store.get_event(event_id)
        if event is None:
            continue
        evidence = {
            name: [s.to_dict() for s in spans if s.article_id == article_id]
            for name, spans in event.evidence.items()
        }
        events.append({
            "event_id": event.event_id,
            "evidence": {k: v for k, v in evidence.items() if v},
            "reasons": event.reasons,
        })
    mentions = [
        {"mention_id": m.mention_id, "event_type": m.event_type, "sub_event_type": m.sub_event_type,
         "evidence": {k: [s.to_dict() for s in v] for k, v in m.evidence.items()}}
        for m in store.mentions_for_article(article_id)
    ]
    return {**article.to_dict(), "events": events, "mentions": mentions}


@router.get("/stats", summary="Counts and fatalities by week or month, type, country, admin1 and actor")
def stats(
    request: Request,
    filters: FiltersDep,
    interval: Annotated[Literal["week", "month"], Query()] = "month",
    top: Annotated[int, Query(ge=1, le=200, description="How many values per breakdown.")] = 20,
) -> dict[str, Any]:
    store = store_of(request)
    with store.engine.connect() as conn:
        return {
            "filters": filters.raw,
            "interval": interval,
            "totals": reports.totals(conn, filters.flt),
            "timeline": reports.timeline(conn, filters.flt, interval=interval),
            "by_type": reports.breakdown(conn, filters.flt, by="type", limit=top),
            "by_country": reports.breakdown(conn, filters.flt, by="country", limit=top),
            "by_admin1": reports.breakdown(conn, filters.flt, by="admin1", limit=top),
            "by_actor": reports.breakdown(conn, filters.flt, by="actor", limit=top),
        }


def _stream(events: Iterator[Event], fmt: str) -> Iterator[str]:
    """The export writers' output, one event at a time (the same rows as ``conflictlens export``)."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for event in events:
            writer.writerow(csv_row(event))
            if buf.tell() > 64_000:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()
    elif fmt == "jsonl":
        for event in events:
            yield json.dumps(event.to_dict(), ensure_ascii=False) + "\n"
    else:
        opening, render = (
            ('{"type": "FeatureCollection", "features": [', geojson_feature) if fmt == "geojson" else ("[", Event.to_dict)
        )
        yield opening
        for n, event in enumerate(events):
            yield (",\n" if n else "\n") + json.dumps(render(event), ensure_ascii=False)
        yield "\n]}\n" if fmt == "geojson" else "\n]\n"


MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "json": "application/json",
         "jsonl": "application/x-ndjson"}


@router.get("/export", summary="Download the filtered events as CSV, GeoJSON, JSON or JSON Lines (streamed)")
def export(
    request: Request,
    filters: FiltersDep,
    format: Annotated[str, Query(description="csv, geojson, json or jsonl")] = "csv",  # noqa: A002
) -> StreamingResponse:
    fmt = format.lower()
    if fmt not in MEDIA:
        raise QueryError("E303", f"{format!r}; choose one of {', '.join(MEDIA)}")
    store = store_of(request)
    events = store.iter_events(filters.flt)
    filename = f"conflictlens-events.{fmt}"
    return StreamingResponse(_stream(events, fmt), media_type=MEDIA[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})
