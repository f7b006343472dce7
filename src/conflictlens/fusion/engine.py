"""The fusion engine: reports join the best-scoring event above a threshold, or start a new one.

``FusionCore`` is the in-memory algorithm; ``fuser.Fuser`` runs it against a store, one article at a time
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
  joined, and it is scored through ``features.features`` of that record and its tally, which is exactly what
  is read back from the store (also for an event of one report, whose record can differ from its report's
  features); a stored event is continued from its merge tally (``fusion["merge"]``), never merged again
  from all its reports, so a report joining an event of N reports costs the same for any N;
* candidates scored within ``near_miss_margin`` below the threshold keep the report as a near-miss in
  their ``fusion`` record (why it was kept apart);
* cluster merge: when a report scores >= threshold with more than one event, the events it joins are
  merged too, one at a time in score order, but only when the two events themselves score >= threshold
  against each other (so one vague report cannot chain two incidents). The event with more reports keeps
  its id (ties: the one the report joined); the other's reports are folded into it in their order and its
  id is retired (``FusionCore.retired``: retired id -> surviving id; ``fuser.Fuser`` deletes retired events
  from the store). Folding the smaller event into the larger keeps the total re-folding work O(n log n). The
  reports folded are those the core holds (added in it) and, for a stored event, the others read back from
  the store, so a report of the article being fused (not stored yet) is never lost in a merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Event, EventMention, Source, stable_id
from .blocking import BlockIndex, store_keys
from .features import Features, features
from .fold import TALLY_VERSION, Accumulator
from .merge import Member
from .similarity import DEFAULT_WEIGHTS, Match, Weights, score

FUSION_VERSION = 3  # 2: events carry the merge tally (fusion["merge"]); 3: cluster merge, identity blocking
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
    known: dict[str, Member] = field(default_factory=dict)  # its reports added in this core (``keep_reports``)


class FusionCore:
    """Events held in memory with a blocking index; ``add`` fuses one report.

    ``load_mentions`` reads stored reports (of a stored event that gains a report or is merged into
    another); the reports added to the core are kept too (``keep_reports``, always without a loader), since
    those of the article being fused are not stored yet. ``loaded`` counts mentions read through
    it and ``folded`` reports merged into an event (each report once when it joins, again only when its
    event is merged into a larger one); tests use them to check that the work stays near-linear."""

    def __init__(self, *, weights: Weights = DEFAULT_WEIGHTS, load_mentions: MentionLoader | None = None,
                 keep_reports: bool = True) -> None:
        self.weights = weights
        self._clusters: dict[str, _Cluster] = {}
        self._index = BlockIndex()
        self._load = load_mentions
        # Keep the reports added here (needed to merge events when they cannot be read back: without a
        # loader, or not stored yet); a rebuild, whose reports are all stored, need not hold them all.
        self._keep = keep_reports or load_mentions is None
        self.touched: dict[str, None] = {}  # ids of events changed, in order of first change
        self.retired: dict[str, str] = {}  # ids of events merged into another -> the surviving id
        self._absorbed: dict[str, list[str]] = {}  # surviving id -> the ids retired into it
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
        above = sorted(((s, e, m) for s, e, m in scored if s >= w.threshold), key=lambda x: (-x[0], x[1]))
        best = above[0] if above else None
        member = Member(mention, source)
        before = None
        if best is not None:
            event_id, match = best[1], best[2]
            before = self._index.features(event_id)
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
        if self._keep:
            cluster.known[mention.mention_id] = member
        cluster.event = acc.event
        self._index.put(event_id, self._features(cluster))
        self.touched[event_id] = None
        for _, other_id, _ in above[1:]:
            assert before is not None
            event_id = self._merge_if_alike(event_id, before, other_id, mention)
        for s, other_id, m in scored:
            if other_id != event_id and other_id in self._clusters and s >= w.threshold - w.near_miss_margin:
                self._near_miss(other_id, mention, event_id, m)
        return event_id, match

    # --- cluster merge ------------------------------------------------------------------------------------

    def _members(self, cluster: _Cluster) -> list[Member]:
        """The reports of an event in join order: those added in this core, the others loaded from the store
        (a stored event's, and in ``Fuser.fuse_article`` the article's own reports are not stored yet)."""
        event, known = cluster.event, cluster.known
        missing = [i for i in event.mention_ids if i not in known]
        if missing:
            if self._load is None:
                raise RuntimeError("a stored event's reports are needed but no mention loader was given")
            loaded = self._load(missing)
            self.loaded += len(loaded)
            by_article = {s.article_id: s for s in event.sources}
            known = {**known, **{i: Member(m, by_article.get(m.article_id, Source(article_id=m.article_id)))
                                 for i, m in loaded.items()}}
        return [known[i] for i in event.mention_ids if i in known]

    def _merge_if_alike(self, event_id: str, before: Features, other_id: str, via: EventMention) -> str:
        """Merge ``other_id`` into the event ``via`` is in (``event_id``) when the event ``via`` joined, as it
        was before (``before``: what ``via`` brought must not be what makes them alike), scores >= threshold
        against it and they share no article; returns the id of the event ``via`` is in now."""
        if other_id not in self._clusters or other_id == event_id:
            return event_id
        mine, other = before, self._index.features(other_id)
        if not self._index.features(event_id).article_ids.isdisjoint(other.article_ids):
            return event_id
        self.compared += 1
        match = score(other, mine, weights=self.weights)
        if match.score < self.weights.threshold:
            return event_id
        a, b = self._clusters[event_id], self._clusters[other_id]
        keep_id, gone_id = (event_id, other_id) if len(a.event.mention_ids) >= len(b.event.mention_ids) \
            else (other_id, event_id)
        self._absorb(keep_id, gone_id, via, match)
        return keep_id

    def _absorb(self, keep_id: str, gone_id: str, via: EventMention, match: Match) -> None:
        keep, gone = self._clusters[keep_id], self._clusters.pop(gone_id)
        acc = self._acc(keep)
        have = set(keep.event.mention_ids)
        entries = {e.get("mention_id"): e for e in gone.joined}
        moved = [m for m in self._members(gone) if m.mention.mention_id not in have]
        for i, member in enumerate(moved):
            acc.add(member)
            self.folded += 1
            m = member.mention
            entry = {k: v for k, v in entries.get(m.mention_id, {}).items() if k != "merge"}
            entry.update(mention_id=m.mention_id, article_id=m.article_id, merged_from=gone_id)
            if i == 0:
                entry["merge"] = {"via": via.mention_id, "event": gone_id, "reports": len(gone.event.mention_ids),
                                  **match.to_dict()}
            keep.joined.append(entry)
        if self._keep:
            keep.known.update((m.mention.mention_id, m) for m in moved)
        keep.event = acc.event
        now = set(keep.event.mention_ids)
        misses = [n for n in keep.near_misses + gone.near_misses if n.get("mention_id") not in now]
        keep.near_misses = sorted(misses, key=lambda n: -n["score"])[:MAX_NEAR_MISSES]
        self._index.remove(gone_id)
        self._index.put(keep_id, self._features(keep))
        self.touched.pop(gone_id, None)
        self.touched[keep_id] = None
        absorbed = self._absorbed.pop(gone_id, []) + [gone_id]  # and what it had absorbed: retired into keep
        for old in absorbed:
            self.retired[old] = keep_id
        self._absorbed.setdefault(keep_id, []).extend(absorbed)

    @staticmethod
    def _features(cluster: _Cluster) -> Features:
        """What an event is compared by: the features of its record, exactly what the store gives back (an event
        of one report is stored without its tally; its report's own features may differ, e.g. a described
        victim whose words are the name of a named one is one victim in the record)."""
        acc = cluster.acc
        return features(cluster.event, tally=acc.tally if acc is not None and acc.size >= 2 else None)

    def _near_miss(self, event_id: str, mention: EventMention, went_to: str, match: Match) -> None:
        cluster = self._clusters[event_id]
        cluster.near_misses.append({"mention_id": mention.mention_id, "article_id": mention.article_id,
                                    "joined": went_to, **match.to_dict()})
        # Keep the strongest few: stable on ties, so every run keeps the same ones.
        cluster.near_misses = sorted(cluster.near_misses, key=lambda n: -n["score"])[:MAX_NEAR_MISSES]
        self.touched[event_id] = None

    def keys_of(self, event_id: str) -> list[str]:
        """The identity keys of an event, as the store's ``fusion_keys`` rows hold them."""
        return store_keys(self._index.features(event_id))

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
