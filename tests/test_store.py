"""Tests for conflictlens.store on SQLite: schema and migrations, URLs, one-transaction writes,
filters, full-text search, actors and statistics. Every test uses its own database under tmp_path."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest
from sqlalchemy import text

from conflictlens.errors import QueryError, StorageError
from conflictlens.model import (
    ActorRef,
    Article,
    Casualties,
    Claim,
    DateRange,
    Event,
    EventMention,
    Place,
    Source,
    Span,
    Target,
    stable_id,
)
from conflictlens.store import DEFAULT_DB_URL, LATEST_VERSION, EventFilter, Store, resolve_db_url
from conflictlens.store import articles as store_articles
from conflictlens.store import events as store_events

SCHOOL = "Gunmen stormed an army-run school in Peshawar on Tuesday, killing 132 children and nine staff."
MARKET = "A car bomb exploded in a crowded market in Baghdad, killing at least 20 people."
CLASH = "Troops clashed with rebels near Goma; the army said twelve fighters were killed."


@pytest.fixture
def store(db_url: str):
    """An empty store on each backend (conftest's ``db_url``: SQLite, and PostgreSQL when a server is set)."""
    with Store.open(db_url) as s:
        yield s


def article(article_id: str, body: str, *, title: str | None = None) -> Article:
    return Article(article_id=article_id, text=body, title=title, url=f"https://example.org/{article_id}",
                   published="2014-12-16", source="Example News", language="en")


def event(event_id: str, *, article_id: str = "a1", start: str | None = "2014-12-16", end: str | None = None,
          country: str | None = "PK", admin1: str | None = None, lat: float | None = None,
          lon: float | None = None, event_type: str = "Violence against civilians", sub: str | None = "Attack",
          status: str = "occurred", killed: int | None = None, perps: list[ActorRef] | None = None,
          claims: list[Claim] | None = None, targets: list[Target] | None = None) -> Event:
    return Event(
        event_id=event_id, event_type=event_type, sub_event_type=sub, status=status,
        date=DateRange(start=start, end=end or start, precision="day" if start else "unknown"),
        location=Place(country=country, admin1=admin1, lat=lat, lon=lon),
        killed=Casualties(best=killed), perpetrators=perps or [], claims=claims or [], targets=targets or [],
        sources=[Source(article_id=article_id)], mention_ids=[f"m-{article_id}-{event_id}"],
        evidence={"killed": [Span(article_id=article_id, start=0, end=6, text="Gunmen")]},
    )


def mention(event_id: str, article_id: str = "a1") -> EventMention:
    return EventMention(mention_id=f"m-{article_id}-{event_id}", article_id=article_id, event_type="Battles")


def write(store: Store, article_id: str, body: str, *events: Event, title: str | None = None) -> bool:
    return store.write_article(article(article_id, body, title=title),
                               [mention(e.event_id, article_id) for e in events], list(events))


# --- opening, schema, URLs ----------------------------------------------------------------------


def test_open_creates_schema_version_1_and_reopen_is_a_noop(tmp_path):
    path = tmp_path / "sub" / "new.db"
    with Store.open(str(path)) as s:
        assert s.schema_version == LATEST_VERSION
        with s.engine.connect() as conn:
            names = {r[0] for r in conn.execute(text("select name from sqlite_master"))}
            first = conn.execute(text("select version, description, applied_at from schema_migrations")).all()
    assert {"articles", "articles_fts", "mentions", "events", "event_mentions", "event_articles",
            "event_actors", "schema_migrations"} <= names
    assert [r[0] for r in first] == list(range(1, LATEST_VERSION + 1))
    with Store.open(str(path)) as s:
        assert s.schema_version == LATEST_VERSION
        with s.engine.connect() as conn:
            again = conn.execute(text("select version, description, applied_at from schema_migrations")).all()
    assert again == first


def test_database_newer_than_code_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Store.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("insert into schema_migrations values (99, 'from the future', '2030-01-01')")
    with pytest.raises(StorageError) as err:
        Store.open(str(path))
    assert err.value.code == "E202"


def test_resolve_db_url_rules(monkeypatch, tmp_path):
    monkeypatch.delenv("CONFLICTLENS_DB", raising=False)
    assert resolve_db_url() == DEFAULT_DB_URL == "sqlite:///conflictlens.db"
    monkeypatch.setenv("CONFLICTLENS_DB", "")
    assert resolve_db_url() == DEFAULT_DB_URL
    monkeypatch.setenv("CONFLICTLENS_DB", "sqlite:///from-env.db")
    assert resolve_db_url() == "sqlite:///from-env.db"
    assert resolve_db_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    assert resolve_db_url("data/events.db") == "sqlite:///data/events.db"
    assert resolve_db_url(str(tmp_path / "abs.db")) == f"sqlite:///{tmp_path}/abs.db"
    assert resolve_db_url("postgresql://u@localhost/db") == "postgresql://u@localhost/db"
    for bad in ("nosuchdb://x/y", "mysql://u@h/db", "sqlite+nodriver:///x.db", "   "):
        with pytest.raises(StorageError) as err:
            resolve_db_url(bad)
        assert err.value.code == "E201"


def test_open_reports_unopenable_database_as_e201(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.raises(StorageError) as err:
        Store.open(str(junk))
    assert err.value.code == "E201"
    with pytest.raises(StorageError) as err:
        Store.open(str(tmp_path))  # a directory
    assert err.value.code == "E201"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_connections_use_wal_and_pragmas(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("pragma busy_timeout").scalar() == 30000


# --- writing ------------------------------------------------------------------------------------


def test_write_article_round_trips_and_is_idempotent(store):
    ev = event("evt-school-0001", killed=141, perps=[ActorRef(name="TTP", mention="TTP", actor_id="ttp")])
    assert write(store, "a1", SCHOOL, ev, title="School attack") is True
    before = store.counts()
    assert before == {"articles": 1, "mentions": 1, "events": 1}
    assert write(store, "a1", SCHOOL, ev, title="School attack") is False
    assert store.counts() == before
    assert store.get_article("a1") == article("a1", SCHOOL, title="School attack")
    assert store.get_article("nope") is None
    assert store.get_event("evt-school-0001") == ev
    assert store.mentions_for_article("a1") == [mention("evt-school-0001")]
    assert store.existing_article_ids(["a1", "a2", "a1"]) == {"a1"}


def test_article_without_mentions_is_a_duplicate_the_second_time(store):
    assert write(store, "a1", SCHOOL) is True
    assert write(store, "a1", SCHOOL) is False  # nothing else to collide on: the article insert must say so
    assert store.counts() == {"articles": 1, "mentions": 0, "events": 0}


def test_existing_article_ids_beyond_the_variable_limit(store):
    write(store, "a1", SCHOOL)
    ids = [f"x{i}" for i in range(40_000)] + ["a1"]
    assert store.existing_article_ids(ids) == {"a1"}


def test_many_events_in_one_article_are_batched(store):
    evs = [event(f"evt-{i:06d}", killed=i) for i in range(2500)]  # 2500 x 19 columns > SQLite's 32766
    assert write(store, "a1", SCHOOL, *evs)
    assert store.count_events() == 2500
    assert store.count_events(EventFilter(min_killed=2000)) == 500


def test_failed_write_leaves_no_partial_article(store):
    bad = event("evt-bad-000001", lat=float("nan"))  # strict JSON cannot hold NaN
    with pytest.raises(StorageError) as err:
        write(store, "a1", SCHOOL, event("evt-good-00001"), bad)
    assert err.value.code == "E203"
    assert store.counts() == {"articles": 0, "mentions": 0, "events": 0}
    assert store.get_article("a1") is None
    assert store.search_articles("Peshawar") == []  # the FTS row went too
    assert write(store, "a1", SCHOOL, event("evt-good-00001")) is True


def test_failure_at_the_last_insert_rolls_back_everything(store, monkeypatch):
    real = store_events.insert_rows

    def failing(conn, tbl, rows, **kw):
        if tbl.name == "event_articles":  # the last insert of write_article
            raise RuntimeError("disk on fire")
        return real(conn, tbl, rows, **kw)

    monkeypatch.setattr(store_events, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        write(store, "a1", SCHOOL, event("evt-school-0001"))
    monkeypatch.undo()
    assert store.counts() == {"articles": 0, "mentions": 0, "events": 0}
    with store.engine.connect() as conn:
        fts = ("articles_fts",) if store.dialect == "sqlite" else ()  # PostgreSQL indexes articles itself
        for tbl in (*fts, "event_actors", "event_mentions", "event_articles"):
            assert conn.exec_driver_sql(f"select count(*) from {tbl}").scalar() == 0


def test_kill_9_mid_write_leaves_no_partial_article(tmp_path):
    db = tmp_path / "killed.db"
    Store.open(str(db)).close()
    child = textwrap.dedent(f"""
        import sys, time
        from conflictlens.model import Article, Event
        from conflictlens.store import Store
        from conflictlens.store import events as ev
        real = ev.upsert_events
        def slow(conn, events, **kw):
            real(conn, events, **kw)
            print("midway", flush=True)   # article, FTS and mention rows are written, not committed
            time.sleep(60)
        ev.upsert_events = slow
        store = Store.open({str(db)!r})
        store.write_article(Article(article_id="a1", text="Gunmen attacked a school."), [],
                            [Event(event_id="evt-killed-0001")])
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "midway"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    with Store.open(str(db)) as s:
        assert s.counts() == {"articles": 0, "mentions": 0, "events": 0}
        assert s.get_article("a1") is None
        assert write(s, "a1", SCHOOL) is True


def test_concurrent_writers_store_an_article_once(db_url):
    url = db_url
    stores = [Store.open(url) for _ in range(6)]
    results: list[bool] = []
    barrier = threading.Barrier(len(stores))

    def run(s: Store) -> None:
        barrier.wait()
        results.append(write(s, "a1", SCHOOL, event("evt-school-0001")))

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    assert stores[0].counts() == {"articles": 1, "mentions": 1, "events": 1}
    for s in stores:
        s.close()


def test_event_is_replaced_by_a_later_article(store):
    first = event("evt-school-0001", killed=100, perps=[ActorRef(name="TTP", mention="TTP")])
    write(store, "a1", SCHOOL, first)
    second = event("evt-school-0001", article_id="a2", killed=141,
                   perps=[ActorRef(name="Jamaat-ul-Ahrar", mention="JuA")])
    second.sources = [Source(article_id="a1"), Source(article_id="a2")]
    write(store, "a2", MARKET, second)
    assert store.count_events() == 1
    assert store.get_event("evt-school-0001") == second
    assert store.count_events(EventFilter(min_killed=141)) == 1
    assert store.count_events(EventFilter(actor="ttp")) == 0  # actor links follow the new record
    assert store.count_events(EventFilter(actor="ahrar")) == 1
    assert store.count_events(EventFilter(text="Peshawar")) == 1  # both source articles are linked
    assert store.count_events(EventFilter(text="Baghdad")) == 1


def test_get_event_by_unique_prefix(store):
    write(store, "a1", SCHOOL, event("evt_abc123456"), event("evt_abc199999"), event("evtXabc1"))
    assert store.get_event("evt_abc12").event_id == "evt_abc123456"
    assert store.get_event("evt_a") is None  # shorter than 6 characters
    assert store.get_event("zzzzzzzz") is None
    assert store.get_event("evt%abc12") is None  # LIKE wildcards are escaped
    with pytest.raises(QueryError) as err:
        store.get_event("evt_abc1")
    assert err.value.code == "E306"


def test_iter_mentions_and_iter_events_are_complete_and_ordered(store):
    for i in range(3):
        evs = [event(f"evt-{i}-{j:04d}", article_id=f"a{i}") for j in range(4)]
        write(store, f"a{i}", SCHOOL + f" {i}", *evs)
    mentions = list(store.iter_mentions())
    assert [(m.article_id, m.mention_id) for m in mentions] == [
        (f"a{i}", f"m-a{i}-evt-{i}-{j:04d}") for i in range(3) for j in range(4)]
    streamed = [e.event_id for e in store.iter_events(batch_size=5)]
    assert streamed == sorted(e.event_id for e in store.query_events(limit=None))
    assert len(streamed) == 12
    assert [e.event_id for e in store.iter_events(EventFilter(text="Peshawar 1"), batch_size=2)] == [
        f"evt-1-{j:04d}" for j in range(4)]


# --- queries ------------------------------------------------------------------------------------


@pytest.fixture
def corpus(store):
    write(store, "a1", SCHOOL, event("evt-school", start="2014-12-16", country="PK", admin1="Khyber Pakhtunkhwa",
                                     lat=34.0, lon=71.5, killed=141,
                                     perps=[ActorRef(name="Tehrik-i-Taliban Pakistan", mention="TTP", actor_id="ttp")]))
    write(store, "a2", MARKET, event("evt-market", article_id="a2", start="2015-03-01", end="2015-03-02",
                                     country="IQ", admin1="Baghdad", lat=33.3, lon=44.4, killed=20,
                                     event_type="Explosions/Remote violence", sub="Remote explosive/landmine/IED",
                                     claims=[Claim(name="Islamic State", mention="IS", quote="we did it")]))
    write(store, "a3", CLASH, event("evt-clash", article_id="a3", start=None, country="CD", lat=-1.7, lon=29.2,
                                    killed=None, event_type="Battles", sub="Armed clash", status="attempted",
                                    perps=[ActorRef(name="M23", mention="the rebels")]))
    write(store, "a4", "Fiji ferry protest on the dateline.",
          event("evt-fiji", article_id="a4", start="2013-06-30", country="FJ", lat=-17.0, lon=179.5,
                event_type="Protests", sub="Peaceful protest", killed=0))
    return store


def ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


@pytest.mark.parametrize("flt, expected", [
    (EventFilter(since="2015-03-02"), {"evt-market"}),  # range ends on the day
    (EventFilter(since="2015-03-03"), set()),
    (EventFilter(since="2015"), {"evt-market"}),
    (EventFilter(until="2014-12-16"), {"evt-school", "evt-fiji"}),
    (EventFilter(until="2013-06"), {"evt-fiji"}),
    (EventFilter(since="2014-01-01", until="2014-12-31"), {"evt-school"}),
    (EventFilter(country="pk"), {"evt-school"}),
    (EventFilter(admin1="baghdad"), {"evt-market"}),
    (EventFilter(actor="taliban"), {"evt-school"}),
    (EventFilter(actor="TTP"), {"evt-school"}),  # actor_id
    (EventFilter(actor="islamic"), {"evt-market"}),  # claimant
    (EventFilter(event_type="battles"), {"evt-clash"}),
    (EventFilter(event_type="ARMED CLASH"), {"evt-clash"}),  # sub-event type
    (EventFilter(event_type="Attack"), {"evt-school"}),
    (EventFilter(status="Attempted"), {"evt-clash"}),
    (EventFilter(min_killed=20), {"evt-school", "evt-market"}),
    (EventFilter(min_killed=0), {"evt-school", "evt-market", "evt-fiji"}),
    (EventFilter(text="market bomb"), {"evt-market"}),
    (EventFilter(text="bombs"), {"evt-market"}),  # porter stemming
    (EventFilter(text="market Peshawar"), set()),  # all words, same article
    (EventFilter(bbox=(60, 20, 80, 40)), {"evt-school"}),
    (EventFilter(bbox="25,-5,50,40"), {"evt-market", "evt-clash"}),
    (EventFilter(bbox=(170, -20, -170, -10)), {"evt-fiji"}),  # across the antimeridian
    (EventFilter(country="IQ", min_killed=10, text="Baghdad"), {"evt-market"}),
    (EventFilter(), {"evt-school", "evt-market", "evt-clash", "evt-fiji"}),
])
def test_each_filter_field(corpus, flt, expected):
    assert set(ids(corpus.query_events(flt))) == expected
    assert corpus.count_events(flt) == len(expected)
    assert {e.event_id for e in corpus.iter_events(flt, batch_size=1)} == expected


@pytest.mark.parametrize("kwargs", [
    {"since": "2014-13-01"}, {"since": "yesterday"}, {"until": "2014-02-30"}, {"since": 2014},
    {"since": "2015-01-01", "until": "2014-01-01"},
    {"country": "Pakistan"}, {"country": ""}, {"status": "done"}, {"event_type": "  "},
    {"min_killed": -1}, {"min_killed": "many"}, {"min_killed": True}, {"min_killed": 1.5},
    {"bbox": (1, 2, 3)}, {"bbox": (0, 50, 10, 40)}, {"bbox": (0, -91, 10, 40)}, {"bbox": (0, 0, 181, 1)},
    {"bbox": "a,b,c,d"}, {"bbox": (0, 0, float("nan"), 1)},
])
def test_bad_filter_values_raise_e302(kwargs):
    with pytest.raises(QueryError) as err:
        EventFilter(**kwargs)
    assert err.value.code == "E302"


def test_filter_mutated_after_construction_is_checked_at_query_time(corpus):
    flt = EventFilter(country="PK")
    flt.since = "not a date"
    with pytest.raises(QueryError) as err:
        corpus.query_events(flt)
    assert err.value.code == "E302"


def test_ordering_paging_and_bad_arguments(corpus):
    assert ids(corpus.query_events()) == ["evt-market", "evt-school", "evt-fiji", "evt-clash"]
    assert ids(corpus.query_events(order="-date")) == ["evt-fiji", "evt-school", "evt-market", "evt-clash"]
    assert ids(corpus.query_events(order="killed")) == ["evt-school", "evt-market", "evt-fiji", "evt-clash"]
    assert ids(corpus.query_events(limit=2, offset=1)) == ["evt-school", "evt-fiji"]
    assert len(corpus.query_events(limit=None)) == 4
    for kwargs in ({"order": "bogus"}, {"limit": -1}, {"offset": -5}):
        with pytest.raises(QueryError) as err:
            corpus.query_events(**kwargs)
        assert err.value.code == "E302"


def test_full_text_search_ranks_and_survives_fts_syntax(corpus):
    write(corpus, "a5", "Peshawar Peshawar Peshawar: mourners gathered in Peshawar.", title="Mourning in Peshawar")
    hits = corpus.search_articles("peshawar")
    assert [h["article_id"] for h in hits] == ["a5", "a1"]
    assert hits[0]["score"] > hits[1]["score"]
    assert hits[0]["title"] == "Mourning in Peshawar"
    assert "[Peshawar]" in hits[1]["snippet"]
    assert [h["article_id"] for h in corpus.search_articles("storm*")] == ["a1"]  # prefix search
    assert corpus.search_articles("peshawar", limit=1)[0]["article_id"] == "a5"
    for nasty in ['"foo" OR (', "NEAR(a b", "title:", "*", '"', ")(", "AND", "-x", "^start"]:
        corpus.search_articles(nasty)  # must not raise
        corpus.query_events(EventFilter(text=nasty))
    write(corpus, "a6", 'He said "foo" or (bar) again.')
    assert [h["article_id"] for h in corpus.search_articles('"foo" OR (')] == ["a6"]
    assert corpus.search_articles("()") == []
    assert corpus.query_events(EventFilter(text="()")) == []


def test_actor_filter_is_unicode_case_insensitive(store):
    write(store, "a1", SCHOOL, event("evt-1", perps=[ActorRef(name="ÄRMÉE Populaire", mention="x")]))
    assert ids(store.query_events(EventFilter(actor="ärmée"))) == ["evt-1"]
    assert store.query_events(EventFilter(actor="100%")) == []  # LIKE wildcards are escaped


def test_list_actors_aggregates_perpetrators_and_claimants(store):
    ttp = dict(actor_id="ttp", mention="they")
    write(store, "a1", SCHOOL, event("evt-1", start="2014-12-16", killed=141,
                                     perps=[ActorRef(name="Tehrik-i-Taliban Pakistan", **ttp)],
                                     claims=[Claim(name="TTP", actor_id="ttp", mention="TTP", quote="q")]))
    write(store, "a2", MARKET, event("evt-2", article_id="a2", start="2015-01-05", end="2015-01-07", killed=3,
                                     perps=[ActorRef(name="Tehrik-i-Taliban Pakistan", **ttp)]))
    write(store, "a3", CLASH, event("evt-3", article_id="a3", start="2013-02-01", killed=None,
                                    claims=[Claim(name="Pakistani Taliban", actor_id="ttp", mention="x", quote="q")],
                                    targets=[Target(mention="soldiers", type="Military")]))
    write(store, "a4", "Another clash.", event("evt-4", article_id="a4", start="2016-01-01", killed=5,
                                              perps=[ActorRef(name="Unknown Gunmen", mention="gunmen"),
                                                     ActorRef(name="unknown gunmen", mention="gunmen")],
                                              claims=[Claim(name="Denier", mention="d", quote="q", denial=True)]))
    actors = store.list_actors()
    assert [a.name for a in actors] == ["Tehrik-i-Taliban Pakistan", "Unknown Gunmen"]
    ttp_actor, gunmen = actors
    assert ttp_actor.actor_id == "ttp"
    assert ttp_actor.event_count == 3
    assert sorted(ttp_actor.aliases) == ["Pakistani Taliban", "TTP"]
    assert (ttp_actor.first_event, ttp_actor.last_event) == ("2013-02-01", "2015-01-07")
    assert ttp_actor.killed_total == Casualties(best=144, low=None, high=None)
    assert gunmen.actor_id == stable_id("unknown gunmen", prefix="actor-")
    assert gunmen.event_count == 1 and gunmen.aliases == ["unknown gunmen"]
    assert [a.actor_id for a in store.list_actors(name="pakistani")] == ["ttp"]  # alias match
    assert [a.name for a in store.list_actors(name="GUNMEN")] == ["Unknown Gunmen"]
    assert store.list_actors(name="soldiers") == []  # targets are not actors here


def test_stats_and_counts(corpus):
    stats = corpus.stats()
    assert stats["articles"] == 4 and stats["mentions"] == 4 and stats["events"] == 4
    assert stats["by_event_type"] == {"Violence against civilians": 1, "Explosions/Remote violence": 1,
                                      "Battles": 1, "Protests": 1}
    assert stats["by_country"] == {"PK": 1, "IQ": 1, "CD": 1, "FJ": 1}
    assert stats["by_month"] == {"2013-06": {"events": 1, "killed": 0}, "2014-12": {"events": 1, "killed": 141},
                                 "2015-03": {"events": 1, "killed": 20}}
    assert stats["killed_best_total"] == 161
    assert stats["wounded_best_total"] == 0
    assert corpus.counts() == {"articles": 4, "mentions": 4, "events": 4}
    json.dumps(stats)  # JSON-ready for the API


def test_empty_database_stats(store):
    assert store.stats() == {"articles": 0, "mentions": 0, "events": 0, "by_event_type": {}, "by_country": {},
                             "by_month": {}, "killed_best_total": 0, "wounded_best_total": 0}
    assert store.list_actors() == []
    assert store.search_articles("anything") == []


def test_fts5_query_quotes_every_word():
    assert store_articles.fts5_query('"foo" OR (') == '"""foo""" "OR"'
    assert store_articles.fts5_query("storm* school") == '"storm"* "school"'
    assert store_articles.fts5_query("( ) *") is None


# --- PostgreSQL: trigram and full-text indexes -------------------------------------------------------------


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_indexes_serve_the_actor_and_text_filters(store):
    from sqlalchemy import select as sa_select

    from conflictlens.store import schema
    from conflictlens.store.filters import where_clauses

    ttp = ActorRef(name="Tehrik-i-Taliban Pakistan", mention="the Pakistani Taliban")
    write(store, "a1", SCHOOL, event("evt-school-0001", perps=[ttp]))
    write(store, "a2", MARKET, event("evt-market-0001", article_id="a2"))
    assert [e.event_id for e in store.query_events(EventFilter(actor="taliban"))] == ["evt-school-0001"]
    assert [e.event_id for e in store.query_events(EventFilter(text="crowded markets"))] == ["evt-market-0001"]

    def plan(conn, flt: EventFilter) -> str:
        compiled = sa_select(schema.events.c.event_id).where(*where_clauses(flt, "postgresql")).compile(conn)
        return "\n".join(conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars())

    with store.engine.connect() as conn:
        indexes = dict(conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('event_actors', 'articles')").all())
        for name in ("name", "name_lower", "key_lower"):  # the actor filter ORs LIKEs on name_lower, lower(key)
            assert "USING gin" in indexes[f"ix_event_actors_{name}_trgm"]
            assert "gin_trgm_ops" in indexes[f"ix_event_actors_{name}_trgm"]
        assert "to_tsvector" in indexes["ix_articles_tsv"]
        conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: show that the tsvector index serves text
        assert "ix_articles_tsv" in plan(conn, EventFilter(text="crowded market"))
        # trigram similarity (pg_trgm) finds another spelling of the same name
        spelling = "Tehreek-e-Taliban Pakistan"
        query = "SELECT name, similarity(name, :s) FROM event_actors WHERE name % :s"
        found = conn.execute(text(query), {"s": spelling}).all()
        assert [r[0] for r in found] == ["Tehrik-i-Taliban Pakistan"] and found[0][1] > 0.5
