"""The one data model of conflictlens.

Every stage takes and returns these plain dataclasses, so the single-process runner, the Dask runner, the
store and the exports all speak the same language. ``to_dict``/``from_dict`` give the JSON records of the
export contract in DESIGN.md; field names here are public and are never renamed without a migration note.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
STATUSES = ("occurred", "attempted", "foiled", "threatened", "planned")
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
PLACE_PRECISIONS = ("point", "city", "district", "admin1", "country", "unknown")


def stable_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """A short, deterministic id from ``parts``: the same input always gives the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:length]}"


class Record:
    """Mixin giving dataclasses a JSON-ready ``to_dict`` and a type-checked ``from_dict``."""

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _from_plain(cls, data)


@dataclass(kw_only=True)
class Span(Record):
    """A stretch of an article's text: character offsets ``[start, end)`` into ``Article.text``."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(kw_only=True)
class Article(Record):
    """One news report, normalised at ingest. ``article_id`` is the sha256 of the normalised text."""

    article_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date or datetime of publication, never an event date
    source: str | None = None  # outlet name
    source_id: str | None = None  # the id given at ingest (JSON "id"), if any
    language: str | None = None
    origin: str | None = None  # "path" or "path:line" it was read from

    @property
    def n_words(self) -> int:
        return len(self.text.split())


@dataclass(kw_only=True)
class Casualties(Record):
    """A count as best estimate with a low/high range; any of them may be unknown (None)."""

    best: int | None = None
    low: int | None = None
    high: int | None = None

    def is_empty(self) -> bool:
        return self.best is None and self.low is None and self.high is None


@dataclass(kw_only=True)
class DateRange(Record):
    """When an incident happened: ISO dates ``start``..``end`` (inclusive) and how precise they are."""

    start: str | None = None
    end: str | None = None
    precision: str = "unknown"
    text: str | None = None


@dataclass(kw_only=True)
class Place(Record):
    """Where an incident happened; ``country`` is ISO 3166-1 alpha-2. Never a point that was not found."""

    name: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "unknown"
    geonameid: int | None = None


@dataclass(kw_only=True)
class ActorRef(Record):
    """An actor as named in one report, with the canonical actor it resolved to (if any)."""

    name: str
    mention: str
    actor_id: str | None = None
    uncertain: bool = False


@dataclass(kw_only=True)
class Individual(Record):
    """A perpetrator who is a person or an unnamed group of people ("gunmen"); ``name`` only when named."""

    mention: str
    name: str | None = None


@dataclass(kw_only=True)
class Target(Record):
    mention: str
    type: str | None = None  # GTD target type
    name: str | None = None  # canonical actor name, when the target is a known actor ("Pakistani troops")
    actor_id: str | None = None


@dataclass(kw_only=True)
class Victim(Record):
    mention: str
    name: str | None = None
    type: str | None = None
    actor_id: str | None = None  # set when the victims are a known actor (state forces, a group)


@dataclass(kw_only=True)
class Weapon(Record):
    mention: str
    type: str | None = None  # GTD weapon type
    # the type is inferred from the wording ("shot dead", "a bombing"); ``mention`` is that word, not a weapon
    implied: bool = False
    # the report says a verb was done with it ("attacked the embassy with rockets")
    instrument: bool = False


@dataclass(kw_only=True)
class Claim(Record):
    """A claim of responsibility (or, with ``denial``, a denial) and the words it was made in."""

    name: str
    mention: str
    quote: str
    actor_id: str | None = None
    denial: bool = False


@dataclass(kw_only=True)
class Source(Record):
    article_id: str
    source_id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass(kw_only=True)
class Incident(Record):
    """The fields an incident has, whether seen in one report (EventMention) or fused (Event)."""

    event_type: str | None = None
    sub_event_type: str | None = None
    attack_types: list[str] = field(default_factory=list)
    status: str = "occurred"
    date: DateRange = field(default_factory=DateRange)
    location: Place = field(default_factory=Place)
    perpetrators: list[ActorRef] = field(default_factory=list)
    perpetrator_individuals: list[Individual] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    victims: list[Victim] = field(default_factory=list)
    weapons: list[Weapon] = field(default_factory=list)
    killed: Casualties = field(default_factory=Casualties)
    wounded: Casualties = field(default_factory=Casualties)
    perpetrators_killed: Casualties = field(default_factory=Casualties)
    claims: list[Claim] = field(default_factory=list)
    summary: str | None = None
    evidence: dict[str, list[Span]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)  # field -> why it was filled (rule or score)
    confidence: float = 0.0

    def add_evidence(self, field_name: str, span: Span, *, reason: str | None = None) -> None:
        """Record that ``field_name`` was filled from ``span`` (and why)."""
        spans = self.evidence.setdefault(field_name, [])
        if all((s.start, s.end) != (span.start, span.end) for s in spans):
            spans.append(span)
        if reason and field_name not in self.reasons:
            self.reasons[field_name] = reason


@dataclass(kw_only=True)
class EventMention(Incident):
    """One incident as one article reports it. ``mention_id`` is stable: article id plus trigger offset."""

    mention_id: str
    article_id: str


@dataclass(kw_only=True)
class Event(Incident):
    """One real-world incident, fused from one or more EventMentions; the export record of DESIGN.md."""

    event_id: str
    sources: list[Source] = field(default_factory=list)
    mention_ids: list[str] = field(default_factory=list)
    # field -> every report's value: [{"value", "article_id", "mention_id"}] (fusion keeps disagreements)
    alternatives: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # why the reports were fused: matched evidence per joined mention, near-misses kept apart
    fusion: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class ActorRelation(Record):
    type: str
    actor_id: str | None
    name: str
    evidence: list[Span] = field(default_factory=list)


@dataclass(kw_only=True)
class Actor(Record):
    actor_id: str
    name: str
    type: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    relations: list[ActorRelation] = field(default_factory=list)
    event_count: int = 0
    first_event: str | None = None
    last_event: str | None = None
    killed_total: Casualties = field(default_factory=Casualties)
    evidence: list[Span] = field(default_factory=list)


# --- plain-data conversion -----------------------------------------------------------------------------
# Records are converted millions of times (store reads, fusion), so each class gets a converter compiled once
# from its type hints instead of re-reading the hints for every value.


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _to_plain(value: Any) -> Any:
    if isinstance(value, Record):
        return {name: _to_plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, dict):
        return {str(k): _to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _identity(value: Any) -> Any:
    return value


def _to_float(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@functools.lru_cache(maxsize=None)
def _converter(tp: Any) -> Any:
    """A function turning plain JSON data into a value of type ``tp`` (nested dataclasses included)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter(args[0]) if len(args) == 1 else _identity
    if origin is list:
        item = _converter(typing.get_args(tp)[0])
        return lambda v: None if v is None else [item(x) for x in v]
    if origin is dict:
        item = _converter(typing.get_args(tp)[1])
        return lambda v: None if v is None else {k: item(x) for k, x in v.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields_ = {name: _converter(hints[name]) for name in _field_names(tp)}

        def convert(value: Any) -> Any:
            if value is None or isinstance(value, tp):
                return value
            if not isinstance(value, dict):
                raise TypeError(f"expected an object for {tp.__name__}, got {type(value).__name__}")
            return tp(**{k: fields_[k](v) for k, v in value.items() if k in fields_})

        return convert
    if tp is float:
        return _to_float
    return _identity


def _from_plain(tp: Any, value: Any) -> Any:
    return None if value is None else _converter(tp)(value)


@functools.lru_cache(maxsize=None)
def field_types(cls: type) -> dict[str, Any]:
    """The resolved type of each field of a record class (cached)."""
    return typing.get_type_hints(cls)


def value_from_plain(tp: Any, value: Any) -> Any:
    """Plain JSON data converted to type ``tp``, e.g. a reviewer's corrected ``killed`` into Casualties."""
    return _from_plain(tp, value)


def value_to_plain(value: Any) -> Any:
    """Any record, list or dict of records as plain JSON data (the inverse of ``value_from_plain``)."""
    return _to_plain(value)
