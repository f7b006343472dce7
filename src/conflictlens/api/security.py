"""Security plumbing: request size limit, response security headers, and the bearer token for writes.

Pure ASGI middlewares (no request buffering): the size limit is checked against Content-Length before the
body is read and again while a chunked body streams in. CORS is closed by simply never sending an
Access-Control-Allow-Origin header. The token is compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException

from ..errors import ConflictLensError

Scope = dict[str, Any]
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets style attributes from its bundle; /docs alone allows inline styles (never scripts).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class _TooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit; FastAPI re-raises HTTPExceptions
    from body parsing, so the route's error handler answers 413 (E603)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"more than {limit} bytes")


def _error_body(code: str, detail: str | None) -> bytes:
    return json.dumps(ConflictLensError(code, detail).to_dict()).encode()


class SecurityMiddleware:
    """Adds security headers to every response and refuses bodies over ``max_body_bytes`` (413, E603)."""

    def __init__(self, app: Any, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path") == "/docs" else CSP

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"access-control-allow-origin"]
                headers += [(b"content-security-policy", csp.encode()), *HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        limit = self.max_body_bytes
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                too_big = True
            if too_big:
                await self._refuse(send_with_headers, f"{length.decode(errors='replace')} bytes; the limit is {limit}")
                return
        seen = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send_with_headers, f"more than {limit} bytes")

    @staticmethod
    async def _refuse(send: Any, detail: str) -> None:
        body = _error_body("E603", detail)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def require_token(request: Request) -> None:
    """FastAPI dependency for write routes: 403 (E605) when the server has no token, 401 (E604) when the
    request's ``Authorization: Bearer`` token is missing or wrong."""
    expected: str | None = request.app.state.token
    if not expected:
        raise ConflictLensError("E605", "start the server with --token or CONFLICTLENS_TOKEN to enable review")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))
    if not ok:
        raise ConflictLensError("E604")
