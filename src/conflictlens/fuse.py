"""Fusion entry points kept for the pipeline's per-article step; the strategy lives in ``conflictlens.fusion``.

``events_for_article`` fuses one article's mentions on their own (no database): every mention becomes its own
provisional Event with id ``stable_id(mention_id, prefix="ev-")``, because an article's mentions are distinct
incidents to the extractor. Cross-article fusion against the store is ``conflictlens.fusion.Fuser``
(``fuse_article`` before ``Store.write_article``; ``rebuild``), which gives an event the same id as long as
its first report is the same.
"""

from __future__ import annotations

from .fusion.engine import fuse_mentions, source_of
from .fusion.merge import Member, merge_event
from .model import Article, Event, EventMention, stable_id

__all__ = ["event_from_mention", "events_for_article", "source_of"]


def event_from_mention(mention: EventMention, article: Article) -> Event:
    """One Event carrying every incident field of ``mention``; its id is stable for the same mention."""
    return merge_event(stable_id(mention.mention_id, prefix="ev-"), [Member(mention, source_of(article))])


def events_for_article(article: Article, mentions: list[EventMention]) -> list[Event]:
    """The events an article's mentions give on their own, in mention order."""
    source = source_of(article)
    return fuse_mentions((m, source) for m in mentions)
