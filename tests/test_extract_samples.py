"""End to end over the sample reports in ``samples/``: every incident an analyst coded is found with the right
type, status, date text, place text, perpetrator, casualty figures and claim, and nothing else is found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conflictlens.model import Article

from test_extract_support import assert_evidence_exact

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPECTED = SAMPLES / "expected.json"
CASES = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else []


def _article(case) -> Article:
    from conflictlens.ingest import read_inputs

    articles = [a for a in read_inputs([str(SAMPLES / case["file"])]) if isinstance(a, Article)]
    if case.get("id"):
        articles = [a for a in articles if a.source_id == case["id"]]
    assert len(articles) == 1
    return articles[0]


def _figures(c) -> tuple:
    return (c.best, c.low, c.high)


@pytest.mark.skipif(not CASES, reason="samples/expected.json is absent")
@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c.get('id') or ''}" for c in CASES])
def test_sample(nlp, case):
    from conflictlens.extraction import extract_mentions
    from conflictlens.nlp import annotate

    article = _article(case)
    mentions = extract_mentions(article, next(annotate([article.text], nlp)))
    expected = case["incidents"]
    assert len(mentions) == len(expected), [(m.event_type, m.date.text) for m in mentions]
    for m, exp in zip(mentions, expected):
        assert_evidence_exact(article, m)
        assert (m.event_type, m.sub_event_type, m.status) == (exp["event_type"], exp["sub_event_type"], exp["status"])
        assert m.attack_types == exp["attack_types"]
        assert m.date.text == exp["date_text"]
        # the analyst's place is the most specific name; "Hodan district" and "Rahimawa" both name the district
        place, want = (m.location.name or "").lower(), exp["place_text"].lower()
        assert place and (want in place or place in want), (m.location.name, exp["place_text"])
        orgs = {p.name: p for p in m.perpetrators}
        if exp["perpetrator"] is None:
            assert not orgs
        else:
            assert exp["perpetrator"] in orgs, list(orgs)
            if exp.get("perpetrator_uncertain"):
                assert orgs[exp["perpetrator"]].uncertain
        for field in ("killed", "wounded", "perpetrators_killed"):
            want_fig = exp.get(field) or {"best": None, "low": None, "high": None}
            assert _figures(getattr(m, field)) == (want_fig["best"], want_fig["low"], want_fig["high"]), field
        claims = [c.name for c in m.claims if not c.denial]
        assert claims == ([exp["claim_by"]] if exp["claim_by"] else []), claims
        for name in exp.get("victims", []):
            assert name in [v.name for v in m.victims]
