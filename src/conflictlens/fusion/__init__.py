"""Cross-article event fusion: many reports of one incident become one Event that keeps every report's values.

    from conflictlens.fusion import Fuser
    events = Fuser().fuse_article(store, article, mentions)   # then store.write_article(article, mentions, events)
    Fuser().rebuild(store)                                     # recompute every event from the stored reports

Modules: ``features`` (what is compared), ``blocking`` (which events a report is compared with),
``similarity`` (score and evidence), ``merge`` (fused fields with provenance), ``engine`` (the algorithm),
``explain`` (the ``show --why`` text).
"""

from __future__ import annotations

from .engine import Fuser, FusionCore, fuse_mentions, source_of
from .similarity import DEFAULT_WEIGHTS, Weights

__all__ = ["DEFAULT_WEIGHTS", "Fuser", "FusionCore", "Weights", "fuse_mentions", "source_of"]
