"""Why an event is what it is: each report and the evidence it was merged on (or the event merge it came
with), disagreements between reports, and near-misses (reports scored against the event but kept apart).
Plain text for ``show --why``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..model import Event, Source

if TYPE_CHECKING:
    from ..store import Store


def _source_line(source: Source | None, article_id: str) -> str:
    if source is None:
        return article_id[:12]
    bits = [article_id[:12]]
    if source.published:
        bits.append(str(source.published)[:10])
    if source.title:
        bits.append(f'"{source.title}"')
    return "  ".join(bits)


def _short(value: Any) -> str:
    if isinstance(value, dict):
        if {"best", "low", "high"} >= set(value):
            return "/".join("?" if value.get(k) is None else str(value[k]) for k in ("best", "low", "high"))
        if "start" in value:
            return f"{value.get('start')}..{value.get('end')} ({value.get('precision')})"
        if "country" in value:
            return ", ".join(str(value[k]) for k in ("name", "admin1", "country") if value.get(k))
        return str(value.get("name") or value.get("mention") or json.dumps(value, ensure_ascii=False))
    if isinstance(value, list):
        return "; ".join(_short(v) for v in value)
    return str(value)


def _evidence(entry: dict[str, Any]) -> list[str]:
    lines = [f"      + {m}" for m in entry.get("matched", [])]
    lines += [f"      - {c}" for c in entry.get("conflicts", [])]
    return lines


def _merged(head: str, entry: dict[str, Any]) -> list[str]:
    """A report that came with an event merged into this one (cluster merge)."""
    before = "created that event" if entry.get("created") else (
        f"had joined it with score {entry['score']:g}" if "score" in entry else "was one of its reports")
    lines = [f"{head}\n      came with {entry['merged_from']} (it {before})"]
    merge = entry.get("merge")
    if isinstance(merge, dict):
        lines.append(f"      merged: report {str(merge.get('via'))[:16]} matched both events, and {merge.get('event')}"
                     f" ({merge.get('reports')} report(s)) scored {merge.get('score', 0):g} against this one:")
        lines.extend(_evidence(merge))
    return lines


def explain_event(store: "Store | None", event: Event) -> str:
    """The explanation of ``event``; ``store`` (optional) supplies titles of articles outside the event."""
    sources = {s.article_id: s for s in event.sources}
    info = event.fusion or {}
    threshold = info.get("threshold")
    lines = [f"{event.event_id}: {len(event.mention_ids)} report(s) from {len(sources)} article(s)"
             + (f"; join threshold {threshold:g}" if isinstance(threshold, (int, float)) else "")]
    members = info.get("members") or [{"mention_id": m} for m in event.mention_ids]
    lines.append("Reports:")
    for i, entry in enumerate(members, 1):
        article_id = entry.get("article_id") or ""
        head = f"  {i}. {_source_line(sources.get(article_id), article_id)}"
        if entry.get("merged_from"):
            lines.extend(_merged(head, entry))
        elif entry.get("created"):
            lines.append(f"{head}\n      created the event")
        elif "score" in entry:
            lines.append(f"{head}\n      joined with score {entry['score']:g}:")
            lines.extend(_evidence(entry))
        else:
            lines.append(head)
    disagreements = []
    for name, values in sorted(event.alternatives.items()):
        distinct = {json.dumps(v.get("value"), sort_keys=True) for v in values}
        if len(distinct) > 1:
            shown = ", ".join(f"{_short(v.get('value'))} [{str(v.get('article_id'))[:8]}]" for v in values)
            lines_for = f"  {name}: {shown}"
            if name in event.reasons:
                lines_for += f"\n      -> {event.reasons[name]}"
            disagreements.append(lines_for)
    if disagreements:
        lines.append("Reports disagree on:")
        lines.extend(disagreements)
    omitted = ((info.get("merge") or {}).get("omitted") or {})
    left_out = [f"{sum(counts.values())} {kind} entries ({len(counts)} fields)"
                for kind in ("alternatives", "evidence") if (counts := omitted.get(kind) or {})]
    if left_out:
        lines.append(f"Left out of this record: {', '.join(left_out)}; every report keeps its values in its mention.")
    near = info.get("near_misses") or []
    if near:
        lines.append("Near-misses kept apart:")
        for entry in near:
            article_id = entry.get("article_id") or ""
            src = sources.get(article_id)
            if src is None and store is not None:
                article = store.get_article(article_id)
                if article is not None:
                    src = Source(article_id=article_id, title=article.title, published=article.published)
            lines.append(f"  - {_source_line(src, article_id)}: score {entry.get('score', 0):g}"
                         f", kept apart (went to {entry.get('joined')})")
            lines.extend(_evidence(entry))
    return "\n".join(lines)
