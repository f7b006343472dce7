"""Blocking: which events a report is compared with, so fusion stays near-linear in the number of reports.

The rule (the same in memory and in the store query, which returns a superset that ``is_candidate`` filters):
a report and an event are candidates when they have the same country (both unknown counts as the same),
no conflicting first-level region (the same admin1, or one of them without one), the same event-type family
(violence / unrest / strategic developments) and either
* overlapping blocking windows (``features.blocking_window``: the date with its precision's slack; an "on
  or before" date covers the year before it; an undated report the week before its publication). One
  exception keeps vague reports cheap: a report whose window spans more than ``LONG_QUERY`` days (a
  year-precision date) is only compared with events whose own window is longer than ``SHORT_WINDOW`` days;
* or a shared identity key (``features.identity_keys``: a word of a victim's name or of a target/victim
  description) when one of them is undated: an undated one reaches back a year before its publication
  (``Features.horizon``; a retrospective report names the incident, it does not date it), and one with no
  publication date either has no time at all, so the key alone decides. Such a report therefore meets the
  incident it names without being compared with every event of its country or of a whole year.

In memory, windows are indexed by ISO-week buckets (short windows) or years (long ones), keyed together
with country, admin1 and family (an event is filed under its admin1 and under "*", the whole country; a report
with an admin1 looks in its region and among events with none, one without looks in "*"), so each lookup
touches a handful of buckets and never all pairs. Identity keys are indexed per country and family: every
event under "#k" (where undated reports look), undated events also under "#u" (where dated reports look).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from .features import Features

SHORT_WINDOW = 70  # days: windows up to this long are indexed by week, longer ones by year
LONG_QUERY = 400  # days: a query window longer than this looks up year buckets only

Key = tuple[str, str, str, str, int]  # (country, family, region or "#k"/"#u", "w"/"y" or word, week/year)
ANY = "*"


def _span(window: tuple[int, int]) -> int:
    return window[1] - window[0]


def _years(window: tuple[int, int]) -> range:
    return range(dt.date.fromordinal(window[0]).year, dt.date.fromordinal(window[1]).year + 1)


def _buckets(f: Features, region: str, *, query: bool) -> list[Key]:
    assert f.window is not None
    keys: list[Key] = []
    short = _span(f.window) <= (LONG_QUERY if query else SHORT_WINDOW)
    if short:
        keys += [(f.country, f.family, region, "w", w) for w in range(f.window[0] // 7, f.window[1] // 7 + 1)]
    if query or not short:
        keys += [(f.country, f.family, region, "y", y) for y in _years(f.window)]
    return keys


def _identity(f: Features, kind: str) -> list[Key]:
    return [(f.country, f.family, kind, word, 0) for word in sorted(f.keys)]


def store_keys(f: Features) -> list[str]:
    """The identity keys of an event as ``store.fusion_keys`` rows hold them ("country|family|word")."""
    return [f"{f.country}|{f.family}|{word}" for word in sorted(f.keys)]


def _undated(f: Features) -> bool:
    return f.window is None or f.horizon is not None


def index_keys(f: Features) -> list[Key]:
    """The buckets an event is filed under."""
    keys = _identity(f, "#k") + (_identity(f, "#u") if _undated(f) else [])
    if f.window is None:
        return keys
    return _buckets(f, f.admin1, query=False) + _buckets(f, ANY, query=False) + keys


def query_keys(f: Features) -> list[Key]:
    """The buckets a report looks in."""
    keys = _identity(f, "#k" if _undated(f) else "#u")
    if f.window is None:
        return keys
    if not f.admin1:
        return _buckets(f, ANY, query=True) + keys
    return _buckets(f, f.admin1, query=True) + _buckets(f, "", query=True) + keys


def _meet(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def is_candidate(report: Features, event: Features) -> bool:
    """The exact blocking rule (see the module docstring)."""
    if report.country != event.country or report.family != event.family:
        return False
    if report.admin1 and event.admin1 and report.admin1 != event.admin1:
        return False
    a, b = report.window, event.window
    if a is not None and b is not None and _meet(a, b) and not (_span(a) > LONG_QUERY and _span(b) <= SHORT_WINDOW):
        return True
    if not (_undated(report) or _undated(event)) or report.keys.isdisjoint(event.keys):
        return False
    if a is None or b is None:
        return True
    return _meet(report.horizon or a, event.horizon or b)


class BlockIndex:
    """Events by bucket; ``candidates`` gives the ids of events passing ``is_candidate``, in id order."""

    def __init__(self) -> None:
        self._buckets: dict[Key, set[str]] = defaultdict(set)
        self._keys: dict[str, list[Key]] = {}
        self._features: dict[str, Features] = {}

    def __len__(self) -> int:
        return len(self._features)

    def put(self, event_id: str, f: Features) -> None:
        """File (or re-file, after the event changed) ``event_id`` under ``f``."""
        keys = index_keys(f)
        old = self._keys.get(event_id)
        if old != keys:  # re-file only what changed: a big event's identity keys mostly stay
            new = set(keys)
            for key in (old or ()):
                if key not in new:
                    self._drop(key, event_id)
            for key in keys:
                self._buckets[key].add(event_id)
            self._keys[event_id] = keys
        self._features[event_id] = f

    def remove(self, event_id: str) -> None:
        for key in self._keys.pop(event_id, ()):
            self._drop(key, event_id)
        self._features.pop(event_id, None)

    def _drop(self, key: Key, event_id: str) -> None:
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.discard(event_id)
            if not bucket:
                del self._buckets[key]

    def features(self, event_id: str) -> Features:
        return self._features[event_id]

    def candidates(self, f: Features) -> list[str]:
        found: set[str] = set()
        for key in query_keys(f):
            bucket = self._buckets.get(key)
            if bucket:
                found |= bucket
        return sorted(e for e in found if is_candidate(f, self._features[e]))

    def event_ids(self) -> Iterable[str]:
        return self._features.keys()
