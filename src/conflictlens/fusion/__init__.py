"""Cross-article event fusion: many reports of one incident become one Event that keeps every report's values.

    from conflictlens.fusion import Fuser
    fuser = Fuser()
    with fuser.locked(store, article, mentions):               # locks (PostgreSQL); retires merged events on exit
        store.write_article(article, mentions, fuser.fuse_article(store, article, mentions))
    fuser.rebuild(store)                                        # recompute every event from the stored reports

Modules: ``features`` (what is compared), ``blocking`` (which events a report is compared with),
``similarity`` (score and evidence), ``merge`` / ``fold`` (fused fields with provenance), ``engine`` (the
algorithm, in memory), ``fuser`` (against a store), ``explain`` (the ``show --why`` text).
"""

from __future__ import annotations

from .engine import FusionCore, fuse_mentions, source_of
from .fuser import Fuser
from .similarity import DEFAULT_WEIGHTS, Weights

__all__ = ["DEFAULT_WEIGHTS", "Fuser", "FusionCore", "Weights", "fuse_mentions", "source_of"]
