"""Retired event ids keep leading somewhere (``store.redirects``, schema version 7): a cluster merge redirects the
merged-away id to its survivor, a rebuild redirects the ids it removes, chains stay flat, a live event always
wins, and ``conflictlens show``, the REST API and ``Store.lookup_event`` follow the redirect. Real stores:
SQLite, then PostgreSQL (skipped without ``CONFLICTLENS_TEST_PG_URL``; ``scripts/with-postgres.sh``).

Cluster merges are produced as in test_fusion_merge.py (its reports p1..p4: p4 merges p1's event into p2's).
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient

from cli_helpers import run_cli
from test_fusion_merge import SPLIT, A, art, ingest

import conflictlens as cl
from conflictlens.api import create_app
from conflictlens.fusion import DEFAULT_WEIGHTS, Fuser
from conflictlens.model import Event, EventMention, Source, stable_id
from conflictlens.store import Store
from conflictlens.store import redirects

APART = dataclasses.replace(DEFAULT_WEIGHTS, threshold=1000.0)  # no report ever joins another: one event each
TOKEN = "redirect-test-token"


@pytest.fixture
def store(db_url: str):
    with Store.open(db_url) as s:
        yield s


def first_event_id(mention: EventMention) -> str:
    """The id fusion gives the event a report starts (``engine``: the id of its first report)."""
    return stable_id(mention.mention_id, prefix="ev-")


def merged(store: Store) -> tuple[str, str]:
    """Ingest p1..p4 as the pipeline does: p4 merges p1's event (returned first) into p2's (second)."""
    fuser = Fuser()
    for a, m in zip(A, SPLIT):
        ingest(store, fuser, a, [m])
    old, survivor = first_event_id(SPLIT[0]), first_event_id(SPLIT[1])
    assert store.get_event(old) is None and store.get_event(survivor) is not None and store.count_events() == 1
    return old, survivor


def hand_event(event_id: str, mention_ids: list[str], article_id: str) -> Event:
    return Event(event_id=event_id, mention_ids=mention_ids, sources=[Source(article_id=article_id)],
                 summary=f"{event_id} by hand")


def rows(store: Store) -> dict[str, tuple[str, str]]:
    with store.engine.connect() as conn:
        found = conn.execute(redirects.event_redirects.select()).all()
    return {r.old_id: (r.new_id, r.reason) for r in found}


# --- the store ----------------------------------------------------------------------------------------------


def test_a_cluster_merge_redirects_the_merged_away_id_to_its_survivor(store):
    old, survivor = merged(store)
    assert rows(store) == {old: (survivor, "merged")}
    found = store.lookup_event(old)
    assert found.event.event_id == survivor and found.redirect.old_id == old and found.redirect.reason == "merged"
    assert store.resolve_event_id(old) == store.resolve_event_id(old[:10]) == survivor  # a cited prefix too
    assert store.get_event(old) is None  # get_event keeps its meaning: live ids only
    live = store.lookup_event(survivor)
    assert live.event.event_id == survivor and live.redirect is None
    assert store.lookup_event("ev-never-seen") is None and store.resolve_event_id("ev-never-seen") is None
    with cl.open(store.url) as db:  # the notebook API follows redirects only when asked
        assert db.event(old) is None and db.event(old, follow_redirects=True).event_id == survivor


def test_the_redirect_is_written_with_the_article_that_merged_the_events(store):
    fuser = Fuser()
    for a, m in zip(A[:3], SPLIT[:3]):
        ingest(store, fuser, a, [m])
    events = fuser.fuse_article(store, A[3], [SPLIT[3]])  # no ``locked`` block: retired with the write only
    old, survivor = first_event_id(SPLIT[0]), first_event_id(SPLIT[1])
    assert fuser.retired == {old: survivor} and rows(store) == {}
    assert store.write_article(A[3], [SPLIT[3]], events, retired=fuser.retired)
    assert rows(store) == {old: (survivor, "merged")}


def test_chains_stay_flat_when_a_survivor_is_merged_again(store):
    arts = [art(f"c{i}") for i in range(3)]
    m = [f"m-c{i}" for i in range(3)]
    for a, mid in zip(arts, m):  # three events of one report each (written by hand: no fusion rules involved)
        store.write_article(a, [], [hand_event(f"ev-{mid}", [mid], a.article_id)])
    x, a_id, b_id = (f"ev-{mid}" for mid in m)
    assert store.write_article(art("c3"), [], [hand_event(a_id, [m[1], m[0]], arts[1].article_id)], retired={x: a_id})
    assert rows(store) == {x: (a_id, "merged")}
    assert store.write_article(art("c4"), [], [hand_event(b_id, [m[2], m[1], m[0]], arts[2].article_id)],
                               retired={a_id: b_id})
    assert rows(store) == {x: (b_id, "merged"), a_id: (b_id, "merged")}  # X -> A, A -> B gives X -> B
    assert store.resolve_event_id(x) == store.resolve_event_id(a_id) == b_id


def test_a_rebuild_redirects_each_id_it_removes_to_the_event_holding_its_first_report(store):
    fuser = Fuser(weights=APART)
    for a, m in zip(A, SPLIT):
        ingest(store, fuser, a, [m])
    ids = [first_event_id(m) for m in SPLIT]
    assert sorted(e.event_id for e in store.iter_events()) == sorted(ids)
    stats = Fuser().rebuild(store)  # the default rules: p3 joins p2's event, p4 merges p1's into it
    survivor = ids[1]
    assert [e.event_id for e in store.iter_events()] == [survivor]
    assert stats["redirected"] == 3
    assert rows(store) == {ids[0]: (survivor, "rebuilt"), ids[2]: (survivor, "rebuilt"), ids[3]: (survivor, "rebuilt")}
    found = store.lookup_event(ids[3])
    assert found.event.event_id == survivor and found.redirect.reason == "rebuilt"
    assert Fuser().rebuild(store)["redirected"] == 0 and len(rows(store)) == 3  # nothing else moved


def test_a_rebuild_keeps_chains_flat_and_drops_redirects_that_lead_nowhere(store):
    # Events stored under ids a rebuild does not give (as an older version might have): "old-a" holds p1 and
    # p2 (p2 first), "ghost" holds a report that is not stored. "old-x" was merged into "old-a", "lost" into
    # "ghost".
    for a, m in zip(A[:2], SPLIT[:2]):
        store.write_article(a, [m], [])
    p1, p2 = SPLIT[0].mention_id, SPLIT[1].mention_id
    store.write_article(art("h1"), [], [hand_event("ev-old-x", [p1], "p1"), hand_event("ev-ghost-1", ["m-gone"], "h1")])
    store.write_article(art("h2"), [], [hand_event("ev-old-a", [p2, p1], "p2"), hand_event("ev-ghost", ["m-gone", "m-gone-2"], "h1")],
                        retired={"ev-old-x": "ev-old-a", "ev-ghost-1": "ev-ghost"})
    assert rows(store) == {"ev-old-x": ("ev-old-a", "merged"), "ev-ghost-1": ("ev-ghost", "merged")}
    stats = Fuser().rebuild(store)  # p1 and p2 stay apart (test_fusion_merge): two events, ids of their reports
    new_p1, new_p2 = first_event_id(SPLIT[0]), first_event_id(SPLIT[1])
    assert sorted(e.event_id for e in store.iter_events()) == sorted([new_p1, new_p2])
    # old-a's first report is p2: it leads to p2's event, and so does old-x, which led to old-a.
    assert rows(store) == {"ev-old-a": (new_p2, "rebuilt"), "ev-old-x": (new_p2, "merged")}
    assert stats["redirected"] == 1
    assert store.lookup_event("ev-ghost") is None and store.lookup_event("ev-ghost-1") is None  # reports gone


def test_a_live_event_always_wins_over_a_redirect(store):
    old, survivor = merged(store)
    Fuser(weights=APART).rebuild(store)  # every report its own event again: the merged-away id is live
    assert store.get_event(old) is not None and old not in rows(store)
    found = store.lookup_event(old)
    assert found.event.event_id == old and found.redirect is None
    # A stale row (as an older writer might leave) never shadows a live event, and writing the event drops it.
    with store.engine.begin() as conn:
        conn.execute(redirects.event_redirects.insert().values(old_id=old, new_id=survivor, reason="merged",
                                                               created="2020-01-01T00:00:00+00:00"))
    assert store.lookup_event(old).redirect is None and store.resolve_event_id(old) == old
    store.write_article(art("again"), [], [store.get_event(old)])
    assert old not in rows(store)


# --- the CLI ------------------------------------------------------------------------------------------------


def test_show_of_a_merged_away_id_shows_the_survivor(store, db_url):
    old, survivor = merged(store)
    text = run_cli("show", old, db_url=db_url)
    assert f"event {old} was merged into {survivor}; showing {survivor}" in text.stderr
    assert survivor in text.stdout
    why = run_cli("show", old[:12], "--why", db_url=db_url)
    assert f"showing {survivor}" in why.stderr and "matched both events" in why.stdout
    record = json.loads(run_cli("show", old, "--format", "json", "--why", db_url=db_url).stdout)
    assert record["event_id"] == survivor and record["redirected_from"]["event_id"] == old
    assert record["redirected_from"]["reason"] == "merged" and "why" in record
    plain = json.loads(run_cli("show", survivor, "--format", "json", db_url=db_url).stdout)
    assert "redirected_from" not in plain
    unknown = run_cli("show", "ev-doesnotexist", db_url=db_url, check_rc=3)
    assert "E301" in unknown.stderr and "showing" not in unknown.stderr


# --- the REST API -------------------------------------------------------------------------------------------


def test_the_api_answers_a_retired_id_with_a_redirect_to_the_survivor(store, db_url):
    old, survivor = merged(store)
    with TestClient(create_app(db_url, token=TOKEN)) as client:
        response = client.get(f"/api/events/{old}?x=1", follow_redirects=False)
        assert response.status_code == 301
        assert response.headers["location"] == f"/api/events/{survivor}?x=1"
        body = response.json()
        assert set(body) == {"redirect"}
        assert body["redirect"] == {"from": old, "to": survivor, "reason": "merged",
                                    "created": body["redirect"]["created"], "location": f"/api/events/{survivor}?x=1"}
        followed = client.get(f"/api/events/{old}")
        assert followed.status_code == 200 and followed.json()["event_id"] == survivor
        history = client.get(f"/api/events/{old}/corrections", follow_redirects=False)
        assert history.status_code == 301 and history.headers["location"] == f"/api/events/{survivor}/corrections"
        assert client.get(f"/api/events/{old}/corrections").json() == []
        assert client.get(f"/api/events/{survivor}", follow_redirects=False).status_code == 200
        unknown = client.get("/api/events/ev-doesnotexist", follow_redirects=False)
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "E301"
        # A review write to a retired id is not applied to the survivor silently: refused, naming it.
        write = client.post(f"/api/events/{old}/reject", json={"author": "analyst"},
                            headers={"Authorization": f"Bearer {TOKEN}"}, follow_redirects=False)
        assert write.status_code == 404 and write.json()["error"]["code"] == "E301"
        assert survivor in write.json()["error"]["detail"]
        spec = client.get("/openapi.json").json()["paths"]["/api/events/{event_id}"]["get"]["responses"]
        assert "301" in spec
