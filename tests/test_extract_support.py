"""Helpers for the extraction tests: run the extractor on a text we write and check every evidence span."""

from __future__ import annotations

from conflictlens.extraction import extract_mentions
from conflictlens.model import Article, EventMention, stable_id
from conflictlens.nlp import annotate


def run(nlp, text: str) -> list[EventMention]:
    article = Article(article_id=stable_id(text), text=text)
    doc = next(annotate([text], nlp))
    mentions = extract_mentions(article, doc)
    for m in mentions:
        assert_evidence_exact(article, m)
    return mentions


def assert_evidence_exact(article: Article, m: EventMention) -> None:
    """Every evidence span's text is exactly the article text at its offsets; every span has a reason."""
    assert 0.0 <= m.confidence <= 1.0
    for field, spans in m.evidence.items():
        assert spans, field
        for s in spans:
            assert s.article_id == article.article_id
            assert s.text == article.text[s.start:s.end], (field, s)
            assert s.text.strip(), (field, s)
        assert m.reasons.get(field, "").startswith(("rule:", "model:")), field


def one(nlp, text: str) -> EventMention:
    mentions = run(nlp, text)
    assert len(mentions) == 1, [(m.event_type, m.evidence.get("trigger")) for m in mentions]
    return mentions[0]


def test_evidence_text_equals_article_slice(nlp):
    text = ("KABUL, Afghanistan \u2014 A suicide bomber struck a crowded market in Kabul on Friday, killing 12 people "
            "and wounding 30, police said. The Taliban claimed responsibility.")
    m = one(nlp, text)
    assert m.summary and m.summary in text
    assert m.mention_id.startswith("m-")
    assert {"trigger", "event_type", "date", "location", "killed", "wounded", "claims", "summary"} <= set(m.evidence)
