"""conflictlens: news reports of political violence in, a sourced database of events and actors out.

The library is the product; the CLI and the web API are thin skins over it::

    import conflictlens as cl
    events = cl.extract("Gunmen stormed a school in Peshawar on Tuesday ...", published="2014-12-16")
    db = cl.open("sqlite:///conflictlens.db")
    db.ingest(["reports/"])

Nothing heavy happens at import time: the language model and the gazetteer load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .database import Database
    from .model import Event

__all__ = ["__version__", "extract", "open"]


def extract(text: str, *, published: str | None = None, title: str | None = None) -> "list[Event]":
    """Extract the incidents one text reports, without a database (see ``conflictlens.pipeline``)."""
    from .pipeline import extract_text

    return extract_text(text, published=published, title=title)


def open(url: str | None = None, **options: Any) -> "Database":  # noqa: A001 - mirrors sqlite_utils / io.open
    """Open (creating and migrating if needed) a conflictlens database by SQLAlchemy URL."""
    from .database import Database

    return Database(url, **options)
