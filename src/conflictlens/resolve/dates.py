"""Resolve a temporal expression ("on Tuesday", "last month", "12 JAN 90") to a date range.

Our own rules handle what parsers get wrong (../shared/notes/dependencies.md §4): a bare weekday is the latest
such day *on or before* publication (a report published on Tuesday about "Tuesday" means that day), "this
year" and "<Month> of this year" are explicit, "last week" is the previous calendar week. dateparser's
``DateDataParser`` (which reports the granularity) is the fallback for anything else. Without a publication
date only absolute expressions resolve. ``end`` is inclusive.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from ..model import DateRange

Date = dt.date
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}
# Words that qualify an expression without changing the day it names.
_NOISE = {
    "on", "in", "at", "during", "the", "of", "early", "late", "mid", "earlier", "later", "around", "about",
    "morning", "afternoon", "evening", "night", "nights", "dawn", "dusk", "midnight", "noon", "midday",
    "hours", "hour", "overnight", "predawn", "pre", "daybreak", "sunrise", "sunset", "before", "after",
    "shortly", "just", "until", "till", "by", "since", "sometime", "some", "time", "date", "day", "end",
    "beginning", "start", "middle", "part", "first", "half", "second", "from", "this", "past", "st", "nd",
    "rd", "th", "o", "clock", "am", "pm", "a", "m", "p", "local", "over", "around", "approximately",
}
_RANGE = re.compile(r"^(?:between|from)?\s*(.+?)\s+(?:and|to|until|through|till|-)\s+(.+)$")


def parse_published(published: str | None) -> Date | None:
    """The publication date as a ``date`` (ISO date or datetime; other forms via dateutil), else None."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        pass
    try:
        from dateutil import parser as du

        return du.parse(published, fuzzy=True).date()
    except (ValueError, OverflowError, TypeError):
        return None


def resolve_date(text: str, published: str | None, *, future: bool = False) -> DateRange | None:
    """Resolve ``text`` against the publication date; None when it cannot be resolved (no recognisable
    date, or a relative expression without a publication date). ``future`` picks the next matching day
    ("on Tuesday" in "talks will be held on Tuesday") instead of the latest one."""
    found = explain_date(text, published, future=future)
    return found[0] if found else None


def explain_date(text: str, published: str | None, *, future: bool = False) -> tuple[DateRange, str] | None:
    """Like ``resolve_date`` but also says which rule decided (for ``EventMention.reasons``)."""
    if not text or not text.strip():
        return None
    hit = _resolve_cached(text.strip(), parse_published(published), future)
    if hit is None:
        return None
    (start, end, precision), rule = hit
    return DateRange(start=start.isoformat(), end=end.isoformat(), precision=precision, text=text), rule


@functools.lru_cache(maxsize=20_000)
def _resolve_cached(text: str, base: Date | None, future: bool):
    clean = _clean(text)
    if not clean:
        return None
    m = _RANGE.match(clean)
    if m and not re.fullmatch(r"\d{4}\s*-\s*\d\d\s*-\s*\d\d", clean):
        hit = _range(m.group(1), m.group(2), base, future)
        if hit:
            return hit, "rule: range"
    hit = _rules(clean.split(), base, future)
    if hit:
        return hit
    return _dateparser(text, base, future)


def _clean(text: str) -> str:
    t = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"(\d{4})-(\d\d)-(\d\d)", r"\1 iso \2 \3", t)
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t)
    t = re.sub(r"\blast night\b", "lastnight", t)
    t = re.sub(r"\blate yesterday\b", "yesterday", t)
    t = re.sub(r"\b(this|today s) (morning|afternoon|evening)\b|\btonight\b|\bearlier today\b", "today", t)
    t = re.sub(r"\bthe day before yesterday\b", "daybeforeyesterday", t)
    t = re.sub(r"[,.;:()\"']", " ", t)
    t = re.sub(r"(?<=[a-z])-(?=[a-z])|(?<=\d)-(?=[a-z])|(?<=[a-z])-(?=\d)", " ", t)
    t = re.sub(r"\s*-\s*", " - ", t)
    return " ".join(t.split())


def _year_of(token: str, base: Date | None) -> int | None:
    if re.fullmatch(r"\d{4}", token) and 1800 <= int(token) <= 2100:
        return int(token)
    if re.fullmatch(r"'?\d{2}", token):
        yy = int(token.strip("'"))
        if base is not None:
            year = base.year // 100 * 100 + yy
            return year - 100 if year > base.year + 1 else year
        return 1900 + yy if yy >= 50 else 2000 + yy
    return None


