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

Merging is a fold (``fold.Accumulator``): each report is added to the running merge of the reports before
it, in the order they joined, so joining one more report to an event of N costs the same whatever N is
(the store keeps the fold's compact tally with the event; see ``fold``). ``merge_event`` is that fold run
over a list, so a rebuild and an incremental ingest compute every event the same way. To keep that cost
and the stored record bounded, ``alternatives`` keeps at most ``MAX_ALTERNATIVES`` entries per field
(then only values not seen yet, up to ``MAX_DISTINCT_ALTERNATIVES``) and ``evidence`` at most
``MAX_SPANS`` spans per field; what is left out is counted in ``fusion["merge"]["omitted"]`` and stays
in the mentions table, which keeps every report whole (``mention_ids`` and ``sources`` list them all).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from ..model import Casualties, DateRange, Event, EventMention, Place, Source
from .features import DATE_SLACK, PLACE_RANK, day, fold

ALTERNATIVE_FIELDS = (
    "event_type", "sub_event_type", "attack_types", "status", "date", "location", "perpetrators",
    "perpetrator_individuals", "targets", "victims", "weapons", "killed", "wounded", "perpetrators_killed",
    "claims", "summary",
)
MAX_ALTERNATIVES = 12  # entries per field kept in ``alternatives`` whatever their value
MAX_DISTINCT_ALTERNATIVES = 24  # beyond MAX_ALTERNATIVES, further entries only for values not seen yet
MAX_SPANS = 12  # evidence spans kept per field


class Member:
    """One report of an event: the mention and the source (article) it came from. Its per-field plain values
    (for ``alternatives``) are computed once, however often they are asked for."""

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


def interval(d: DateRange) -> tuple[float, float] | None:
    lo, hi = day(d.start), day(d.end)
    if lo is None and hi is None:
        return None
    if hi is None:
        hi = lo
    return (float(lo) if lo is not None else float("-inf"), float(hi))  # type: ignore[arg-type]


def dates_agree(a: DateRange, b: DateRange) -> bool:
    x, y = interval(a), interval(b)
    if x is None or y is None:
        return True
    slack = max(DATE_SLACK.get(a.precision, 0), DATE_SLACK.get(b.precision, 0))
    return max(x[0] - y[1], y[0] - x[1]) <= slack


@functools.lru_cache(maxsize=100_000)
def _words(name: str) -> frozenset[str]:
    return frozenset(fold(name).split())


def places_agree(a: Place, b: Place) -> bool:
    if a.country and b.country and a.country.upper() != b.country.upper():
        return False
    if a.admin1 and b.admin1 and fold(a.admin1) != fold(b.admin1):
        return False
    if a.name and b.name and PLACE_RANK.get(a.precision, 5) <= 2 and PLACE_RANK.get(b.precision, 5) <= 2:
        na, nb = _words(a.name), _words(b.name)
        return na <= nb or nb <= na
    return True


def date_key(value: DateRange) -> list[Any]:
    return [value.start, value.end, value.precision]


def place_key(value: Place) -> list[Any]:
    return [value.name, value.admin1, value.country, value.precision, value.lat, value.lon]


def actor_key(ref: Any) -> str:
    return ref.actor_id or fold(ref.name)


# Union fields: the key two reports' items are the same by (the first report's item is kept).
UNION_KEYS: dict[str, Any] = {
    "attack_types": lambda a: a,
    "perpetrators": actor_key,
    "perpetrator_individuals": lambda i: fold(i.name or i.mention),
    "targets": lambda t: fold(t.mention),
    "victims": lambda v: fold(v.name or v.mention),
    "weapons": lambda w: fold(w.mention),
    "claims": lambda c: (c.actor_id or fold(c.name), c.denial),
}


def merge_event(
    event_id: str, members: Sequence[Member], *, fusion: dict[str, Any] | None = None, profile_only: bool = False
) -> Event:
    """The fused Event of ``members`` (in the order they joined; the first created the event): the fold of
    ``fold.Accumulator`` over them. ``fusion`` becomes the record's ``fusion`` (the engine's explanation);
    ``profile_only`` is accepted for older callers and changes nothing (the fold always builds the whole
    record, at a cost per report that does not grow with the event)."""
    from .fold import Accumulator

    del profile_only
    if not members:
        raise ValueError("an event needs at least one report")
    acc = Accumulator(event_id)
    for member in members:
        acc.add(member)
    event = acc.event
    event.fusion = dict(fusion or {})
    return event
