"""Actor routes: the list (paged by offset: actors are few next to events) and one actor's profile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ..errors import QueryError
from ..store import actor_profiles, reports
from .problems import ERROR_RESPONSES
from .routes_events import store_of

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


@router.get("/actors", summary="Actors named as perpetrators or claimants, most events first")
def list_actors(
    request: Request,
    q: Annotated[str | None, Query(description="Only actors whose id, name or alias contains this.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    actors = store_of(request).list_actors(name=q.strip() if q and q.strip() else None)
    page = actors[offset: offset + limit]
    more = offset + limit < len(actors)
    return {"items": [a.to_dict() for a in page], "total": len(actors), "next_offset": offset + limit if more else None}


@router.get("/actors/{actor_id}", summary="An actor's profile: the Actor record (aliases, relations with evidence), "
            "leaders, places, event types, aims sentences, its events and co-named actors")
def get_actor(
    request: Request,
    actor_id: str,
    limit: Annotated[int, Query(ge=1, le=5000, description="At most this many events (oldest first).")] = 1000,
) -> dict[str, Any]:
    store = store_of(request)
    with store.engine.connect() as conn:
        key = reports.actor_key(conn, actor_id)
        profile = actor_profiles.actor_profile(conn, key, limit=limit) if key is not None else None
        if profile is None:
            raise QueryError("E304", actor_id)
        events = reports.actor_events(conn, key, limit=limit)  # the timeline's shape: with summary and roles
        co = reports.co_actors(conn, key)
    return {**profile, "actor_key": key, "events": events, "co_actors": co}