def _month_range(year: int, month: int) -> tuple[Date, Date]:
    return Date(year, month, 1), Date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(d: Date, n: int) -> tuple[int, int]:
    idx = d.year * 12 + d.month - 1 + n
    return idx // 12, idx % 12 + 1


def _week_of(d: Date) -> tuple[Date, Date]:
    start = d - dt.timedelta(days=d.weekday())
    return start, start + dt.timedelta(days=6)


def _nearest_year(month: int, day: int | None, base: Date, future: bool) -> int:
    """The year that puts month/day latest on or before ``base`` (or first on or after, when future)."""
    year = base.year
    probe_day = min(day or 1, calendar.monthrange(year, month)[1])
    probe = Date(year, month, probe_day)
    if future:
        end = probe if day else _month_range(year, month)[1]
        return year if end >= base else year + 1
    return year if probe <= base else year - 1


def _rules(tokens: list[str], base: Date | None, future: bool):
    """Our own rules over the cleaned tokens. Returns ((start, end, precision), rule) or None."""
    words = [t for t in tokens if t not in _NOISE or t == "this"]
    lead = " ".join(words)
    # absolute: ISO, day month year, month day year, month year, year, decade
    if len(words) >= 4 and words[1] == "iso":
        try:
            d = Date(int(words[0]), int(words[2]), int(words[3]))
            return (d, d, "day"), "rule: ISO date"
        except ValueError:
            return None
    core = [t for t in words if t not in WEEKDAYS] if any(t in MONTHS for t in words) else words
    hit = _absolute(core, base, future)
    if hit:
        return hit
    if base is None:
        return None
    one_day = dt.timedelta(days=1)
    if lead in ("today", "this today"):
        return (base, base, "day"), "rule: today = publication day"
    if lead == "yesterday":
        return (base - one_day, base - one_day, "day"), "rule: yesterday"
    if lead == "lastnight":
        # the night before publication spans two dates (and wire copy is often filed after midnight)
        return (base - one_day, base, "day"), "rule: last night = the night before publication (two dates)"
    if lead == "daybeforeyesterday":
        d = base - 2 * one_day
        return (d, d, "day"), "rule: day before yesterday"
    if lead == "tomorrow":
        return (base + one_day, base + one_day, "day"), "rule: tomorrow"
    m = re.fullmatch(r"(\w+) (day|days|week|weeks|month|months|year|years) ago", lead)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else NUMBERS.get(m.group(1))
        if n is None:
            return None
        unit = m.group(2).rstrip("s")
        if unit == "day":
            d = base - n * one_day
            return (d, d, "day"), "rule: N days ago"
        if unit == "week":
            return (*_week_of(base - 7 * n * one_day), "week"), "rule: N weeks ago"
        if unit == "month":
            return (*_month_range(*_shift_months(base, -n)), "month"), "rule: N months ago"
        return (Date(base.year - n, 1, 1), Date(base.year - n, 12, 31), "year"), "rule: N years ago"
    m = re.fullmatch(r"(this|last|previous|next|) ?(week|weekend|month|year)", lead)
    if m:
        which, unit = m.group(1) or "this", m.group(2)
        step = {"this": 0, "last": -1, "previous": -1, "next": 1}[which]
        if unit == "week":
            start, end = _week_of(base + dt.timedelta(days=7 * step))
            if step == 0 and not future:
                end = min(end, base)
            return (start, end, "week"), f"rule: {which} week"
        if unit == "weekend":
            sat = base - dt.timedelta(days=(base.weekday() - 5) % 7)
            if step == 1 or (future and step == 0 and base.weekday() < 5):
                sat += dt.timedelta(days=7)
            elif step == -1 and base.weekday() >= 5:
                sat -= dt.timedelta(days=7)
            return (sat, sat + one_day, "week"), f"rule: {which} weekend"
        if unit == "month":
            start, end = _month_range(*_shift_months(base, step))
            if step == 0 and not future:
                end = base
            return (start, end, "month"), f"rule: {which} month"
        year = base.year + step
        end = base if step == 0 and not future else Date(year, 12, 31)
        return (Date(year, 1, 1), end, "year"), f"rule: {which} year"
    days = [t for t in words if t in WEEKDAYS]
    if len(days) == 1 and all(t in WEEKDAYS or t in ("last", "next", "this", "weekday") for t in words):
        wd = WEEKDAYS[days[0]]
        if "next" in words or future:
            delta = (wd - base.weekday()) % 7 or (7 if "next" in words else 0)
            d = base + dt.timedelta(days=delta)
            return (d, d, "day"), "rule: weekday, next on or after publication"
        delta = (base.weekday() - wd) % 7 or (7 if "last" in words else 0)
        d = base - dt.timedelta(days=delta)
        return (d, d, "day"), "rule: weekday, latest on or before publication"
    return None


