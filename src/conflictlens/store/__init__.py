"""Storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, one transaction per article.

    from conflictlens.store import Store, EventFilter
    with Store.open("sqlite:///conflictlens.db") as store:
        store.query_events(EventFilter(country="PK", since="2014-01-01"))
"""

from __future__ import annotations

from .engine import DEFAULT_DB_URL, resolve_db_url
from .filters import EventFilter
from .migrations import LATEST_VERSION
from .redirects import EventLookup, Redirect
from .store import Store

__all__ = ["DEFAULT_DB_URL", "LATEST_VERSION", "EventFilter", "EventLookup", "Redirect", "Store", "resolve_db_url"]
