"""Date resolution against the publication date (base: Tuesday 2014-12-16)."""

from __future__ import annotations

import pytest

from conflictlens.model import Article, DateRange, EventMention, Span
from conflictlens.resolve.dates import explain_date, parse_published, resolve_date

BASE = "2014-12-16"  # a Tuesday


def _r(text: str, published: str | None = BASE, **kw) -> tuple[str | None, str | None, str] | None:
    found = resolve_date(text, published, **kw)
    return (found.start, found.end, found.precision) if found else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dec. 16, 2014", ("2014-12-16", "2014-12-16", "day")),
        ("on Tuesday, Dec. 16, 2014", ("2014-12-16", "2014-12-16", "day")),
        ("16 December", ("2014-12-16", "2014-12-16", "day")),
        ("the 16th of December", ("2014-12-16", "2014-12-16", "day")),
        ("on Tuesday", ("2014-12-16", "2014-12-16", "day")),
        ("Tuesday night", ("2014-12-16", "2014-12-16", "day")),
        ("early Tuesday", ("2014-12-16", "2014-12-16", "day")),
        ("on Monday", ("2014-12-15", "2014-12-15", "day")),
        ("on Wednesday", ("2014-12-10", "2014-12-10", "day")),
        ("last Tuesday", ("2014-12-09", "2014-12-09", "day")),
        ("on the night of 15 December", ("2014-12-15", "2014-12-15", "day")),
        ("yesterday", ("2014-12-15", "2014-12-15", "day")),
        ("last night", ("2014-12-15", "2014-12-16", "day")),  # the night spans two dates
        ("this morning", ("2014-12-16", "2014-12-16", "day")),
        ("two days ago", ("2014-12-14", "2014-12-14", "day")),
        ("2 days ago", ("2014-12-14", "2014-12-14", "day")),
        ("last month", ("2014-11-01", "2014-11-30", "month")),
        ("earlier this year", ("2014-01-01", "2014-12-16", "year")),
        ("in June of this year", ("2014-06-01", "2014-06-30", "month")),
        ("in June last year", ("2013-06-01", "2013-06-30", "month")),
        ("last week", ("2014-12-08", "2014-12-14", "week")),
        ("three weeks ago", ("2014-11-24", "2014-11-30", "week")),
        ("in 2010", ("2010-01-01", "2010-12-31", "year")),
        ("December 2014", ("2014-12-01", "2014-12-31", "month")),
        ("between March and May", ("2014-03-01", "2014-05-31", "month")),
        ("from 12 to 15 December", ("2014-12-12", "2014-12-15", "day")),
        ("2014-12-10", ("2014-12-10", "2014-12-10", "day")),
    ],
)
def test_expressions_against_a_tuesday(text, expected):
    assert _r(text) == expected


def test_month_later_in_the_year_than_publication_is_last_year():
    assert _r("in March", "2015-01-05") == ("2014-03-01", "2014-03-31", "month")
    assert _r("30 December", "2015-01-02") == ("2014-12-30", "2014-12-30", "day")


def test_future_tense_weekday_is_the_next_one():
    assert _r("on Tuesday", future=True) == ("2014-12-16", "2014-12-16", "day")
    assert _r("on Wednesday", future=True) == ("2014-12-17", "2014-12-17", "day")
    assert _r("next Tuesday") == ("2014-12-23", "2014-12-23", "day")


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("12 JAN 90", "1990-01-13", ("1990-01-12", "1990-01-12", "day")),
        ("JANUARY 12, 1990", "1990-01-13", ("1990-01-12", "1990-01-12", "day")),
        ("LAST NIGHT", "1990-01-13", ("1990-01-12", "1990-01-13", "day")),
        ("ON 3 FEBRUARY", "1990-02-04", ("1990-02-03", "1990-02-03", "day")),
        ("2 DAYS AGO", "1990-02-04", ("1990-02-02", "1990-02-02", "day")),
    ],
)
def test_muc4_style(text, published, expected):
    assert _r(text, published) == expected


def test_without_publication_date_only_absolute_expressions_resolve():
    assert _r("Dec. 16, 2014", None) == ("2014-12-16", "2014-12-16", "day")
    assert _r("in 2010", None) == ("2010-01-01", "2010-12-31", "year")
    assert _r("12 JAN 90", None) == ("1990-01-12", "1990-01-12", "day")
    for relative in ("on Tuesday", "yesterday", "last month", "16 December", "earlier this year"):
        assert resolve_date(relative, None) is None, relative


