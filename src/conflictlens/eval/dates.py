"""Evaluate date resolution on the MUC-4 incident date slots (``full_templates/{train,dev}.jsonl``).

Per report, the temporal expressions of the body are found (``resolve.timex``) and the incident's one is
taken to be the first that resolves, against the dateline date, to a day on or before it; a report with
none gets precision "unknown" (never the dateline date). Gold values are days ("02 FEB 90"), ranges
("17 FEB 90 - 18 FEB 90"), upper bounds ("- 04 FEB 90": the text gives no date, only that it happened
by then) and alternatives joined by "/". Scores:

- exact: the predicted range equals a gold day or range; for a bound, an "unknown" prediction is exact
  (the honest answer) and so is a day on or before it;
- within precision: the gold day lies inside the predicted range (a "last week" prediction is right when
  the gold day is in that week), a gold range overlaps it, or a bound holds.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..model import DateRange
from ..resolve.dates import explain_date
from ..resolve.timex import find_date_expressions
from .places import dateline_date, read_full_templates

_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
_GOLD_DAY = re.compile(r"(\d{1,2}) ([A-Z]{3}) (\d{2})")


def _day(m: re.Match) -> dt.date | None:
    if m.group(2) not in _MONTHS:
        return None
    year = 1900 + int(m.group(3)) if int(m.group(3)) >= 50 else 2000 + int(m.group(3))
    try:
        return dt.date(year, _MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    except ValueError:
        return None


def parse_gold_date(value: str) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """Alternatives as (kind, start, end): ("day", d, d), ("range", a, b) or ("bound", None, b)."""
    out = []
    for alt in re.split(r"\)\s*/\s*\(|\s+/\s+", value.strip()):
        alt = alt.strip().strip("()").strip()
        days = [d for d in (_day(m) for m in _GOLD_DAY.finditer(alt)) if d]
        if alt.startswith("-") and len(days) == 1:
            out.append(("bound", None, days[0]))
        elif len(days) == 2:
            out.append(("range", days[0], days[1]))
        elif len(days) == 1:
            out.append(("day", days[0], days[0]))
    return out


def predict_date(text: str, published: str | None, *, anchors: list[str] = ()) -> tuple[DateRange, str]:
    """The incident date of a MUC report. With ``anchors`` (the template's target/victim/place strings),
    the expression in the sentence of the first anchor found wins, else the nearest one before it.
    Otherwise the first body expression that resolves on or before the dateline, preferring a day over
    coarser ranges, and "today" (mostly the day of the *report*: "the army said today") only when nothing
    else is there."""
    body_start = text.find("--")
    offset = body_start + 2 if 0 <= body_start < 300 else 0
    body = text[offset:]
    resolved = []
    for start, _e, phrase in find_date_expressions(body):
        found = explain_date(phrase, published)
        if found is None or (published and found[0].start and found[0].start > published[:10]):
            continue
        rng, rule = found
        rank = 2 if rule.startswith("rule: today") else (0 if rng.precision == "day" else 1)
        resolved.append((rank, start, rng, f"{rule} ('{' '.join(phrase.split())}')"))
    if not resolved:
        return DateRange(), "no date expression"
    anchor = _first_anchor(body, anchors)
    if anchor is not None:
        sent_start = max(body.rfind(". ", 0, anchor), body.rfind(".\n", 0, anchor)) + 1
        ends = [i for i in (body.find(". ", anchor), body.find(".\n", anchor)) if i >= 0]
        sent_end = min(ends, default=len(body))
        same = [r for r in resolved if sent_start <= r[1] <= sent_end and r[0] < 2]
        before = [r for r in resolved if anchor - 600 <= r[1] < sent_start and r[0] < 2]
        if same:
            _rank, _i, rng, reason = min(same, key=lambda r: (r[0], r[1]))
            return rng, reason + " [same sentence as the target]"
        if before:
            _rank, _i, rng, reason = max(before, key=lambda r: r[1])
            return rng, reason + " [nearest before the target]"
    _rank, _i, rng, reason = min(resolved, key=lambda r: (r[0], r[1]))
    return rng, reason


def _first_anchor(body: str, anchors: list[str]) -> int | None:
    upper = body.upper()
    positions = []
    for a in anchors:
        a = a.strip('"').upper()
        if len(a) >= 4:
            m = re.search(rf"\b{re.escape(a)}\b", upper)
            if m:
                positions.append(m.start())
    return min(positions) if positions else None


def _anchors(slots: dict[str, Any]) -> list[str]:
    out = []
    for key in ("phys_tgt_id", "hum_tgt_name", "hum_tgt_description", "perp_individual_id"):
        for fill in slots.get(key) or []:
            out.extend(fill.get("strings") or [])
    return out


def score_date(pred: DateRange, gold: list[tuple[str, dt.date | None, dt.date | None]]) -> tuple[bool, bool]:
    """(exact, within precision) of one prediction against the gold alternatives."""
    exact = within = False
    p_start = dt.date.fromisoformat(pred.start) if pred.start else None
    p_end = dt.date.fromisoformat(pred.end) if pred.end else None
    for kind, g_start, g_end in gold:
        if kind == "bound":
            ok = p_end is None or p_end <= g_end
            exact |= ok and (p_end is None or pred.precision == "day")
            within |= ok
        elif p_start is not None and p_end is not None:
            exact |= (p_start, p_end) == (g_start, g_end)
            within |= p_start <= g_end and g_start <= p_end
    return exact, within


def run_dates_eval(path: str | Path, *, anchors: bool = True, limit: int | None = None) -> dict[str, Any]:
    """Exact and within-precision accuracy of incident dates over the key templates with a date.
    ``anchors`` ties each template to the date expression near its gold target/victim strings (standing
    in for the extractor's incident spans); without it every template of a report gets one date."""
    docs = read_full_templates(path)[:limit]
    n = exact_n = within_n = unknown_n = 0
    errors: list[dict[str, Any]] = []
    for doc in docs:
        published = dateline_date(doc.get("dateline"))
        for t in doc.get("templates", []):
            slots = t.get("slots") or {}
            fills = slots.get("incident_date") or []
            gold = [alt for f in fills for alt in parse_gold_date(f.get("value", ""))]
            if not gold:
                continue
            pred, reason = predict_date(doc["text"], published, anchors=_anchors(slots) if anchors else [])
            n += 1
            exact, within = score_date(pred, gold)
            exact_n += exact
            within_n += within
            unknown_n += pred.precision == "unknown"
            if not within and len(errors) < 25:
                errors.append({"docid": doc["docid"], "dateline": doc.get("dateline"),
                               "gold": [f.get("value") for f in fills], "pred": pred.to_dict(), "reason": reason})
    return {
        "templates": n,
        "exact": exact_n,
        "exact_accuracy": exact_n / n if n else 0.0,
        "within_precision": within_n,
        "within_precision_accuracy": within_n / n if n else 0.0,
        "predicted_unknown": unknown_n,
        "errors": errors,
    }
