"""MUC-4 gold templates as fusion input: one EventMention per template, built from its slots
(``template_mention``), and the report date of a document (``published_of``, from its dateline).

The mention carries type, date resolved against the dateline date with ``conflictlens.resolve.dates.
resolve_date`` ("- 04 FEB 90", on or before, becomes a date with no start), location (country,
department/province as admin1, the settlement), perpetrator organisations and individuals, physical targets,
named and described human targets, instruments and the killed count.

The killed count (issue 6 fix): the sum of the counted death targets of the template's casualty roll-up. When
some death targets are uncounted ("PEASANTS", PLURAL) the sum is only a lower bound, and when it is 0 there is
no figure at all; the first version gave ``best=0`` for "deaths, number unknown" (14 dev and 56 train
templates), which the fuser read as "nobody killed" and scored as a casualty conflict against the event.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import (
    ActorRef,
    Casualties,
    DateRange,
    EventMention,
    Individual,
    Place,
    Target,
    Victim,
    Weapon,
    stable_id,
)

TYPE_MAP = {  # MUC incident type -> (ACLED event type, sub-event type, GTD attack type)
    "ATTACK": ("Violence against civilians", "Attack", "Armed Assault"),
    "BOMBING": ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Bombing/Explosion"),
    "KIDNAPPING": ("Violence against civilians", "Abduction/forced disappearance", "Hostage Taking (Kidnapping)"),
    "ARSON": ("Strategic developments", "Looting/property destruction", "Facility/Infrastructure Attack"),
    "ROBBERY": ("Strategic developments", "Looting/property destruction", "Robbery"),
    "FORCED WORK STOPPAGE": ("Strategic developments", "Other", "Forced Work Stoppage"),
}
STAGE_MAP = {"ACCOMPLISHED": "occurred", "ATTEMPTED": "attempted", "THREATENED": "threatened"}
ADMIN1_KINDS = {"DEPARTMENT", "PROVINCE", "STATE", "REGION"}
SETTLEMENT_KINDS = {"CITY", "TOWN", "VILLAGE", "MUNICIPALITY", "PORT", "HAMLET", "CAPITAL"}
_DATELINE_DATE = re.compile(r"\b(\d{1,2} [A-Z]{3} \d{2,4})\b")
_KIND = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")


def _first_alternative(value: str) -> str:
    """"(A) / (B)" -> "A"; anything else unchanged."""
    value = value.strip()
    if value.startswith("(") and ") / (" in value:
        depth = 0
        for i, ch in enumerate(value):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                return value[1:i].strip()
    return value


def _alternatives(value: str) -> list[str]:
    value = value.strip()
    if not (value.startswith("(") and ") / (" in value):
        return [value]
    out, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        if ch == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                out.append(value[start:i].strip())
    return out or [value]


def _slot(template: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return template["slots"].get(name) or []


def _strings(template: dict[str, Any], name: str) -> list[list[str]]:
    return [f["strings"] for f in _slot(template, name) if f.get("strings")]


def published_of(doc: dict[str, Any]) -> str | None:
    from ..resolve.dates import resolve_date

    found = _DATELINE_DATE.search(doc.get("dateline") or "")
    if not found:
        return None
    resolved = resolve_date(found.group(1), None)
    return resolved.start if resolved else None


def _date_of(value: str, published: str | None) -> DateRange:
    from ..resolve.dates import resolve_date

    text = _first_alternative(value)
    # "- 04 FEB 90" and "-04 FEB 90" (both written in the keys) are "on or before"
    left, sep, right = (text.partition(" - ") if " - " in text else ("", "", text)) if not text.startswith("-") \
        else ("", "-", text[1:].strip())
    end = resolve_date(right.strip(), published)
    if end is None:
        return DateRange(text=value)
    if sep and not left.strip():
        return DateRange(start=None, end=end.end, precision="unknown", text=value)
    start = resolve_date(left.strip(), published) if left.strip() else end
    if start is None:
        return DateRange(start=None, end=end.end, precision="unknown", text=value)
    lo, hi = sorted((start.start or "", end.end or ""))
    days = (_ordinal(hi) - _ordinal(lo)) if lo and hi else 0
    precision = "day" if days == 0 else "week" if days <= 7 else "month" if days <= 31 else "year"
    return DateRange(start=lo, end=hi, precision=precision, text=value)


def _ordinal(iso: str) -> int:
    import datetime as dt

    return dt.date.fromisoformat(iso).toordinal()


def _country_code(name: str) -> str | None:
    try:
        import pycountry

        return pycountry.countries.lookup(name.strip().title()).alpha_2
    except LookupError:
        return None


def _place_of(value: str) -> Place:
    parts = [p.strip() for p in _first_alternative(value).split(":")]
    country = _country_code(re.sub(r"\s*\(.*\)$", "", parts[0])) if parts else None
    admin1 = settlement = finer = None
    for part in parts[1:]:
        part = part.split(" - ")[0].strip()
        m = _KIND.match(part)
        name, kinds = (m.group(1), {k.strip() for k in m.group(2).split("/")}) if m else (part, set())
        if kinds & SETTLEMENT_KINDS and settlement is None:
            settlement = name
        elif kinds & ADMIN1_KINDS and admin1 is None and settlement is None:
            admin1 = name
        elif settlement is None:
            finer = name
    if settlement:
        return Place(name=settlement.title(), admin1=admin1 and admin1.title(), country=country, precision="city")
    if finer:
        return Place(name=finer.title(), admin1=admin1 and admin1.title(), country=country, precision="district")
    if admin1:
        return Place(name=admin1.title(), admin1=admin1.title(), country=country, precision="admin1")
    return Place(name=parts[0].title() if parts else None, country=country, precision="country")


def template_mention(doc: dict[str, Any], template: dict[str, Any], published: str | None) -> EventMention:
    """One EventMention from the gold slots of one template (see the module docstring)."""
    types = [v for f in _slot(template, "incident_type") for v in f.get("values", [])]
    event_type, sub, attack = TYPE_MAP.get(types[0] if types else "", (None, None, None))
    stage = [v for f in _slot(template, "incident_stage") for v in f.get("values", [])]
    dates = [f["value"] for f in _slot(template, "incident_date") if f.get("value")]
    places = [f["value"] for f in _slot(template, "incident_location") if f.get("value")]
    deaths = template.get("casualties") or {}
    named = {s[0] for s in _strings(template, "hum_tgt_name")}
    victims = [Victim(mention=s[0], name=s[0].title()) for s in _strings(template, "hum_tgt_name")]
    victims += [Victim(mention=f["strings"][0]) for f in _slot(template, "hum_tgt_description")
                if f.get("strings") and not (set(f.get("linked_to") or []) & named)]
    confidence = [v for f in _slot(template, "perp_organization_confidence") for v in f.get("values", [])]
    return EventMention(
        mention_id=stable_id(doc["docid"], template.get("template_id"), prefix="muc-"),
        article_id=doc["docid"],
        event_type=event_type, sub_event_type=sub, attack_types=[attack] if attack else [],
        status=STAGE_MAP.get(stage[0] if stage else "", "occurred"),
        date=_date_of(dates[0], published) if dates else DateRange(),
        location=_place_of(places[0]) if places else Place(),
        perpetrators=[ActorRef(name=s[0], mention=s[0], uncertain=any("SUSPECTED" in c for c in confidence))
                      for s in _strings(template, "perp_organization_id")],
        perpetrator_individuals=[Individual(mention=s[0]) for s in _strings(template, "perp_individual_id")],
        targets=[Target(mention=s[0]) for s in _strings(template, "phys_tgt_id")],
        victims=victims,
        weapons=[Weapon(mention=s[0]) for s in _strings(template, "instrument_id")],
        killed=_killed(deaths),
        confidence=0.5,
    )


def _killed(casualties: dict[str, Any]) -> Casualties:
    """The killed count of a template: the sum of the counted death targets; when some death targets are
    uncounted ("PEASANTS", PLURAL) that sum is only a lower bound, and no figure at all when it is 0."""
    if not casualties.get("death_targets"):
        return Casualties()
    known = casualties.get("killed_known") or 0
    if casualties.get("killed_uncounted_targets"):
        return Casualties(low=known) if known else Casualties()
    return Casualties(best=known)
