"""Resolve an incident's place phrase to a gazetteer entry, using the rest of the article as context.

Two steps. ``PlaceContext.build`` reads the article once: countries and demonyms named in the text, the
dateline, the armed groups of the actor KB ("FMLN": El Salvador) and the spaCy GPE/LOC entities (when a Doc
is given), each resolved to a country; this gives the article's *country focus* (share of mentions per
country) and the cities it mentions most. The dateline only says where a report was filed ("MADRID (SPAIN)"
counts once), while names after "in"/"at" and names in the lead count more, so a report filed abroad about
an incident in El Salvador is about El Salvador. Then ``resolve_place`` parses one phrase as written
("Hyderabad, Sindh", "Pakistan's Khyber Pakhtunkhwa province", "the northwestern Pakistani city",
"Washington state") and ranks gazetteer candidates by exact name, the focus and population
(``Gazetteer.rank``); the names of one phrase are placed in one country, the one that explains them best
("Escalon, San Salvador" is not in California). The most specific level found wins. A match that is only a
small namesake in a country the article hardly mentions ("La Fonda" -> Fonda, New York, in a Colombian
report) gives way to the article's main country; with no name, the article's most mentioned city of the
named country (lower confidence), else the country. Never a point that was not found: admin areas and
countries carry no coordinates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from ..model import Place
from .actor_data import needs_case
from .countries import demonym_table, norm, scan_countries
from .gazetteer import Candidate, Gazetteer

if TYPE_CHECKING:
    from .actors import ActorKB

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
_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z.'\- ]{2,40}?)\s*(?:,|\(|\u2014|--|\u2013)")
_DEMONYMS = frozenset(demonym_table()) | {"u s", "u s a", "us", "usa"}  # "U.S." is mostly adjectival
_SMALL = 50_000  # a match this small, in a country the article barely names, is likely another place
_WEAK_SHARE = 0.5  # "barely": under half the votes of the article's main country
_MID = 500_000  # a city this big is itself evidence, even in a country the article never names
_KIND_ORDER = {"city": 0, "admin2": 1, "admin1": 2, "country": 3}
_PLACE_FIRST = {"georgia"}  # names a country *and* a place elsewhere: left to ranking with the article focus
_DATELINE_END = re.compile(r"^\s*[^\n]{0,160}?(?:\n[^\n]{0,60}?)?(?:--|\u2014|\u2013|\s-\s)")
_LOCATIVE = re.compile(
    r"\b(in|at|near|outside|into|inside)\s+(the\s+)?([a-z]+ern\s+|central\s+|capital\s+|(city|town) of\s+)?$", re.I)
_FUNCTION_POS = {"VERB", "AUX", "ADV", "ADP", "PRON", "DET", "SCONJ", "CCONJ", "PART", "ADJ"}


@dataclass
class PlaceContext:
    """What the whole article says about where it is: country votes and the cities it names."""

    votes: dict[str, Counter] = field(default_factory=dict)  # country -> Counter(surface key -> weight)
    cities: Counter = field(default_factory=Counter)  # geonameid -> mentions
    city_places: dict[int, Place] = field(default_factory=dict)
    dateline: str | None = None  # the country of the place the report was filed from

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
        """The country the article is most about: the one with most votes; in a tie, the dateline's (the
        place a report is filed from is where most incidents happen: 4 in 5 on the MUC-4 splits)."""
        focus = self.focus()
        ranked = sorted(focus.items(), key=lambda cw: -cw[1])
        if ranked and (len(ranked) == 1 or ranked[1][1] < 1.0):
            return ranked[0][0]
        return self.dateline if self.dateline and focus.get(self.dateline) == 1.0 else None

    def top_city(self, country: str) -> Place | None:
        """The article's most mentioned city in ``country``."""
        for gid, _n in self.cities.most_common():
            place = self.city_places[gid]
            if place.country == country:
                return place
        return None

    @classmethod
    def build(cls, text: str, gazetteer: Gazetteer, *, doc: Any = None, extra: Iterable[str] = (),
              title: str | None = None, actors: ActorKB | None = None) -> "PlaceContext":
        """Read ``text`` (and ``title``) for country names/demonyms, the dateline, ``doc``'s GPE/LOC
        entities, the armed groups of ``actors`` (an ``ActorKB``) and ``extra`` place phrases (e.g. the
        mentions' own places).

        Weights (chosen on the MUC-4 train split): a country name 1, a demonym 0.5 ("Salvadoran" names an
        actor as often as a place), a place entity 0.5, a group of the actor KB 1 ("FMLN": El Salvador); x3
        after "in"/"at"/"near" (where things happen), x2 in the lead (the first fifth after the dateline). The
        dateline counts once, 1.5, and only as the place the report was filed from: "MADRID (SPAIN)" is
        not three votes for Spain, and a report filed abroad is often about another country. An entity
        that only matches a village in a country nothing else points to casts no vote.
        """
        ctx = cls()
        keys = gazetteer.country_keys()
        for hit in scan_countries(title or "", keys):
            ctx.vote(hit.code, hit.key, 2.0 * (0.5 if hit.key in _DEMONYMS else 1.0))
        line_end, dateline = _dateline(text, gazetteer)
        if dateline is not None:
            ctx.dateline = dateline[0]
            ctx.vote(dateline[0], "dateline:" + dateline[1], 1.5)
        lead = line_end + (len(text) - line_end) // 5
        for hit in scan_countries(text, keys):
            if hit.start < line_end:
                if dateline is None:  # "NO CITY (PERU), 16 SEP 89 --": the dateline's country
                    dateline = (hit.code, hit.key)
                    ctx.dateline = hit.code
                    ctx.vote(hit.code, "dateline:" + hit.key, 1.5)
                continue
            base = 0.5 if hit.key in _DEMONYMS else 1.0
            ctx.vote(hit.code, hit.key, base * _weight_at(text, hit.start, lead))
        for start, key, code in _group_mentions(text, actors, doc):
            if start >= line_end:
                ctx.vote(code, "group:" + key, _weight_at(text, start, lead))
        names: list[tuple[str, int | None]] = []
        if doc is not None:
            for ent in getattr(doc, "ents", ()):
                start = getattr(ent, "start_char", None)
                if start is not None and start < line_end:
                    continue  # the dateline has voted already
                if ent.label_ in ("GPE", "LOC", "FAC") and not gazetteer.country_of(ent.text):
                    names.append((ent.text, start))
        names.extend((n, None) for n in extra if n)
        base_focus = ctx.focus()
        for name, start in names:
            key = norm(name)
            hit = _best(gazetteer, _strip(name)[0] or name, focus=base_focus)
            if hit is None or hit.kind == "country":
                continue
            if hit.kind == "city" and hit.population < _SMALL and not base_focus.get(hit.country):
                continue  # a village abroad ("Sand", Bavaria) is more likely a word or a local namesake
            ctx.vote(hit.country, key, 0.5 * (_weight_at(text, start, lead) if start is not None else 1.0))
            if hit.kind == "city" and hit.geonameid is not None:
                ctx.cities[hit.geonameid] += 1
                ctx.city_places.setdefault(hit.geonameid, hit.to_place())
        return ctx


