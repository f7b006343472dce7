"""``create_app``: the FastAPI application serving the REST API (/api), its docs (/docs) and the web UI.

The UI is static files shipped in ``conflictlens/web/static`` (no CDN, no build step); its pages are
served at clean paths (``/``, ``/event/{id}``, ``/actor/{id}``, ``/actors``, ``/map``, ``/timeline``) and
read everything from the API. Swagger UI is served from the same static folder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import Store
from . import problems, routes_actors, routes_events, routes_review
from .security import SecurityMiddleware

PAGES = {
    "/": "index.html",
    "/events": "index.html",
    "/actors": "actors.html",
    "/map": "map.html",
    "/timeline": "timeline.html",
    "/docs": "docs.html",
}


def static_dir() -> Path:
    return Path(str(resources.files("conflictlens.web") / "static"))


def create_app(store_url: str | None = None, *, token: str | None = None, max_body_bytes: int = 1_000_000) -> FastAPI:
    """The application over the database at ``store_url`` (see ``Store.open``).

    ``token``: bearer token that enables the review (write) routes; None or empty keeps the server
    read-only. ``max_body_bytes``: larger request bodies are refused with 413 (E603).
    """
    store = Store.open(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="conflictlens",
        version=__version__,
        description="Events of political violence extracted from news reports, with the evidence for every field.",
        docs_url=None,  # our own /docs page: Swagger UI from the package, no CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = token or None
    app.add_middleware(SecurityMiddleware, max_body_bytes=max_body_bytes)
    problems.install(app)
    app.include_router(routes_events.router)
    app.include_router(routes_actors.router)
    app.include_router(routes_review.router)
    _mount_ui(app)
    return app


def _page(name: str) -> Any:
    path = static_dir() / name

    def serve() -> FileResponse:
        return FileResponse(path, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    return serve


def _mount_ui(app: FastAPI) -> None:
    for route, name in PAGES.items():
        app.add_api_route(route, _page(name), methods=["GET"], include_in_schema=False)
    app.add_api_route("/event/{event_id}", _page("event.html"), methods=["GET"], include_in_schema=False)
    app.add_api_route("/actor/{actor_id}", _page("actor.html"), methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
