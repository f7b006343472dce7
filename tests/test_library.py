"""The Python API researchers use in notebooks: conflictlens.extraction and conflictlens.open."""

import io
import json

import conflictlens as cl

TEXT = (
    "PESHAWAR, Pakistan - Gunmen stormed a police checkpoint in Peshawar on Tuesday, killing three policemen "
    "and a child, officials said. Tehrik-i-Taliban Pakistan claimed responsibility for the attack."
)


def test_extract_without_database():
    events = cl.extract(TEXT, published="2014-12-16")
    assert len(events) == 1
    event = events[0]
    assert event.killed.best == 4
    assert event.date.start == "2014-12-16" and event.date.precision == "day"
    assert event.location.name == "Peshawar" and event.location.country == "PK"
    assert any("Taliban" in c.name for c in event.claims)
    # every evidence span points into the text it came from
    for spans in event.evidence.values():
        for span in spans:
            assert span.text and span.end > span.start


def test_open_ingest_query_export(tmp_path):
    src = tmp_path / "report.jsonl"
    src.write_text(json.dumps({"id": "r1", "text": TEXT, "published": "2014-12-16"}) + "\n", encoding="utf-8")
    with cl.open(f"sqlite:///{tmp_path / 'lib.db'}") as db:
        report = db.ingest([str(src)])
        assert (report.ingested, report.failed, report.exit_code) == (1, 0, 0)
        assert db.ingest([str(src)]).duplicates == 1
        events = db.events(country="PK", since="2014-01-01")
        assert len(events) == 1 and events.to_dicts()[0]["event_id"] == events[0].event_id
        assert db.event(events[0].event_id) == events[0]
        assert db.events(country="AF") == []
        out = io.StringIO()
        assert db.export(out, format="geojson") == 1
        assert json.loads(out.getvalue())["features"][0]["geometry"]["type"] == "Point"
        assert db.stats()["events"] == 1


def test_extract_can_be_called_twice():
    """`conflictlens.extract` stays the function after the extraction package has been imported."""
    import conflictlens.extraction  # noqa: F401

    assert callable(cl.extract)
    assert len(cl.extract(TEXT, published="2014-12-16")) == 1
    assert len(cl.extract(TEXT, published="2014-12-16")) == 1
