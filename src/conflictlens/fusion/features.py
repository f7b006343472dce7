"""Comparable features of one incident (a report's EventMention or a fused Event), computed once.

Blocking and scoring never look at the dataclasses directly: they compare these normalised, hashable
features (dates as day ordinals, places as normalised names, actors/targets/victims as key and token sets),
so a pair costs a few set and integer operations. The same function serves mentions and events, which is
what makes incremental fusion (events read back from the store) and a rebuild (events held in memory)
score identically.

An event is compared by what most of its reports say, not by the union of everything any report said: its
victim names and description words are the central ones of its merge tally (``central``: how many reports
name each victim / use each word, ``fold.Accumulator``), so one round-up report cannot make every later report
about another incident match it. ``keys`` (identity words) and ``horizon`` serve blocking (``blocking``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from ..model import Event, Incident

DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
PLACE_RANK = {"point": 0, "city": 1, "district": 2, "admin1": 3, "country": 4, "unknown": 5}
# How far (days) two dates of a precision may be apart and still be the same incident: reports disagree by
# a day when "yesterday" is resolved against a late-evening or next-day publication.
DATE_SLACK = {"day": 2, "week": 3, "month": 0, "year": 0, "unknown": 0}
OPEN_START_DAYS = 366  # "on or before D" (no start): blocked as the year before D
UNDATED_DAYS = 7  # an undated report is blocked as the week before its publication, and (``horizon``)
# compared with older events, up to OPEN_START_DAYS before its publication, that share an identity key with it

NAME_RATIO = 90.0  # token_set_ratio for two names to be the same (``Weights.name_ratio`` by default)
WORD_SHARE = 0.34  # an event's central description words: used by over a third as many reports as its most used

FAMILIES = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "unrest",
    "Riots": "unrest",
    "Strategic developments": "strategic",
}
DEFAULT_FAMILY = "violence"  # an incident with no type is most likely violent (what we extract)

# Words that identify nobody: "people", "civilians" in two reports are no evidence of one incident.
GENERIC = frozenset(
    """
    a an the of and or in on at to for with by from his her their its our this that these those some several
    many few other others two three four five six seven eight nine ten dozen dozens hundreds scores number
    people person persons individual individuals civilian civilians man men woman women child children minor
    minors boy boys girl girls youth youths resident residents villager villagers peasant peasants citizen
    citizens member members victim victims dead body bodies wounded injured killed casualty casualties
    passenger passengers worker workers employee employees local locals group groups unidentified unknown
    alleged suspected armed gunman gunmen attacker attackers assailant assailants militant militants
    soldier soldiers troop troops policeman policemen police officer officers security force forces guard
    guards building buildings house houses home homes vehicle vehicles car cars area place site target
    targets family families relative relatives mr mrs ms dr msgr
    old year years aged young one who which nearby high several various another
    el la los las de del da do des du le al
    """.split()
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, punctuation to spaces, single-spaced."""
    if not text:
        return ""
    return _fold(text)