def _damp(weight: float) -> float:
    return 1.0 + math.log2(weight) if weight > 1.0 else weight


def _weight_at(text: str, start: int, lead: int) -> float:
    """x3 for a name after "in"/"at"/"near" ("killed in Colombia"), x2 in the article's lead."""
    weight = 3.0 if _LOCATIVE.search(text[max(0, start - 30):start]) else 1.0
    return weight * (2.0 if start < lead else 1.0)


def _dateline(text: str, gaz: Gazetteer) -> tuple[int, tuple[str, str] | None]:
    """(end of the dateline, (country, key) of its place or None). A dateline is a capitalised place name
    that opens the text ("MADRID (SPAIN), 19 NOV 89 (EFE) --", "PESHAWAR, Pakistan -"); it ends at the first
    dash of its line."""
    m = _DATELINE.match(text)
    if not m or not (m.group(1).isupper() or gaz.rank(m.group(1))):
        return 0, None
    dash = _DATELINE_END.match(text)
    end = dash.end() if dash else m.end(1)
    if gaz.country_of(m.group(1)):
        return end, None  # "PAKISTAN -": the scan below finds the country name
    hit = _best(gaz, m.group(1))
    if hit is None or hit.kind == "country":
        return end, None
    return end, (hit.country, norm(m.group(1)))


