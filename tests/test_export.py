"""Exports from constructed events: the DESIGN.md contract, ACLED/GTD CSV columns, GeoJSON."""

import csv
import io
import json

import pytest

from conflictlens.errors import QueryError
from conflictlens.export import CSV_COLUMNS, csv_row, write_events
from conflictlens.model import (
    ActorRef, Casualties, Claim, DateRange, Event, Place, Source, Span, Target, Weapon,
)

CONTRACT = [
    "event_id", "event_type", "sub_event_type", "attack_types", "status", "date", "location", "perpetrators",
    "perpetrator_individuals", "targets", "victims", "weapons", "killed", "wounded", "claims", "summary",
    "sources", "evidence", "confidence",
]


def make_event(**over) -> Event:
    base = dict(
        event_id="ev-0001",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        attack_types=["Armed Assault"],
        date=DateRange(start="2014-12-16", end="2014-12-16", precision="day", text="on Tuesday"),
        location=Place(name="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.008, lon=71.578,
                       precision="city", geonameid=1168197),
        perpetrators=[ActorRef(name="Tehrik-i-Taliban Pakistan", mention="TTP", actor_id="ttp")],
        targets=[Target(mention="school", type="Educational Institution")],
        weapons=[Weapon(mention="assault rifles", type="Firearms")],
        killed=Casualties(best=141, low=132, high=145),
        wounded=Casualties(low=100),
        claims=[Claim(name="Tehrik-i-Taliban Pakistan", mention="TTP", quote="TTP claimed responsibility")],
        summary="Gunmen stormed a school in Peshawar.",
        sources=[Source(article_id="a" * 64, url="https://example.org/x", title="School attack")],
        evidence={"killed": [Span(article_id="a" * 64, start=10, end=20, text="141 people")]},
        confidence=0.8,
    )
    base.update(over)
    return Event(**base)


def test_json_has_every_contract_field():
    out = io.StringIO()
    assert write_events([make_event()], out, format="json") == 1
    (record,) = json.loads(out.getvalue())
    assert all(k in record for k in CONTRACT)
    assert record["killed"] == {"best": 141, "low": 132, "high": 145}
    assert record["location"]["country"] == "PK"
    assert Event.from_dict(record) == make_event()


def test_csv_columns_acled_and_gtd():
    out = io.StringIO()
    write_events([make_event(), make_event(event_id="ev-2", location=Place(), date=DateRange())], out, format="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == CSV_COLUMNS
    r = rows[0]
    assert r["event_date"] == "2014-12-16" and r["year"] == "2014" and r["time_precision"] == "1"
    assert r["iyear"] == "2014" and r["imonth"] == "12" and r["iday"] == "16"
    assert r["actor1"] == r["gname"] == "Tehrik-i-Taliban Pakistan"
    assert r["fatalities"] == r["nkill"] == "141" and r["killed_low"] == "132"
    assert r["claimed"] == "1" and r["attacktype1_txt"] == "Armed Assault"
    assert r["targtype1_txt"] == "Educational Institution" and r["weaptype1_txt"] == "Firearms"
    assert r["geo_precision"] == "1" and r["specificity"] == "1"
    unknown = rows[1]
    assert unknown["latitude"] == "" and unknown["event_date"] == "" and unknown["iyear"] == ""


def test_month_precision_zeroes_gtd_day():
    row = csv_row(make_event(date=DateRange(start="2014-06-01", end="2014-06-30", precision="month", text="in June")))
    assert (row["iyear"], row["imonth"], row["iday"], row["time_precision"]) == ("2014", "6", "0", 3)


def test_geojson_features():
    out = io.StringIO()
    write_events([make_event(), make_event(event_id="ev-2", location=Place(name="somewhere"))], out, format="geojson")
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    located, unlocated = data["features"]
    assert located["geometry"] == {"type": "Point", "coordinates": [71.578, 34.008]}
    assert unlocated["geometry"] is None
    assert located["properties"]["event_id"] == "ev-0001"


def test_unknown_format():
    with pytest.raises(QueryError) as exc:
        write_events([], io.StringIO(), format="xlsx")
    assert exc.value.code == "E303"
