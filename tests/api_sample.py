"""A small database for the API, server and browser tests, built from records written here (no extractor).

Articles are our own short reports; every event's evidence spans are found in the article text by search,
so the offsets are right by construction. One article carries XSS payloads in its title and text, and one
actor name carries one too; ``window.__xss`` must stay undefined in a browser that shows them.
"""

from __future__ import annotations

import hashlib

from conflictlens.model import (
    ActorRef,
    Article,
    Casualties,
    Claim,
    DateRange,
    Event,
    EventMention,
    Place,
    Source,
    Span,
    Target,
    Weapon,
)
from conflictlens.store import Store

XSS_TITLE = '<img src=x onerror="window.__xss=1">Raid <script>window.__xss=2</script> report'
XSS_TEXT = (
    "Militants attacked a police post in Kandahar on Monday, killing three policemen. "
    "<script>window.__xss=3</script> A witness wrote <img src=x onerror=\"window.__xss=4\"> on a wall. "
    "The group <b onmouseover=\"window.__xss=5\">Night Riders</b> claimed the raid."
)
XSS_ACTOR = '<img src=x onerror="window.__xss=6">Riders'


def article(text: str, *, title: str, published: str, url: str | None = None) -> Article:
    return Article(article_id=hashlib.sha256(text.encode()).hexdigest(), text=text, title=title,
                   published=published, url=url, source="Test Wire")


def span(art: Article, needle: str) -> Span:
    start = art.text.index(needle)
    return Span(article_id=art.article_id, start=start, end=start + len(needle), text=needle)


def source(art: Article) -> Source:
    return Source(article_id=art.article_id, url=art.url, title=art.title, published=art.published)


def event(event_id: str, art: Article, *, evidence: dict[str, str], reasons: dict[str, str] | None = None,
          mention_ids: list[str] | None = None, **fields: object) -> Event:
    ev = Event(event_id=event_id, sources=[source(art)], mention_ids=mention_ids or [f"{event_id}-m1"], **fields)
    for name, needle in evidence.items():
        ev.add_evidence(name, span(art, needle), reason=(reasons or {}).get(name))
    return ev


def mention_of(ev: Event, mention_id: str, art: Article) -> EventMention:
    data = {k: v for k, v in ev.to_dict().items() if k not in ("event_id", "sources", "mention_ids")}
    data["evidence"] = {k: [s for s in v if s["article_id"] == art.article_id] for k, v in data["evidence"].items()}
    return EventMention.from_dict({**data, "mention_id": mention_id, "article_id": art.article_id})


PESHAWAR = article(
    "Gunmen stormed a school in Peshawar on Tuesday, killing 141 people, officials said. "
    "The Pakistani Taliban claimed responsibility for the attack.",
    title="School attack in Peshawar", published="2014-12-16", url="http://127.0.0.1/peshawar",
)
PESHAWAR_2 = article(
    "Taliban militants killed 132 children at the Army Public School in Peshawar, the army said.",
    title="Army school massacre", published="2014-12-17",
)
MAIDUGURI = article(
    "A car bomb exploded near a market in Maiduguri on Saturday, killing 12 people and wounding 30. "
    "Police blamed Boko Haram.",
    title="Market bombing in Maiduguri", published="2015-01-10",
)
XSS = article(XSS_TEXT, title=XSS_TITLE, published="2015-03-02")
MULTI_A = article("Rebels clashed with the army near Goma on Friday; five soldiers died.",
                  title="Clash near Goma", published="2016-05-06")
MULTI_B = article("In a separate incident, rebels burned a village north of Goma, killing two.",
                  title="Village burned", published="2016-05-07")
BULK = article("Bulk report " + " ".join(f"incident{i}" for i in range(40)), title="Weekly digest", published="2016-06-30")


