"""``conflictlens serve`` for real: a subprocess on a free loopback port, hit with httpx."""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner

import api_sample
from conflictlens.cli_serve import serve
from conflictlens.store import Store

TOKEN = "server-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('server') / 'served.db'}"
    with Store.open(url) as store:
        api_sample.build(store)
    proc, base = api_sample.start_server(url, env={"CONFLICTLENS_TOKEN": TOKEN}, args=("--max-body-bytes", "4000"))
    yield base
    output = api_sample.stop_server(proc)
    assert "Traceback" not in output, output


def test_serve_answers_the_api_the_pages_and_the_docs(server):
    events = httpx.get(server + "/api/events?country=PK&view=summary").json()
    assert [e["event_id"] for e in events["items"]] == ["ev-peshawar", "ev-peshawar-2"]
    for path in ("/", "/map", "/timeline", "/actors", "/event/ev-peshawar", "/actor/ttp", "/docs", "/openapi.json",
                 "/static/vendor/leaflet/leaflet.js"):
        response = httpx.get(server + path)
        assert response.status_code == 200, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "server" not in response.headers


def test_serve_errors_cors_and_size_limit(server):
    response = httpx.get(server + "/api/events/nope", headers={"Origin": "http://elsewhere.example"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "E301"
    assert "access-control-allow-origin" not in response.headers
    big = httpx.post(server + "/api/events/ev-peshawar/reject", content=b"x" * 5000,
                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "E603"


def test_serve_takes_the_token_from_the_environment(server):
    body = {"field": "summary", "value": "Corrected summary.", "author": "server-test", "reason": "check"}
    no = httpx.post(server + "/api/events/ev-maiduguri/corrections", json=body)
    assert no.status_code == 401 and no.json()["error"]["code"] == "E604"
    yes = httpx.post(server + "/api/events/ev-maiduguri/corrections", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert yes.status_code == 200 and yes.json()["summary"] == "Corrected summary."
    assert "Corrected summary." in httpx.get(server + "/api/export?format=csv&country=NG").text


def test_serve_without_a_token_is_read_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'ro.db'}"
    proc, base = api_sample.start_server(url, env={"CONFLICTLENS_TOKEN": ""})
    try:
        response = httpx.post(base + "/api/events/x/reject", json={"author": "a"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "E605"
        assert httpx.get(base + "/api/config").json()["read_only"] is True
    finally:
        output = api_sample.stop_server(proc)
    assert "read-only" in output


def test_serve_help_has_an_example_and_a_bad_database_exits_3():
    result = CliRunner().invoke(serve, ["--help"])
    assert "Example:" in result.output and "conflictlens serve" in result.output
    assert "127.0.0.1" in result.output and "CONFLICTLENS_TOKEN" in result.output
    failed = CliRunner().invoke(serve, ["--db", "mysql://nowhere/x"])
    assert failed.exit_code == 3 and "E201" in failed.output
