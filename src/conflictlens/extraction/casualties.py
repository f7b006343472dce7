"""Casualty figures: how many were killed or wounded, and how many of the dead were the attackers.

Counts are read from the parse: the victims of a casualty word ("killing 145 people", "three policemen and a
child were killed", "the death toll rose to 141", "killing and wounding dozens") and turned into
``Casualties(best, low, high)`` by ``parse_quantity``:

    "145" -> (145, 145, 145)           "at least 145" -> (145, 145, None)    "more than a dozen" -> (13, 13, None)
    "dozens" -> (24, 24, None)         "scores" -> (40, 40, None)           "hundreds" -> (200, 200, None)
    "between 10 and 15" -> (10, 10, 15) "up to 30" -> (None, None, 30)       "nearly 50" -> (None, None, 50)

``combine`` merges the statements of one incident: the latest update ("rose to", "climbed to") or else the
first figure is best; figures stated before an update are superseded by it, the others widen low and high.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token
from text_to_num import text2num

from ..model import Casualties
from .lexicon import PERP_KILLED_NOUNS

VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens": 20}
DOZEN = {"dozen": 12, "score": 20}
LOWER_Q = ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than", "no less than", "some",
           "an estimated", "about", "around", "approximately", "roughly", "as many as")
STRICT_Q = ("more than", "over", "upwards of", "in excess of")
APPROX_Q = ("some", "an estimated", "about", "around", "approximately", "roughly")
UPPER_Q = ("up to", "nearly", "almost", "fewer than", "less than", "under", "at most", "no more than", "as many as")
KILL_LEMMAS = frozenset({"kill", "shoot", "die", "murder", "slay", "massacre", "behead", "execute", "lynch", "perish",
                         "assassinate", "claim"})
WOUND_LEMMAS = frozenset({"wound", "injure", "hurt", "maim"})
UPDATE_LEMMAS = frozenset({"rise", "climb", "reach", "increase", "jump", "mount", "stand", "grow", "now"})
_NUM_WORD = re.compile(r"^[\d,.]+$")


@dataclass
class Statement:
    """One casualty figure found in the text."""

    field: str  # "killed" | "wounded" | "perpetrators_killed"
    best: int | None
    low: int | None
    high: int | None
    start: int
    end: int
    update: bool = False


def number_value(tokens: list[Token]) -> int | None:
    """The integer written by a run of number tokens ("145", "1,200", "twenty-one", "a dozen", "three")."""
    words = [t.lower_ for t in tokens if t.lower_ not in {"a", "an"}]
    if not words:
        return None
    if len(words) == 1 and _NUM_WORD.match(words[0]):
        try:
            return int(float(words[0].replace(",", "")))
        except ValueError:
            return None
    if words[-1] in DOZEN:
        head = number_value_words(words[:-1]) if len(words) > 1 else 1
        return None if head is None else head * DOZEN[words[-1]]
    return number_value_words(words)


def number_value_words(words: list[str]) -> int | None:
    text = " ".join(words).replace(" - ", "-")
    if re.fullmatch(r"[\d,.]+", text):
        try:
            return int(float(text.replace(",", "")))
        except ValueError:
            return None
    if text in {"one", "a", "an", "single"}:
        return 1
    try:
        return int(text2num(text, "en"))
    except (ValueError, TypeError):
        return None


def _is_numberish(t: Token) -> bool:
    return t.like_num or t.lower_ in VAGUE or t.lower_ in DOZEN


def parse_quantity(num: Token) -> tuple[int | None, int | None, int | None, Token, Token] | None:
    """Read the quantity phrase around number token ``num``: (best, low, high, first token, last token)."""
    doc = num.doc
    sent = num.sent
    lo_i = num.i
    while lo_i - 1 >= sent.start and (_is_numberish(doc[lo_i - 1]) or (
            lo_i - 2 >= sent.start and doc[lo_i - 2].like_num and (doc[lo_i - 1].lower_ == "-" or (
                doc[lo_i - 1].lower_ == "and" and doc[lo_i - 2].lower_ in {"hundred", "thousand"})))):
        lo_i -= 1
    hi_i = num.i
    while hi_i + 1 < sent.end and (_is_numberish(doc[hi_i + 1]) or (
            hi_i + 2 < sent.end and doc[hi_i + 2].like_num and not doc[hi_i + 2].is_digit and (
                doc[hi_i + 1].lower_ == "-" or (doc[hi_i + 1].lower_ == "and"
                                                and doc[hi_i].lower_ in {"hundred", "thousand"})))):
        hi_i += 1
    if doc[hi_i].lower_ in VAGUE and hi_i > lo_i:
        hi_i -= 1 if doc[hi_i - 1].lower_ != "of" else 0
    first, last = doc[lo_i], doc[hi_i]
    if lo_i - 1 >= sent.start and doc[lo_i - 1].lower_ in {"a", "an"} and doc[hi_i].lower_ in DOZEN:
        first = doc[lo_i - 1]
    run = doc[first.i:hi_i + 1]
    word = run[-1].lower_
    if word in VAGUE and len(run) == 1:
        value = VAGUE[word]
        best, low, high = value, value, None
    else:
        value = number_value(list(run))
        if value is None:
            return None
        best, low, high = value, value, value
    left = " ".join(t.lower_ for t in doc[max(sent.start, first.i - 3):first.i])
    # ranges: "between 10 and 15", "10 to 15", "10-15"
    if left.endswith("between"):
        nxt = first.i + len(run)
        if nxt + 1 < sent.end and doc[nxt].lower_ == "and" and doc[nxt + 1].like_num:
            other = number_value([doc[nxt + 1]])
            if other is not None:
                return value, value, other, doc[first.i - 1], doc[nxt + 1]
    nxt = hi_i + 1
    if nxt + 1 < sent.end and doc[nxt].lower_ in {"to", "or"} and doc[nxt + 1].like_num and not left.endswith("up"):
        other = number_value([doc[nxt + 1]])
        if other is not None and other > value:
            return value, value, other, first, doc[nxt + 1]
    for q in UPPER_Q:
        if left.endswith(q):
            qfirst = doc[first.i - len(q.split())]
            if q == "as many as":
                return value, None, value, qfirst, last
            return None, None, value - (1 if q in {"fewer than", "less than", "under"} else 0), qfirst, last
    for q in LOWER_Q:
        if left.endswith(q):
            qfirst = doc[first.i - len(q.split())]
            if q in APPROX_Q:
                return value, None, None, qfirst, last
            low = value + 1 if q in STRICT_Q else value
            return low, low, None, qfirst, last
    return best, low, high, first, last


def count_np(head: Token) -> tuple[int | None, int | None, int | None, Token, Token, bool] | None:
    """The number of people a noun phrase names, summing coordinations ("three policemen and a child" = 4).

    Returns (best, low, high, first, last, perpetrators) or None when the phrase gives no number.
    """
    items = [head] + [c for c in head.conjuncts if c.i > head.i]
    total: list[int | None] = [0, 0, 0]
    first = last = head
    perps = _is_perp(head)
    found_any = False
    for item in items:
        if _is_perp(item) != perps:
            continue  # "a soldier and two guerrillas": counted apart (see split_perps)
        q = _item_quantity(item)
        if q is None:
            if item.i == head.i:
                return None
            continue
        found_any = True
        b, lo, hi, f, la = q
        first, last = min(first, f, key=lambda t: t.i), max(last, la, item, key=lambda t: t.i)
        for k, v in enumerate((b, lo, hi)):
            total[k] = None if (v is None or total[k] is None) else total[k] + v
    if not found_any:
        return None
    return total[0], total[1], total[2], first, last, perps


def _is_perp(h: Token) -> bool:
    of_objs = [p for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
               if p.dep_ == "pobj"]
    return any(x.lemma_.lower() in PERP_KILLED_NOUNS or x.lower_ in PERP_KILLED_NOUNS for x in [h] + of_objs)


def _item_quantity(item: Token) -> tuple[int | None, int | None, int | None, Token, Token] | None:
    if item.lower_ in {"nobody", "none"} or (item.lower_ in {"one", "anyone"} and any(
            c.lower_ == "no" for c in item.lefts)):
        first = next((c for c in item.lefts if c.lower_ == "no"), item)
        return 0, 0, 0, first, item
    if _is_numberish(item):
        return parse_quantity(item)
    nums = [t for t in item.doc[item.left_edge.i:item.i] if _is_numberish(t)]
    if nums and not any(t.lower_ in {",", ";"} for t in item.doc[nums[0].i:item.i]):
        return parse_quantity(nums[0])
    for c in item.children:  # "two of the attackers"
        if c.dep_ == "prep" and c.lower_ == "of" and _is_numberish(item):
            return parse_quantity(item)
    # "dozens of people": the number is the head of "of"
    if item.head.dep_ == "prep" and item.head.lower_ == "of" and _is_numberish(item.head.head):
        return parse_quantity(item.head.head)
    det = [c for c in item.lefts if c.dep_ in {"det", "poss"}]
    if item.tag_ not in {"NNS", "NNPS"} and det and det[0].lower_ in {"a", "an", "one", "another", "his", "her", "their"}:
        return 1, 1, 1, det[0], item
    if item.ent_type_ == "PERSON" and item.tag_ == "NNP":
        return 1, 1, 1, item, item
    return None


def combine(statements: list[Statement], field: str) -> tuple[Casualties, list[Statement]]:
    """Merge the figures for ``field`` of one incident into one Casualties and the statements used."""
    mine = [s for s in statements if s.field == field]
    if any(s.best for s in mine):  # "no civilians were hurt" says nothing when others were
        mine = [s for s in mine if s.best != 0 or s.low != 0]
    if not mine:
        return Casualties(), []
    updates = [s for s in mine if s.update and (s.best is not None or s.low is not None)]
    pointed = [s for s in mine if s.best is not None]
    if updates:
        chosen = updates[-1]
    elif pointed:
        chosen = pointed[0]
    else:
        chosen = mine[0]
    if updates:  # earlier figures were superseded by the update; later ones still widen the range
        mine = [s for s in mine if s.start >= chosen.start or s.update]
    lows = [v for s in mine for v in (s.low, s.best) if v is not None]
    highs = [v for s in mine for v in (s.high,) if v is not None]
    best = chosen.best
    low = min(lows) if lows else None
    high = max(highs + ([best] if best is not None and highs else [])) if highs else None
    if high is not None and low is not None and high < low:
        high = None
    return Casualties(best=best, low=low, high=high), mine


def _victim_heads(anchor: Token) -> list[Token]:
    """The noun phrases (heads) that say who was killed or hurt by casualty word ``anchor``."""
    deps = {c.dep_: c for c in anchor.children}
    lemma = anchor.lemma_.lower()
    if anchor.pos_ in {"VERB", "AUX"} or anchor.tag_.startswith("VB"):
        if lemma in {"die", "perish"}:
            return [deps["nsubj"]] if "nsubj" in deps else []
        if lemma == "claim":  # "claimed 20 lives"
            obj = deps.get("dobj")
            return [obj] if obj is not None and obj.lemma_.lower() == "life" else []
        for dep in ("dobj", "nsubjpass"):
            if dep in deps:
                return [deps[dep]]
        if "nsubj" in deps and (_is_numberish(deps["nsubj"]) or any(c.dep_ == "auxpass" for c in anchor.children)
                                or any(_is_numberish(c) for c in deps["nsubj"].lefts)):
            return [deps["nsubj"]]  # headline "20 killed", "scores killed"
        for c in anchor.lefts:  # "over 100 injured" parsed without a subject
            if _is_numberish(c) and c.dep_ in {"npadvmod", "nummod", "dep", "advmod"}:
                return [c]
        if anchor.dep_ == "amod":
            return []  # "one of the wounded constables": a description, not a new figure
        if anchor.dep_ == "acl" and anchor.head.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
            return [anchor.head]  # "145 people killed", "the wounded soldiers"
        for i in range(anchor.i - 1, max(anchor.sent.start, anchor.i - 4) - 1, -1):
            t = anchor.doc[i]
            if t.lower_ in {"and", ",", "or", ";"} or t.pos_ == "VERB":
                break
            if _is_numberish(t):
                return [t]  # "... and over 100 injured"
        if anchor.dep_ == "conj":  # "killing and wounding dozens" / "were killed or injured"
            return _victim_heads(anchor.head)
        for conj in anchor.conjuncts:
            if conj.i > anchor.i:
                sub = {c.dep_: c for c in conj.children}
                for dep in ("dobj", "nsubjpass"):
                    if dep in sub:
                        return [sub[dep]]
        return []
    if lemma in {"dead", "injured", "wounded"} and anchor.dep_ == "amod":
        return []  # "shot dead three attackers" is read at "shot"; "the wounded constables" is a description
    if lemma in {"dead", "injured", "wounded"}:  # "20 dead", "left 20 dead", "the dead included"
        for c in anchor.children:
            if c.dep_ in {"nummod", "npadvmod", "nsubj"} and _is_numberish(c):
                return [c]
        if anchor.head.like_num or anchor.head.lower_ in VAGUE:
            return [anchor.head]
        prev = anchor.doc[anchor.i - 1] if anchor.i > anchor.sent.start else None
        if prev is not None and _is_numberish(prev):
            return [prev]
        return []
    if lemma in {"death", "fatality", "casualty", "injury", "life"}:
        return [anchor] if any(c.dep_ == "nummod" for c in anchor.children) else []
    if lemma == "toll":  # "the death toll rose to 141", "the toll stands at 141"
        verb = anchor.head
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in {"to", "at"}:
                return [p for p in c.children if p.dep_ == "pobj"][:1]
            if c.dep_ in {"dobj", "attr"} and c is not anchor:
                return [c]
    return []


def _window_number(anchor: Token) -> Token | None:
    """A number written just before a passive or intransitive casualty verb ("over a dozen teachers were
    wounded", "up to 30 were hurt") or just after an active one, within its clause."""
    doc = anchor.doc
    sent = anchor.sent
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in anchor.children) or anchor.lemma_ in {"die", "perish"}
    rng = range(anchor.i - 1, max(sent.start, anchor.i - 7) - 1, -1) if passive else range(
        anchor.i + 1, min(sent.end, anchor.i + 6))
    for i in rng:
        t = doc[i]
        if t.lower_ in {",", ";", ":", "and", "but", "while"} and not (passive and t.lower_ == "and"
                                                                      and i - 1 >= sent.start and doc[i - 1].like_num):
            return None
        if t.pos_ == "VERB" and t.i != anchor.i:
            return None
        if _is_numberish(t):
            return t
    return None


