"""The CLI through its real entry point (a subprocess running the installed `conflictlens` script)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from cli_helpers import SCRIPT, run_cli

REPORT_A = """---
title: Gunmen kill four at police checkpoint near Peshawar
published: 2014-12-16
source: Frontier Ledger
url: https://example.org/a
---
PESHAWAR, Pakistan - Gunmen opened fire on a police checkpoint on the outskirts of Peshawar on Tuesday,
killing four policemen and wounding two others, officials said. Tehrik-i-Taliban Pakistan claimed
responsibility for the attack in a statement sent to reporters.
"""

REPORT_B = """---
title: Car bomb kills 12 in Maiduguri market
published: 2015-03-02
source: Sahel Wire
---
A car bomb exploded in a crowded market in Maiduguri on Sunday, killing at least 12 people and wounding
30, police said. No group has claimed the bombing, but Boko Haram has carried out similar attacks.
"""

NO_INCIDENT = """---
title: Central bank holds rates
published: 2016-01-05
---
The central bank kept its main interest rate unchanged on Monday, citing steady inflation and a stronger
currency. Analysts had expected the decision.
"""


def run(*args: str, db: Path, stdin: str | None = None, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    return run_cli(*args, db_url=f"sqlite:///{db}", stdin=stdin, check_rc=check_rc)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    (root / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    (root / "sub" / "copy-of-a.txt").write_text(REPORT_A, encoding="utf-8")  # same text, other name
    (root / "calm.txt").write_text(NO_INCIDENT, encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "bad.jsonl").write_text('{"text": "fine record about a protest in Lagos."}\n{"text": broken\n', encoding="utf-8")
    (root / "notes.docx").write_bytes(b"PK\x03\x04 not ours")
    return root


@pytest.fixture(scope="module")
def ingested(corpus, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("db") / "cl.db"
    proc = run("ingest", str(corpus), str(corpus / "missing.txt"), db=db, check_rc=1)
    lines = proc.stderr.strip().splitlines()
    assert any("[E102]" in l and "empty.txt" in l for l in lines)
    assert any("[E105]" in l and "bad.jsonl:2" in l for l in lines)
    assert any("[E108]" in l and "notes.docx" in l for l in lines)
    assert any("[E101]" in l and "missing.txt" in l for l in lines)
    assert "ingested 4, duplicate 1, failed 4" in lines[-1]
    # not a terminal: no progress bar, only one line per problem and the summary
    assert all(line.startswith("[E") or line.startswith("[W") for line in lines[:-1]), lines
    return db


def test_reingest_is_idempotent(ingested, corpus):
    before = _counts(ingested)
    proc = run("ingest", str(corpus / "a.txt"), str(corpus / "sub"), db=ingested)
    assert "ingested 0, duplicate 3, failed 0" in proc.stderr
    assert _counts(ingested) == before


def _counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as con:
        return tuple(con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "mentions", "events"))


def test_events_json_and_show(ingested):
    events = json.loads(run("events", "--format", "json", db=ingested).stdout)
    assert events, "the incident reports gave no events"
    for e in events:
        for key in ("event_id", "event_type", "sub_event_type", "status", "date", "location", "killed", "evidence", "sources"):
            assert key in e
    shown = run("show", events[0]["event_id"][:10], db=ingested).stdout
    assert events[0]["event_id"] in shown and "Sources" in shown
    as_json = json.loads(run("show", events[0]["event_id"], "--format", "json", db=ingested).stdout)
    assert as_json == events[0]


def test_table_and_filters(ingested):
    out = run("events", db=ingested).stdout
    assert "events" in out
    none = json.loads(run("events", "--format", "json", "--since", "2030-01-01", db=ingested).stdout)
    assert none == []
    bad = run("events", "--since", "not-a-date", db=ingested, check_rc=3)
    assert "[E302]" in bad.stderr


def test_show_unknown_event(ingested):
    proc = run("show", "ev-doesnotexist", db=ingested, check_rc=3)
    assert "[E301]" in proc.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "geojson"])
def test_export_formats(ingested, tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    run("export", "--format", fmt, "-o", str(out), db=ingested)
    text = out.read_text(encoding="utf-8")
    n = len(json.loads(run("events", "--format", "json", "--limit", "0", db=ingested).stdout))
    if fmt == "json":
        assert len(json.loads(text)) == n
    elif fmt == "jsonl":
        assert len([json.loads(l) for l in text.splitlines()]) == n
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == n
        assert {"event_id_cnty", "event_date", "event_type", "fatalities", "gname", "nkill", "latitude"} <= set(rows[0])
    else:
        data = json.loads(text)
        assert data["type"] == "FeatureCollection" and len(data["features"]) == n
        for f in data["features"]:
            assert f["type"] == "Feature"
            assert f["geometry"] is None or (f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2)


def test_actors_and_stats(ingested):
    actors = json.loads(run("actors", "--format", "json", db=ingested).stdout)
    for a in actors:
        assert {"actor_id", "name", "aliases", "relations", "event_count", "first_event", "last_event", "killed_total"} <= set(a)
    stats = json.loads(run("stats", "--format", "json", db=ingested).stdout)
    assert stats["articles"] == 4


def test_search(ingested):
    assert "Maiduguri" in run("search", "market bomb", db=ingested).stdout


def test_stdin(tmp_path):
    db = tmp_path / "stdin.db"
    payload = json.dumps({"id": "x1", "text": REPORT_B.split("---\n", 2)[2], "published": "2015-03-02"}) + "\n"
    proc = run("ingest", "-", db=db, stdin=payload)
    assert "ingested 1" in proc.stderr


def test_kill_9_mid_ingest_then_rerun(tmp_path):
    """A real process killed with SIGKILL mid-ingest; re-running completes the database with no duplicates."""
    n = 240
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Report {i}. Gunmen attacked a checkpoint in Quetta on Monday, killing {i % 7 + 1} soldiers, officials said."
            fh.write(json.dumps({"id": f"r{i}", "text": text, "published": "2016-05-10"}) + "\n")
    db = tmp_path / "kill.db"
    proc = subprocess.Popen([SCRIPT, "ingest", str(corpus), "--db", f"sqlite:///{db}", "--batch-size", "8"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        stored = _stored_articles(db)
        if stored >= 16:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _stored_articles(db) < n
    run("ingest", str(corpus), db=db)
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*), count(distinct source_id) from articles").fetchone() == (n, n)
        assert con.execute("select count(*) from mentions where article_id not in (select article_id from articles)").fetchone()[0] == 0
    clean = tmp_path / "clean.db"
    run("ingest", str(corpus), db=clean)
    assert _counts(db) == _counts(clean), "the killed-and-resumed database differs from a clean run"


def _stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
