"""Evaluate place resolution on the MUC-4 incident location slots (``full_templates/{train,dev}.jsonl``).

For each key template with a location, the place phrase an extractor would pass is the most specific
gold component that occurs in the report ("EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS (TOWN)" ->
"SAN LUIS" if the text says it, else "SAN MIGUEL", else none). All templates of a report are resolved
together by ``resolve_mentions`` (the report's text and dateline give the context), and the result is
scored against the gold country and, where the gold names a city or town, the gold city. This measures
the gazetteer and the disambiguation, not the extractor's choice of phrase.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import iter_jsonl
from ..model import Article, EventMention, Place
from ..resolve import Gazetteer, resolve_mentions
from ..resolve.countries import norm

_CITY_TYPES = {"CITY", "TOWN", "VILLAGE", "HAMLET"}
_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


def read_full_templates(path: str | Path) -> list[dict[str, Any]]:
    """The MUC-4 ``full_templates`` JSONL records; E501 when missing or malformed."""
    return [record for _, record in iter_jsonl(path)]


def dateline_date(dateline: str | None) -> str | None:
    """"SAN SALVADOR, 3 JAN 90 (DPA) --" -> "1990-01-03"; None for "NO DATE"."""
    m = re.search(r"\b(\d{1,2}) ([A-Z]{3})[A-Z]* (\d{2})\b", dateline or "")
    if not m or m.group(2) not in _MONTHS:
        return None
    year = 1900 + int(m.group(3)) if int(m.group(3)) >= 50 else 2000 + int(m.group(3))
    return f"{year:04d}-{_MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses."""
    out, depth, cur, i = [], 0, "", 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and text.startswith(sep, i):
            out.append(cur)
            cur, i = "", i + len(sep)
            continue
        cur += ch
        i += 1
    return [*out, cur]


def _unwrap(text: str) -> str:
    """Drop parentheses that wrap the whole text: "(COLOMBIA: BOGOTA (CITY))" -> "COLOMBIA: BOGOTA (CITY)"."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if depth == 0:
                break
        if i != len(text) - 1:
            break
        text = text[1:-1].strip()
    return text


def parse_location(value: str) -> list[list[tuple[str, set[str]]]]:
    """A key location value -> alternatives, each a chain [(name, {types})] from the country down."""
    chains = []
    for alt in _split_top(value.strip(), " / "):
        chain = []
        for part in re.split(r":", _unwrap(alt)):
            for piece in _split_top(part, " - "):
                m = re.match(r"\s*(.+?)\s*(?:\(([^()]*)\))?\s*$", piece)
                if m and m.group(1).strip("() "):
                    types = {t.strip() for t in (m.group(2) or "").split("/") if t.strip()}
                    chain.append((m.group(1).strip("() "), types))
        if chain:
            chains.append(chain)
    return chains


def _phrase(chains: list[list[tuple[str, set[str]]]], text: str) -> str | None:
    """The place phrase an extractor would pass: the gold names the report uses, most specific first
    ("ESCANDIA, SAN SALVADOR" for "the Escandia neighbourhood of San Salvador")."""
    upper = text.upper()
    found = [name for name, _types in reversed(chains[0][1:])
             if re.search(rf"\b{re.escape(name.upper())}\b", upper)]
    return ", ".join(found) if found else None


def _city_match(place: Place, gold: str, gaz: Gazetteer) -> bool:
    if place.precision not in ("city", "point") or not place.name:
        return False
    if norm(place.name) == norm(gold):
        return True
    return any(c.geonameid == place.geonameid for c in gaz.candidates(gold) if c.kind == "city")


def run_places_eval(path: str | Path, *, gazetteer: Gazetteer | None = None, nlp: Any = None,
                    limit: int | None = None) -> dict[str, Any]:
    """Country- and city-level accuracy of resolved incident locations; ``nlp`` (a spaCy pipeline) adds
    the entity context a real pipeline run has. Returns counts, accuracies and a few errors to read."""
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    docs = read_full_templates(path)[:limit]
    n = country_ok = city_n = city_ok = named_n = named_ok = 0
    errors: list[dict[str, Any]] = []
    for doc in docs:
        article = Article(article_id=doc["docid"], text=doc["text"], published=dateline_date(doc.get("dateline")))
        items = []
        for t in doc.get("templates", []):
            fills = (t.get("slots") or {}).get("incident_location") or []
            if not fills:
                continue
            chains = [c for f in fills for c in parse_location(f["value"])]
            if not chains:
                continue
            phrase = _phrase(chains, doc["text"])
            mention = EventMention(mention_id=f"{doc['docid']}-{t.get('template_id')}", article_id=doc["docid"],
                                   location=Place(name=phrase))
            items.append((mention, chains, [f["value"] for f in fills], phrase))
        if not items:
            continue
        spacy_doc = nlp(doc["text"]) if nlp is not None else None
        resolve_mentions([m for m, *_ in items], article, spacy_doc, gazetteer=gaz)
        for mention, chains, gold, phrase in items:
            n += 1
            gold_countries = {gaz.country_of(c[0][0]) for c in chains}
            ok = mention.location.country in gold_countries
            country_ok += ok
            gold_cities = [name for c in chains for name, types in c[1:] if types & _CITY_TYPES]
            city_hit = None
            if gold_cities:
                # right at city level: the gold city, or a named place inside it (a district, a neighbourhood)
                below = [name for c in chains for name, _ in c[1:]]
                city_n += 1
                # a same-named town in another country is no hit ("Carolina" is not Carolina, Puerto Rico)
                city_hit = ok and any(_city_match(mention.location, g, gaz) for g in below)
                city_ok += city_hit
                if phrase is not None:
                    named_n += 1
                    named_ok += city_hit
            if (not ok or city_hit is False) and len(errors) < 25:
                errors.append({"docid": doc["docid"], "gold": gold,
                               "place": mention.location.to_dict(), "reason": mention.reasons.get("location")})
    return {
        "templates": n,
        "country_correct": country_ok,
        "country_accuracy": country_ok / n if n else 0.0,
        "city_templates": city_n,
        "city_correct": city_ok,
        "city_accuracy": city_ok / city_n if city_n else 0.0,
        "city_named_templates": named_n,  # the gold city (or a place in it) is named in the report
        "city_named_accuracy": named_ok / named_n if named_n else 0.0,
        "errors": errors,
    }
