"""The REST API in-process (FastAPI TestClient) over a temporary SQLite database filled by the tests."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api_sample
from conflictlens.api import create_app
from conflictlens.api.app import static_dir
from conflictlens.api.problems import STATUS
from conflictlens.errors import CATALOGUE, StorageError
from conflictlens.export import write_csv
from conflictlens.store import EventFilter, Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TOKEN = "t0k3n-for-tests"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    with Store.open(url) as store:
        api_sample.build(store)
    return url


@pytest.fixture(scope="module")
def client(db_url):
    with TestClient(create_app(db_url, max_body_bytes=2000)) as c:
        yield c


def ids(response):
    assert response.status_code == 200, response.text
    return [item["event_id"] for item in response.json()["items"]]


def assert_error(response, status, code=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail", "path", "line"}
    assert body["error"]["code"] in CATALOGUE
    assert body["error"]["message"] == CATALOGUE[body["error"]["code"]]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


# --- events: filters, sorting, cursors ------------------------------------------------------------------------


@pytest.mark.parametrize("query, expected", [
    ("country=pk", {"ev-peshawar", "ev-peshawar-2"}),
    ("country=NG", {"ev-maiduguri"}),
    ("admin1=borno", {"ev-maiduguri"}),
    ("since=2014-12-01&until=2015-01-31", {"ev-peshawar", "ev-peshawar-2", "ev-maiduguri"}),
    ("bbox=60,25,75,40", {"ev-peshawar", "ev-peshawar-2", "ev-xss"}),
    ("actor=taliban", {"ev-peshawar", "ev-peshawar-2"}),
    ("actor=boko-haram", {"ev-maiduguri"}),
    ("type=Explosions/Remote violence", {"ev-maiduguri"}),
    ("type=armed clash", {"ev-goma"}),
    ("status=occurred&min_killed=12", {"ev-peshawar", "ev-peshawar-2", "ev-maiduguri"}),
    ("q=car bomb market", {"ev-maiduguri"}),
    ("q=Peshawar&min_killed=140", {"ev-peshawar"}),
])
def test_each_filter_narrows_the_events(client, query, expected):
    response = client.get(f"/api/events?{query}&limit=200")
    assert set(ids(response)) == expected
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize("sort", ["date", "-date", "killed"])
def test_cursor_pages_cover_every_event_once_in_the_store_order(client, db_url, sort):
    seen, cursor, pages, totals = [], None, 0, []
    while True:
        url = f"/api/events?sort={sort}&limit=7&view=summary" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [e["event_id"] for e in body["items"]]
        totals.append(body["total"])
        cursor, pages = body["next_cursor"], pages + 1
        if cursor is None:
            break
    with Store.open(db_url) as store:
        expected = [e.event_id for e in store.query_events(limit=None, order=sort)]
        assert totals[0] == store.count_events() and set(totals[1:]) == {None}  # counted on page 1 only
    assert seen == expected and len(set(seen)) == len(seen)
    assert pages == -(-len(expected) // 7)


def test_cursor_is_refused_with_another_sort_other_filters_or_garbage(client):
    cursor = client.get("/api/events?limit=3&country=KE").json()["next_cursor"]
    assert cursor
    assert_error(client.get(f"/api/events?limit=3&country=KE&sort=killed&cursor={cursor}"), 400, "E302")
    assert_error(client.get(f"/api/events?limit=3&country=UG&cursor={cursor}"), 400, "E302")
    assert_error(client.get("/api/events?cursor=not-a-cursor!!"), 400, "E302")
    assert len(ids(client.get(f"/api/events?limit=3&country=KE&cursor={cursor}"))) == 3


def test_views_and_page_size_limits(client):
    full = client.get("/api/events?country=NG").json()["items"][0]
    assert {"evidence", "sources", "killed", "location", "date"} <= set(full)
    row = client.get("/api/events?country=NG&view=summary").json()["items"][0]
    assert row["killed"] == 12 and row["perpetrators"] == ["Boko Haram"]
    point = client.get("/api/events?country=NG&view=point").json()["items"][0]
    assert point == {"event_id": "ev-maiduguri", "lat": 11.846, "lon": 13.16, "killed": 12, "date": "2015-01-10",
                     "type": "Remote explosive/landmine/IED", "place": "Maiduguri"}
    assert_error(client.get("/api/events?limit=1000"), 400, "E302")
    assert client.get("/api/events?limit=1000&view=point").status_code == 200


# --- one event, articles, actors, stats ---------------------------------------------------------------------


def test_event_detail_has_evidence_sources_alternatives_and_review(client):
    body = client.get("/api/events/ev-peshawar").json()
    assert body["event_id"] == "ev-peshawar" and body["alternatives"] == {}
    assert body["review"] == {"state": "visible", "merged_into": None, "corrections": []}
    assert body["sources"][0]["title"] == "School attack in Peshawar"
    assert body["reasons"]["killed"] == "casualty phrase 'killing N people'"
    assert body["evidence"]["killed"][0]["text"] == "killing 141 people"
    assert client.get("/api/events/ev-maidu").json()["event_id"] == "ev-maiduguri"  # a unique prefix
    assert_error(client.get("/api/events/ev-pesh"), 400, "E306")  # two events start so
    assert_error(client.get("/api/events/ev-nothing"), 404, "E301")


def test_article_text_with_the_evidence_offsets_of_its_events(client):
    art = api_sample.PESHAWAR
    body = client.get(f"/api/articles/{art.article_id}").json()
    assert body["text"] == art.text and body["title"] == art.title
    (event,) = body["events"]
    assert event["event_id"] == "ev-peshawar"
    for spans in event["evidence"].values():
        for s in spans:
            assert art.text[s["start"]:s["end"]] == s["text"]
    assert body["mentions"][0]["mention_id"] == "ev-peshawar-m1"
    assert_error(client.get("/api/articles/" + "0" * 64), 404, "E305")


def test_actors_list_and_profile(client):
    listed = client.get("/api/actors").json()
    names = [a["name"] for a in listed["items"]]
    assert names[0] == "Tehrik-i-Taliban Pakistan" and listed["total"] == len(names)
    profile = client.get("/api/actors/ttp").json()
    assert profile["event_count"] == 2 and profile["first_event"] == "2014-12-16"
    assert [e["event_id"] for e in profile["events"]] == ["ev-peshawar", "ev-peshawar-2"]
    assert profile["events"][0]["roles"] == ["perpetrator", "claimant"]
    unresolved = next(a for a in listed["items"] if a["actor_id"].startswith("actor-"))
    assert client.get(f"/api/actors/{unresolved['actor_id']}").json()["event_count"] == 1
    assert client.get("/api/actors?q=boko").json()["total"] == 1
    assert_error(client.get("/api/actors/nobody"), 404, "E304")


def test_stats_by_month_week_type_country_and_actor(client):
    body = client.get("/api/stats?country=PK").json()
    assert body["totals"] == {"events": 2, "killed": 273, "wounded": 0}
    assert body["timeline"] == [{"period": "2014-12", "events": 2, "killed": 273}]
    assert body["by_actor"][0]["name"] == "Tehrik-i-Taliban Pakistan"
    weekly = client.get("/api/stats?interval=week&since=2015-01-01&until=2015-03-31").json()["timeline"]
    assert weekly[0] == {"period": "2015-01-05", "events": 1, "killed": 12}  # the Monday of 2015-01-10
    assert weekly[-1]["period"] == "2015-03-02" and sum(w["events"] for w in weekly) == 2
    assert {r["key"] for r in client.get("/api/stats").json()["by_country"]} >= {"PK", "NG", "KE"}
    assert_error(client.get("/api/stats?interval=year"), 400, "E302")


def test_export_streams_the_same_rows_as_the_library(client, db_url):
    response = client.get("/api/export?format=csv&country=KE")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    with Store.open(db_url) as store:
        expected = io.StringIO()
        write_csv(store.iter_events(EventFilter(country="KE")), expected)
    assert response.text == expected.getvalue()
    geo = client.get("/api/export?format=geojson&country=NG").json()
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [13.16, 11.846]}
    assert [e["event_id"] for e in client.get("/api/export?format=json&country=PK").json()] == ["ev-peshawar", "ev-peshawar-2"]
    assert len(client.get("/api/export?format=jsonl").text.splitlines()) == client.get("/api/events").json()["total"]
    assert_error(client.get("/api/export?format=xlsx"), 400, "E303")


# --- one error shape, on every route ------------------------------------------------------------------------


def _bad_request_for(route: str, method: str):
    """A request that must fail on this route, and the status it must fail with."""
    path = re.sub(r"\{[^}]+\}", "does-not-exist", route)
    if method == "post":
        return "POST", path, 403  # the module's app has no token: every write is refused
    if "{" in route:
        return "GET", path, 404
    if route == "/api/config":
        return "DELETE", path, 405
    return "GET", path + "?limit=-1&min_killed=-1", 400


def test_every_api_route_answers_errors_in_the_one_shape(client):
    routes = client.get("/openapi.json").json()["paths"]  # every route the API documents
    assert len(routes) >= 11
    for route, methods in routes.items():
        assert route.startswith("/api/")
        for method, spec in methods.items():
            assert {"400", "404", "422", "500"} <= set(spec["responses"]), (route, method)
            verb, path, status = _bad_request_for(route, method)
            assert_error(client.request(verb, path), status)
            assert_error(client.request("PUT", path), 405, "E602")
    assert_error(client.get("/api/no/such/route"), 404, "E601")
    assert_error(client.get("/no-such-page"), 404, "E601")


def test_framework_errors_map_to_catalogue_codes(db_url):
    app = create_app(db_url, token=TOKEN, max_body_bytes=500)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("kaboom")

    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.get("/api/boom"), 500, "E607")
        assert_error(c.post("/api/events/ev-peshawar/corrections", json={"field": "killed"}, headers=auth), 422, "E606")
        assert_error(c.post("/api/events/ev-peshawar/corrections", content=b"{not json", headers={**auth, "Content-Type": "application/json"}), 422, "E606")
        assert_error(c.post("/api/events/ev-peshawar/reject", json={"author": "a", "reason": "x" * 1000}, headers=auth), 413, "E603")

        def chunks():
            yield b'{"author": "a", "reason": "'
            for _ in range(20):
                yield b"y" * 100
            yield b'"}'

        assert_error(c.post("/api/events/ev-peshawar/reject", content=chunks(), headers={**auth, "Content-Type": "application/json"}), 413, "E603")
    for code, status in STATUS.items():
        assert code in CATALOGUE and 400 <= status < 600


# --- security ----------------------------------------------------------------------------------------------


INJECTIONS = ["' OR '1'='1", "PK'; DROP TABLE events; --", "1 OR 1=1", '") OR ("a"="a', "%", "_", "\\", "*",
              "NEAR(a b)", '"unbalanced', "-1", "1e309", "2014-12-01' --", "0x41", "1;SELECT 1"]


@pytest.mark.parametrize("name", ["since", "until", "country", "admin1", "bbox", "actor", "type", "status", "min_killed", "q", "sort", "cursor"])
def test_injection_like_filter_values_are_plain_values(client, name):
    before = client.get("/api/events").json()["total"]
    for value in INJECTIONS:
        response = client.get("/api/events", params={name: value})
        if response.status_code == 200:
            # A match is a literal one: admin1 and type compare whole values; actor is a substring ("_" is in
            # one actor's name); q is a full-text search of the words ("-1" finds the "=1" in an article).
            for event in response.json()["items"]:
                names = [p["name"].lower() for p in event["perpetrators"]] + [c["name"].lower() for c in event["claims"]]
                assert name in ("sort", "q") or (name == "actor" and any(value.lower() in n for n in names)), (name, value)
        else:
            assert_error(response, 400, "E302")
        assert client.get("/api/stats", params={name: value}).status_code in (200, 400)
        assert client.get("/api/export", params={name: value, "format": "csv"}).status_code in (200, 400)
    assert client.get("/api/events").json()["total"] == before


def test_cors_is_closed_and_security_headers_are_set(client):
    for path in ("/api/events", "/", "/static/common.js", "/api/events/nope"):
        response = client.get(path, headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    preflight = client.options("/api/events", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code == 405


def test_writes_need_the_token_compared_in_constant_time(db_url, monkeypatch):
    from conflictlens.api import security

    calls = []
    real = security.hmac.compare_digest
    monkeypatch.setattr(security.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    body = {"field": "summary", "value": "s", "author": "a"}
    with TestClient(create_app(db_url)) as ro:
        assert_error(ro.post("/api/events/ev-maiduguri/corrections", json=body), 403, "E605")
    with TestClient(create_app(db_url, token=TOKEN)) as rw:
        assert_error(rw.post("/api/events/ev-maiduguri/corrections", json=body), 401, "E604")
        wrong = rw.post("/api/events/ev-maiduguri/corrections", json=body, headers={"Authorization": "Bearer nope"})
        assert_error(wrong, 401, "E604")
        assert wrong.headers["www-authenticate"] == "Bearer"
        assert_error(rw.post("/api/events/ev-maiduguri/corrections", json=body, headers={"Authorization": TOKEN}), 401, "E604")
    assert calls and all(isinstance(a, bytes) for a, _ in calls)
    assert json.loads(TestClient(create_app(db_url)).get("/api/config").text)["read_only"] is True


# --- the UI is offline ---------------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
URL = re.compile(r"https?://[^\s\"'<>)]+", re.I)


def _own_static_files():
    root = static_dir()
    return [p for p in root.rglob("*") if p.is_file() and "vendor" not in p.relative_to(root).parts]


def test_pages_and_static_files_name_no_other_host(client):
    own = _own_static_files()
    assert {p.name for p in own} >= {"index.html", "event.html", "actor.html", "actors.html", "map.html", "timeline.html",
                                     "docs.html", "common.js", "app.css"}
    for path in own:
        found = [u for u in URL.findall(path.read_text(encoding="utf-8")) if u != SVG_NS]
        assert not found, f"{path.name} names {found}"
    for page in ("/", "/event/ev-peshawar", "/actor/ttp", "/actors", "/map", "/timeline", "/docs"):
        response = client.get(page)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        assert not URL.findall(response.text), page
        for ref in re.findall(r'(?:src|href)="([^"]+)"', response.text):
            assert ref.startswith("/") and not ref.startswith("//"), ref
            assert client.get(ref).status_code == 200, ref
    for css in Path(static_dir(), "vendor").rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
    assert (Path(static_dir(), "vendor", "admin1", "admin1.geojson").stat().st_size) < 5_000_000


def test_create_app_refuses_a_database_it_cannot_open(tmp_path):
    with pytest.raises(StorageError):
        create_app("mysql://nowhere/db")
