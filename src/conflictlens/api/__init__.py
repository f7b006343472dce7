"""The REST API and the web UI, one FastAPI application over a ``Store``.

    from conflictlens.api import create_app
    app = create_app("sqlite:///conflictlens.db", token=None)   # read-only without a token
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
