"""Review routes: correct a field, mark as not an incident (and restore), merge, split; and the history.

Every write needs ``Authorization: Bearer <token>`` (see ``security.require_token``); each runs in one
write transaction and answers with the corrected event as ``GET /api/events/{id}`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError

from ..errors import QueryError, StorageError
from ..store import Store
from ..store import review
from ..store.engine import write_options
from .problems import ERROR_RESPONSES, REDIRECT_RESPONSES
from .routes_events import detail_or_redirect, store_of
from .security import require_token
from .views import event_detail

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
Writer = Annotated[None, Depends(require_token)]


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    author: str = Field(min_length=1, max_length=200, description="Who made the correction.")
    reason: str | None = Field(default=None, max_length=5000, description="Why.")


class CorrectBody(ReviewBody):
    field: str = Field(description=f"One of: {', '.join(review.REVIEWABLE_FIELDS)}.")
    value: Any = Field(description="The field's new value, in the JSON form of the Event record.")


class MergeBody(ReviewBody):
    other_event_id: str = Field(description="The event to merge into this one (it is hidden afterwards).")


class SplitBody(ReviewBody):
    mention_ids: list[str] = Field(min_length=1, description="Mentions to move out into a new event.")


def _write(store: Store, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        with store.engine.connect() as conn:
            conn.execution_options(**write_options(store.dialect))
            with conn.begin():
                return action(conn, *args, **kwargs)
    except DBAPIError as exc:
        raise StorageError("E203", f"review: {exc.orig or exc}") from exc


def _full_id(store: Store, event_id: str) -> str:
    """The exact id of a visible or hidden event, or of the visible event with this unique prefix. A write to
    an id fusion retired is refused (E301 naming the event it became), never applied there silently."""
    with store.engine.connect() as conn:
        if review.hidden_event(conn, event_id) is not None:
            return event_id
    event = store.get_event(event_id)
    if event is None:
        redirect = store.get_redirect(event_id)
        if redirect is not None:
            raise QueryError("E301", f"{redirect.describe()}; use {redirect.new_id}")
    return event.event_id if event is not None else event_id


@router.get("/events/{event_id}/corrections", summary="The review history of an event", responses=REDIRECT_RESPONSES,
            description="An id that fusion retired answers 301 to /api/events/{new id}/corrections.")
def corrections(request: Request, event_id: str) -> JSONResponse:
    return detail_or_redirect(request, event_id, lambda record: record["review"]["corrections"], suffix="/corrections")


@router.get("/corrections", summary="The latest corrections, newest first")
def recent(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    with store_of(request).engine.connect() as conn:
        return [c.to_dict() for c in review.recent(conn, limit=limit)]


@router.post("/events/{event_id}/corrections", summary="Correct one field of an event")
def correct(request: Request, event_id: str, body: CorrectBody, _auth: Writer) -> dict[str, Any]:
    store = store_of(request)
    full = _full_id(store, event_id)
    _write(store, review.correct, full, body.field, body.value, author=body.author, reason=body.reason)
    return event_detail(store, full)


@router.post("/events/{event_id}/reject", summary="Mark an event as not an incident (hides it)")
def reject(request: Request, event_id: str, body: ReviewBody, _auth: Writer) -> dict[str, Any]:
    store = store_of(request)
    full = _full_id(store, event_id)
    _write(store, review.reject, full, author=body.author, reason=body.reason)
    return event_detail(store, full)


@router.post("/events/{event_id}/restore", summary="Undo 'not an incident'")
def restore(request: Request, event_id: str, body: ReviewBody, _auth: Writer) -> dict[str, Any]:
    store = store_of(request)
    full = _full_id(store, event_id)
    _write(store, review.restore, full, author=body.author, reason=body.reason)
    return event_detail(store, full)


@router.post("/events/{event_id}/merge", summary="Merge another event into this one")
def merge(request: Request, event_id: str, body: MergeBody, _auth: Writer) -> dict[str, Any]:
    store = store_of(request)
    target, source = _full_id(store, event_id), _full_id(store, body.other_event_id)
    _write(store, review.merge, target, source, author=body.author, reason=body.reason)
    return event_detail(store, target)


@router.post("/events/{event_id}/split", summary="Move mentions out of this event into a new one")
def split(request: Request, event_id: str, body: SplitBody, _auth: Writer) -> dict[str, Any]:
    store = store_of(request)
    full = _full_id(store, event_id)
    new_id = _write(store, review.split, full, body.mention_ids, author=body.author, reason=body.reason)
    if not isinstance(new_id, str):
        raise QueryError("E307", "split produced no event")
    return {"event": event_detail(store, full), "new_event": event_detail(store, new_id)}
