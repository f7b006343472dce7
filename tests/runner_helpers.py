"""What the runner tests share: a small generated corpus with bad inputs, and a row-by-row database dump.

A multi-process runner must leave exactly the database the single-process runner leaves; ``dump`` reads every
table (without wall-clock columns) so two runs can be compared row by row.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, inspect, select

from conflictlens.pipeline import IngestReport

VOLATILE = {"ingested_at", "updated_at", "applied_at", "created_at"}  # wall-clock stamps

PLACES = ["Peshawar", "Quetta", "Maiduguri", "Mogadishu", "Kirkuk", "Goma", "Bamako", "Kabul", "Jalalabad", "Mosul"]
GROUPS = ["Boko Haram", "al-Shabaab", "Tehrik-i-Taliban Pakistan", "the Islamic State group", "ADF rebels"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "Gunmen attacked a police post in {place} on {day}, killing {n} officers and wounding {m} others, officials "
    "said. {group} claimed responsibility for the attack.",
    "A car bomb exploded near a crowded market in {place} on {day}, killing at least {n} people and injuring {m}, "
    "police said. No group has said it carried out the bombing.",
    "Soldiers clashed with {group} fighters near {place} on {day}; the army said {n} militants were killed and "
    "{m} soldiers were wounded.",
    "Suspected {group} militants abducted {n} aid workers on the road to {place} on {day}, a local official said.",
    "Hundreds of traders protested in {place} on {day} against a new market tax; police fired tear gas and "
    "arrested {n} people.",
    "The council in {place} approved a budget for {n} new schools on {day}; the vote passed by {m} to three.",
]


def generated_articles(n: int = 40) -> list[dict[str, str]]:
    """``n`` short reports, each different (place, group, day and figures vary with the index)."""
    out = []
    for i in range(n):
        text = TEMPLATES[i % len(TEMPLATES)].format(
            place=PLACES[i % len(PLACES)], group=GROUPS[i % len(GROUPS)], day=DAYS[i % len(DAYS)],
            n=3 + i, m=2 * i + 1,
        )
        out.append({"text": text, "title": f"Report {i}", "published": f"2015-{1 + i % 12:02d}-{1 + i % 27:02d}",
                    "source": "Test Wire", "id": f"rep-{i:03d}"})
    return out


def write_corpus(root: Path) -> list[str]:
    """40 reports in a JSONL file and text files, a repeated text, and five inputs that must fail; the paths
    to ingest. A run ingests 40, counts 1 duplicate and fails 5."""
    records = generated_articles(40)
    with open(root / "wire.jsonl", "w", encoding="utf-8") as fh:
        for rec in records[:32]:
            fh.write(json.dumps(rec) + "\n")
        fh.write('{"text": broken json\n')  # E105
        fh.write(json.dumps({"title": "no text here"}) + "\n")  # E106
    (root / "files").mkdir()
    for i, rec in enumerate(records[32:], start=32):
        (root / "files" / f"r{i}.txt").write_text(rec["text"] + "\n", encoding="utf-8")
    (root / "files" / "again.txt").write_text(records[33]["text"] + "\n", encoding="utf-8")  # a duplicate
    (root / "files" / "empty.txt").write_text("", encoding="utf-8")  # E102
    (root / "files" / "notes.docx").write_bytes(b"PK\x03\x04 not ours")  # E108
    return [str(root / "wire.jsonl"), str(root / "files"), str(root / "missing.txt")]  # E101


def dump(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, without wall-clock columns, sorted: two equal dumps mean equal databases."""
    engine = create_engine(url)
    try:
        names = inspect(engine).get_table_names()
        out = {}
        with engine.connect() as conn:
            for name in sorted(names):
                if name.startswith(("sqlite_", "articles_fts_")):  # FTS5's internal shadow tables
                    continue
                table = Table(name, MetaData(), autoload_with=conn)
                cols = [c for c in table.columns if c.name not in VOLATILE]
                out[name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
        return out
    finally:
        engine.dispose()


def counts(report: IngestReport) -> dict:
    """The report's counts and errors, comparable between runs."""
    data = report.to_dict()
    data["errors"] = sorted(data["errors"])
    data["words"] = report.words
    return data


def single_process_run(corpus: list[str], folder: Path) -> tuple[str, dict, int]:
    """Ingest ``corpus`` with the single-process runner into a new database in ``folder``: the reference the
    multi-process runners must reproduce. Returns (database URL, report counts, progress reported)."""
    from conflictlens.pipeline import Pipeline, run_ingest
    from conflictlens.store import Store

    url = f"sqlite:///{folder / 'local.db'}"
    progress: list[int] = []
    with Store.open(url) as store:
        report = run_ingest(store, corpus, pipeline=Pipeline(batch_size=8), on_progress=progress.append)
    assert report.ingested == 40 and report.duplicates == 1 and report.failed == 5
    assert report.events > 0  # the comparisons mean something only if events were found
    return url, counts(report), sum(progress)


def assert_same_database(url: str, expected_url: str) -> None:
    """The database at ``url`` has exactly the rows of the one at ``expected_url``, table by table."""
    expected, got = dump(expected_url), dump(url)
    assert got.keys() == expected.keys()
    for table in expected:
        missing = [row for row in expected[table] if row not in got[table]]
        extra = [row for row in got[table] if row not in expected[table]]
        assert got[table] == expected[table], f"table {table} differs: missing {missing[:3]}, extra {extra[:3]}"
