"""Finding names in running text, for alias learning and relation extraction.

A name is either a knowledge-base name (``ActorKB.find_mentions``: works in any case) or, in text that
has normal capitalisation, a run of capitalised words ("Hakimullah Mehsud", "Jamaat-ul-Ahrar") that may
be a group the KB does not know or a person. In ALL-CAPS or lower-case text only KB names and quoted
names are available, so rules that need a boundary fall back to a few words up to punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .actors import ActorKB

_CAP = r"(?:[A-Z][\w'\u2019]*(?:[-.][\w'\u2019]+)*\.?|(?:al|el|ul|ad|ash|as|bin|ibn|abu|de|del|la|e|i)-[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*)"
_CONN = r"(?:of|the|for|de|del|la|al|el|ul|wal|y|e|i|bin|ibn|da|du|des|and the)"
_CHUNK = re.compile(rf"{_CAP}(?:[ ]+(?:{_CONN}[ ]+)*{_CAP})*")
_LEADING = frozenset(
    "the a an in on at last this that its his her their but and meanwhile however after before when while "
    "since during officials witnesses police residents according today yesterday it they he she we "
    "chief commander leader spokesman spokesperson president minister general gen gen. col col. colonel "
    "maj maj. major lt lt. captain capt capt. mr mr. mrs ms dr dr. militant militants group".split()
)
_MONTHS = ("january february march april may june july august september october november december"
           ).split()
_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Capt|Sgt|St|No|Jan|Feb|Mar|Apr|Jun|Jul|"
                     r"Aug|Sep|Sept|Oct|Nov|Dec|Rev|Sen|Gov|Brig|Cmdr|Adm|Inc|Co|vs|approx)\.)$")
_STOP = frozenset(
    "is was has had have are were which who that and in on at said says claimed killed attacked after "
    "with by from to for as but or since during when while it its their this these those".split()
)


@dataclass(frozen=True)
class Name:
    """A name found in the text: offsets, text, and the KB actors it may name (empty when unknown)."""

    start: int
    end: int
    text: str
    actor_ids: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.actor_ids)


def text_of(doc_or_text: Any) -> str:
    """The text of a spaCy ``Doc`` (or anything with ``.text``) or of a string."""
    return doc_or_text if isinstance(doc_or_text, str) else str(doc_or_text.text)


def is_caseless(text: str) -> bool:
    """True when capitalisation carries no information (ALL-CAPS wire copy or lower-cased text)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    upper = sum(1 for c in letters if c.isupper()) / len(letters)
    return upper > 0.6 or upper < 0.01


def sentences(doc_or_text: Any) -> list[tuple[int, int]]:
    """Sentence offsets: spaCy's when a parsed ``Doc`` is given, else a punctuation-based split."""
    if not isinstance(doc_or_text, str) and getattr(doc_or_text, "has_annotation", None):
        if doc_or_text.has_annotation("SENT_START"):
            return [(s.start_char, s.end_char) for s in doc_or_text.sents]
    text = text_of(doc_or_text)
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if _ABBREV.search(text[start:m.start()]):
            continue
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


def find_names(text: str, kb: ActorKB) -> list[Name]:
    """KB names plus (in normally cased text) capitalised chunks that do not overlap them, by offset."""
    names = [Name(m.start, m.end, m.text, m.candidates) for m in kb.find_mentions(text)]
    if not is_caseless(text):
        taken = [(n.start, n.end) for n in names]
        for m in _CHUNK.finditer(text):
            for start, end in _pieces(m.start(), m.end(), taken):
                trimmed = _trim(text, start, end)
                if trimmed:
                    names.append(Name(trimmed[0], trimmed[1], text[trimmed[0]:trimmed[1]]))
    return sorted(names, key=lambda n: n.start)


def _pieces(start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [(start, end)]
    for t_start, t_end in taken:
        nxt = []
        for s, e in pieces:
            if t_end <= s or t_start >= e:
                nxt.append((s, e))
                continue
            if t_start > s:
                nxt.append((s, t_start))
            if t_end < e:
                nxt.append((t_end, e))
        pieces = nxt
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Cut leading function/title words, trailing connectors, possessives and sentence dots."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (words[0].group().lower().rstrip(".,") in _LEADING or not _is_cap(words[0].group())):
        words.pop(0)
    while words and (re.fullmatch(_CONN, words[-1].group()) or not _is_cap(words[-1].group())):
        words.pop()
    if not words:
        return None
    s, e = start + words[0].start(), start + words[-1].end()
    piece = text[s:e]
    piece_end = re.sub(r"(?:['\u2019]s?|[.,;:])$", "", piece) if not re.search(r"\b[A-Z]\.$", piece) else piece
    e = s + len(piece_end)
    if e <= s or text[s:e].lower() in _MONTHS or text[s:e].lower().rstrip(".") in _LEADING:
        return None
    return s, e


def _is_cap(word: str) -> bool:
    return word[0].isupper() or bool(re.match(r"(?:al|el|ul|ad|ash|as|bin|ibn|abu|de|del|la|e|i)-[A-Z]", word))


def name_ending_at(names: list[Name], pos: int, text: str) -> Name | None:
    """The name whose end is at ``pos`` (ignoring spaces and one comma between)."""
    for name in reversed(names):
        if name.end <= pos and re.fullmatch(r"[\s,]*", text[name.end:pos]):
            return name
        if name.end < pos - 3:
            break
    return None


def name_starting_at(names: list[Name], pos: int, text: str) -> Name | None:
    """The name that begins at ``pos`` (after spaces, an article and an opening quote)."""
    for name in names:
        if name.start >= pos and re.fullmatch(r"\s*(?:(?:the|a|an)\s+)?[\"'\u201c\u2018]?\s*", text[pos:name.start],
                                              flags=re.IGNORECASE):
            return name
        if name.start > pos + 8:
            break
    return None


def fallback_forward(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """In caseless text: up to five words from ``pos`` until punctuation or a verb-like word."""
    m = re.match(r"\s*(?:the\s+)?", text[pos:limit], flags=re.IGNORECASE)
    start = pos + (m.end() if m else 0)
    end = start
    for i, w in enumerate(re.finditer(r"[\w'\u2019-]+|[^\w\s]", text[start:limit])):
        if not w.group()[0].isalnum() or w.group().lower() in _STOP or i >= 5:
            break
        end = start + w.end()
    return (start, end) if end > start else None


def fallback_backward(text: str, pos: int, floor: int) -> tuple[int, int] | None:
    """In caseless text: up to six words before ``pos`` back to punctuation or a verb-like word."""
    chunk = text[floor:pos].rstrip(" ,")
    words = list(re.finditer(r"[\w'\u2019-]+|[^\w\s]", chunk))
    kept: list[re.Match[str]] = []
    for w in reversed(words):
        if not w.group()[0].isalnum() or w.group().lower() in _STOP or len(kept) >= 6:
            break
        kept.insert(0, w)
    if not kept:
        return None
    return floor + kept[0].start(), floor + kept[-1].end()
