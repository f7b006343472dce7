"""The fusion engine: reports join the best-scoring event above a threshold, or start a new one.

``FusionCore`` is the in-memory algorithm; ``Fuser`` runs it against a store, one article at a time
(``fuse_article``, incremental) or over every stored report (``rebuild``). The rules that make the two agree:

* reports are processed one at a time in fusion order (the order ``fuse_article`` was called, recorded in
  ``mention_order``), each compared with the events as they stand after the previous report;
* a report is compared only with blocking candidates (``blocking.is_candidate``) and never joins an event
  that already holds a report from the same article (an article's mentions are distinct incidents to the
  extractor);
* it joins the highest-scoring candidate with score >= threshold (ties: the smaller event id), else it
  creates an event whose id is ``stable_id(mention_id, prefix="ev-")``: an event keeps the id of its first
  report however many reports join later;
* an event is always the merge (``merge``, the fold of ``fold.Accumulator``) of its reports in the order they
  joined, and it is scored through ``features.features`` of that record, which is the same read back from
  the store; a stored event is continued from its merge tally (``fusion["merge"]``), never merged again
  from all its reports, so a report joining an event of N reports costs the same for any N;
* candidates scored within ``near_miss_margin`` below the threshold keep the report as a near-miss in
  their ``fusion`` record (why it was kept apart).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Article, Event, EventMention, Source, stable_id
from .blocking import BlockIndex
from .features import features
from .fold import TALLY_VERSION, Accumulator
from .merge import Member
from .similarity import DEFAULT_WEIGHTS, Match, Weights, score

if TYPE_CHECKING:
    from ..store import Store

FUSION_VERSION = 2  # 2: events carry the merge tally (fusion["merge"]) that reports are folded into
MAX_NEAR_MISSES = 20
MAX_EXPLAINED = 25  # joined reports listed with their matched evidence; later ones with their score only
MentionLoader = Callable[[list[str]], dict[str, EventMention]]


def source_of(article: Article) -> Source:
    """The Source record an article contributes to every event it reports."""
    return Source(article_id=article.article_id, source_id=article.source_id, url=article.url,
                  title=article.title, published=article.published)


@dataclass
class _Cluster:
    event: Event  # the current record (a stored event until a report joins it)
    acc: Accumulator | None  # the running merge; None: a stored event not continued yet
    joined: list[dict[str, Any]] = field(default_factory=list)
    near_misses: list[dict[str, Any]] = field(default_factory=list)


class FusionCore:
    """Events held in memory with a blocking index; ``add`` fuses one report.

    ``loaded`` counts mentions read through ``load_mentions`` and ``folded`` reports merged into an event
    (each report once: joining never merges an event's earlier reports again); tests use them to check
    that the work stays near-linear."""

    def __init__(self, *, weights: Weights = DEFAULT_WEIGHTS, load_mentions: MentionLoader | None = None) -> None:
        self.weights = weights
        self._clusters: dict[str, _Cluster] = {}
        self._index = BlockIndex()
        self._load = load_mentions
        self.touched: dict[str, None] = {}  # ids of events changed, in order of first change
        self.compared = 0
        self.loaded = 0
        self.folded = 0
        self.seeded = 0

    def __len__(self) -> int:
        return len(self._clusters)

    def has(self, event_id: str) -> bool:
        return event_id in self._clusters

    def seed(self, event: Event) -> None:
        """Add a stored event (continued from its stored tally if a report joins it)."""
        if event.event_id in self._clusters:
            return
        info = event.fusion or {}
        self.seeded += 1
        self._clusters[event.event_id] = _Cluster(
            event=event, acc=None, joined=list(info.get("members", [])),
            near_misses=list(info.get("near_misses", [])),
        )
        self._index.put(event.event_id, features(event))

    def _acc(self, cluster: _Cluster) -> Accumulator:
        """The running merge of a cluster: the stored tally continued, or (an event of one report, or one
        stored by an older version) its reports loaded and merged again, once."""
        if cluster.acc is not None:
            return cluster.acc
        event = cluster.event
        info = event.fusion or {}
        tally = info.get("merge")
        if info.get("version") == FUSION_VERSION and isinstance(tally, dict) \
                and tally.get("version") == TALLY_VERSION and tally.get("n") == len(event.mention_ids) >= 2:
            cluster.acc = Accumulator.restore(event, tally)
            return cluster.acc
        if self._load is None:
            raise RuntimeError("a stored event gained a report but no mention loader was given")
        ids = list(event.mention_ids)
        loaded = self._load(ids)
        self.loaded += len(loaded)
        by_article = {s.article_id: s for s in event.sources}
        acc = Accumulator(event.event_id)
        for i in ids:
            if i in loaded:
                m = loaded[i]
                acc.add(Member(m, by_article.get(m.article_id, Source(article_id=m.article_id))))
                self.folded += 1
        cluster.acc = acc
        cluster.event = acc.event
        return acc

    def _fusion_info(self, cluster: _Cluster) -> dict[str, Any]:
        info: dict[str, Any] = {"version": FUSION_VERSION, "threshold": self.weights.threshold,
                                "members": cluster.joined, "near_misses": cluster.near_misses}
        acc = cluster.acc
        if acc is not None and acc.size >= 2:
            info["merge"] = acc.tally
        elif acc is None and "merge" in (cluster.event.fusion or {}):
            info["merge"] = cluster.event.fusion["merge"]
        return info

    def add(self, mention: EventMention, source: Source) -> tuple[str, Match | None]:
        """Fuse one report; returns the id of its event and the match it joined on (None: a new event)."""
        f = features(mention, published=source.published, article_ids=frozenset((mention.article_id,)))
        scored: list[tuple[float, str, Match]] = []
        for event_id in self._index.candidates(f):
            other = self._index.features(event_id)
            if mention.article_id in other.article_ids:
                continue
            self.compared += 1
            m = score(f, other, weights=self.weights)
            scored.append((m.score, event_id, m))
        w = self.weights
        best = None
        for s, e, m in scored:
            if s >= w.threshold and (best is None or s > best[0] or (s == best[0] and e < best[1])):
                best = (s, e, m)
        member = Member(mention, source)
        if best is not None:
            event_id, match = best[1], best[2]
            cluster = self._clusters[event_id]
            acc = self._acc(cluster)
            entry: dict[str, Any] = {"mention_id": mention.mention_id, "article_id": mention.article_id}
            if len(cluster.joined) < MAX_EXPLAINED:
                entry.update(match.to_dict())
            else:
                entry["score"] = round(match.score, 3)
            cluster.joined.append(entry)
        else:
            event_id, match = stable_id(mention.mention_id, prefix="ev-"), None
            acc = Accumulator(event_id)
            cluster = _Cluster(event=acc.event, acc=acc,
                               joined=[{"mention_id": mention.mention_id, "article_id": mention.article_id,
                                        "created": True}])
            self._clusters[event_id] = cluster
        acc.add(member)
        self.folded += 1
        cluster.event = acc.event
        for s, other_id, m in scored:
            if other_id != event_id and s >= w.threshold - w.near_miss_margin:
                self._near_miss(other_id, mention, event_id, m)
        # A one-report event compares exactly like its report (tests check features(merge) == features(report)).
        self._index.put(event_id, f if match is None else features(cluster.event))
        self.touched[event_id] = None
        return event_id, match

    def _near_miss(self, event_id: str, mention: EventMention, went_to: str, match: Match) -> None:
        cluster = self._clusters[event_id]
        cluster.near_misses.append({"mention_id": mention.mention_id, "article_id": mention.article_id,
                                    "joined": went_to, **match.to_dict()})
        # Keep the strongest few: stable on ties, so every run keeps the same ones.
        cluster.near_misses = sorted(cluster.near_misses, key=lambda n: -n["score"])[:MAX_NEAR_MISSES]
        self.touched[event_id] = None

    def event(self, event_id: str) -> Event:
        """The full record of an event, with its fusion explanation and merge tally."""
        cluster = self._clusters[event_id]
        cluster.event.fusion = self._fusion_info(cluster)
        return cluster.event

    def events(self, ids: Iterable[str] | None = None) -> list[Event]:
        return [self.event(i) for i in (list(self._clusters) if ids is None else list(ids))]


def fuse_mentions(reports: Iterable[tuple[EventMention, Source]], *, weights: Weights = DEFAULT_WEIGHTS) -> list[Event]:
    """Fuse reports in memory, in the given order (no database): the evaluation and benchmark entry point."""
    core = FusionCore(weights=weights)
    for mention, source in reports:
        core.add(mention, source)
    return core.events()


class Fuser:
    """Cross-article fusion against a store: ``fuse_article`` before ``write_article``; ``rebuild``."""

    def __init__(self, *, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.weights = weights
        self.counts = {"compared": 0, "loaded": 0, "folded": 0, "seeded": 0}  # work done, over all calls

    def locked(self, store: "Store", article: Article, mentions: list[EventMention]) -> ContextManager[None]:
        """Hold the advisory locks of the blocks ``mentions`` fall in (PostgreSQL; a no-op on SQLite) around
        ``fuse_article`` + ``store.write_article``, so that concurrent ingests cannot both create an event for
        one incident: ``with fuser.locked(store, a, ms): store.write_article(a, ms, fuser.fuse_article(...))``."""
        from ..store import fusion_queries as fq

        blocks = {(f.country, f.family) for f in (features(m, published=article.published) for m in mentions)
                  if f.window is not None}
        return fq.block_locks(store.engine, blocks)

    def fuse_article(self, store: "Store", article: Article, mentions: list[EventMention]) -> list[Event]:
        """The events to write with ``article``: new events and stored events its reports join (or nearly
        joined, which records the near-miss). Pass them to ``store.write_article`` in the same call order."""
        if not mentions:
            return []
        from ..store import fusion_queries as fq

        fq.record_order(store.engine, article.article_id, [m.mention_id for m in mentions])
        source = source_of(article)
        with store.engine.connect() as conn:
            core = FusionCore(weights=self.weights, load_mentions=lambda ids: fq.mentions_by_id(conn, ids))
            blocks = set()
            for mention in mentions:
                f = features(mention, published=article.published)
                if f.window is not None:
                    blocks.add((f.country, f.family, f.window))
            for country, family, window in sorted(blocks):
                for event in fq.candidate_events(conn, country=country, family=family, window=window):
                    core.seed(event)
            for mention in mentions:
                core.add(mention, source)
            events = core.events(core.touched)
        for key, value in (("compared", core.compared), ("loaded", core.loaded), ("folded", core.folded),
                           ("seeded", core.seeded)):
            self.counts[key] += value
        return events

    def rebuild(self, store: "Store") -> dict[str, int]:
        """Recompute every event from the stored reports, in fusion order, and replace the events tables in
        one transaction. Returns counts: mentions, events, multi_report_events, compared (pairs scored)."""
        from ..store import fusion_queries as fq

        with store.engine.connect() as conn:
            sources = fq.all_sources(conn)
        core = FusionCore(weights=self.weights)
        n = 0
        for mention in fq.ordered_mentions(store.engine):
            core.add(mention, sources.get(mention.article_id) or Source(article_id=mention.article_id))
            n += 1
        events = core.events()
        fq.replace_all_events(store.engine, events)
        return {"mentions": n, "events": len(events),
                "multi_report_events": sum(1 for e in events if len(e.mention_ids) > 1), "compared": core.compared}