def find_statements(sentences: list, *, headline_end: int = 0) -> list[Statement]:
    """Every casualty figure in ``sentences`` (spaCy sentence spans), in text order."""
    out: list[Statement] = []
    for sent in sentences:
        seen: set[tuple[str, int]] = set()
        for tok in sent:
            lemma = tok.lemma_.lower()
            word = tok.lower_
            if lemma in KILL_LEMMAS or lemma in {"dead", "death", "fatality", "toll", "life"} or word == "dead":
                field = "killed"
            elif lemma in WOUND_LEMMAS or word in {"injured", "wounded", "injuries"}:
                field = "wounded"
            elif lemma in {"treat", "hospitalise", "hospitalize"} and tok.pos_ == "VERB" and (
                    lemma != "treat" or any(p.lemma_.lower() in {"wound", "injury", "burn"} for c in tok.children
                                            if c.dep_ == "prep" for p in c.children)):
                field = "wounded"  # "31 people were still being treated for their wounds"
            else:
                continue
            if lemma == "death" and tok.head.lemma_.lower() == "toll":
                continue
            if lemma == "toll" and not any(c.lower_ in {"death", "casualty"} for c in tok.children):
                if tok.head.lemma_.lower() not in UPDATE_LEMMAS:
                    continue
            heads = _victim_heads(tok)
            if lemma == "shoot" and not (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "dead"):
                continue
            if tok.pos_ == "VERB" and not any(count_np(h) for h in heads):
                window = _window_number(tok)
                if window is not None:
                    heads = [window]
            for head in heads:
                if (field, head.i) in seen:
                    continue
                counted = count_np(head)
                others = [c for c in head.conjuncts if c.i > head.i and _is_perp(c) != _is_perp(head)]
                if others:  # the other side of "a soldier and two guerrillas were killed"
                    extra = count_np(others[0])
                    if extra is not None and field == "killed":
                        b, lo, hi, f1, l1, p1 = extra
                        out.append(Statement("perpetrators_killed" if p1 else "killed", b, lo, hi, f1.idx,
                                             l1.idx + len(l1.text)))
                if counted is None:
                    continue
                best, low, high, first, last, perps = counted
                if best is None and low is None and high is None:
                    continue
                seen.add((field, head.i))
                f = "perpetrators_killed" if perps and field == "killed" else field
                if perps and field == "wounded":
                    continue
                update = lemma == "toll" or tok.head.lemma_.lower() in UPDATE_LEMMAS
                out.append(Statement(f, best, low, high, first.idx, last.idx + len(last.text), update=update))
    return out
