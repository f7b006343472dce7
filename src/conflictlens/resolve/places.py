"""Resolve an incident's place phrase to a gazetteer entry, using the rest of the article as context.

Two steps. ``PlaceContext.build`` reads the article once: countries and demonyms named in the text, the
dateline, and the spaCy GPE/LOC entities (when a Doc is given), each resolved to a country; this gives the
article's *country focus* (share of mentions per country) and the cities it mentions most. Then
``resolve_place`` parses one phrase as written ("Hyderabad, Sindh", "Pakistan's Khyber Pakhtunkhwa province",
"the northwestern Pakistani city", "Washington state") and ranks gazetteer candidates by exact name,
the focus and population (``Gazetteer.rank``). The most specific level found wins; with no name, the
article's most mentioned city of the named country (lower confidence), else the country. Never a point
that was not found: admin areas and countries carry no coordinates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import Place
from .countries import demonym_table, is_ambiguous_in_text, norm
from .gazetteer import Candidate, Gazetteer

_KIND_WORDS = {
    "province": "admin1", "provinces": "admin1", "state": "admin1", "region": "admin1", "department": "admin1",
    "governorate": "admin1", "oblast": "admin1", "prefecture": "admin1", "district": "admin2",
    "county": "admin2", "agency": "admin2", "municipality": "admin2", "city": "city", "town": "city",
    "village": "city", "capital": "city", "hamlet": "city", "township": "city",
}
_DESCRIPTORS = {
    "the", "a", "an", "of", "in", "at", "on", "near", "nearby", "outside", "outskirts", "suburb", "suburbs",
    "area", "areas", "neighborhood", "neighbourhood", "restive", "volatile", "troubled", "remote", "tribal",
    "border", "rural", "small", "coastal", "mountainous", "port", "main", "largest", "biggest", "southern",
    "northern", "eastern", "western", "central", "northwestern", "northeastern", "southwestern",
    "southeastern", "north", "south", "east", "west", "northwest", "northeast", "southwest", "southeast",
    "city's", "country's", "province's", "its", "their", "his", "her", "same", "nearby", "vicinity",
    "jurisdiction", "locality", "settlement", "region's", "parts", "part", "some", "several",
}
_DIRECTIONAL = re.compile(r"^(north|south|east|west|central|upper|lower)", re.I)
_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z.'\- ]{2,40}?)\s*(?:,|\(|\u2014|--|\u2013)")
_DEMONYMS = frozenset(demonym_table()) | {"u s", "u s a", "us", "usa"}  # "U.S." is mostly adjectival
_SMALL = 50_000  # a match this small, in a country the article never names, is likely another place
_KIND_ORDER = {"city": 0, "admin2": 1, "admin1": 2, "country": 3}
_PLACE_FIRST = {"georgia"}  # names a country *and* a place elsewhere: left to ranking with the article focus


@dataclass
class PlaceContext:
    """What the whole article says about where it is: country votes and the cities it names."""

    votes: dict[str, Counter] = field(default_factory=dict)  # country -> Counter(surface key -> weight)
    cities: Counter = field(default_factory=Counter)  # geonameid -> mentions
    city_places: dict[int, Place] = field(default_factory=dict)

    def vote(self, country: str, key: str, weight: float = 1.0) -> None:
        self.votes.setdefault(country, Counter())[key] += weight

    def focus(self, *, exclude: str | None = None) -> dict[str, float]:
        """Country -> share of the strongest country's votes (0..1), ignoring votes cast by ``exclude``
        (so "Georgia" is not disambiguated by its own mention)."""
        # repeated mentions of one name count less than many names: 1 + log2(weight) per name
        totals = {c: sum(_damp(w) for k, w in keys.items() if k != exclude) for c, keys in self.votes.items()}
        top = max(totals.values(), default=0.0)
        return {c: w / top for c, w in totals.items() if w > 0} if top > 0 else {}

    def main_country(self) -> str | None:
        """The country the article is most about, when one leads (more votes than any other)."""
        ranked = sorted(self.focus().items(), key=lambda cw: -cw[1])
        if ranked and (len(ranked) == 1 or ranked[1][1] < 1.0):
            return ranked[0][0]
        return None

    def top_city(self, country: str) -> Place | None:
        """The article's most mentioned city in ``country``."""
        for gid, _n in self.cities.most_common():
            place = self.city_places[gid]
            if place.country == country:
                return place
        return None

    @classmethod
    def build(cls, text: str, gazetteer: Gazetteer, *, doc: Any = None, extra: Iterable[str] = (),
              title: str | None = None) -> "PlaceContext":
        """Read ``text`` (and ``title``) for country names/demonyms, the dateline, ``doc``'s GPE/LOC
        entities and ``extra`` place phrases (e.g. the mentions' own places)."""
        ctx = cls()
        keys = gazetteer.country_keys()
        for source, weight in ((title or "", 2.0), (text, 1.0)):
            for key, code in _scan_countries(source, keys):
                # "Salvadoran", "American" name actors as often as places: half a vote
                ctx.vote(code, key, weight * (0.5 if key in _DEMONYMS else 1.0))
        names: list[str] = []
        m = _DATELINE.match(text)
        if m and not gazetteer.country_of(m.group(1)):
            # the dateline names a well-known place: resolve it by population alone; it weighs 1.5 mentions (a
            # report filed in Madrid is often about another country; weight chosen on the MUC-4 train split)
            hit = _best(gazetteer, m.group(1))
            if hit is not None and hit.kind != "country":
                ctx.vote(hit.country, "dateline:" + norm(m.group(1)), 1.5)
        if doc is not None:
            for ent in getattr(doc, "ents", ()):
                if ent.label_ in ("GPE", "LOC", "FAC") and not gazetteer.country_of(ent.text):
                    names.append(ent.text)
        names.extend(n for n in extra if n)
        base_focus = ctx.focus()
        for name in names:
            key = norm(name)
            hit = _best(gazetteer, _strip(name)[0] or name, focus=base_focus)
            if hit is None or hit.kind == "country":
                continue
            ctx.vote(hit.country, key, 0.5)
            if hit.kind == "city" and hit.geonameid is not None:
                ctx.cities[hit.geonameid] += 1
                ctx.city_places.setdefault(hit.geonameid, hit.to_place())
        return ctx


