"""Review through the API: corrections are stored with author, time, previous value and reason, show in the
event, the lists and the exports, and survive the pipeline writing the events again."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

import api_sample
from conflictlens.api import create_app
from conflictlens.store import EventFilter, Store

TOKEN = "review-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def env(tmp_path):
    url = f"sqlite:///{tmp_path / 'review.db'}"
    store = Store.open(url)
    api_sample.build(store)
    with TestClient(create_app(url, token=TOKEN)) as client:
        yield client, store
    store.close()


def post(client, path, body, status=200):
    response = client.post(path, json=body, headers=AUTH)
    assert response.status_code == status, response.text
    return response.json()


def csv_rows(client, **filters):
    text = client.get("/api/export", params={"format": "csv", **filters}).text
    return {row["event_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_corrected_field_is_logged_shown_filtered_and_exported(env):
    client, store = env
    body = post(client, "/api/events/ev-maiduguri/corrections",
                {"field": "killed", "value": {"best": 14, "low": 12, "high": 14}, "author": "ana", "reason": "hospital toll"})
    assert body["killed"] == {"best": 14, "low": 12, "high": 14}
    assert body["reasons"]["killed"] == "corrected by ana: hospital toll"
    (c,) = body["review"]["corrections"]
    assert (c["action"], c["field"], c["author"], c["reason"]) == ("correct", "killed", "ana", "hospital toll")
    assert c["previous"] == {"best": 12, "low": None, "high": None} and c["created_at"].startswith("20")
    post(client, "/api/events/ev-maiduguri/corrections", {"field": "location", "author": "ana",
         "value": {"name": "Maiduguri", "admin1": "Borno", "country": "ng", "lat": 11.85, "lon": 13.16, "precision": "city"}})
    assert store.get_event("ev-maiduguri").killed.best == 14
    assert [e.event_id for e in store.query_events(EventFilter(min_killed=14, country="NG"))] == ["ev-maiduguri"]
    assert csv_rows(client, country="NG")["ev-maiduguri"]["nkill"] == "14"
    assert client.get("/api/events/ev-maiduguri/corrections").json()[0]["reason"] == "hospital toll"
    assert [c["event_id"] for c in client.get("/api/corrections").json()] == ["ev-maiduguri", "ev-maiduguri"]


@pytest.mark.parametrize("field, value", [
    ("killed", {"best": -3}), ("status", "exploded"), ("event_type", "Picnic"), ("date", {"start": "yesterday"}),
    ("location", {"lat": 123}), ("perpetrators", ["just a string"]), ("event_id", "ev-x"), ("evidence", {}),
    ("confidence", 7), ("attack_types", "Bombing"),
])
def test_an_invalid_correction_is_refused(env, field, value):
    client, _ = env
    response = client.post("/api/events/ev-maiduguri/corrections", json={"field": field, "value": value, "author": "a"}, headers=AUTH)
    assert response.status_code == 400 and response.json()["error"]["code"] == "E307"
    assert client.get("/api/events/ev-maiduguri").json()["review"]["corrections"] == []


def test_corrections_survive_the_pipeline_writing_the_event_again(env):
    client, store = env
    post(client, "/api/events/ev-peshawar/corrections", {"field": "killed", "value": {"best": 145}, "author": "ana", "reason": "final toll"})
    post(client, "/api/events/ev-peshawar/corrections", {"field": "sub_event_type", "value": "Armed clash", "author": "bo"})
    api_sample.rewrite_peshawar(store)  # re-processing: write_article upserts ev-peshawar with the machine values
    event = store.get_event("ev-peshawar")
    assert event.killed.best == 145 and event.sub_event_type == "Armed clash"
    assert len(event.sources) == 2  # the new report is kept: the corrections apply on top of the new record
    assert csv_rows(client, country="PK")["ev-peshawar"]["nkill"] == "145"
    assert [c["author"] for c in client.get("/api/events/ev-peshawar").json()["review"]["corrections"]] == ["ana", "bo"]
    assert [e.event_id for e in store.iter_events(EventFilter(event_type="Armed clash", country="PK"))] == ["ev-peshawar"]


def test_not_an_incident_hides_the_event_until_restored_even_after_reprocessing(env):
    client, store = env
    total = client.get("/api/events").json()["total"]
    body = post(client, "/api/events/ev-peshawar/reject", {"author": "ana", "reason": "a drill, not an attack"})
    assert body["review"]["state"] == "not_incident"
    assert client.get("/api/events").json()["total"] == total - 1
    assert "ev-peshawar" not in csv_rows(client)
    api_sample.rewrite_peshawar(store)
    assert "ev-peshawar" not in {e.event_id for e in store.iter_events()} and store.count_events() == total - 1
    assert client.get("/api/stats?country=PK").json()["totals"]["events"] == 1
    body = post(client, "/api/events/ev-peshawar/restore", {"author": "bo", "reason": "it was real"})
    assert body["review"]["state"] == "visible" and len(body["sources"]) == 2
    assert client.get("/api/events").json()["total"] == total
    assert [c["action"] for c in body["review"]["corrections"]] == ["reject", "restore"]


def test_merge_unites_two_events_and_survives_reprocessing_of_either(env):
    client, store = env
    body = post(client, "/api/events/ev-peshawar/merge", {"other_event_id": "ev-peshawar-2", "author": "ana", "reason": "same attack"})
    assert body["mention_ids"] == ["ev-peshawar-m1", "ev-peshawar-2-m1"]
    assert {s["title"] for s in body["sources"]} == {"School attack in Peshawar", "Army school massacre"}
    assert {s["text"] for s in body["evidence"]["killed"]} == {"killing 141 people", "killed 132 children"}
    absorbed = client.get("/api/events/ev-peshawar-2").json()
    assert absorbed["review"]["state"] == "merged" and absorbed["review"]["merged_into"] == "ev-peshawar"
    assert [e["event_id"] for e in client.get("/api/events?country=PK").json()["items"]] == ["ev-peshawar"]
    assert "ev-peshawar" in [e["event_id"] for e in client.get("/api/events?q=Army Public School").json()["items"]]
    api_sample.rewrite_peshawar(store)
    assert [e.event_id for e in store.query_events(EventFilter(country="PK"))] == ["ev-peshawar"]
    assert len(store.get_event("ev-peshawar").sources) == 3
    assert client.post("/api/events/ev-peshawar/merge", json={"other_event_id": "ev-peshawar", "author": "a"}, headers=AUTH).status_code == 400


def test_split_moves_a_mention_with_its_report_into_a_new_event(env):
    client, store = env
    body = post(client, "/api/events/ev-goma/split", {"mention_ids": ["m-goma-b"], "author": "ana", "reason": "two incidents"})
    original, new = body["event"], body["new_event"]
    assert original["mention_ids"] == ["m-goma-a"] and [s["title"] for s in original["sources"]] == ["Clash near Goma"]
    assert all(s["article_id"] == api_sample.MULTI_A.article_id for v in original["evidence"].values() for s in v)
    assert new["mention_ids"] == ["m-goma-b"] and [s["title"] for s in new["sources"]] == ["Village burned"]
    assert new["event_type"] == "Violence against civilians" and new["killed"]["best"] == 2
    assert new["review"]["corrections"][0]["action"] == "split_from"
    assert client.get("/api/events?q=village").json()["items"][0]["event_id"] == new["event_id"]
    bad = client.post("/api/events/ev-goma/split", json={"mention_ids": ["m-goma-a"], "author": "a"}, headers=AUTH)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "E307"  # it would leave the event empty
    rows = csv_rows(client)  # the new event has its own mention's values: that report named no place
    assert rows[new["event_id"]]["article_ids"] == api_sample.MULTI_B.article_id
    assert rows["ev-goma"]["article_ids"] == api_sample.MULTI_A.article_id


def test_hidden_events_cannot_be_merged_or_split_and_reads_stay_public(env):
    client, _ = env
    post(client, "/api/events/ev-maiduguri/reject", {"author": "ana"})
    response = client.post("/api/events/ev-peshawar/merge", json={"other_event_id": "ev-maiduguri", "author": "a"}, headers=AUTH)
    assert response.status_code == 404 and response.json()["error"]["code"] == "E301"
    assert TestClient(client.app).get("/api/events/ev-maiduguri").json()["review"]["state"] == "not_incident"


def test_a_split_survives_the_parent_being_written_again(env):
    client, store = env
    new_id = post(client, "/api/events/ev-goma/split", {"mention_ids": ["m-goma-b"], "author": "ana"})["new_event"]["event_id"]
    again = api_sample.article("A follow-up on the fighting near Goma and the burned village.", title="Goma follow-up",
                               published="2016-05-09")
    machine = store.get_event("ev-goma")  # what fusion would write again: both mentions, all sources
    machine.mention_ids = ["m-goma-a", "m-goma-b"]
    machine.sources = [api_sample.source(api_sample.MULTI_A), api_sample.source(api_sample.MULTI_B), api_sample.source(again)]
    store.write_article(again, [], [machine])
    parent, child = store.get_event("ev-goma"), store.get_event(new_id)
    assert parent.mention_ids == ["m-goma-a"] and child is not None and child.mention_ids == ["m-goma-b"]
    assert [s.title for s in parent.sources] == ["Clash near Goma", "Goma follow-up"]
