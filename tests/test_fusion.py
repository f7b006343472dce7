"""Cross-article fusion (conflictlens.fusion): reports built by hand, written through the store.

No extractor is involved: each test writes EventMentions as an extractor would produce them, fuses them
with ``Fuser.fuse_article`` and stores them with ``Store.write_article``, as the ingest pipeline does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conflictlens.fusion import Fuser, fuse_mentions
from conflictlens.fusion.blocking import is_candidate
from conflictlens.fusion.explain import explain_event
from conflictlens.fusion.features import features
from conflictlens.fusion.merge import Member, merge_event
from conflictlens.model import (
    ActorRef,
    Article,
    Casualties,
    DateRange,
    EventMention,
    Place,
    Source,
    Span,
    Target,
    Victim,
    stable_id,
)
from conflictlens.store import Store

PESHAWAR = dict(name="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.008, lon=71.578, precision="city")


def art(article_id: str, text: str, published: str, source: str = "Outlet") -> Article:
    return Article(article_id=article_id, text=text, published=published, source=source,
                   url=f"https://news.example/{article_id}", title=text[:40])


def report(a: Article, *, pos: int = 0, day: str = "2014-12-16", place: dict | None = None,
           event_type: str = "Violence against civilians", sub: str = "Attack", attack: str = "Armed Assault",
           perp: str | None = "Tehrik-i-Taliban Pakistan", perp_id: str | None = "TTP",
           targets: tuple[str, ...] = ("army-run school",), victims: tuple[str, ...] = ("children",),
           killed: int | None = None, low: int | None = None, summary: str | None = None) -> EventMention:
    m = EventMention(
        mention_id=stable_id(a.article_id, pos, prefix="m-"), article_id=a.article_id,
        event_type=event_type, sub_event_type=sub, attack_types=[attack],
        date=DateRange(start=day, end=day, precision="day", text="on Tuesday"),
        location=Place(**(place or PESHAWAR)),
        perpetrators=[ActorRef(name=perp, mention=perp, actor_id=perp_id)] if perp else [],
        targets=[Target(mention=t) for t in targets], victims=[Victim(mention=v) for v in victims],
        killed=Casualties(best=killed, low=low), summary=summary or a.text.split(".")[0], confidence=0.6,
    )
    m.add_evidence("trigger", Span(article_id=a.article_id, start=0, end=8, text=a.text[:8]), reason="test")
    return m


def ingest(store: Store, fuser: Fuser, a: Article, mentions: list[EventMention]) -> list:
    events = fuser.fuse_article(store, a, mentions)
    store.write_article(a, mentions, events)
    return events


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(str(tmp_path / "fusion.db")) as s:
        yield s


A1 = art("a1", "Taliban gunmen stormed an army-run school in Peshawar, killing 132 children.", "2014-12-16", "Dawn")
A2 = art("a2", "Militants attacked a military school in Peshawar; at least 141 people were killed.", "2014-12-16", "BBC")
A3 = art("a3", "The death toll from the Peshawar school massacre rose to 148, officials said.", "2014-12-19", "AP")
B1 = art("b1", "A bomb exploded at a vegetable market in Peshawar, killing 5 traders.", "2014-12-16", "Reuters")


def test_two_outlets_different_tolls_become_one_event_with_the_range(store):
    fuser = Fuser()
    (first,) = ingest(store, fuser, A1, [report(A1, killed=132)])
    events = ingest(store, fuser, A2, [report(A2, killed=141, low=141, targets=("military school",))])
    assert [e.event_id for e in events] == [first.event_id]
    assert store.count_events() == 1
    ev = store.get_event(first.event_id)
    assert (ev.killed.low, ev.killed.high) == (132, 141)
    assert ev.killed.best == 141  # same publication day: the higher figure
    assert [s.article_id for s in ev.sources] == ["a1", "a2"]
    assert [a["value"]["best"] for a in ev.alternatives["killed"]] == [132, 141]
    assert {a["article_id"] for a in ev.alternatives["targets"]} == {"a1", "a2"}
    assert {s.article_id for s in ev.evidence["trigger"]} == {"a1", "a2"}


def test_two_different_attacks_in_the_same_city_on_the_same_day_stay_apart(store):
    fuser = Fuser()
    ingest(store, fuser, A1, [report(A1, killed=132)])
    bomb = report(B1, event_type="Explosions/Remote violence", sub="Remote explosive/landmine/IED",
                  attack="Bombing/Explosion", perp="Lashkar-e-Islam", perp_id="LeI",
                  targets=("vegetable market",), victims=("traders",), killed=5)
    (ev,) = ingest(store, fuser, B1, [bomb])
    assert store.count_events() == 2
    assert ev.mention_ids == [bomb.mention_id]


def test_one_article_reporting_two_incidents_keeps_them_apart(store):
    two = art("t1", "Gunmen attacked a school in Peshawar. Separately, a school bus was attacked.", "2014-12-16")
    events = ingest(store, Fuser(), two, [report(two, pos=0), report(two, pos=1)])
    assert len(events) == 2 and store.count_events() == 2


def test_follow_up_days_later_joins_and_updates_the_best_figure(store):
    fuser = Fuser()
    (first,) = ingest(store, fuser, A1, [report(A1, killed=132)])
    ingest(store, fuser, A2, [report(A2, killed=141)])
    (ev,) = ingest(store, fuser, A3, [report(A3, killed=148, summary="The death toll from the Peshawar school attack rose to 148")])
    assert ev.event_id == first.event_id  # the id stays the same when reports join
    stored = store.get_event(first.event_id)
    assert (stored.killed.best, stored.killed.low, stored.killed.high) == (148, 132, 148)
    assert len(stored.sources) == 3 and stored.date.start == "2014-12-16"


def test_the_event_id_is_the_first_reports_and_stays(store):
    fuser = Fuser()
    m1 = report(A1, killed=132)
    ingest(store, fuser, A1, [m1])
    ingest(store, fuser, A2, [report(A2, killed=141)])
    (ev,) = store.query_events()
    assert ev.event_id == stable_id(m1.mention_id, prefix="ev-")
    assert ev.mention_ids[0] == m1.mention_id


def _dump(store: Store) -> dict[str, dict]:
    return {e.event_id: e.to_dict() for e in store.iter_events()}


def _feed(store: Store, fuser: Fuser) -> None:
    ingest(store, fuser, A1, [report(A1, killed=132)])
    bomb = report(B1, event_type="Explosions/Remote violence", sub="Remote explosive/landmine/IED",
                  attack="Bombing/Explosion", perp=None, perp_id=None, targets=("vegetable market",),
                  victims=("traders",), killed=5)
    ingest(store, fuser, B1, [bomb])
    ingest(store, fuser, A3, [report(A3, killed=148)])  # published later, ingested before A2
    ingest(store, fuser, A2, [report(A2, killed=141, day="2014-12-17")])


def test_re_ingesting_changes_nothing(store):
    fuser = Fuser()
    _feed(store, fuser)
    before, counts = _dump(store), store.counts()
    for a in (A1, A2, A3):
        assert store.existing_article_ids([a.article_id])  # the pipeline skips these
        assert store.write_article(a, [report(a)], []) is False
    assert _dump(store) == before and store.counts() == counts


def test_rebuild_equals_incremental(store):
    fuser = Fuser()
    _feed(store, fuser)
    incremental = _dump(store)
    stats = fuser.rebuild(store)
    assert stats["mentions"] == 4 and stats["events"] == len(incremental) == 2
    assert _dump(store) == incremental
    fuser.rebuild(store)
    assert _dump(store) == incremental


def test_explanation_lists_the_matched_evidence_and_near_misses(store):
    fuser = Fuser()
    (first,) = ingest(store, fuser, A1, [report(A1, killed=132)])
    ingest(store, fuser, A2, [report(A2, killed=141)])
    # Same day, place and type, but another target and a group named differently: scored, kept apart.
    other = art("c1", "Gunmen attacked a police post in Peshawar.", "2014-12-16")
    ingest(store, fuser, other, [report(other, perp="Lashkar-e-Islam", perp_id=None, targets=("police post",),
                                        victims=("policemen",))])
    assert store.count_events() == 2
    text = explain_event(store, store.get_event(first.event_id))
    assert "a2" in text and "same day 2014-12-16" in text and "same actor TTP" in text
    assert "created the event" in text
    assert "kept apart" in text and "c1" in text


def test_merge_keeps_the_most_precise_consistent_date_and_most_specific_place():
    a, b = art("x1", "t", "2014-12-20"), art("x2", "t", "2014-12-21")
    vague = report(a, place=dict(country="PK", admin1="Khyber Pakhtunkhwa", precision="admin1"))
    vague.date = DateRange(start="2014-12-01", end="2014-12-31", precision="month", text="this month")
    exact = report(b)
    ev = merge_event("ev-x", [Member(vague, Source(article_id="x1")), Member(exact, Source(article_id="x2"))])
    assert (ev.date.start, ev.date.precision) == ("2014-12-16", "day")
    assert ev.location.name == "Peshawar"
    assert {a["article_id"] for a in ev.alternatives["date"]} == {"x1", "x2"}


def test_blocking_never_compares_other_countries_or_distant_dates():
    a = art("y1", "t", "2014-12-16")
    here = features(report(a), published=a.published)
    elsewhere = features(report(a, place=dict(name="Kabul", country="AF", precision="city")), published=a.published)
    later = features(report(a, day="2015-03-01"), published=a.published)
    assert is_candidate(here, here) and not is_candidate(here, elsewhere) and not is_candidate(here, later)


def test_in_memory_fusion_needs_no_database():
    events = fuse_mentions([(report(A1, killed=132), Source(article_id="a1", published="2014-12-16")),
                            (report(A2, killed=141), Source(article_id="a2", published="2014-12-16"))])
    assert len(events) == 1 and events[0].killed.high == 141
    assert json.loads(json.dumps(events[0].to_dict()))["fusion"]["members"][1]["matched"]


def test_a_one_report_event_compares_exactly_like_its_report():
    # The engine files a new event under its report's features without merging; this must stay true.
    a = art("z1", "t", "2014-12-16")
    for m in (report(a, killed=3), report(a, perp=None, perp_id=None, targets=("the school", "a school")),
              report(a, place=dict(country="PK", precision="country"), victims=("Malala Yousafzai",))):
        src = Source(article_id=a.article_id, published=a.published)
        single = merge_event(stable_id(m.mention_id, prefix="ev-"), [Member(m, src)], profile_only=True)
        assert features(single) == features(m, published=a.published, article_ids=frozenset({a.article_id}))


def test_the_pipeline_write_step_fuses_across_articles(store):
    from conflictlens.pipeline import IngestReport, Processed, write_results
    from conflictlens.timing import StageTimes

    results = []
    for a, killed in ((A1, 132), (A2, 141)):
        mentions = [report(a, killed=killed)]
        results.append(Processed(a, mentions))
    rep = IngestReport()
    write_results(store, results, rep, times=StageTimes())
    assert (rep.ingested, rep.mentions, rep.events) == (2, 2, 1)
    (ev,) = store.query_events()
    assert len(ev.sources) == 2 and ev.killed.high == 141


MUC_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "muc4" / "full_templates" / "dev.jsonl"


@pytest.mark.skipif(not MUC_DEV.exists(), reason="MUC-4 data not present")
def test_muc4_fusion_eval_runs_and_reports_figures():
    from conflictlens.eval.fusion import format_fusion_scores, run_fusion_eval

    result = run_fusion_eval(MUC_DEV)
    assert result["templates"] == 191 and result["gold_multi_document_clusters"] > 0
    assert 0 < result["pairwise"]["precision"] <= 1 and 0 < result["bcubed"]["f1"] <= 1
    assert "pairwise" in format_fusion_scores(result)


def _one_incident(i: int) -> tuple[Article, EventMention]:
    a = art(f"q{i:03d}", f"Report {i}. Gunmen attacked a checkpoint in Quetta, killing {i % 7 + 1} soldiers.",
            "2016-05-10", f"Outlet {i}")
    quetta = dict(name="Quetta", admin1="Balochistan", country="PK", lat=30.187, lon=67.013, precision="city")
    return a, report(a, day="2016-05-09", place=quetta, perp=None, perp_id=None, targets=("checkpoint",),
                     victims=("soldiers",), killed=i % 7 + 1, summary=f"Report {i}. Gunmen attacked a checkpoint")


def test_many_reports_of_one_incident_fuse_into_one_event_with_linear_work(store, monkeypatch):
    # The GDELT case: hundreds of articles on one incident. Joining must not re-read or re-merge the
    # event's earlier reports: every report is folded once and at most one stored mention is read back
    # (the first report, when the second joins its one-report event).
    from conflictlens.store import fusion_queries as fq

    read = {"mentions": 0}
    original = fq.mentions_by_id

    def counting(conn, ids):
        found = original(conn, ids)
        read["mentions"] += len(found)
        return found

    monkeypatch.setattr(fq, "mentions_by_id", counting)
    fuser, n = Fuser(), 200
    for i in range(n):
        a, m = _one_incident(i)
        ingest(store, fuser, a, [m])
    assert store.count_events() == 1
    (ev,) = store.query_events()
    assert len(ev.mention_ids) == n and len(ev.sources) == n
    assert fuser.counts["folded"] <= n + 1 and read["mentions"] <= 1  # + the first report, read back once
    assert (ev.killed.low, ev.killed.high) == (1, 7)
    # Per-field alternatives are bounded; what is left out is counted and stays in the mentions table.
    assert all(len(v) <= 24 for v in ev.alternatives.values())
    assert ev.fusion["merge"]["omitted"]["alternatives"]["summary"] == n - len(ev.alternatives["summary"])
    assert sum(1 for _ in store.iter_mentions()) == n
    incremental = _dump(store)
    fuser.rebuild(store)
    assert _dump(store) == incremental


def test_continuing_a_stored_merge_equals_merging_in_memory():
    # Incremental ingest continues an event from its stored record and tally (JSON); a rebuild folds in
    # memory. Round-tripping the state through JSON before every report must change nothing.
    from conflictlens.fusion.fold import Accumulator
    from conflictlens.model import Event

    members = []
    for i in range(30):
        a, m = _one_incident(i)
        if i % 5 == 0:
            m.date = DateRange(start="2016-05-01", end="2016-05-31", precision="month", text="in May")
        if i % 4 == 1:
            m.location = Place(country="PK", admin1="Balochistan", precision="admin1")
        members.append(Member(m, Source(article_id=a.article_id, published=f"2016-05-{10 + i % 9:02d}")))
    memory = Accumulator("ev-1")
    stored: Accumulator | None = None
    for i, member in enumerate(members):
        memory.add(member)
        if stored is None:
            stored = Accumulator("ev-1")
        stored.add(member)
        if i >= 1:  # what the store keeps: the record and the tally, as JSON
            record = json.loads(json.dumps(stored.event.to_dict()))
            stored = Accumulator.restore(Event.from_dict(record), json.loads(json.dumps(stored.tally)))
        assert stored.event.to_dict() == memory.event.to_dict() and stored.tally == memory.tally
    assert merge_event("ev-1", members).to_dict() == {**memory.event.to_dict(), "fusion": {}}


def test_the_block_lock_is_stable_and_a_no_op_on_sqlite(store):
    from conflictlens.store.fusion_queries import lock_key

    assert lock_key("PK", "violence") == lock_key("PK", "violence") != lock_key("AF", "violence")
    assert -(2**63) <= lock_key("PK", "violence") < 2**63
    fuser = Fuser()
    with fuser.locked(store, A1, [report(A1, killed=132)]):
        ingest(store, fuser, A1, [report(A1, killed=132)])
    assert store.count_events() == 1
