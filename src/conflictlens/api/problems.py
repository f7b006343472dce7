"""The one JSON error shape: every error the API returns is ``ConflictLensError.to_dict()``.

Library errors keep their own codes; what the web framework raises (unknown route, wrong method, a body
that fails validation, a body over the size limit, an unexpected exception) is mapped to an E6xx code here.

A retired event id (merged into another by fusion, or replaced in a rebuild: ``store.redirects``) is not an
error: ``redirect_response`` answers 301 with ``Location`` and, in the same style as the error shape, a body
``{"redirect": {"from", "to", "reason", "created", "location"}}``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from pydantic import BaseModel, Field
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ConflictLensError
from ..store import Redirect

log = logging.getLogger("conflictlens.api")

STATUS: dict[str, int] = {
    "E301": 404, "E304": 404, "E305": 404, "E601": 404,
    "E302": 400, "E303": 400, "E306": 400, "E307": 400,
    "E602": 405, "E603": 413, "E604": 401, "E605": 403, "E606": 422, "E607": 500,
    "E201": 503, "E202": 503, "E203": 500,
}
_HTTP_CODES = {404: "E601", 405: "E602", 413: "E603", 401: "E604", 403: "E605", 422: "E606"}


class ErrorDetail(BaseModel):
    code: str
    message: str
    detail: str | None = None
    path: str | None = None
    line: int | None = None


class ErrorResponse(BaseModel):
    """The one error shape (``ConflictLensError.to_dict()``)."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in ((400, "Invalid filter or value (E302, E303, E306, E307)"), (401, "Missing or wrong token (E604)"),
                         (403, "Read-only server (E605)"), (404, "Not found (E301, E304, E305, E601)"),
                         (413, "Body too large (E603)"), (422, "Malformed request body (E606)"),
                         (500, "Internal error (E607, E203)"))
}


class RedirectDetail(BaseModel):
    from_: str = Field(alias="from", description="The retired event id that was asked for.")
    to: str = Field(description="The event it leads to now.")
    reason: str = Field(description='"merged" (fusion merged it into that event) or "rebuilt" (a rebuild replaced it).')
    created: str = Field(description="When it was retired (ISO 8601, UTC).")
    location: str = Field(description="The URL of the event it leads to, as in the Location header.")


class RedirectBody(BaseModel):
    """The body of a 301 for a retired event id (``redirect_response``)."""

    redirect: RedirectDetail


REDIRECT_RESPONSES: dict[int | str, dict[str, Any]] = {
    301: {"model": RedirectBody, "description": "The event id was retired (merged into another event, or replaced "
          "in a rebuild): Location names the event it became; clients that follow redirects get that event"},
}


def redirect_response(request: Request, redirect: Redirect, *, suffix: str = "") -> JSONResponse:
    """301 to the event ``redirect`` leads to (``/api/events/{new id}`` + ``suffix``, the query kept). Not cached
    for long: a later merge or rebuild can move the id again."""
    location = f"{request.scope.get('root_path', '')}/api/events/{quote(redirect.new_id, safe='')}{suffix}"
    if request.url.query:
        location += "?" + request.url.query
    body = {"redirect": {"from": redirect.old_id, "to": redirect.new_id, "reason": redirect.reason,
                         "created": redirect.created, "location": location}}
    return JSONResponse(body, status_code=301, headers={"Location": location, "Cache-Control": "no-cache"})


def status_for(error: ConflictLensError) -> int:
    return STATUS.get(error.code, 400)


def error_response(error: ConflictLensError, *, status: int | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error.to_dict(), status_code=status or status_for(error), headers=headers)


def _validation_detail(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape."""

    @app.exception_handler(ConflictLensError)
    async def _library(_request: Request, exc: ConflictLensError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.code == "E604" else None
        return error_response(exc, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        # A bad query parameter is a bad filter value (E302, 400); a bad body is a malformed request (E606).
        in_query = all(e.get("loc", ("",))[0] in ("query", "path") for e in errors)
        error = ConflictLensError("E302" if in_query else "E606", _validation_detail(errors))
        return error_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "E606" if exc.status_code < 500 else "E607")
        detail = request.url.path if code == "E601" else (f"{request.method} {request.url.path}" if code == "E602" else (str(exc.detail) if exc.detail else None))
        return error_response(ConflictLensError(code, detail), status=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(ConflictLensError("E607", type(exc).__name__))