def _absolute(words: list[str], base: Date | None, future: bool):
    """Dates with a month name and/or a year: "16 december 2014", "dec 16", "june this year", "2010"."""
    months = [t for t in words if t in MONTHS]
    rest = [t for t in words if t not in MONTHS]
    year = None
    rel_year = None
    if rest[-2:] in (["this", "year"], ["last", "year"], ["next", "year"]):
        rel_year = rest[-2]
        rest = rest[:-2]
    elif rest[:1] in (["last"], ["next"]) and months:
        rel_year = "last-month" if rest[0] == "last" else "next-month"
        rest = rest[1:]
    nums = [t for t in rest if re.fullmatch(r"'?\d{1,4}", t)]
    if len(nums) != len(rest) or len(months) > 1:
        m = re.fullmatch(r"(\d{3})0s", " ".join(rest)) if not months and len(rest) == 1 else None
        if m:
            y = int(m.group(1)) * 10
            return (Date(y, 1, 1), Date(y + 9, 12, 31), "year"), "rule: decade"
        return None
    day = None
    if not months:
        if len(nums) == 1 and len(nums[0]) == 4 and (year := _year_of(nums[0], base)) is not None:
            return (Date(year, 1, 1), Date(year, 12, 31), "year"), "rule: year"
        return None
    if len(nums) == 1:
        t = nums[0].strip("'")
        if len(t) == 4 or int(t) > 31:
            year = _year_of(nums[0], base)
        else:
            day = int(t)
    elif len(nums) == 2:
        day, year = int(nums[0]), _year_of(nums[1], base)
        if not 1 <= day <= 31 or year is None:
            return None
    elif nums:
        return None
    month = MONTHS[months[0]]
    if year is None and rel_year in ("this", "last", "next"):
        if base is None:
            return None
        year = base.year + {"this": 0, "last": -1, "next": 1}[rel_year]
    if year is None:
        if base is None:
            return None
        if rel_year == "last-month":
            year = base.year if month < base.month else base.year - 1
        elif rel_year == "next-month":
            year = base.year if month > base.month else base.year + 1
        else:
            year = _nearest_year(month, day, base, future)
        how = "year from publication date"
    else:
        how = f"{rel_year} year" if rel_year in ("this", "last", "next") else "explicit year"
    if day is not None:
        try:
            d = Date(year, month, day)
        except ValueError:
            return None
        return (d, d, "day"), f"rule: day and month, {how}"
    return (*_month_range(year, month), "month"), f"rule: month, {how}"


def _range(left: str, right: str, base: Date | None, future: bool):
    """"between March and May", "12 to 15 December", "from 3 Jan 1990 to 5 Feb 1990"."""
    r = _rules(right.split(), base, future)
    if not r:
        return None
    (r_start, r_end, r_prec), _ = r
    left_tokens = left.split()
    if all(t.isdigit() for t in left_tokens) and len(left_tokens) == 1 and r_prec == "day":
        try:
            start = r_start.replace(day=int(left_tokens[0]))
        except ValueError:
            return None
        return (start, r_end, "day") if start <= r_end else None
    # borrow the right side's year when the left has none
    has_year = any(re.fullmatch(r"\d{4}", t) for t in left_tokens)
    extra = [] if has_year else [str(r_start.year)]
    l_hit = _rules(left_tokens + extra if any(t in MONTHS for t in left_tokens) else left_tokens, base, future)
    if not l_hit:
        return None
    (l_start, _l_end, l_prec), _ = l_hit
    if l_start > r_end and not has_year and any(t in MONTHS for t in left_tokens):
        l_start = l_start.replace(year=l_start.year - 1)
    if l_start > r_end:
        return None
    order = ["day", "week", "month", "year"]
    precision = max(l_prec, r_prec, key=order.index)
    return l_start, r_end, precision


def _dateparser(text: str, base: Date | None, future: bool):
    """dateparser's DateDataParser as the fallback; it reports the period (day/week/month/year)."""
    settings = {"PREFER_DATES_FROM": "future" if future else "past", "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    elif not re.search(r"\b\d{4}\b", text):
        return None  # without a publication date only expressions that carry a year can resolve
    else:
        settings["REQUIRE_PARTS"] = ["year"]
    try:
        from dateparser.date import DateDataParser

        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return (Date(d.year, 1, 1), Date(d.year, 12, 31), "year"), "dateparser: year"
    if period == "month":
        return (*_month_range(d.year, d.month), "month"), "dateparser: month"
    if period == "week":
        return (*_week_of(d), "week"), "dateparser: week"
    return (d, d, "day"), "dateparser: day"