def _damp(weight: float) -> float:
    return 1.0 + math.log2(weight) if weight > 1.0 else weight


def _scan_countries(text: str, keys: dict[str, str]) -> Iterable[tuple[str, str]]:
    """(key, code) for every country name or demonym in ``text`` (longest n-gram first)."""
    words = norm(text).split()
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            key = " ".join(words[i:i + n])
            if len(words) - i >= n and key in keys and not is_ambiguous_in_text(key):
                yield key, keys[key]
                i += n
                break
        else:
            i += 1


def _best(gaz: Gazetteer, name: str, **kw: Any) -> Candidate | None:
    ranked = gaz.rank(name, **kw)
    return ranked[0][1] if ranked else None


def _strip(part: str) -> tuple[str, str | None]:
    """Drop descriptor words ("the northwestern ... city"); returns (name, kind hint)."""
    kind = None
    words = part.split()
    kept = []
    for w in words:
        lw = w.lower().strip(".,;:'\"()")
        if lw in _KIND_WORDS:
            kind = kind or _KIND_WORDS[lw]
            continue
        if lw in _DESCRIPTORS and not kept and lw not in ("north", "south", "east", "west", "central"):
            continue
        kept.append(w)
    # trailing descriptors ("Peshawar area", "Karachi outskirts")
    while kept and kept[-1].lower().strip(".,") in _DESCRIPTORS - {"north", "south", "east", "west"}:
        kept.pop()
    return " ".join(kept).strip(" ,.'\""), kind


def _parts(phrase: str) -> list[str]:
    """Split "Pakistan's Khyber Pakhtunkhwa province" / "a school in Peshawar, Pakistan" into pieces."""
    phrase = re.sub(r"[\u2019`]", "'", phrase)
    pieces = re.split(r",|;|\s+\bin\b\s+|\s+\bof\b\s+(?=[A-Z])|'s\b|\s+\bnear\b\s+|\(|\)", phrase)
    return [p.strip() for p in pieces if p and p.strip()]


def _kinds_for(hint: str | None) -> tuple[str, ...]:
    if hint == "admin1":
        return ("admin1",)
    if hint == "admin2":
        return ("admin2", "admin1")
    if hint == "city":
        return ("city",)
    return ()