def _group_mentions(text: str, actors: ActorKB | None, doc: Any) -> Iterable[tuple[int, str, str]]:
    """(start, key, country) for each non-state armed group of the actor KB named in ``text`` whose
    entries agree on one country. Acronyms that are also words ("IS", "FAR", "LET'S") are skipped: those
    the KB marks as needing their case, lower-case ones in mixed-case text, and those ``doc`` tags as verbs
    or function words."""
    if actors is None:
        return
    mixed = text != text.upper()
    for m in actors.find_mentions(text):
        countries = {e.country for a in m.candidates if (e := actors.get(a)) is not None and not e.is_state}
        if len(countries) != 1 or None in countries:
            continue
        if needs_case(m.text) or (mixed and m.text.islower()) or (" " not in m.text and _word_like(doc, m)):
            continue
        yield m.start, norm(m.text), countries.pop()


def _word_like(doc: Any, m: Any) -> bool:
    """True when ``doc`` (a spaCy Doc, if given) tags the one-word match ``m`` as a verb or function word."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand") if hasattr(doc, "char_span") else None
    return span is not None and len(span) == 1 and span[0].pos_ in _FUNCTION_POS


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
    main = ctx.main_country()
    found = _choose(gazetteer, named, ctx, country_hint)
    if found is None and country_hint:  # "America, Medellin": a neighbourhood named like a country
        abroad = _choose(gazetteer, named, ctx, None)
        found = abroad if abroad and not _weak(abroad[0], ctx.focus(exclude=norm(abroad[1]))) else None
    if found is not None:
        cand, name = found
        if main and main != cand.country and not country_hint and _weak(cand, ctx.focus(exclude=norm(name))):
            fallback = _main_fallback(ctx, gazetteer, main, f"'{name}' only matches places in countries "
                                      "the article hardly mentions")
            if fallback is not None:
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


def _weak(cand: Candidate, focus: dict[str, float]) -> bool:
    """A match that says little against the article's own country: a small place in a country the article
    barely mentions ("La Fonda" -> Fonda, New York), or, in a country it never mentions, a mid-sized city,
    an admin area or an alternate-name match ("Carolina" -> Puerto Rico, "Western" -> Zambia)."""
    if cand.kind == "country":
        return False
    share = focus.get(cand.country, 0.0)
    if share == 0.0 and (cand.kind == "admin1" or not cand.exact or cand.population < _MID):
        return True
    return cand.kind in ("city", "admin2") and share < _WEAK_SHARE and cand.population < _SMALL


def _choose(gaz: Gazetteer, named: list[tuple[str, str | None]], ctx: PlaceContext,
            country: str | None) -> tuple[Candidate, str] | None:
    """The best candidate for the names of one phrase, written innermost first ("Escalon, San Salvador"):
    the country whose candidates score highest summed over the names (the names of one phrase lie in one
    country: "Hyderabad, Sindh" is in Pakistan, "Atlanta, Georgia" in the United States), then in it the
    most specific name found, cities boosted inside a named admin1. A name with no entry in that country
    is dropped rather than placed abroad (San Salvador, not Escalon, California)."""
    by_country: dict[str, list[tuple[float, Candidate, str, str | None]]] = {}
    for name, kind in named:
        seen: set[str] = set()
        for score, cand in _ranked(gaz, name, kind, ctx, country):
            if cand.country not in seen:
                seen.add(cand.country)
                by_country.setdefault(cand.country, []).append((score, cand, name, kind))
    if not by_country:
        return None
    chosen = max(by_country, key=lambda c: (sum(s for s, *_ in by_country[c]), c))
    hits = by_country[chosen]
    admin1 = next((c.name for _, c, _, _ in hits if c.kind == "admin1"), None)
    best: tuple[Candidate, str] | None = None
    for _, cand, name, kind in hits:
        if admin1 and cand.kind != "admin1":
            cand = _ranked(gaz, name, kind, ctx, chosen, admin1)[0][1]
        if best is None or _KIND_ORDER[cand.kind] < _KIND_ORDER[best[0].kind]:
            best = (cand, name)
    return best


def _ranked(gaz: Gazetteer, name: str, kind: str | None, ctx: PlaceContext, country: str | None,
            admin1: str | None = None) -> list[tuple[float, Candidate]]:
    """Ranked candidates for one name: of the hinted kind if any, else of any kind; the name without its
    article ("La Fonda" -> "Fonda") only when the name as written matches nothing."""
    focus = ctx.focus(exclude=norm(name))
    tries = [name]
    if re.match(r"^(el|la|los|las|al|the)\s", name, re.I):
        tries.append(name.split(None, 1)[1])
    for text in tries:
        for kinds in ((_kinds_for(kind), ()) if kind else ((),)):
            ranked = gaz.rank(text, focus=focus, country=country, kinds=kinds, admin1=admin1)
            if ranked:
                return ranked
    return []


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
