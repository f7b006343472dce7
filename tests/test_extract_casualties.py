"""Casualty phrases: numbers, words, qualifiers, sums, tolls that change, attackers counted apart."""

from __future__ import annotations

import pytest

from conflictlens.extraction.casualties import find_statements
from conflictlens.nlp import annotate


def figures(nlp, text):
    doc = next(annotate([text], nlp))
    return [(s.field, s.best, s.low, s.high) for s in find_statements(list(doc.sents))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gunmen killed 145 people.", ("killed", 145, 145, 145)),
        ("At least 145 people were killed.", ("killed", 145, 145, None)),
        ("Over a dozen teachers were wounded.", ("wounded", 13, 13, None)),
        ("More than a dozen people were killed.", ("killed", 13, 13, None)),
        ("Dozens of people were injured.", ("wounded", 24, 24, None)),
        ("Scores of people were killed.", ("killed", 40, 40, None)),
        ("Hundreds of people were injured.", ("wounded", 200, 200, None)),
        ("Between 10 and 15 people died.", ("killed", 10, 10, 15)),
        ("Up to 30 people were hurt.", ("wounded", None, None, 30)),
        ("Nearly 50 people were wounded.", ("wounded", None, None, 50)),
        ("Three policemen and a child were killed.", ("killed", 4, 4, 4)),
        ("At least twenty-one soldiers were killed.", ("killed", 21, 21, None)),
        ("The attack killed 132 children and nine staff members.", ("killed", 141, 141, 141)),
        ("The death toll rose to 141.", ("killed", 141, 141, 141)),
        ("No one was hurt.", ("wounded", 0, 0, 0)),
    ],
)
def test_casualty_phrases(nlp, text, expected):
    assert expected in figures(nlp, text)


def test_killing_and_wounding_dozens(nlp):
    got = figures(nlp, "The bomb exploded in the market, killing and wounding dozens.")
    assert ("killed", 24, 24, None) in got and ("wounded", 24, 24, None) in got


def test_attackers_killed_counted_apart(nlp):
    got = figures(nlp, "A soldier and two rebels were killed. Security forces shot dead three attackers.")
    assert ("killed", 1, 1, 1) in got
    assert ("perpetrators_killed", 2, 2, 2) in got
    assert ("perpetrators_killed", 3, 3, 3) in got


def test_non_casualty_uses_of_kill(nlp):
    assert figures(nlp, "The minister killed the bill and the deal died.") == []


def test_latest_toll_is_best_and_other_figures_widen(nlp):
    from conflictlens.extraction.casualties import Statement, combine

    stated = [Statement("killed", 12, 12, None, 0, 5), Statement("killed", 19, 19, 19, 50, 55, update=True)]
    cas, _ = combine(stated, "killed")
    assert (cas.best, cas.low, cas.high) == (19, 19, 19)
    stated = [Statement("killed", 20, 20, 20, 0, 5), Statement("killed", None, None, 25, 50, 55),
              Statement("killed", 18, 18, 18, 80, 85)]
    cas, _ = combine(stated, "killed")
    assert (cas.best, cas.low, cas.high) == (20, 18, 25)


def test_article_level_toll(nlp):
    from test_extract_support import one

    m = one(nlp, "A car bomb exploded in a market in Baghdad on Monday, killing at least 12 people. "
                 "By evening the death toll had risen to 19, officials said.")
    assert (m.killed.best, m.killed.low, m.killed.high) == (19, 19, 19)
