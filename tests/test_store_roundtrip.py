"""Property test: any Event (and its article and mention) survives write_article -> read unchanged.

The JSON record is the store's source of truth, so unicode text, None values, big integers, floats and
nested evidence spans must all come back equal as dataclasses, whatever the filter columns make of them.
"""

from __future__ import annotations

import tempfile
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictlens.model import (
    ActorRef,
    Article,
    Casualties,
    Claim,
    DateRange,
    Event,
    EventMention,
    Individual,
    Place,
    Source,
    Span,
    Target,
    Victim,
    Weapon,
)
from conflictlens.store import Store

text = st.text(max_size=24)
opt_text = st.none() | text
ints = st.none() | st.integers(min_value=-(2**70), max_value=2**70)  # beyond BIGINT too
coords = st.none() | st.floats(allow_nan=False, allow_infinity=False)
isodate = st.none() | st.dates().map(lambda d: d.isoformat()) | text
few = {"max_size": 3}

spans = st.builds(Span, article_id=text, start=st.integers(0, 10**6), end=st.integers(0, 10**6), text=text)
casualties = st.builds(Casualties, best=ints, low=ints, high=ints)
incident_fields = {
    "event_type": opt_text,
    "sub_event_type": opt_text,
    "attack_types": st.lists(text, **few),
    "status": text,
    "date": st.builds(DateRange, start=isodate, end=isodate, precision=text, text=opt_text),
    "location": st.builds(Place, name=opt_text, admin1=opt_text, country=opt_text, lat=coords, lon=coords,
                          precision=text, geonameid=st.none() | st.integers(0, 2**40)),
    "perpetrators": st.lists(st.builds(ActorRef, name=text, mention=text, actor_id=opt_text,
                                       uncertain=st.booleans()), **few),
    "perpetrator_individuals": st.lists(st.builds(Individual, name=opt_text, mention=text), **few),
    "targets": st.lists(st.builds(Target, mention=text, type=opt_text), **few),
    "victims": st.lists(st.builds(Victim, mention=text, name=opt_text, type=opt_text), **few),
    "weapons": st.lists(st.builds(Weapon, mention=text, type=opt_text), **few),
    "killed": casualties,
    "wounded": casualties,
    "perpetrators_killed": casualties,
    "claims": st.lists(st.builds(Claim, name=text, mention=text, quote=text, actor_id=opt_text,
                                 denial=st.booleans()), **few),
    "summary": opt_text,
    "evidence": st.dictionaries(text, st.lists(spans, **few), max_size=3),
    "reasons": st.dictionaries(text, text, max_size=3),
    "confidence": st.floats(min_value=0, max_value=1),
}
events = st.builds(
    Event,
    event_id=st.text(min_size=1, max_size=20),
    sources=st.lists(st.builds(Source, article_id=text, source_id=opt_text, url=opt_text, title=opt_text,
                               published=opt_text), **few),
    mention_ids=st.lists(text, **few),
    **incident_fields,
)
mentions = st.builds(EventMention, mention_id=st.just("m"), article_id=st.just("a"), **incident_fields)
articles = st.builds(Article, article_id=st.just("a"), text=st.text(max_size=200), title=opt_text, url=opt_text,
                     published=opt_text, source=opt_text, source_id=opt_text, language=opt_text, origin=opt_text)


def test_records_round_trip_unchanged():
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"{tmp}/roundtrip.db") as store:

        @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(article=articles, mention=mentions, evs=st.lists(events, max_size=3, unique_by=lambda e: e.event_id))
        def check(article: Article, mention: EventMention, evs: list[Event]) -> None:
            # unique ids per example: one database serves every example
            tag = uuid.uuid4().hex
            article.article_id = f"art-{tag}"
            mention.article_id, mention.mention_id = article.article_id, f"men-{tag}"
            for e in evs:
                e.event_id = f"{tag}-{e.event_id}"
            assert store.write_article(article, [mention], evs) is True
            assert store.get_article(article.article_id) == article
            assert store.mentions_for_article(article.article_id) == [mention]
            for e in evs:
                assert store.get_event(e.event_id) == e

        check()
