"""Cross-article fusion against a store: ``Fuser.fuse_article`` (incremental, one article before its write)
and ``Fuser.rebuild`` (every stored report again, in fusion order). Both run ``engine.FusionCore``.

The ingest protocol (``pipeline.write_results``)::

    with fuser.locked(store, article, mentions):           # PostgreSQL advisory locks of the article's blocks
        events = fuser.fuse_article(store, article, mentions)
        if store.write_article(article, mentions, events, retired=fuser.retired):
            fuser.retired.clear()                            # merged-away events went in the same transaction
    # on leaving the block: merged-away events still pending (a write that failed or was a duplicate) are
    # deleted if their survivor is stored

What the store must give back for incremental == rebuild: the candidate events of every report (a superset of
the blocking rule: ``fusion_queries.candidate_events`` by time, which always includes the undated events,
and ``fusion_keys.events_with_keys`` for undated reports), the reports of an event that is merged into another or continued from
an old record (``fusion_queries.mentions_by_id``), and the identity keys of every event written (recorded by
``fuse_article`` before the article's write; rewritten by ``rebuild``).

A merged-away event is deleted only once its survivor, holding all its reports, is stored
(``fusion_queries.retire_events`` checks), when ``locked`` exits or, for callers not using ``locked``, on the
next ``fuse_article`` or ``retire_merged``; until then its reports are listed by both events. Its id is then
redirected to the survivor (``store.redirects``), and ``rebuild`` redirects every id it makes disappear, so an
id someone cited still resolves (``Store.lookup_event``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model import Article, Event, EventMention, Source
from .blocking import store_keys
from .engine import FusionCore, source_of
from .features import features
from .similarity import DEFAULT_WEIGHTS, Weights

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["Fuser"]


class Fuser:
    """Cross-article fusion against a store: ``fuse_article`` before ``write_article``; ``rebuild``."""

    def __init__(self, *, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.weights = weights
        # work done over all calls: pairs scored, stored reports read, reports folded, stored events seeded
        self.counts = {"compared": 0, "loaded": 0, "folded": 0, "seeded": 0, "merged": 0}
        self.retired: dict[str, str] = {}  # merged away by fuse_article, not deleted from the store yet

    @contextlib.contextmanager
    def locked(self, store: "Store", article: Article, mentions: list[EventMention]) -> Iterator[None]:
        """Hold the advisory locks of the blocks ``mentions`` fall in (PostgreSQL; a no-op on SQLite) around
        ``fuse_article`` + ``store.write_article``, so that concurrent ingests cannot both create an event for
        one incident: ``with fuser.locked(store, a, ms): store.write_article(a, ms, fuser.fuse_article(...))``.
        On leaving the block normally, events the article's reports merged into others are deleted (still
        under the locks, so no other writer continues them meanwhile)."""
        from ..store import fusion_queries as fq

        blocks = {(f.country, f.family) for f in (features(m, published=article.published) for m in mentions)}
        with fq.block_locks(store.engine, blocks):
            yield
            self.retire_merged(store)

    def retire_merged(self, store: "Store") -> list[str]:
        """Delete from the store the events merged into others whose survivor is stored; returns their ids."""
        if not self.retired:
            return []
        from ..store import fusion_queries as fq

        pending, self.retired = self.retired, {}
        return fq.retire_events(store.engine, pending)

    def fuse_article(self, store: "Store", article: Article, mentions: list[EventMention]) -> list[Event]:
        """The events to write with ``article``: new events and stored events its reports join, merged or
        nearly joined (which records the near-miss). Pass them to ``store.write_article``; events merged into
        another are listed in ``retired`` until ``retire_merged`` (or leaving ``locked``) deletes them."""
        if not mentions:
            return []
        from ..store import fusion_keys as fk
        from ..store import fusion_queries as fq

        self.retire_merged(store)  # a previous article's merge, its write done (a no-op inside ``locked``)
        fq.record_order(store.engine, article.article_id, [m.mention_id for m in mentions])
        source = source_of(article)
        with store.engine.connect() as conn:
            core = FusionCore(weights=self.weights, load_mentions=lambda ids: fq.mentions_by_id(conn, ids))
            blocks, keyed = set(), set()
            for mention in mentions:
                f = features(mention, published=article.published)
                if f.window is not None:
                    blocks.add((f.country, f.family, f.window))
                if f.window is None or f.horizon is not None:  # undated: also older events sharing a key
                    keyed.update(store_keys(f))
            for country, family, window in sorted(blocks):
                for event in fq.candidate_events(conn, country=country, family=family, window=window):
                    core.seed(event)
            if keyed:
                for event in fk.events_with_keys(conn, sorted(keyed)):
                    core.seed(event)
            for mention in mentions:
                core.add(mention, source)
            events = core.events(core.touched)
        fk.add_keys(store.engine, {e.event_id: core.keys_of(e.event_id) for e in events})
        self.retired.update(core.retired)
        self._count(core)
        return events

    def rebuild(self, store: "Store") -> dict[str, int]:
        """Recompute every event from the stored reports, in fusion order, and replace the events tables (and
        identity keys) in one transaction. Returns counts: mentions, events, multi_report_events, compared
        (pairs scored), merged (events merged into another), redirected (event ids that existed before and not
        after, now leading to the event holding their first report: ``store.redirects``)."""
        from ..store import fusion_queries as fq

        with store.engine.connect() as conn:
            sources = fq.all_sources(conn)
            core = FusionCore(weights=self.weights, load_mentions=lambda ids: fq.mentions_by_id(conn, ids),
                              keep_reports=False)
            n = 0
            for mention in fq.ordered_mentions(store.engine):
                core.add(mention, sources.get(mention.article_id) or Source(article_id=mention.article_id))
                n += 1
            events = core.events()
        redirected = fq.replace_all_events(store.engine, events, {e.event_id: core.keys_of(e.event_id) for e in events})
        self.retired.clear()
        self._count(core)
        return {"mentions": n, "events": len(events), "multi_report_events": sum(1 for e in events if len(e.mention_ids) > 1),
                "compared": core.compared, "merged": len(core.retired), "redirected": redirected}

    def _count(self, core: FusionCore) -> None:
        for key, value in (("compared", core.compared), ("loaded", core.loaded), ("folded", core.folded),
                           ("seeded", core.seeded), ("merged", len(core.retired))):
            self.counts[key] += value
