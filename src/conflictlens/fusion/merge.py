"""Merging: one Event from all the reports (EventMentions) of an incident, keeping every report's value.

The fused value of each field, and why:
* killed / wounded / perpetrators_killed, UCDP style: ``best`` is the latest report's best (by publication
  date; on the same day the higher figure, since tolls rise as bodies are found), ``low`` the smallest low or
  best reported, ``high`` the largest high or best;
* date: the most precise date that is consistent with every dated report (else with the most of them);
* location: the most specific place consistent with every report (else with the most of them);
* event_type, sub_event_type, status: the majority, ties to the earliest report;
* perpetrators, individuals, targets, victims, weapons, claims, attack types: the union, each kept with the
  words of the report it came first from; evidence: the union of every report's spans;
* summary: the earliest report's; confidence: 1 - prod(1 - c) over reports.
``alternatives`` keeps each report's value of each field with its article and mention (filled when two or
more reports were fused), so disagreements stay visible in ``show`` and in exports.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..model import Casualties, DateRange, Event, EventMention, Place, Source, Span
from .features import DATE_RANK, DATE_SLACK, PLACE_RANK, day, fold

ALTERNATIVE_FIELDS = (
    "event_type", "sub_event_type", "attack_types", "status", "date", "location", "perpetrators",
    "perpetrator_individuals", "targets", "victims", "weapons", "killed", "wounded", "perpetrators_killed",
    "claims", "summary",
)


class Member:
    """One report of an event: the mention and the source (article) it came from. Its per-field plain values
    (for ``alternatives``) are computed once, however often the event is merged again."""

    __slots__ = ("mention", "source", "_plain")

    def __init__(self, mention: EventMention, source: Source) -> None:
        self.mention = mention
        self.source = source
        self._plain: dict[str, Any] | None = None

    def plain_values(self) -> dict[str, Any]:
        if self._plain is None:
            self._plain = {name: _plain(v) for name in ALTERNATIVE_FIELDS
                           if not _empty(v := getattr(self.mention, name))}
        return self._plain


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    if value is None or value == "" or value == []:
        return True
    if isinstance(value, Casualties):
        return value.is_empty()
    if isinstance(value, DateRange):
        return value.start is None and value.end is None
    if isinstance(value, Place):
        return not (value.name or value.admin1 or value.country)
    return False


def _vote(members: Sequence[Member], get: Callable[[EventMention], Any]) -> Any:
    values = [get(m.mention) for m in members if get(m.mention)]
    if not values:
        return None
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


def _union(members: Sequence[Member], get: Callable[[EventMention], list[Any]], key: Callable[[Any], Any]) -> list[Any]:
    seen: dict[Any, Any] = {}
    for m in members:
        for item in get(m.mention):
            k = key(item)
            if k not in seen:
                seen[k] = item
    return list(seen.values())


def _interval(d: DateRange) -> tuple[float, float] | None:
    lo, hi = day(d.start), day(d.end)
    if lo is None and hi is None:
        return None
    if hi is None:
        hi = lo
    return (float(lo) if lo is not None else float("-inf"), float(hi))  # type: ignore[arg-type]


def _dates_agree(a: DateRange, b: DateRange) -> bool:
    x, y = _interval(a), _interval(b)
    if x is None or y is None:
        return True
    slack = max(DATE_SLACK.get(a.precision, 0), DATE_SLACK.get(b.precision, 0))
    return max(x[0] - y[1], y[0] - x[1]) <= slack


@functools.lru_cache(maxsize=100_000)
def _words(name: str) -> frozenset[str]:
    return frozenset(fold(name).split())


def _places_agree(a: Place, b: Place) -> bool:
    if a.country and b.country and a.country.upper() != b.country.upper():
        return False
    if a.admin1 and b.admin1 and fold(a.admin1) != fold(b.admin1):
        return False
    if a.name and b.name and PLACE_RANK.get(a.precision, 5) <= 2 and PLACE_RANK.get(b.precision, 5) <= 2:
        na, nb = _words(a.name), _words(b.name)
        return na <= nb or nb <= na
    return True


def _key(value: Any) -> tuple:
    if isinstance(value, DateRange):
        return (value.start, value.end, value.precision)
    if isinstance(value, Place):
        return (value.name, value.admin1, value.country, value.precision, value.lat, value.lon)
    return (repr(value),)


def _most_consistent(values: list[Any], rank: Callable[[Any], tuple], agree: Callable[[Any, Any], bool]) -> tuple[Any, int]:
    """The best-ranked value that agrees with all ``values`` (else with the most); and how many it agrees with."""
    distinct = list({_key(v): v for v in values}.values())
    best, best_support = None, -1
    for candidate in sorted(distinct, key=rank):
        support = sum(1 for v in values if agree(candidate, v))
        if support > best_support:
            best, best_support = candidate, support
        if support == len(values):
            break
    return best, best_support


def _fused_date(members: Sequence[Member], copy: bool = True) -> tuple[DateRange, str | None]:
    dated = [m.mention.date for m in members if _interval(m.mention.date) is not None]
    if not dated:
        return DateRange(), None
    order = {id(d): i for i, d in enumerate(dated)}

    def rank(d: DateRange) -> tuple:
        iv = _interval(d)
        span = iv[1] - iv[0] if iv else float("inf")
        return (DATE_RANK.get(d.precision, 4), span, order.get(id(d), 0))

    best, support = _most_consistent(dated, rank, _dates_agree)
    if len(dated) == 1:
        return (dataclasses.replace(best) if copy else best), None
    agree = "all" if support == len(dated) else f"{support} of"
    return (dataclasses.replace(best) if copy else best), f"most precise date consistent with {agree} {len(dated)} dated reports"


def _fused_place(members: Sequence[Member], copy: bool = True) -> tuple[Place, str | None]:
    places = [m.mention.location for m in members if not _empty(m.mention.location)]
    if not places:
        return Place(), None
    order = {id(p): i for i, p in enumerate(places)}
    best, support = _most_consistent(places, lambda p: (PLACE_RANK.get(p.precision, 5), order.get(id(p), 0)), _places_agree)
    if len(places) == 1:
        return (dataclasses.replace(best) if copy else best), None
    agree = "all" if support == len(places) else f"{support} of"
    return (dataclasses.replace(best) if copy else best), f"most specific place consistent with {agree} {len(places)} reports"


def fused_casualties(members: Sequence[Member], get: Callable[[EventMention], Casualties]) -> tuple[Casualties, str | None]:
    """UCDP-style best/low/high over the reports (see the module docstring)."""
    figures = [(i, m, get(m.mention)) for i, m in enumerate(members) if not get(m.mention).is_empty()]
    if not figures:
        return Casualties(), None
    numbers = [v for _, _, c in figures for v in (c.low, c.best, c.high) if isinstance(v, int)]
    lows = [v for _, _, c in figures for v in (c.low, c.best) if isinstance(v, int)]
    highs = [v for _, _, c in figures for v in (c.high, c.best) if isinstance(v, int)]
    with_best = [(day(m.source.published) or -1, c.best, i) for i, m, c in figures if isinstance(c.best, int)]
    best = max(with_best)[1] if with_best else None
    low = min(lows) if lows else min(numbers)
    high = max(highs) if highs else max(numbers)
    if len(figures) == 1:
        return dataclasses.replace(figures[0][2]), None
    reason = f"best from the latest report ({len(with_best)} of {len(figures)} reports give one); range over all"
    return Casualties(best=best, low=low, high=high), reason


def _alternatives(members: Sequence[Member]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        for name, value in m.plain_values().items():
            out.setdefault(name, []).append(
                {"value": value, "article_id": m.mention.article_id, "mention_id": m.mention.mention_id})
    return {name: out[name] for name in ALTERNATIVE_FIELDS if name in out}


def _evidence(members: Sequence[Member]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for m in members:
        for name, spans in m.mention.evidence.items():
            have = out.setdefault(name, [])
            for span in spans:
                if all((s.article_id, s.start, s.end) != (span.article_id, span.start, span.end) for s in have):
                    have.append(span)
    return out


def _actor_key(ref: Any) -> str:
    return ref.actor_id or fold(ref.name)


def merge_event(
    event_id: str, members: Sequence[Member], *, fusion: dict[str, Any] | None = None, profile_only: bool = False
) -> Event:
    """The fused Event of ``members`` (in the order they joined; the first created the event).

    ``profile_only`` fills only what fusion compares (``features.features`` reads nothing else), leaving out
    evidence, reasons, alternatives other than summaries, weapons, individuals, wounded and confidence: the
    engine scores against this cheaper record and builds the full one once, when it is asked for.
    """
    if not members:
        raise ValueError("an event needs at least one report")
    date, date_reason = _fused_date(members, copy=not profile_only)
    place, place_reason = _fused_place(members, copy=not profile_only)
    killed, killed_reason = fused_casualties(members, lambda m: m.killed)
    sources = list({m.source.article_id: m.source for m in members}.values())
    event = Event(
        event_id=event_id,
        event_type=_vote(members, lambda x: x.event_type),
        sub_event_type=_vote(members, lambda x: x.sub_event_type),
        attack_types=_union(members, lambda x: x.attack_types, lambda a: a),
        status=_vote(members, lambda x: x.status) or "occurred",
        date=date,
        location=place,
        perpetrators=_union(members, lambda x: x.perpetrators, _actor_key),
        targets=_union(members, lambda x: x.targets, lambda t: fold(t.mention)),
        victims=_union(members, lambda x: x.victims, lambda v: fold(v.name or v.mention)),
        killed=killed,
        claims=_union(members, lambda x: x.claims, lambda c: (c.actor_id or fold(c.name), c.denial)),
        summary=next((m.mention.summary for m in members if m.mention.summary), None),
        sources=sources if profile_only else [dataclasses.replace(s) for s in sources],
        mention_ids=[m.mention.mention_id for m in members],
        fusion=dict(fusion or {}),
    )
    if profile_only:
        if len(members) > 1:
            summaries = [{"value": m.mention.summary, "article_id": m.mention.article_id,
                          "mention_id": m.mention.mention_id} for m in members if m.mention.summary]
            event.alternatives = {"summary": summaries} if summaries else {}
        return event
    wounded, wounded_reason = fused_casualties(members, lambda m: m.wounded)
    reasons: dict[str, str] = {}
    for m in members:
        for k, v in m.mention.reasons.items():
            reasons.setdefault(k, v)
    for name, why in (("date", date_reason), ("location", place_reason), ("killed", killed_reason),
                      ("wounded", wounded_reason)):
        if why:
            reasons[name] = why
    confidence = 1.0
    for m in members:
        confidence *= 1.0 - min(1.0, max(0.0, float(m.mention.confidence or 0.0)))
    event.perpetrator_individuals = _union(members, lambda x: x.perpetrator_individuals,
                                           lambda i: fold(i.name or i.mention))
    event.weapons = _union(members, lambda x: x.weapons, lambda w: fold(w.mention))
    event.wounded = wounded
    event.perpetrators_killed = fused_casualties(members, lambda m: m.perpetrators_killed)[0]
    event.evidence = _evidence(members)
    event.reasons = reasons
    event.confidence = round(1.0 - confidence, 4)
    event.alternatives = _alternatives(members) if len(members) > 1 else {}
    return event
