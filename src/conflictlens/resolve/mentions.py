"""The resolve stage: fill each EventMention's date and place from what the extractor found.

The extractor leaves ``mention.date = DateRange(text=...)`` and ``mention.location = Place(name=...)`` (the
phrases as written, with their spans in ``mention.evidence``); this stage resolves them against the
article's publication date and the gazetteer, and says why in ``mention.reasons``. A mention without a date
phrase gets precision "unknown" (never the publication date); one without a place phrase gets an unknown
place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import Article, DateRange, EventMention, Place
from .dates import explain_date
from .gazetteer import Gazetteer
from .places import PlaceContext, resolve_place

if TYPE_CHECKING:
    from .actors import ActorKB

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
    actors: ActorKB | None = None,
) -> list[EventMention]:
    """Resolve every mention's date (against ``article.published``) and place (gazetteer + article
    context from ``doc``, a spaCy Doc of ``article.text``, when given, and the armed groups of ``actors``,
    an ``ActorKB``: the shipped one when None). Returns the same list."""
    if not mentions:
        return mentions
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    if actors is None:
        from .actors import ActorKB

        actors = ActorKB.load()
    ctx = PlaceContext.build(
        article.text, gaz, doc=doc, title=article.title, actors=actors,
        extra=[m.location.name for m in mentions if m.location and m.location.name],
    )
    main = ctx.main_country()
    for mention in mentions:
        _resolve_date(mention, article)
        phrase = mention.location.name if mention.location else None
        place, reason = resolve_place(phrase, ctx, gaz)
        if phrase and _too_vague(place, phrase, main):
            place, reason = _nearby_place(mention, article, doc, ctx, gaz, fallback=(place, reason))
        mention.location = place
        mention.reasons["location"] = reason
    return mentions


_SPECIFIC = ("point", "city", "district", "admin1")


def _too_vague(place: Place, phrase: str, main_country: str | None) -> bool:
    """The phrase named something smaller than a country (a neighbourhood the gazetteer lacks: "the Hayatabad
    area") but resolved only to a country, or to a place outside the article's main country."""
    if place.precision not in _SPECIFIC:
        return (place.name or "").lower() != phrase.strip().lower()
    return bool(main_country and place.country and place.country != main_country)


def _nearby_place(
    mention: EventMention, article: Article, doc: Any, ctx: PlaceContext, gaz: Gazetteer, *,
    fallback: tuple[Place, str],
) -> tuple[Place, str]:
    """The nearest place entity of the same sentence that the gazetteer knows ("the Hayatabad area of
    Peshawar" -> Peshawar); else the dateline city, when it lies in the article's main country."""
    spans = mention.evidence.get("location") or []
    if doc is None or not spans:
        return fallback
    anchor = spans[0]
    phrase = anchor.text
    sentence = doc.char_span(anchor.start, anchor.end, alignment_mode="expand")
    candidates: list[tuple[int, str]] = []
    if sentence is not None:
        sent = sentence.sent
        for ent in sent.ents:
            if ent.label_ in ("GPE", "LOC", "FAC") and not (ent.start_char >= anchor.start and ent.end_char <= anchor.end):
                candidates.append((abs(ent.start_char - anchor.end), ent.text))
    main = ctx.main_country()
    for _dist, text in sorted(candidates):
        place, reason = resolve_place(text, ctx, gaz)
        if place.precision in _SPECIFIC and (main is None or place.country == main):
            return place, f"{reason} (nearest known place to '{phrase}', which is not in the gazetteer)"
    dateline = re.match(r"\s*([A-Z][A-Za-z .'-]{2,40}?),", article.text)
    if dateline:
        place, reason = resolve_place(dateline.group(1), ctx, gaz)
        if place.precision in ("point", "city") and (main is None or place.country == main):
            return place, f"{reason} (dateline city; '{phrase}' is not in the gazetteer) (low confidence)"
    return fallback


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