def resolve_place(phrase: str | None, ctx: PlaceContext, gazetteer: Gazetteer) -> tuple[Place, str]:
    """The Place for one incident's place phrase (as written) and the reason for it."""
    if not phrase or not phrase.strip():
        main = ctx.main_country()
        fallback = _main_fallback(ctx, gazetteer, main, "no place tied to the incident")
        return fallback if fallback is not None else (Place(), "no place tied to the incident")
    country_hint: str | None = None
    named: list[tuple[str, str | None]] = []
    mixed_case = phrase != phrase.upper() and phrase != phrase.lower()
    for part in _parts(phrase):
        if mixed_case and not any(ch.isupper() for ch in part):
            continue  # "a school" in "a school in Peshawar": common words, not a name
        code, name, kind = _read_part(part, gazetteer)
        country_hint = country_hint or code
        if name:
            named.append((name, kind))
    best: tuple[Candidate, str] | None = None
    admin1_name: str | None = None
    for name, kind in sorted(named, key=lambda nk: nk[1] != "admin1"):
        cand = _rank_one(gazetteer, name, kind, ctx, country_hint, admin1_name)
        if cand is None:
            continue
        if cand.kind == "admin1":
            admin1_name = cand.name
            country_hint = country_hint or cand.country
        if best is None or _KIND_ORDER[cand.kind] < _KIND_ORDER[best[0].kind]:
            best = (cand, name)
    main = ctx.main_country()
    if best is not None:
        cand, name = best
        if (main and cand.kind in ("city", "admin2") and cand.population < _SMALL and not country_hint
                and ctx.focus(exclude=norm(name)).get(cand.country, 0.0) == 0.0
                and (fallback := _main_fallback(
                    ctx, gazetteer, main, f"'{name}' only matches small places outside the article's countries"))):
            return fallback
        how = "exact name" if cand.exact else "alternate name"
        return cand.to_place(), f"gazetteer: {how} '{name}' -> {cand.kind} in {cand.country} (focus, population)"
    if country_hint is None and not named and _mentions_settlement(phrase):
        focus = ctx.focus()
        country_hint = max(focus, key=lambda c: (focus[c], c)) if focus else None
    if country_hint:
        city = ctx.top_city(country_hint)
        if city is not None and named == [] and _mentions_settlement(phrase):
            return city, (f"no name in '{phrase}': the article's most mentioned city in {country_hint} "
                          "(low confidence)")
        place = gazetteer.country_place(country_hint)
        if place is not None:
            return place, f"country only: '{phrase}'"
    fallback = _main_fallback(ctx, gazetteer, main, f"'{phrase.strip()}' not in the gazetteer")
    if fallback is not None:
        return fallback
    return Place(name=phrase.strip()), f"not in gazetteer: '{phrase.strip()}'"


def _main_fallback(ctx: PlaceContext, gazetteer: Gazetteer, main: str | None, why: str) -> tuple[Place, str] | None:
    """When the incident's own place cannot be found: the article's most mentioned city in its main
    country, else that country; both marked low confidence. None when no country leads."""
    if not main:
        return None
    city = ctx.top_city(main)
    if city is not None:
        return city, f"{why}: the article's most mentioned city in {main} (low confidence)"
    place = gazetteer.country_place(main)
    if place is not None:
        return place, f"{why}: the article's main country {main} (low confidence)"
    return None


def _rank_one(gaz: Gazetteer, name: str, kind: str | None, ctx: PlaceContext, country: str | None,
              admin1: str | None) -> Candidate | None:
    focus = ctx.focus(exclude=norm(name))
    tries = [name]
    if re.match(r"^(el|la|los|las|al|the)\s", name, re.I):
        tries.append(name.split(None, 1)[1])
    for only in ((country, None) if country else (None,)):
        for text in tries:
            for kinds in ((_kinds_for(kind), ()) if kind else ((),)):
                hit = _best(gaz, text, focus=focus, country=only, kinds=kinds, admin1=admin1)
                if hit is not None:
                    return hit
    return None


def _read_part(part: str, gaz: Gazetteer) -> tuple[str | None, str | None, str | None]:
    """(country hint, place name, kind hint) for one piece of a place phrase. The piece as written is
    tried first ("Guatemala City" is a city, not Guatemala), then without descriptor words
    ("Washington state" -> Washington, admin1), then with demonyms pulled out ("Pakistani city")."""
    p0 = re.sub(r"^(the|a|an)\s+", "", part.strip(), flags=re.I)
    if norm(p0) not in _PLACE_FIRST and (code := gaz.country_of(p0)):
        return code, None, None
    if gaz.candidates(p0):
        return None, p0, None
    name, kind = _strip(p0)
    if not name:
        return None, None, kind
    if norm(name) not in _PLACE_FIRST and (code := gaz.country_of(name)):
        return code, None, kind
    if gaz.candidates(name):
        return None, name, kind
    hint, kept = None, []
    for tok in name.split():
        code = gaz.country_of(tok) if len(tok) > 3 else None
        if code and hint is None:
            hint = code
        else:
            kept.append(tok)
    rest, kind2 = _strip(" ".join(kept))
    if rest and hint:  # "Central American University": a name that contains a demonym, not a hint
        return None, name, kind
    return hint, rest or None, kind or kind2


def _mentions_settlement(phrase: str) -> bool:
    return bool(re.search(r"\b(city|town|capital|village)\b", phrase, re.I))