def peshawar_event() -> Event:
    return event(
        "ev-peshawar", PESHAWAR,
        evidence={"event_type": "stormed", "location": "Peshawar", "date": "Tuesday", "killed": "killing 141 people",
                  "perpetrators": "Pakistani Taliban", "targets": "a school", "claims": "claimed responsibility"},
        reasons={"event_type": "trigger 'stormed' -> Attack", "killed": "casualty phrase 'killing N people'",
                 "location": "gazetteer: Peshawar (city, PK)", "date": "weekday before published date"},
        event_type="Violence against civilians", sub_event_type="Attack", attack_types=["Armed Assault"],
        date=DateRange(start="2014-12-16", end="2014-12-16", precision="day", text="Tuesday"),
        location=Place(name="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.008, lon=71.578, precision="city"),
        perpetrators=[ActorRef(name="Tehrik-i-Taliban Pakistan", mention="Pakistani Taliban", actor_id="ttp")],
        claims=[Claim(name="Tehrik-i-Taliban Pakistan", mention="Pakistani Taliban", quote="claimed responsibility", actor_id="ttp")],
        targets=[Target(mention="a school", type="Educational Institution")],
        killed=Casualties(best=141, low=141, high=141),
        summary="Gunmen stormed a school in Peshawar on Tuesday, killing 141 people, officials said.",
        confidence=0.9,
    )


def build(store: Store) -> dict[str, str]:
    """Fill ``store``; returns the ids the tests use."""
    pesh = peshawar_event()
    store.write_article(PESHAWAR, [mention_of(pesh, "ev-peshawar-m1", PESHAWAR)], [pesh])
    pesh2 = event(
        "ev-peshawar-2", PESHAWAR_2, evidence={"killed": "killed 132 children", "location": "Peshawar",
                                                "perpetrators": "Taliban militants"},
        event_type="Violence against civilians", sub_event_type="Attack",
        date=DateRange(start="2014-12-16", end="2014-12-16", precision="day"),
        location=Place(name="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.01, lon=71.58, precision="city"),
        perpetrators=[ActorRef(name="Tehrik-i-Taliban Pakistan", mention="Taliban militants", actor_id="ttp")],
        killed=Casualties(best=132), confidence=0.7,
        summary="Taliban militants killed 132 children at the Army Public School in Peshawar, the army said.",
    )
    store.write_article(PESHAWAR_2, [], [pesh2])
    maid = event(
        "ev-maiduguri", MAIDUGURI,
        evidence={"event_type": "car bomb exploded", "location": "Maiduguri", "killed": "killing 12 people",
                  "wounded": "wounding 30", "perpetrators": "Boko Haram", "weapons": "car bomb"},
        reasons={"event_type": "trigger 'exploded' with weapon 'car bomb'"},
        event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
        date=DateRange(start="2015-01-10", end="2015-01-10", precision="day", text="Saturday"),
        location=Place(name="Maiduguri", admin1="Borno", country="NG", lat=11.846, lon=13.16, precision="city"),
        perpetrators=[ActorRef(name="Boko Haram", mention="Boko Haram", actor_id="boko-haram", uncertain=True)],
        weapons=[Weapon(mention="car bomb", type="Explosives")],
        killed=Casualties(best=12), wounded=Casualties(best=30), confidence=0.8,
        summary="A car bomb exploded near a market in Maiduguri on Saturday, killing 12 people and wounding 30.",
    )
    store.write_article(MAIDUGURI, [], [maid])
    xss = event(
        "ev-xss", XSS,
        evidence={"event_type": "attacked", "summary": "<script>window.__xss=3</script>",
                  "perpetrators": "<b onmouseover=\"window.__xss=5\">Night Riders</b>",
                  "killed": "killing three policemen", "location": "Kandahar"},
        reasons={"perpetrators": '<img src=x onerror="window.__xss=7">reason'},
        event_type="Battles", sub_event_type="Attack",
        date=DateRange(start="2015-03-02", end="2015-03-02", precision="day"),
        location=Place(name="Kandahar<script>window.__xss=8</script>", country="AF", lat=31.61, lon=65.71, precision="city"),
        perpetrators=[ActorRef(name=XSS_ACTOR, mention="Night Riders")],
        killed=Casualties(best=3), confidence=0.5,
        summary='<img src=x onerror="window.__xss=9">Militants attacked a police post in Kandahar.',
    )
    store.write_article(XSS, [], [xss])
    multi = event(
        "ev-goma", MULTI_A, evidence={"event_type": "clashed", "killed": "five soldiers died", "location": "Goma"},
        mention_ids=["m-goma-a", "m-goma-b"],
        event_type="Battles", sub_event_type="Armed clash",
        date=DateRange(start="2016-05-06", end="2016-05-06", precision="day"),
        location=Place(name="Goma", admin1="North Kivu", country="CD", lat=-1.68, lon=29.22, precision="city"),
        perpetrators=[ActorRef(name="M23", mention="Rebels", actor_id="m23")],
        killed=Casualties(best=5), confidence=0.6, summary="Rebels clashed with the army near Goma on Friday.",
    )
    store.write_article(MULTI_A, [mention_of(multi, "m-goma-a", MULTI_A)], [multi])
    village = event("ev-goma", MULTI_B, evidence={"event_type": "burned a village"},
                    event_type="Violence against civilians", killed=Casualties(best=2))
    multi.sources.append(source(MULTI_B))
    for name, spans in village.evidence.items():
        for s in spans:
            multi.add_evidence(name, s)
    store.write_article(MULTI_B, [mention_of(village, "m-goma-b", MULTI_B)], [multi])
    bulk = []
    for i in range(40):
        day = None if i % 13 == 0 else f"2016-{1 + i % 12:02d}-{1 + i % 27:02d}"
        bulk.append(Event(
            event_id=f"ev-bulk-{i:02d}", event_type="Protests" if i % 2 else "Riots", sub_event_type="Peaceful protest",
            status="occurred", date=DateRange(start=day, end=day, precision="day" if day else "unknown"),
            location=Place(name=f"Town {i}", country="KE" if i % 3 else "UG", lat=-1.0 + i / 10, lon=36.0 + i / 10, precision="city"),
            killed=Casualties(best=None if i % 5 == 0 else i % 7), sources=[source(BULK)],
            summary=f"Incident {i} in the weekly digest.", mention_ids=[f"m-bulk-{i}"],
        ))
    store.write_article(BULK, [], bulk)
    return {"peshawar": "ev-peshawar", "peshawar2": "ev-peshawar-2", "maiduguri": "ev-maiduguri", "xss": "ev-xss",
            "goma": "ev-goma", "xss_article": XSS.article_id, "peshawar_article": PESHAWAR.article_id}


def rewrite_peshawar(store: Store) -> None:
    """Re-processing: the pipeline writes the Peshawar event again (from a new report of it)."""
    again = article("Officials confirmed the Peshawar school attack death toll on Wednesday.",
                    title="Toll confirmed", published="2014-12-17")
    pesh = peshawar_event()
    pesh.sources.append(source(again))
    store.write_article(again, [], [pesh])


# --- a real server --------------------------------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(*args: str) -> list[str]:
    """``conflictlens serve ARGS`` as a subprocess command (through cli_serve until cli.py registers it)."""
    import sys

    from conflictlens import cli

    if "serve" in cli.main.commands:
        return [sys.executable, "-m", "conflictlens", "serve", *args]
    return [sys.executable, "-c", "from conflictlens.cli_serve import serve; serve()", *args]


def start_server(db_url: str, *, env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
    """Start ``conflictlens serve`` on a free loopback port; returns (process, base URL) once it answers."""
    import os
    import subprocess
    import time

    import httpx

    port = free_port()
    proc = subprocess.Popen(
        serve_command("--port", str(port), "--db", db_url, "--log-level", "warning", *args),
        env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            httpx.get(base + "/api/config", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start within 30 s")


def stop_server(proc) -> str:
    import subprocess

    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out or ""
