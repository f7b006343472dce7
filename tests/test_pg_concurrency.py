"""Two ``conflictlens ingest`` processes writing one PostgreSQL database at once lose and duplicate nothing.

Both corpora start with the same 15 reports, so the two processes race on those articles at the same moment;
each then has 15 reports of its own. The result must equal one sequential ingest of the union.
Skipped unless CONFLICTLENS_TEST_PG_URL names a server (``scripts/with-postgres.sh make test`` sets it).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text

from conflictlens.pipeline import Pipeline, run_ingest
from conflictlens.store import Store

from cli_helpers import SCRIPT
TOWNS = ["Kunduz", "Gao", "Beni", "Marawi", "Baidoa", "Sirte", "Tikrit", "Mopti", "Borno", "Kidal", "Parachinar"]
LINES = [
    "Militants fired rockets at an army camp outside {town} on {when}, killing {n} soldiers, a spokesman said.",
    "A roadside bomb struck a bus near {town} on {when}, killing {n} passengers and wounding {m}, police said.",
    "Armed men kidnapped {n} teachers from a school in {town} on {when}, residents said.",
    "Police in {town} arrested {n} protesters on {when} after a march over fuel prices turned violent.",
    "The mayor of {town} opened a new water plant on {when} that will serve {m} thousand homes.",
]
SUMMARY = re.compile(r"ingested (\d+), duplicate (\d+), failed (\d+)")


def report(i: int) -> dict[str, str]:
    body = LINES[i % len(LINES)].format(town=TOWNS[i % len(TOWNS)], when=f"{1 + i % 28} March 2017", n=2 + i, m=i + 5)
    return {"text": body, "title": f"Dispatch {i}", "published": "2017-03-30", "id": f"d{i}"}


def write_jsonl(path: Path, indices: list[int]) -> str:
    path.write_text("".join(json.dumps(report(i)) + "\n" for i in indices), encoding="utf-8")
    return str(path)


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_two_ingest_processes_into_one_postgresql_database(pg_url, tmp_path):
    assert SCRIPT, "the conflictlens console script is not installed"
    shared, only_a, only_b = list(range(15)), list(range(15, 30)), list(range(30, 45))
    a = write_jsonl(tmp_path / "a.jsonl", shared + only_a)
    b = write_jsonl(tmp_path / "b.jsonl", shared + only_b)
    Store.open(pg_url).close()  # migrate first, so that both processes start ingesting at the same moment
    procs = [
        subprocess.Popen([SCRIPT, "ingest", path, "--db", pg_url, "--batch-size", "3", "--quiet"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for path in (a, b)
    ]
    outcomes = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outcomes):
        assert proc.returncode == 0, err
    counts = [tuple(int(x) for x in SUMMARY.search(err).groups()) for _, err in outcomes]
    assert sum(c[0] for c in counts) == 45  # every article ingested by exactly one of the two
    assert sum(c[1] for c in counts) == 15  # and found a duplicate by the other
    assert all(c[2] == 0 for c in counts)

    # The same union, ingested once by one process, is the reference.
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    with Store.open(reference) as store:
        run_ingest(store, [write_jsonl(tmp_path / "all.jsonl", list(range(45)))], pipeline=Pipeline(batch_size=16))

    queries = {
        "articles": "SELECT article_id, text FROM articles ORDER BY article_id",
        "mentions": "SELECT mention_id, article_id, position, data FROM mentions ORDER BY mention_id",
        "events": "SELECT event_id FROM events ORDER BY event_id",
        "event_mentions": "SELECT event_id, mention_id FROM event_mentions ORDER BY event_id, mention_id",
    }
    for name, sql in queries.items():
        got, want = rows(pg_url, sql), rows(reference, sql)
        assert got == want, f"{name} differ"
    assert len(rows(pg_url, queries["articles"])) == len({report(i)["text"] for i in range(45)}) == 45
    assert rows(pg_url, "SELECT count(*) - count(DISTINCT (article_id, position)) FROM mentions") == [(0,)]
