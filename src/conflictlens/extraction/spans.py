"""Small helpers shared by the extraction stages: spans into the article text, noun-phrase edges, datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model import Article, Span

# "PESHAWAR, Pakistan —", "KABUL (Reuters) -", "SAN SALVADOR, 3 JAN 90 (RADIO VENCEREMOS) --"
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Za-z][A-Za-z .'\u2019-]{1,40}?)(?:,[ \t]*[A-Za-z0-9 .'-]{1,40}?)?[ \t]*"
    r"(?:\([^)\n]{1,60}\)[ \t]*)?(?:\u2014|\u2013|--|-)[ \t]+",
    re.MULTILINE,
)
# Words that end a noun phrase's useful left part (we keep modifiers, not clauses).
NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "quantmod", "npadvmod", "det", "case",
                          "punct", "advmod", "predet", "nn"})
DROP_LEADING = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})


def make_span(article: Article, start: int, end: int) -> Span:
    """A Span whose text is exactly ``article.text[start:end]``."""
    return Span(article_id=article.article_id, start=start, end=end, text=article.text[start:end])


def token_span(article: Article, first: Token, last: Token | None = None) -> Span:
    last = last if last is not None else first
    return make_span(article, first.idx, last.idx + len(last.text))


@dataclass(frozen=True)
class Dateline:
    """The dateline at the start of a story body: its character range and the place it names."""

    start: int
    end: int
    place_start: int
    place_end: int


def find_dateline(text: str) -> Dateline | None:
    """Find a dateline ("PESHAWAR, Pakistan —") in the first lines of ``text`` (at most the first 400 chars)."""
    for m in _DATELINE.finditer(text[:400]):
        place = m.group("place").strip()
        if not place or len(place.split()) > 4:
            continue
        letters = [c for c in place if c.isalpha()]
        # a dateline place is written in capitals or title case; a sentence start like "Gunmen - who" is not
        if not (place.isupper() or all(w[:1].isupper() for w in place.split())):
            continue
        if len(letters) < 3:
            continue
        pstart = m.start("place") + (len(m.group("place")) - len(m.group("place").lstrip()))
        return Dateline(start=m.start(), end=m.end(), place_start=pstart, place_end=pstart + len(place))
    return None


def separate_dateline(text: str) -> str:
    """Turn the dash after a dateline into a full stop (same length), so the parser keeps "PESHAWAR,
    Pakistan" out of the first sentence instead of reading it as the subject."""
    d = find_dateline(text)
    if d is None:
        return text
    seg = text[d.place_end:d.end]
    m = re.search(r"(?:\u2014|\u2013|--|-)[ \t]+$", seg)
    if m is None:
        return text
    dash_start = d.place_end + m.start()
    dash_len = len(m.group().rstrip())
    return text[:dash_start] + "." + " " * (dash_len - 1) + text[dash_start + dash_len:]


def headline_end(doc: Doc) -> int:
    """Character offset where the headline ends (0 when the text has none).

    A headline is a first line of at most 20 words that does not end like a sentence.
    """
    text = doc.text
    nl = text.find("\n")
    if nl <= 0:
        return 0
    first = text[:nl].strip()
    if not first or len(first.split()) > 20 or first[-1] in ".!?\"'\u201d":
        return 0
    return nl


def np_edges(head: Token) -> tuple[Token, Token]:
    """The first and last token of ``head``'s noun phrase: its left modifiers, the head, and a following
    ``of``-phrase or proper-noun run; never a relative clause or an apposition."""
    doc = head.doc
    first = head
    for child in head.lefts:
        if child.dep_ in NP_LEFT_DEPS or child.ent_type_:
            first = min(first, child.left_edge, key=lambda t: t.i)
            break
    last = head
    for child in head.rights:
        if child.dep_ in {"compound", "flat", "nmod"} and child.i == last.i + 1:
            last = child.right_edge
        elif child.dep_ == "prep" and child.lower_ == "of" and child.i == last.i + 1:
            obj = [c for c in child.children if c.dep_ == "pobj"]
            if obj:
                last = max(obj[0], _np_right(obj[0]), key=lambda t: t.i)
        else:
            break
    while first.i < head.i and (first.is_punct or first.lower_ in DROP_LEADING or first.dep_ == "case"):
        first = doc[first.i + 1]
    while last.i > head.i and last.is_punct:
        last = doc[last.i - 1]
    return first, last


def _np_right(head: Token) -> Token:
    last = head
    for child in head.rights:
        if child.dep_ in {"compound", "flat"} and child.i == last.i + 1:
            last = child
        else:
            break
    return last


class Context:
    """One article and its Doc, with the lookups every stage needs computed once (entity per token,
    dateline, headline end)."""

    def __init__(self, article: Article, doc: Doc) -> None:
        if len(doc.text) != len(article.text):
            raise ValueError("doc was not made from this article's text (lengths differ)")
        self.article = article
        self.doc = doc
        self.ent_at: list[object | None] = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.ent_at[i] = ent
        self.dateline = find_dateline(article.text)
        self.headline_end = headline_end(doc)
        self.sents = list(doc.sents)
        self.sent_of: list[int] = [0] * len(doc)
        for k, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = k

    def span(self, start: int, end: int) -> Span:
        return make_span(self.article, start, end)

    def tspan(self, first: Token, last: Token | None = None) -> Span:
        return token_span(self.article, first, last)

    def text(self, first: Token, last: Token | None = None) -> str:
        last = last if last is not None else first
        return self.article.text[first.idx:last.idx + len(last.text)]

    def in_dateline(self, token: Token) -> bool:
        d = self.dateline
        return d is not None and d.start <= token.idx < d.end

    def in_headline(self, token: Token) -> bool:
        return token.idx < self.headline_end
