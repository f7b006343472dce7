"""Plain-text renderings of events, actors and statistics for the terminal (used by the CLI)."""

from __future__ import annotations

import re
from typing import Any

from rich.table import Table

from .model import Actor, Casualties, Event

_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def casualties_text(c: Casualties) -> str:
    """``12`` / ``12 (10-19)`` / ``>=13`` / ``<=30`` / ``""`` for unknown."""
    if c.best is not None:
        if c.low is not None or c.high is not None:
            if (c.low, c.high) != (c.best, c.best):
                return f"{c.best} ({c.low if c.low is not None else '?'}-{c.high if c.high is not None else '?'})"
        return str(c.best)
    if c.low is not None and c.high is not None:
        return f"{c.low}-{c.high}"
    if c.low is not None:
        return f">={c.low}"
    if c.high is not None:
        return f"<={c.high}"
    return ""


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence of ``text`` containing ``[start, end)``, with the span's offsets inside that sentence."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.end() if m else len(text)
    raw = text[left:right]
    lead = len(raw) - len(raw.lstrip())
    sentence = raw.strip()
    return sentence, start - left - lead, end - left - lead


def events_table(events: list[Event], *, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("id", "date", "type", "status", "place", "country", "perpetrators", "killed", "wounded"):
        table.add_column(col, overflow="fold")
    for e in events:
        place = e.location.name or ""
        table.add_row(
            e.event_id,
            e.date.start or (f"? ({e.date.text})" if e.date.text else "?"),
            e.sub_event_type or e.event_type or "",
            e.status,
            place,
            e.location.country or "",
            ", ".join(p.name for p in e.perpetrators)
            or ", ".join(i.name or i.mention for i in e.perpetrator_individuals),
            casualties_text(e.killed),
            casualties_text(e.wounded),
        )
    return table


def actors_table(actors: list[Actor]) -> Table:
    table = Table()
    for col in ("actor_id", "name", "type", "country", "events", "first", "last", "killed", "aliases"):
        table.add_column(col, overflow="fold")
    for a in actors:
        table.add_row(
            a.actor_id,
            a.name,
            a.type or "",
            a.country or "",
            str(a.event_count),
            a.first_event or "",
            a.last_event or "",
            casualties_text(a.killed_total),
            ", ".join(a.aliases),
        )
    return table


def _field_value(event: Event, name: str) -> str:
    value = getattr(event, name, None)
    if isinstance(value, Casualties):
        return casualties_text(value)
    if name == "date":
        d = event.date
        span = d.start if d.start == d.end else f"{d.start}..{d.end}"
        return f"{span} ({d.precision})" if d.start else f"unknown ({d.text or 'no date in text'})"
    if name == "location":
        loc = event.location
        bits = [loc.name, loc.admin1, loc.country]
        where = ", ".join(b for b in bits if b) or "unknown"
        coords = f" [{loc.lat:.4f}, {loc.lon:.4f}]" if loc.lat is not None and loc.lon is not None else ""
        return f"{where}{coords} ({loc.precision})"
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, str):
                parts.append(item)
            else:
                d = item.to_dict()
                main = d.get("name") or d.get("mention")
                kind = d.get("type")
                parts.append(f"{main} [{kind}]" if kind else str(main))
        return "; ".join(parts)
    return "" if value is None else str(value)


SHOW_FIELDS = (
    "event_type", "sub_event_type", "attack_types", "status", "date", "location", "perpetrators",
    "perpetrator_individuals", "targets", "victims", "weapons", "killed", "wounded",
    "perpetrators_killed", "claims",
)


