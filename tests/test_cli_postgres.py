"""The CLI through its real entry point against PostgreSQL, checked against the same commands on SQLite.

Skipped unless CONFLICTLENS_TEST_PG_URL names a server (``scripts/with-postgres.sh make test`` sets it).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from cli_helpers import run_cli

REPORTS = {
    "checkpoint.txt": """---
title: Gunmen kill four at police checkpoint near Peshawar
published: 2014-12-16
source: Frontier Ledger
---
PESHAWAR, Pakistan - Gunmen opened fire on a police checkpoint on the outskirts of Peshawar on Tuesday,
killing four policemen and wounding two others, officials said. Tehrik-i-Taliban Pakistan claimed
responsibility for the attack in a statement sent to reporters.
""",
    "market.txt": """---
title: Car bomb kills 12 in Maiduguri market
published: 2015-03-02
source: Sahel Wire
---
A car bomb exploded in a crowded market in Maiduguri on Sunday, killing at least 12 people and wounding
30, police said. No group has claimed the bombing, but Boko Haram has carried out similar attacks.
""",
    "wire.jsonl": "\n".join(json.dumps(r) for r in [
        {"text": "Al-Shabaab fighters attacked an army base near Jilib on Friday, killing seven soldiers, a "
                 "military officer said.", "title": "Base attacked near Jilib", "published": "2016-05-06"},
        {"text": "Hundreds of traders protested in Bamako on Monday against power cuts; police fired tear gas "
                 "and arrested 15 people.", "title": "Bamako protest", "published": "2016-02-01"},
    ]) + "\n{broken\n",
    "empty.txt": "",
}


def run(*args: str, db: str, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    return run_cli(*args, db_url=db, check_rc=check_rc)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pg-corpus")
    for name, body in REPORTS.items():
        (root / name).write_text(body, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dbs(corpus, pg_url_module, tmp_path_factory) -> dict[str, str]:
    """The corpus ingested through the CLI into PostgreSQL and, for comparison, into SQLite."""
    sqlite = f"sqlite:///{tmp_path_factory.mktemp('pg-cli') / 'cl.db'}"
    out = {}
    for name, url in (("postgresql", pg_url_module), ("sqlite", sqlite)):
        proc = run("ingest", str(corpus), db=url, check_rc=1)  # two inputs are bad on purpose
        assert "ingested 4, duplicate 0, failed 2" in proc.stderr, proc.stderr
        out[name] = url
    return out


def test_ingest_again_on_postgresql_skips_every_article(corpus, dbs):
    proc = run("ingest", str(corpus), db=dbs["postgresql"], check_rc=1)
    assert "ingested 0, duplicate 4, failed 2" in proc.stderr


@pytest.mark.parametrize("args", [
    ("events", "--format", "json", "--limit", "0"),
    ("events", "--format", "jsonl", "--sort", "killed"),
    ("events", "--format", "json", "--text", "market", "--since", "2015-01-01"),
    ("events", "--format", "json", "--actor", "taliban"),
    ("export", "--format", "json"),
    ("export", "--format", "geojson"),
    ("actors", "--format", "json"),
    ("actors", "--format", "json", "--name", "shabaab"),
])
def test_postgresql_answers_like_sqlite(dbs, args):
    pg = run(*args, db=dbs["postgresql"]).stdout
    lite = run(*args, db=dbs["sqlite"]).stdout
    assert pg == lite


def test_export_csv_and_stats_on_postgresql(dbs):
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", db=dbs["postgresql"]).stdout)))
    stats = json.loads(run("stats", "--format", "json", db=dbs["postgresql"]).stdout)
    assert stats == json.loads(run("stats", "--format", "json", db=dbs["sqlite"]).stdout)
    events = json.loads(run("events", "--format", "json", "--limit", "0", db=dbs["postgresql"]).stdout)
    assert len(rows) == len(events) > 0
    assert {r["event_id"] for r in rows} == {e["event_id"] for e in events}
    assert "Peshawar" in run("search", "checkpoint", db=dbs["postgresql"]).stdout


def test_unreachable_postgresql_is_a_one_line_error():
    proc = run("stats", db="postgresql://nobody@127.0.0.1:9/none", check_rc=3)
    assert proc.stderr.startswith("error: [E201]") and "Traceback" not in proc.stderr
