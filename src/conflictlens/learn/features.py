"""Candidate noun phrases of an annotated article and their features, for the learned role classifier.

A *candidate* is a stretch of tokens that could fill a role as the MUC-4 keys write it: a minimal noun phrase
without its determiner. Every noun or proper noun is a head; each head gives a few variants (the head alone,
the head with its compounds, the head with all its left modifiers, the proper-noun name without a title
before it, that plus a following ``of``-phrase, and the named entity it sits in), since the keys sometimes
keep a modifier ("urban guerrillas") and sometimes do not ("bomb"). Features are strings (hashed later by
:mod:`.model`): the head word and its lexicon class, its dependency relation and governor, the preposition
before it, the nearest incident word in the sentence and the path to it, the entity type, the sentence's
position in the document, the capitalisation pattern after truecasing, how often the string recurs and, for
a stacked model, what the rule-based extractor filled at that span. Everything is read from the lower-cased
token forms, so cased, ALL-CAPS and lower-cased text give the same features.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..extraction.lexicon import NAME_PREFIXES, PERP_NOUNS, TARGET_NOUNS, TRIGGERS, VICTIM_NOUNS, WEAPONS

LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "quantmod", "npadvmod", "advmod", "nn"})
DROP_FIRST = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "some",
                        "any", "another", "other"})
# Incident words beyond the extractor's trigger list that MUC-4 reports use.
EXTRA_TRIGGERS = frozenset({"kill", "murder", "wound", "injure", "destroy", "damage", "burn", "explode", "dynamite",
                            "set", "machinegun", "fire", "hurl", "plant", "detonate", "blow", "assassinate",
                            "kidnap", "abduct", "attack", "bomb", "shoot", "die", "death", "victim", "incident",
                            "sabotage", "terrorist", "terrorism", "hostage"})
TRIGGER_LEMMAS = frozenset(TRIGGERS) | EXTRA_TRIGGERS
WEAPON_WORDS = frozenset(w.split()[-1] for w in WEAPONS) | {"dynamite", "explosive", "grenade", "rifle", "bomb",
                                                           "machinegun", "mortar", "rocket", "bullet", "charge"}
MAX_VARIANT_TOKENS = 12
BRACKETS = frozenset("()[]{}")


@dataclass
class Candidate:
    """One candidate span (tokens ``first``..``last`` inclusive, head ``head``) and its feature strings."""

    first: int
    last: int
    head: int
    start: int  # character range in the document text
    end: int
    text: str  # the lower-cased text of the span (as in the document)
    variant: str
    sent: int
    features: list[str] = field(default_factory=list)


def _lemma(t: Token) -> str:
    lemma = t.lemma_.lower()
    return lemma if lemma and lemma != "-pron-" else t.lower_


def head_class(t: Token) -> str:
    """The lexicon class of a head word: perp, target, victim, weapon or other."""
    lemma, low = _lemma(t), t.lower_
    if lemma in PERP_NOUNS or low in PERP_NOUNS:
        return "perp"
    if lemma in WEAPON_WORDS or low in WEAPON_WORDS:
        return "weapon"
    if lemma in TARGET_NOUNS or low in TARGET_NOUNS:
        return "target"
    if lemma in VICTIM_NOUNS or low in VICTIM_NOUNS:
        return "victim"
    return "other"


def _left_start(head: Token, deps: frozenset[str]) -> int:
    """Index of the first token of the contiguous left modifiers of ``head`` whose relation is in ``deps``."""
    first = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ in deps and child.right_edge.i == first - 1:
            first = child.left_edge.i
        elif child.is_punct and child.i == first - 1 and child.text in {"-", "'"}:
            first = child.i
        else:
            break
    return first


def _trim(doc: Doc, first: int, last: int) -> tuple[int, int]:
    while first < last and (doc[first].lower_ in DROP_FIRST or doc[first].is_punct or doc[first].dep_ == "case"):
        first += 1
    while last > first and (doc[last].is_punct or doc[last].tag_ == "POS"):
        last -= 1
    return first, last


def span_variants(doc: Doc, head: Token) -> list[tuple[int, int, str]]:
    """The token ranges (first, last, variant name) a noun phrase headed by ``head`` may be keyed as."""
    out: list[tuple[int, int, str]] = [(head.i, head.i, "head")]
    comp = _left_start(head, frozenset({"compound", "nn", "flat"}))
    out.append((comp, head.i, "comp"))
    full = _left_start(head, LEFT_DEPS)
    out.append((full, head.i, "full"))
    if head.pos_ == "PROPN":  # the name without a title before it: "presidential candidate Bernardo Ossa"
        first = head.i
        while (first > full and doc[first - 1].pos_ == "PROPN"
               and doc[first - 1].lower_.rstrip(".") not in NAME_PREFIXES):
            first -= 1
        out.append((first, head.i, "name"))
    last = head.i
    for child in head.rights:  # "members of the FMLN", "charge of dynamite"
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == head.i + 1:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                last = objs[0].i
        break
    if last != head.i:
        out.append((full, last, "of"))
    if head.ent_iob_ != "O" and head.ent_type_:
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            out.append((ent.start, ent.end - 1, "ent"))
    seen: set[tuple[int, int]] = set()
    result = []
    for first, end, name in out:
        for i in range(first, head.i):  # "(0415 GMT) incendiary bombs": the phrase starts after a bracket
            if doc[i].text in BRACKETS:
                first = i + 1
        first, end = _trim(doc, first, end)
        if end - first + 1 > MAX_VARIANT_TOKENS or (first, end) in seen:
            continue
        seen.add((first, end))
        result.append((first, end, name))
    return result


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


RuleRoles = Mapping[tuple[int, int], frozenset[str]]


def candidates(doc: Doc, *, text: str | None = None, rule_roles: RuleRoles | None = None) -> list[Candidate]:
    """Every candidate span of ``doc`` with its features. ``text`` (same length as ``doc.text``) gives the
    span strings; by default the Doc's own text.

    ``rule_roles`` maps character ranges to the roles the rule-based extractor gave the text there (see
    ``learn.roles.rule_roles``): the classifier then also sees what the rules decided, and learns when to
    trust them (stacking) instead of a fixed rule-versus-model arbitration."""
    text = doc.text if text is None else text
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = k
    trig_by_sent: dict[int, list[Token]] = {}
    for t in doc:
        if _lemma(t) in TRIGGER_LEMMAS and t.pos_ in {"VERB", "NOUN"}:
            trig_by_sent.setdefault(sent_of[t.i], []).append(t)
    n_trig = sum(len(v) for v in trig_by_sent.values())
    doc_feat = "doctrig=" + _bucket(n_trig, (0, 2, 5, 10))
    raw: list[Candidate] = []
    for head in doc:
        if head.pos_ not in {"NOUN", "PROPN"} or head.is_punct or len(head.text) < 2:
            continue
        for first, last, variant in span_variants(doc, head):
            start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
            raw.append(Candidate(first, last, head.i, start, end, text[start:end].lower(), variant, sent_of[head.i]))
    counts = Counter(c.text for c in raw)
    first_sent: dict[str, int] = {}
    for c in raw:
        first_sent.setdefault(c.text, c.sent)
    for c in raw:
        c.features = _features(doc, c, trig_by_sent.get(c.sent, []), counts[c.text], first_sent[c.text], doc_feat,
                               len(sents))
        if rule_roles is not None:
            c.features += _rule_features(c, doc[c.head].idx, rule_roles)
    return raw


def _rule_features(c: Candidate, head_char: int, rule_roles: RuleRoles) -> list[str]:
    """What the rules said about this stretch: the same span, a span containing its head, or nothing."""
    exact = rule_roles.get((c.start, c.end))
    if exact:
        return [f for r in sorted(exact) for f in ("rule=" + r, "rule=" + r + "|v=" + c.variant)]
    inside = sorted({r for (s, e), roles in rule_roles.items() if s <= head_char < e for r in roles})
    if inside:
        return ["rulein=" + r for r in inside]
    return ["norule"]


def _features(doc: Doc, c: Candidate, trigs: list[Token], count: int, first_sent: int, doc_feat: str,
              n_sents: int) -> list[str]:
    h = doc[c.head]
    hw, hl = h.lower_, _lemma(h)
    cls = head_class(h)
    n = c.last - c.first + 1
    ent = h.ent_type_ or "O"
    f = ["bias", "v=" + c.variant, "hw=" + hw, "hl=" + hl, "txt=" + c.text, "cls=" + cls,
         "len=" + _bucket(n, (1, 2, 3, 5)), "pos=" + h.pos_, "tag=" + h.tag_, "ent=" + ent, "dep=" + h.dep_, doc_feat,
         "fw=" + doc[c.first].lower_, "cls|v=" + cls + "|" + c.variant, "hl|v=" + hl + "|" + c.variant,
         "ent|v=" + ent + "|" + c.variant, "sent=" + _bucket(c.sent, (0, 1, 2, 4, 8)),
         "fsent=" + _bucket(first_sent, (0, 1, 2, 4, 8)), "cnt=" + _bucket(count, (1, 2, 4)),
         "ent|dep=" + ent + "|" + h.dep_, "cls|" + doc_feat]
    if n > 1:
        f.append("fw|hl=" + doc[c.first].lower_ + "|" + hl)
    if h.ent_id_:
        f.append("kb")
    if h.ent_iob_ != "O":
        ent_span = next((e for e in doc.ents if e.start <= h.i < e.end), None)
        if ent_span is not None and (ent_span.start, ent_span.end - 1) == (c.first, c.last):
            f.append("entexact=" + ent)
    f.append("shape=" + ("T" if h.text[:1].isupper() else "l") + ("T" if doc[c.first].text[:1].isupper() else "l"))
    gov = h.head
    f += ["gov=" + _lemma(gov), "dep|gov=" + h.dep_ + "|" + _lemma(gov)]
    if h.dep_ == "pobj":
        f += ["prep=" + gov.lower_, "prep|gov=" + gov.lower_ + "|" + _lemma(gov.head),
              "cls|prep=" + cls + "|" + gov.lower_]
    elif h.dep_ in {"compound", "amod", "nmod", "poss"}:
        f.append("modof=" + _lemma(gov))
    f.append("cls|dep=" + cls + "|" + h.dep_)
    if c.first > 0:
        f.append("l1=" + doc[c.first - 1].lower_)
        if c.first > 1:
            f.append("l2=" + doc[c.first - 2].lower_ + "|" + doc[c.first - 1].lower_)
    if c.last + 1 < len(doc):
        f.append("r1=" + doc[c.last + 1].lower_)
    if h.conjuncts:
        f.append("conj")
    # incident words: the nearest one in the sentence and, if any, the dependency path up to one
    if trigs:
        near = min(trigs, key=lambda t: abs(t.i - h.i))
        dist = abs(near.i - h.i)
        side = "L" if h.i < near.i else "R"
        tl = _lemma(near)
        f += ["trig=" + tl, "tdist=" + _bucket(dist, (2, 5, 10, 20)), "tside=" + side, "trig|cls=" + tl + "|" + cls,
              "tside|cls=" + side + "|" + cls]
        path = []
        node = h
        tset = {t.i for t in trigs}
        for _ in range(4):
            if node.head is node:
                break
            path.append(node.dep_)
            node = node.head
            if node.pos_ == "ADP":
                path[-1] += ":" + node.lower_
            if node.i in tset:
                f += ["path=" + ">".join(path) + "|" + _lemma(node), "path=" + ">".join(path),
                      "cls|path=" + cls + "|" + ">".join(path)]
                break
    else:
        f += ["notrig", "notrig|cls=" + cls]
    f.append("sentpos=" + _bucket(int(10 * c.sent / max(1, n_sents)), (0, 2, 5, 9)))
    return f