@functools.lru_cache(maxsize=200_000)  # a pure function of the text: reports repeat the same names
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def stem(word: str) -> str:
    """A light plural strip (priests -> priest, embassies -> embassy), enough to match report wordings."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=200_000)
def content_tokens(text: str | None) -> frozenset[str]:
    """The identifying words of a description: folded, stemmed, without generic words."""
    words = fold(_BRACKETS.sub(" ", text or "")).split()
    return frozenset(s for s in (stem(w) for w in words) if s not in GENERIC and w_ok(s))


def w_ok(word: str) -> bool:
    return len(word) > 1 and not word.isdigit()


def day(iso: str | None) -> int | None:
    """An ISO date (or datetime) as a day ordinal; None if absent or unparseable."""
    if not iso:
        return None
    return _day(str(iso)[:10])


@functools.lru_cache(maxsize=100_000)
def _day(iso: str) -> int | None:
    try:
        return dt.date.fromisoformat(str(iso)[:10]).toordinal()
    except ValueError:
        return None


def iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


@dataclass(slots=True, frozen=True)
class Features:
    """What fusion compares. ``window`` is the blocking interval (day ordinals, inclusive) or None."""

    date_lo: int | None  # None with date_hi set: "on or before date_hi"
    date_hi: int | None
    date_rank: int
    window: tuple[int, int] | None
    country: str
    admin1: str
    place: str
    lat: float | None
    lon: float | None
    place_rank: int
    family: str
    event_type: str
    sub_event_type: str
    attack_types: frozenset[str]
    status: str
    actor_ids: frozenset[str]
    actor_names: frozenset[str]
    victim_names: frozenset[str]  # an event's central ones (``central_names``)
    descriptions: tuple[frozenset[str], ...]  # token sets of targets and unnamed victims (an event's central words)
    killed: tuple[int | None, int | None]  # (low, high) of every figure reported; high None: "at least low"
    texts: tuple[str, ...]
    article_ids: frozenset[str]
    keys: frozenset[str] = frozenset()  # identity words (victim names, target/victim descriptions): blocking
    horizon: tuple[int, int] | None = None  # undated, published: the year before publication (``blocking``)
    names_firm: bool = True  # False: an event whose most named victim is named by at most half its reports


def family_of(event_type: str | None) -> str:
    return FAMILIES.get(event_type or "", DEFAULT_FAMILY)


def _date(incident: Incident) -> tuple[int | None, int | None, int]:
    d = incident.date
    lo, hi = day(d.start), day(d.end)
    if lo is not None and hi is None:
        hi = lo
    if lo is not None and hi is not None and hi < lo:
        lo, hi = hi, lo
    return lo, hi, DATE_RANK.get(d.precision or "unknown", 4)


def blocking_window(lo: int | None, hi: int | None, precision: str, published: int | None) -> tuple[int, int] | None:
    """The interval a report or event is blocked under: its date with slack, or (undated) the week before its
    publication; None when it has neither (``blocking`` then compares it by identity keys only)."""
    if hi is not None:
        slack = DATE_SLACK.get(precision, 0)
        start = lo if lo is not None else hi - OPEN_START_DAYS
        return start - slack, hi + slack
    if published is not None:
        return published - UNDATED_DAYS, published
    return None


def _killed_range(incident: Incident) -> tuple[int | None, int | None]:
    k = incident.killed
    values = [v for v in (k.best, k.low, k.high) if isinstance(v, int) and not isinstance(v, bool)]
    if not values:
        return None, None
    if not any(isinstance(v, int) and not isinstance(v, bool) for v in (k.best, k.high)):
        return min(values), None  # only a lower bound ("at least 5"): no upper figure to compare
    return min(values), max(values)


@functools.lru_cache(maxsize=100_000)  # a pure function of hashable values: reports repeat the same ones
def identity_keys(victim_names: frozenset[str], descriptions: tuple[frozenset[str], ...]) -> frozenset[str]:
    """The words that identify what was hit: each identifying word of a victim's name and of a target or
    victim description (stemmed, generic words left out). Undated reports are compared with older events
    sharing one of these (``blocking``)."""
    words = {stem(w) for name in victim_names for w in name.split()}
    words.update(w for d in descriptions for w in d)
    return frozenset(w for w in words if len(w) > 2 and w not in GENERIC and not w.isdigit())


def same_name(x: str, y: str, ratio: float = NAME_RATIO) -> bool:
    """Two folded names of one person: equal, or one's words within the other's ("ignacio ellacuria" /
    "jose ignacio ellacuria"), by rapidfuzz's ``token_set_ratio``."""
    return x == y or fuzz.token_set_ratio(x, y) >= ratio


def central(counts: dict[str, int], share: float = 0.5) -> frozenset[str]:
    """What an event is about: the victims (or description words) given by at least ``share`` as many of its
    reports as the most given one (victims: half; words: ``WORD_SHARE``, as words vary more than names). A
    round-up report naming three people killed that week joins the event of one of them, but must not make the
    other two "the same victim" for every later report about them; one report describing "the presidential
    residence" does not make every attack on a residence this event."""
    top = max(counts.values(), default=0)
    return frozenset(n for n, c in counts.items() if c >= share * top)


