"""The resolve stage: fill each EventMention's date and place from what the extractor found.

The extractor leaves ``mention.date = DateRange(text=...)`` and ``mention.location = Place(name=...)`` (the
phrases as written, with their spans in ``mention.evidence``); this stage resolves them against the
article's publication date and the gazetteer, and says why in ``mention.reasons``. A mention without a date
phrase gets precision "unknown" (never the publication date); one without a place phrase gets an unknown
place.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Article, DateRange, EventMention, Place
from .dates import explain_date
from .gazetteer import Gazetteer
from .places import PlaceContext, resolve_place

_FUTURE_CUE = re.compile(
    r"\b(will|shall|would be held|is to|are to|is due|are due|scheduled|planned for|plans to|planning to|"
    r"expected to|set to|is going to|are going to|threatened to|vowed to)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?]\s")


def resolve_mentions(
    mentions: list[EventMention],
    article: Article,
    doc: Any = None,
    *,
    gazetteer: Gazetteer | None = None,
) -> list[EventMention]:
    """Resolve every mention's date (against ``article.published``) and place (gazetteer + article
    context from ``doc``, a spaCy Doc of ``article.text``, when given). Returns the same list."""
    if not mentions:
        return mentions
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    ctx = PlaceContext.build(
        article.text, gaz, doc=doc, title=article.title,
        extra=[m.location.name for m in mentions if m.location and m.location.name],
    )
    for mention in mentions:
        _resolve_date(mention, article)
        phrase = mention.location.name if mention.location else None
        place, reason = resolve_place(phrase, ctx, gaz)
        mention.location = place
        mention.reasons["location"] = reason
    return mentions


def _resolve_date(mention: EventMention, article: Article) -> None:
    text = mention.date.text if mention.date else None
    if not text or not text.strip():
        mention.date = DateRange()
        mention.reasons["date"] = "no date expression tied to the incident"
        return
    future = mention.status in ("planned", "threatened") or _future_context(mention, article)
    found = explain_date(text, article.published, future=future)
    if found is None:
        mention.date = DateRange(text=text)
        why = "relative date and no publication date" if not article.published else "unresolved expression"
        mention.reasons["date"] = f"{why}: '{text}'"
        return
    mention.date, rule = found
    base = f" against {article.published[:10]}" if article.published else ""
    mention.reasons["date"] = f"{rule}{base}"


def _future_context(mention: EventMention, article: Article) -> bool:
    """True when the clause before the date phrase speaks of the future ("talks will be held on Tuesday")."""
    spans = mention.evidence.get("date") or []
    if not spans:
        return False
    span = spans[0]
    head = article.text[max(0, span.start - 200):span.start]
    ends = list(_SENTENCE_END.finditer(head))
    clause = head[ends[-1].end():] if ends else head
    return bool(_FUTURE_CUE.search(clause)) or bool(re.match(r"\s*next\b", span.text, re.I))