def test_unparseable_and_empty():
    assert resolve_date("", BASE) is None
    assert resolve_date("recently", BASE) is None


def test_reason_and_text_are_kept():
    found, rule = explain_date("on Tuesday", BASE)
    assert found.text == "on Tuesday" and "weekday" in rule


def test_parse_published_accepts_datetimes():
    assert str(parse_published("2014-12-16T08:30:00+05:00")) == "2014-12-16"
    assert parse_published(None) is None
    assert parse_published("not a date at all") is None


# --- the stage: resolve_mentions fills dates (gazetteer not needed when no mention has a place) -----------

TEXT = "Gunmen stormed a school in the city on Tuesday. Talks will be held on Thursday."


class _NoPlaces:
    """Stands in for the gazetteer: these mentions carry no place."""

    def country_keys(self):
        return {}

    def country_of(self, name):
        return None

    def rank(self, *a, **k):
        return []


def _mention(date_text: str | None, start: int | None = None, status: str = "occurred") -> EventMention:
    m = EventMention(mention_id="m", article_id="a", status=status, date=DateRange(text=date_text))
    if date_text and start is not None:
        m.evidence["date"] = [Span(article_id="a", start=start, end=start + len(date_text), text=date_text)]
    return m


def test_stage_fills_dates_and_never_defaults_to_publication():
    from conflictlens.resolve import resolve_mentions

    article = Article(article_id="a", text=TEXT, published=BASE)
    past = _mention("on Tuesday", TEXT.index("on Tuesday"))
    future = _mention("on Thursday", TEXT.index("on Thursday"))
    none = _mention(None)
    resolve_mentions([past, future, none], article, gazetteer=_NoPlaces())
    assert (past.date.start, past.date.precision, past.date.text) == ("2014-12-16", "day", "on Tuesday")
    assert future.date.start == "2014-12-18"
    assert none.date == DateRange(precision="unknown")
    assert none.date.start is None and "no date" in none.reasons["date"]
    assert "weekday" in past.reasons["date"]


def test_stage_without_publication_date_keeps_text():
    from conflictlens.resolve import resolve_mentions

    article = Article(article_id="a", text=TEXT, published=None)
    m = _mention("on Tuesday", TEXT.index("on Tuesday"))
    resolve_mentions([m], article, gazetteer=_NoPlaces())
    assert m.date == DateRange(text="on Tuesday", precision="unknown")


# --- the MUC-4 date evaluation ---------------------------------------------------------------------------


def test_muc4_gold_dates_and_scoring():
    import datetime as dt

    from conflictlens.eval.dates import parse_gold_date, score_date

    d = dt.date
    assert parse_gold_date("02 FEB 90") == [("day", d(1990, 2, 2), d(1990, 2, 2))]
    assert parse_gold_date("- 04 FEB 90") == [("bound", None, d(1990, 2, 4))]
    assert parse_gold_date("(09 DEC 89) / (- 09 DEC 89)")[1] == ("bound", None, d(1989, 12, 9))
    assert parse_gold_date("17 FEB 90 - 18 FEB 90") == [("range", d(1990, 2, 17), d(1990, 2, 18))]
    week = DateRange(start="1990-01-29", end="1990-02-04", precision="week")
    assert score_date(week, parse_gold_date("02 FEB 90")) == (False, True)
    assert score_date(DateRange(), parse_gold_date("- 04 FEB 90")) == (True, True)


def test_muc4_prediction_skips_the_report_day():
    from conflictlens.eval.dates import predict_date

    text = "LIMA, 4 FEB 90 -- THE ARMY SAID TODAY THAT REBELS ATTACKED A POST 2 DAYS AGO."
    rng, _ = predict_date(text, "1990-02-04")
    assert (rng.start, rng.precision) == ("1990-02-02", "day")


@pytest.mark.shared
def test_run_dates_eval_on_muc4_dev():
    from pathlib import Path

    from conflictlens.eval.dates import run_dates_eval

    path = Path(__file__).resolve().parents[2] / "shared/data/muc4/full_templates/dev.jsonl"
    if not path.exists():
        pytest.skip("MUC-4 data not present")
    result = run_dates_eval(path, limit=20)
    assert result["templates"] > 0 and 0.0 <= result["within_precision_accuracy"] <= 1.0