def features(incident: Incident, *, published: str | None = None, article_ids: frozenset[str] = frozenset(),
             tally: dict[str, Any] | None = None) -> Features:
    """Features of a mention (give its article's ``published`` and id) or of a fused Event (sources used;
    its merge tally, ``tally`` or else the stored ``fusion["merge"]``, gives its central victims)."""
    lo, hi, rank = _date(incident)
    if isinstance(incident, Event):
        texts = [incident.summary or ""]
        texts += [a["value"] for a in incident.alternatives.get("summary", []) if isinstance(a.get("value"), str)]
        article_ids = frozenset(s.article_id for s in incident.sources)
        pubs = [p for p in (day(s.published) for s in incident.sources) if p is not None]
        pub = min(pubs) if pubs else None
    else:
        texts = [incident.summary or ""]
        pub = day(published)
    loc = incident.location
    precision = incident.date.precision or "unknown"
    actors_ids, actor_names = set(), set()
    for ref in incident.perpetrators:
        if ref.actor_id:
            actors_ids.add(ref.actor_id)
        if fold(ref.name):
            actor_names.add(fold(ref.name))
    for claim in incident.claims:
        if claim.denial:
            continue
        if claim.actor_id:
            actors_ids.add(claim.actor_id)
        if fold(claim.name):
            actor_names.add(fold(claim.name))
    all_names = frozenset(fold(v.name) for v in incident.victims if v.name and fold(v.name))
    descriptions = [content_tokens(t.mention) for t in incident.targets]
    descriptions += [content_tokens(v.mention) for v in incident.victims if not v.name]
    described = tuple(d for d in dict.fromkeys(descriptions) if d)
    victim_names, compared, firm = all_names, described, True
    if isinstance(incident, Event):
        summary = tally if tally is not None else (incident.fusion or {}).get("merge") or {}
        counts, words = summary.get("names"), summary.get("words")
        if isinstance(counts, dict) and counts:
            victim_names = central(counts) & all_names or all_names
            firm = 2 * max(counts.values()) > int(summary.get("n") or 1)
        if isinstance(words, dict) and words:
            kept = central(words, WORD_SHARE)
            compared = tuple(d for d in dict.fromkeys(d & kept for d in described) if d) or described
    return Features(
        date_lo=lo,
        date_hi=hi,
        date_rank=rank,
        window=blocking_window(lo, hi, precision, pub),
        horizon=(pub - OPEN_START_DAYS, pub) if hi is None and pub is not None else None,
        country=(loc.country or "").strip().upper(),
        admin1=fold(loc.admin1),
        place=fold(loc.name),
        lat=float(loc.lat) if isinstance(loc.lat, (int, float)) else None,
        lon=float(loc.lon) if isinstance(loc.lon, (int, float)) else None,
        place_rank=PLACE_RANK.get(loc.precision or "unknown", 5),
        family=family_of(incident.event_type),
        event_type=incident.event_type or "",
        sub_event_type=incident.sub_event_type or "",
        attack_types=frozenset(a for a in incident.attack_types if a and a != "Unknown"),
        status=incident.status or "occurred",
        actor_ids=frozenset(actors_ids),
        actor_names=frozenset(actor_names),
        victim_names=victim_names,
        descriptions=compared,
        killed=_killed_range(incident),
        texts=tuple(t for t in dict.fromkeys(fold(t) for t in texts) if t),
        article_ids=article_ids,
        keys=identity_keys(all_names, described),
        names_firm=firm,
    )


def describe_date(f: Features) -> str:
    if f.date_hi is None:
        return "undated"
    if f.date_lo is None:
        return f"on or before {iso(f.date_hi)}"
    return iso(f.date_lo) if f.date_lo == f.date_hi else f"{iso(f.date_lo)}..{iso(f.date_hi)}"

