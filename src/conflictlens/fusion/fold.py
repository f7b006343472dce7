"""The running merge of an event's reports: ``Accumulator.add`` folds one more report into the Event.

Every fused field of ``merge`` is a function of the reports in join order that can be updated from a compact
summary instead of all reports: votes are counts per value, the date and place choices are counts per
distinct date/place, casualties are running min/max/latest-best, unions keep the items first seen,
confidence keeps its running product, ``names`` counts the reports naming each victim (spellings of one
person counted together, ``features.same_name``) and ``words`` those using each word of a target or victim
description (``features`` compares an event by its central ones). That summary (``tally``, plain JSON data)
is stored with the event (``fusion["merge"]``), so the fuser continues a stored event without loading its reports:
``Accumulator.restore(event, tally)`` gives back the same state the in-memory fold had (the Event read back
from the store plus the tally; the lookup sets are rebuilt from the Event's lists). Joining a report to an
event of N reports therefore costs O(distinct values), not O(N) mentions read and merged.

Why incremental equals rebuild: both run this one fold, report by report in fusion order; the state that
crosses the store is only plain JSON data (the Event record and the tally) and ``restore`` reads nothing
else, so continuing from the stored state and continuing in memory take the same steps
(``tests/test_fusion.py`` checks the round trip at every step).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from ..model import Casualties, DateRange, Event, Place
from .features import DATE_RANK, PLACE_RANK, content_tokens, day, fold, same_name
from .merge import (
    ALTERNATIVE_FIELDS,
    MAX_ALTERNATIVES,
    MAX_DISTINCT_ALTERNATIVES,
    MAX_SPANS,
    UNION_KEYS,
    Member,
    _empty,
    date_key,
    dates_agree,
    interval,
    place_key,
    places_agree,
)

VOTED = ("event_type", "sub_event_type", "status")
CASUALTY_FIELDS = ("killed", "wounded", "perpetrators_killed")
TALLY_VERSION = 2  # 2: "names"/"words", how many reports name each victim / use each description word


def _new_tally() -> dict[str, Any]:
    return {"version": TALLY_VERSION, "n": 0, "votes": {f: [] for f in VOTED}, "dates": [], "places": [],
            "casualties": {}, "unconfidence": 1.0, "reasons": {}, "omitted": {}, "names": {}, "words": {}}


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


class Accumulator:
    """The merge of the reports added so far: ``event`` (the fused record) and ``tally`` (what the next
    report needs). ``first`` holds the first report while it is the only one (its values start
    ``alternatives`` when a second joins)."""

    def __init__(self, event_id: str) -> None:
        self.event = Event(event_id=event_id)
        self.tally = _new_tally()
        self.first: Member | None = None
        self._union: dict[str, set[Any]] = {f: set() for f in UNION_KEYS}
        self._spans: dict[str, set[tuple[str, int, int]]] = {}
        self._alt_values: dict[str, set[str]] = {}
        self._articles: set[str] = set()
        self._parsed: dict[str, list[Any]] = {"dates": [], "places": []}  # tally entries as objects

    @property
    def size(self) -> int:
        return int(self.tally["n"])

    @classmethod
    def restore(cls, event: Event, tally: dict[str, Any]) -> "Accumulator":
        """Continue the fold of a stored event of two or more reports (its ``fusion["merge"]`` tally)."""
        acc = cls(event.event_id)
        acc.event = event
        acc.tally = tally
        for name, key in UNION_KEYS.items():
            acc._union[name] = {key(item) for item in getattr(event, name)}
        acc._spans = {name: {(s.article_id, s.start, s.end) for s in spans} for name, spans in event.evidence.items()}
        acc._articles = {s.article_id for s in event.sources}
        return acc

    # --- one report ---------------------------------------------------------------------------------------

    def add(self, member: Member) -> Event:
        """Fold ``member`` into the event; returns the updated Event (the same object)."""
        m, ev, t = member.mention, self.event, self.tally
        index = t["n"]
        t["n"] = index + 1
        for name in VOTED:
            self._vote(name, getattr(m, name))
        names, words = t["names"], t["words"]
        for victim in dict.fromkeys(fold(v.name) for v in m.victims if v.name):
            if victim:  # counted under the first spelling seen of the person ("jose antonio rodriguez porth")
                key = victim if victim in names else next((k for k in names if same_name(k, victim)), victim)
                names[key] = names.get(key, 0) + 1
        described = [content_tokens(x.mention) for x in m.targets] + [content_tokens(v.mention) for v in m.victims
                                                                       if not v.name]
        for word in sorted(set().union(*described)) if described else ():
            words[word] = words.get(word, 0) + 1
        for name, key in UNION_KEYS.items():
            have, seen = getattr(ev, name), self._union[name]
            for item in getattr(m, name):
                k = key(item)
                if k not in seen:
                    seen.add(k)
                    have.append(item)
        if interval(m.date) is not None:
            self._count("dates", m.date.to_dict(), date_key(m.date))
        if not _empty(m.location):
            self._count("places", m.location.to_dict(), place_key(m.location))
        for name in CASUALTY_FIELDS:
            self._casualty(name, getattr(m, name), index, member)
        if ev.summary is None and m.summary:
            ev.summary = m.summary
        if member.source.article_id not in self._articles:
            self._articles.add(member.source.article_id)
            ev.sources.append(dataclasses.replace(member.source))
        ev.mention_ids.append(m.mention_id)
        for k, v in m.reasons.items():
            t["reasons"].setdefault(k, v)
        t["unconfidence"] *= 1.0 - min(1.0, max(0.0, float(m.confidence or 0.0)))
        self._evidence(m.evidence)
        if index == 0:
            self.first = member
        else:
            if index == 1 and self.first is not None:
                self._alternatives(self.first)
            self.first = None
            self._alternatives(member)
        self._finish()
        return ev

    def _vote(self, name: str, value: Any) -> None:
        if not value:
            return
        counts = self.tally["votes"][name]
        for entry in counts:
            if entry[0] == value:
                entry[1] += 1
                return
        counts.append([value, 1])

    def _count(self, name: str, plain: dict[str, Any], key: list[Any]) -> None:
        for entry in self.tally[name]:
            if entry[0] == key:
                entry[2] += 1
                return
        self.tally[name].append([key, plain, 1])

    def _casualty(self, name: str, c: Casualties, index: int, member: Member) -> None:
        if c.is_empty():
            return
        s = self.tally["casualties"].setdefault(name, {"n": 0, "with_best": 0, "best": None, "low": None,
                                                       "high": None, "min": None, "max": None, "first": None})
        s["n"] += 1
        if s["first"] is None:
            s["first"] = c.to_dict()
        numbers = [v for v in (c.low, c.best, c.high) if isinstance(v, int)]
        lows = [v for v in (c.low, c.best) if isinstance(v, int)]
        highs = [v for v in (c.high, c.best) if isinstance(v, int)]
        for key, values, pick in (("min", numbers, min), ("max", numbers, max), ("low", lows, min),
                                  ("high", highs, max)):
            if values:
                s[key] = pick(values) if s[key] is None else pick(s[key], pick(values))
        if isinstance(c.best, int):
            s["with_best"] += 1
            candidate = [day(member.source.published) or -1, c.best, index]
            if s["best"] is None or candidate > s["best"]:
                s["best"] = candidate

    def _evidence(self, evidence: dict[str, list[Any]]) -> None:
        omitted = self.tally["omitted"]
        for name, spans in evidence.items():
            have = self.event.evidence.setdefault(name, [])
            seen = self._spans.setdefault(name, set())
            for span in spans:
                k = (span.article_id, span.start, span.end)
                if k in seen:
                    continue
                if len(have) >= MAX_SPANS:
                    omitted.setdefault("evidence", {}).setdefault(name, 0)
                    omitted["evidence"][name] += 1
                    continue
                seen.add(k)
                have.append(span)

    def _alternatives(self, member: Member) -> None:
        alts, omitted = self.event.alternatives, self.tally["omitted"]
        for name, value in member.plain_values().items():
            entries = alts.setdefault(name, [])
            if len(entries) >= MAX_ALTERNATIVES:  # past the cap: only values not seen yet (keys made lazily)
                seen = self._alt_values.get(name)
                if seen is None:
                    seen = self._alt_values[name] = {_value_key(a.get("value")) for a in entries}
                key = _value_key(value)
                if key in seen or len(entries) >= MAX_DISTINCT_ALTERNATIVES:
                    omitted.setdefault("alternatives", {}).setdefault(name, 0)
                    omitted["alternatives"][name] += 1
                    continue
                seen.add(key)
            entries.append({"value": value, "article_id": member.mention.article_id,
                            "mention_id": member.mention.mention_id})
        if list(alts) != [n for n in ALTERNATIVE_FIELDS if n in alts]:
            self.event.alternatives = {n: alts[n] for n in ALTERNATIVE_FIELDS if n in alts}

    # --- the fused values from the tally ------------------------------------------------------------------

    def _finish(self) -> None:
        ev, t = self.event, self.tally
        votes = t["votes"]
        ev.event_type = _winner(votes["event_type"])
        ev.sub_event_type = _winner(votes["sub_event_type"])
        ev.status = _winner(votes["status"]) or "occurred"
        ev.date, date_reason = _choose(self._objects("dates", DateRange), DateRange, DATE_RANK, 4, _date_span,
                                       dates_agree, "most precise date consistent with {} {} dated reports")
        ev.location, place_reason = _choose(self._objects("places", Place), Place, PLACE_RANK, 5, lambda p: 0.0,
                                            places_agree, "most specific place consistent with {} {} reports")
        reasons: dict[str, str] = dict(t["reasons"])
        why = {"date": date_reason, "location": place_reason}
        for name in CASUALTY_FIELDS:
            value, reason = _fused_casualties(t["casualties"].get(name))
            setattr(ev, name, value)
            why[name] = reason
        for name in ("date", "location", "killed", "wounded"):
            if why[name]:
                reasons[name] = why[name]  # type: ignore[assignment]
        ev.reasons = reasons
        ev.confidence = round(1.0 - t["unconfidence"], 4)


    def _objects(self, name: str, cls: Any) -> list[tuple[Any, int]]:
        parsed, entries = self._parsed[name], self.tally[name]
        while len(parsed) < len(entries):  # parsed once per distinct value (after a restore, when first used)
            parsed.append(cls.from_dict(entries[len(parsed)][1]))
        return [(obj, entry[2]) for obj, entry in zip(parsed, entries)]


def _winner(counts: list[list[Any]]) -> Any:
    if not counts:
        return None
    top = max(c for _, c in counts)
    return next(v for v, c in counts if c == top)


def _date_span(d: DateRange) -> float:
    iv = interval(d)
    return iv[1] - iv[0] if iv else float("inf")


def _choose(values: list[tuple[Any, int]], cls: Any, ranks: dict[str, int], worst: int,
            span: Callable[[Any], float], agree: Callable[[Any, Any], bool], reason: str) -> tuple[Any, str | None]:
    """The best-ranked distinct value that agrees with every report's value (else with the most of them).
    ``values`` are (value, how many reports gave it) in order of first report; the choice is a copy."""
    if not values:
        return cls(), None
    total = sum(c for _, c in values)
    order = sorted(range(len(values)), key=lambda i: (ranks.get(values[i][0].precision, worst),
                                                      span(values[i][0]), i))
    best, best_support = values[order[0]][0], -1
    for i in order:
        candidate = values[i][0]
        support = sum(c for v, c in values if agree(candidate, v))
        if support > best_support:
            best, best_support = candidate, support
        if support == total:
            break
    best = dataclasses.replace(best)
    if total == 1:
        return best, None
    return best, reason.format("all" if best_support == total else f"{best_support} of", total)


def _fused_casualties(s: dict[str, Any] | None) -> tuple[Casualties, str | None]:
    if not s or not s["n"]:
        return Casualties(), None
    if s["n"] == 1:
        return Casualties.from_dict(s["first"]), None
    best = s["best"][1] if s["best"] else None
    low = s["low"] if s["low"] is not None else s["min"]
    high = s["high"] if s["high"] is not None else s["max"]
    reason = f"best from the latest report ({s['with_best']} of {s['n']} reports give one); range over all"
    return Casualties(best=best, low=low, high=high), reason
