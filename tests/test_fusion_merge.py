"""Fusion, issue 6: cluster merge (a report matching two events merges them), reports with no date (blocked
as "on or before publication", or by identity keys when they have no publication date either), and the
central victims and description words an event is compared by. Written through the store as the ingest
pipeline does (``Fuser.locked`` around ``fuse_article`` + ``write_article``), on SQLite and PostgreSQL, and in
memory.
"""

from __future__ import annotations

import pytest

from conflictlens.fusion import Fuser, fuse_mentions
from conflictlens.fusion.blocking import is_candidate
from conflictlens.fusion.explain import explain_event
from conflictlens.fusion.features import features
from conflictlens.model import ActorRef, Article, DateRange, EventMention, Place, Source, Target, Victim, stable_id
from conflictlens.store import Store

PESHAWAR = dict(name="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.008, lon=71.578, precision="city")


def art(article_id: str, published: str | None = "2014-12-16") -> Article:
    return Article(article_id=article_id, text=f"Dispatch {article_id}.", published=published, source=article_id,
                   title=f"Dispatch {article_id}")


def report(a: Article, *, day: str | None = "2014-12-16", targets: tuple[str, ...] = (), victims: tuple[str, ...] = (),
           names: tuple[str, ...] = (), perp: str | None = None, place: dict | None = None) -> EventMention:
    return EventMention(
        mention_id=stable_id(a.article_id, 0, prefix="m-"), article_id=a.article_id,
        event_type="Violence against civilians", sub_event_type="Attack", attack_types=["Armed Assault"],
        date=DateRange(start=day, end=day, precision="day") if day else DateRange(),
        location=Place(**(place or PESHAWAR)),
        perpetrators=[ActorRef(name=perp, mention=perp, actor_id=perp)] if perp else [],
        targets=[Target(mention=t) for t in targets],
        victims=[Victim(mention=v) for v in victims] + [Victim(mention=n, name=n) for n in names],
        summary=f"{a.article_id} {' '.join(targets)}", confidence=0.5,
    )


def ingest(store: Store, fuser: Fuser, a: Article, mentions: list[EventMention]) -> list:
    with fuser.locked(store, a, mentions):
        events = fuser.fuse_article(store, a, mentions)
        store.write_article(a, mentions, events)
    return events


def dump(store: Store) -> dict[str, dict]:
    return {e.event_id: e.to_dict() for e in store.iter_events()}


@pytest.fixture
def store(db_url: str):
    """SQLite, then PostgreSQL (skipped without a server: ``scripts/with-postgres.sh``)."""
    with Store.open(db_url) as s:
        yield s


A = [art(f"p{i}") for i in range(1, 5)]
# p1 and p2 tell one attack differently (the school / the academy): kept apart. p3 names both and joins p2's
# event; p4 meets both events, which by then are alike (the school is now one of p2's event's targets): merged.
SPLIT = [report(A[0], targets=("army-run school",), victims=("children",)),
         report(A[1], targets=("military academy",), perp="TTP"),
         report(A[2], targets=("army-run school", "military academy"), perp="TTP"),
         report(A[3], targets=("army-run school",), perp="TTP")]


def test_a_report_matching_two_alike_events_merges_them_into_the_larger(store):
    fuser = Fuser()
    first = [ingest(store, fuser, a, [m])[0].event_id for a, m in zip(A[:3], SPLIT[:3])]
    assert first[0] != first[1] == first[2] and store.count_events() == 2
    (merged,) = ingest(store, fuser, A[3], [SPLIT[3]])
    assert merged.event_id == first[1]  # the event with more reports keeps its id
    assert store.count_events() == 1 and store.get_event(first[0]) is None  # the other is retired
    ev = store.get_event(first[1])
    assert sorted(ev.mention_ids) == sorted(m.mention_id for m in SPLIT)
    assert {s.article_id for s in ev.sources} == {"p1", "p2", "p3", "p4"}
    text = explain_event(store, ev)
    assert f"came with {first[0]}" in text and "matched both events" in text
    assert fuser.counts["merged"] == 1


def test_the_merged_away_event_goes_in_the_same_transaction_as_the_article_that_merged_it(store):
    fuser = Fuser()
    first = [ingest(store, fuser, a, [m])[0].event_id for a, m in zip(A[:3], SPLIT[:3])]
    events = fuser.fuse_article(store, A[3], [SPLIT[3]])  # no ``locked`` block: nothing retires on exit
    assert fuser.retired == {first[0]: first[1]}
    assert store.write_article(A[3], [SPLIT[3]], events, retired=fuser.retired)
    assert store.get_event(first[0]) is None and store.count_events() == 1  # gone with the write itself


def test_merges_give_the_same_events_incrementally_in_memory_and_on_rebuild(store):
    fuser = Fuser()
    for a, m in zip(A, SPLIT):
        ingest(store, fuser, a, [m])
    incremental = dump(store)
    memory = fuse_mentions([(m, Source(article_id=a.article_id, source_id=a.source_id, title=a.title,
                                       published=a.published)) for a, m in zip(A, SPLIT)])
    assert [e.to_dict() for e in memory] == list(incremental.values())
    assert fuser.rebuild(store)["merged"] == 1
    assert dump(store) == incremental


def test_a_report_that_alone_makes_two_events_alike_does_not_merge_them():
    # p3 names the school and the academy: it may join one of the two events, but the events as they were
    # (one report each, nothing in common) are not alike, so they stay apart.
    reports = [(m, Source(article_id=a.article_id, published=a.published)) for a, m in zip(A[:3], SPLIT[:3])]
    events = fuse_mentions(reports)
    assert len(events) == 2


def test_a_retired_event_is_kept_until_its_survivor_is_stored(store):
    from conflictlens.store import fusion_queries as fq

    fuser = Fuser()
    for a, m in zip(A[:2], SPLIT[:2]):
        ingest(store, fuser, a, [m])
    one, two = sorted(dump(store))
    assert fq.retire_events(store.engine, {one: two}) == []  # two does not hold one's report: nothing lost
    assert store.count_events() == 2


def test_an_undated_report_is_compared_with_events_up_to_a_year_before_its_publication(store):
    fuser = Fuser()
    (first,) = ingest(store, fuser, A[0], [report(A[0], targets=("army-run school",), names=("Tahir Qazi",))])
    later = art("late", published="2015-03-02")  # eleven weeks later, no date of its own
    (ev,) = ingest(store, fuser, later, [report(later, day=None, targets=("army-run school",), names=("Tahir Qazi",))])
    assert ev.event_id == first.event_id and store.count_events() == 1
    # Beyond the week before its publication, only events sharing an identity word are compared.
    unrelated = features(report(A[1], targets=("vegetable market",)), published=A[1].published)
    assert not is_candidate(features(report(later, day=None, targets=("army-run school",)), published=later.published),
                            unrelated)


def test_a_report_with_no_date_and_no_publication_date_finds_its_incident_by_what_was_hit(store):
    fuser = Fuser()
    (first,) = ingest(store, fuser, A[0], [report(A[0], targets=("army-run school",), names=("Tahir Qazi",))])
    other = art("other")
    ingest(store, fuser, other, [report(other, targets=("vegetable market",), day="2014-12-20")])
    nodate = art("nodate", published=None)
    m = report(nodate, day=None, targets=("the army-run school",), names=("Tahir Qazi",))
    assert features(m).window is None
    (ev,) = ingest(store, fuser, nodate, [m])
    assert ev.event_id == first.event_id and store.count_events() == 2
    # Compared only with the event sharing an identity word, not with every event of the country.
    assert is_candidate(features(m), features(store.get_event(first.event_id)))
    stray = art("stray", published=None)
    ingest(store, fuser, stray, [report(stray, day=None, targets=("power pylon",))])
    assert store.count_events() == 3
    incremental = dump(store)
    fuser.rebuild(store)
    assert dump(store) == incremental


def test_a_dated_report_joins_an_event_that_has_no_date(store):
    fuser = Fuser()
    nodate = art("nodate", published=None)
    (first,) = ingest(store, fuser, nodate, [report(nodate, day=None, targets=("army-run school",), perp="TTP")])
    (ev,) = ingest(store, fuser, A[1], [report(A[1], targets=("army-run school",), perp="TTP")])
    assert ev.event_id == first.event_id and store.count_events() == 1


def test_a_round_up_naming_other_victims_does_not_make_them_this_events_victims():
    # Three reports of one assassination, then a round-up naming that victim and two others (it joins):
    # a later report about one of the others must not match the event as "the same victim".
    bogota = dict(name="Bogota", country="CO", precision="city")
    days = ["1989-08-18"] * 4 + ["1989-08-16"]
    named = [("Luis Carlos Galan",)] * 3 + [("Luis Carlos Galan", "Carlos Valencia Garcia", "Waldemar Quintero"),
                                             ("Carlos Valencia Garcia",)]
    arts = [art(f"g{i}", published=days[i]) for i in range(5)]
    reports = [(report(a, day=d, names=n, place=bogota), Source(article_id=a.article_id, published=a.published))
               for a, d, n in zip(arts, days, named)]
    events = fuse_mentions(reports)
    assert [len(e.mention_ids) for e in events] == [4, 1]
    galan = features(events[0])
    assert galan.victim_names == frozenset({"luis carlos galan"})  # the central one


def test_a_report_whose_event_is_merged_into_a_larger_one_in_the_same_call_is_kept(store):
    # The new report joins the one-report event (a victim named in both), which is then merged into the larger
    # one: the survivor must hold the new report, which is not stored yet when the merge reads the reports.
    mardan = dict(name="Mardan", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.20, lon=72.05, precision="city")
    arts = [art(f"q{i}") for i in range(1, 6)]
    reports = [report(arts[0], targets=("army-run school",), names=("Tahir Qazi",)),
               report(arts[1], targets=("military academy",), perp="TTP"),
               report(arts[2], targets=("army-run school", "military academy"), perp="TTP"),
               report(arts[3], targets=("army-run school",), perp="TTP", names=("Sultan Khan",), place=mardan),
               report(arts[4], targets=("army-run school",), names=("Tahir Qazi",))]
    fuser = Fuser()
    ids = [ingest(store, fuser, a, [m])[0].event_id for a, m in zip(arts[:4], reports[:4])]
    assert ids[0] != ids[1] == ids[2] == ids[3] and store.count_events() == 2
    (ev,) = ingest(store, fuser, arts[4], [reports[4]])
    assert ev.event_id == ids[1] and store.count_events() == 1
    assert sorted(store.get_event(ev.event_id).mention_ids) == sorted(m.mention_id for m in reports)
    memory = fuse_mentions([(m, Source(article_id=a.article_id, source_id=a.source_id, title=a.title,
                                       published=a.published)) for a, m in zip(arts, reports)])
    assert [e.to_dict() for e in memory] == list(dump(store).values())