def event_text(event: Event, articles: dict[str, Any]) -> str:
    """A readable account of ``event``: each field, its value, why, and the sentence it came from."""
    lines = [f"Event {event.event_id}  (confidence {event.confidence:.2f})"]
    if event.summary:
        lines.append(f"  {event.summary}")
    lines.append("")
    for name in SHOW_FIELDS:
        value = _field_value(event, name)
        spans = event.evidence.get(name, [])
        if not value and not spans:
            continue
        lines.append(f"{name:>24}: {value}")
        if name in event.reasons:
            lines.append(f"{'why':>24}  {event.reasons[name]}")
        for span in spans:
            article = articles.get(span.article_id)
            if article is None:
                lines.append(f"{'':>24}  \u2190 \u201c{span.text}\u201d")
                continue
            sentence, s, e = sentence_around(article.text, span.start, span.end)
            marked = f"{sentence[:s]}[{sentence[s:e]}]{sentence[e:]}"
            lines.append(f"{'':>24}  \u2190 {marked}")
    lines.append("")
    lines.append(f"Sources ({len(event.sources)}):")
    for src in event.sources:
        lines.append(f"  - {src.title or '(untitled)'}  {src.published or ''}  {src.url or ''}  [{src.article_id[:12]}]")
    return "\n".join(lines)


def stats_text(stats: dict[str, Any]) -> str:
    lines = [
        f"articles {stats.get('articles', 0)}, incident mentions {stats.get('mentions', 0)}, "
        f"events {stats.get('events', 0)}",
        f"killed (best, summed) {stats.get('killed_best_total', 0)}, "
        f"wounded (best, summed) {stats.get('wounded_best_total', 0)}",
    ]
    for key in ("by_event_type", "by_country", "by_month"):
        block = stats.get(key) or {}
        if block:
            lines.append(f"{key.replace('_', ' ')}:")
            for k, v in block.items():
                lines.append(f"  {k}: {v}")
    return "\n".join(lines)


def actor_profile_text(profile: dict[str, Any]) -> str:
    """A readable actor profile (``Store.actor_profile``): identity, record, ties with their evidence,
    aims, places and the events."""
    killed = Casualties(**profile.get("killed_total") or {})
    head = f"{profile['name']}  ({profile['actor_id']})"
    kind = ", ".join(b for b in (profile.get("type"), profile.get("country")) if b)
    lines = [head + (f"  {kind}" if kind else "")]
    if profile.get("aliases"):
        lines.append(f"  also: {'; '.join(profile['aliases'])}")
    when = f"{profile.get('first_event') or '?'} .. {profile.get('last_event') or '?'}"
    lines.append(f"  {profile.get('event_count', 0)} events, {when}; killed {casualties_text(killed) or 'unknown'}")
    if profile.get("event_types"):
        lines.append("  types: " + ", ".join(f"{t} {n}" for t, n in profile["event_types"].items()))
    if profile.get("places"):
        lines.append("  places: " + ", ".join(f"{p['name']} {p['events']}" for p in profile["places"][:10]))

    def ties(title: str, items: list[dict[str, Any]], label: Any) -> None:
        if not items:
            return
        lines.extend(["", title])
        for item in items:
            lines.append(f"  {label(item)}")
            for span in item.get("evidence") or []:
                lines.append(f"      \u2190 \u201c{span['text']}\u201d")

    ties("Relations:", profile.get("relations") or [],
         lambda r: f"{r['type'].replace('_', ' ')} {r['name']}" + (f" ({r['actor_id']})" if r.get("actor_id") else ""))
    ties("Named in relations by others:", profile.get("related") or [],
         lambda r: f"{r['name']} {r['type'].replace('_', ' ')} this actor")
    ties("Leaders:", profile.get("leaders") or [],
         lambda r: r["name"] + (f" ({', '.join(r['dates'])})" if r.get("dates") else ""))
    if profile.get("aims"):
        lines.extend(["", "Aims (as reports state them):"])
        lines.extend(f"  \u201c{a['text']}\u201d" for a in profile["aims"])
    if profile.get("events"):
        lines.extend(["", "Events:"])
        for e in profile["events"]:
            what = e.get("sub_event_type") or e.get("event_type") or ""
            where = ", ".join(b for b in (e.get("place"), e.get("country")) if b)
            dead = casualties_text(Casualties(**e["killed"])) if e.get("killed") else ""
            lines.append(f"  {e.get('date') or '?':<10}  {e['event_id']}  {what}  {where}"
                         + (f"  killed {dead}" if dead else ""))
    return "\n".join(lines)
