"""Latency of filtered ``/api/events`` requests over a database of 100k synthetic events.

Fills a temporary SQLite database through the store's own write path (``Store.write_article`` with many events
per article, so one transaction carries a batch), then times filtered requests through the whole ASGI stack
(in-process FastAPI TestClient: routing, validation, SQL, JSON) and prints p50/p95/max per query and overall.
Prints figures only; it asserts nothing about time.

    .venv/bin/python benchmarks/api_latency.py                 # 100,000 events, 20 rounds
    .venv/bin/python benchmarks/api_latency.py --events 20000 --rounds 5 --db /tmp/bench.db --keep
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from conflictlens.model import ActorRef, Article, Casualties, DateRange, Event, Place, Source, Span

COUNTRIES = [("PK", 30, 70), ("AF", 34, 66), ("NG", 10, 8), ("SO", 5, 46), ("SY", 35, 38), ("IQ", 33, 44), ("YE", 15, 48),
             ("ML", 17, -4), ("CD", -2, 28), ("SD", 15, 30), ("UA", 49, 32), ("MX", 23, -102), ("CO", 4, -73),
             ("IN", 22, 79), ("PH", 12, 122), ("MM", 21, 96), ("ET", 9, 40), ("LY", 27, 17), ("BF", 12, -2), ("KE", 0, 38)]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
         ("Violence against civilians", "Abduction/forced disappearance"), ("Protests", "Peaceful protest"),
         ("Riots", "Violent demonstration"), ("Strategic developments", "Arrests")]
WORDS = "gunmen attacked village market convoy checkpoint school police army rebels militia bomb drone clash protest".split()
# 400 made-up place and clan names: each digest names a few, so a free-text query matches a few percent
NAMES = [a + b for a in ("ka", "lo", "mi", "ne", "su", "ta", "ro", "vi", "ze", "du") for b in
         ("bara", "dini", "goro", "hasi", "jumo", "kuli", "mena", "nalo", "pesu", "roka", "sabi", "tuvo", "wena",
          "yasi", "zulo", "beko", "cari", "dafo", "eshu", "fira", "gane", "hulo", "iski", "jara", "kebo", "lami",
          "mofu", "niro", "opal", "quin", "rasu", "sefo", "tiko", "ubar", "veno", "wuli", "xaro", "yemi", "zaki", "amon")]


def synthetic_batch(rng: random.Random, batch: int, size: int, actors: list[str]) -> tuple[Article, list[Event]]:
    text = " ".join(rng.choice(WORDS) for _ in range(34)) + " " + " ".join(rng.sample(NAMES, 6)) + f" report {batch}"
    article = Article(article_id=hashlib.sha256(text.encode()).hexdigest(), text=text, title=f"Digest {batch}",
                      published="2020-01-01", source="bench")
    events = []
    for i in range(size):
        country, lat, lon = rng.choice(COUNTRIES)
        event_type, sub = rng.choice(TYPES)
        day = f"{rng.randint(2010, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        killed = rng.choice([None, 0, 0, 1, 2, 3, 5, 8, 13, 40, 120])
        actor = rng.choice(actors)
        word = text.split()[i % 40]
        start = text.index(word)
        ev = Event(
            event_id=f"ev-{batch:05d}-{i:03d}", event_type=event_type, sub_event_type=sub,
            date=DateRange(start=day, end=day, precision="day"),
            location=Place(name=f"Place {rng.randint(1, 500)}", admin1=f"Region {rng.randint(1, 12)}", country=country,
                           lat=lat + rng.uniform(-3, 3), lon=lon + rng.uniform(-3, 3), precision="city"),
            perpetrators=[ActorRef(name=actor, mention=actor, actor_id=actor.lower().replace(" ", "-"))],
            killed=Casualties(best=killed), sources=[Source(article_id=article.article_id, title=article.title)],
            summary=f"Synthetic event {batch}-{i}.", mention_ids=[f"m-{batch}-{i}"], confidence=0.5,
        )
        ev.add_evidence("event_type", Span(article_id=article.article_id, start=start, end=start + len(word), text=word))
        events.append(ev)
    return article, events


def fill(url: str, n_events: int, *, per_article: int = 100, seed: int = 7) -> float:
    from conflictlens.store import Store

    rng = random.Random(seed)
    actors = [f"Group {chr(65 + i % 26)}{i}" for i in range(300)]
    started = time.perf_counter()
    with Store.open(url) as store:
        for batch in range(-(-n_events // per_article)):
            size = min(per_article, n_events - batch * per_article)
            article, events = synthetic_batch(rng, batch, size, actors)
            store.write_article(article, [], events)
    return time.perf_counter() - started


QUERIES = {
    "country": "country=PK",
    "country+dates": "country=NG&since=2015-01-01&until=2016-12-31",
    "type": "type=Air/drone strike",
    "actor": "actor=Group C2",
    "min_killed": "min_killed=40&sort=killed",
    "bbox": "bbox=60,25,75,40",
    "status+admin1": "status=occurred&admin1=Region 3",
    "text": "q=kabara",
    "text+country": "q=checkpoint lobara&country=AF",
    "all, oldest first": "sort=-date",
    "summary view": "country=SO&view=summary&limit=100",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20, help="times each query (and its page 2) is requested")
    parser.add_argument("--db", help="SQLite file to use (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="reuse --db if it is already filled")
    args = parser.parse_args()

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from fastapi.testclient import TestClient

    from conflictlens.api import create_app
    from conflictlens.store import Store

    tmp = tempfile.TemporaryDirectory()
    path = Path(args.db) if args.db else Path(tmp.name) / "bench.db"
    url = f"sqlite:///{path}"
    if not (args.keep and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        seconds = fill(url, args.events)
        print(f"filled {args.events:,} events in {seconds:.1f} s ({args.events / seconds:,.0f} events/s)")
    with Store.open(url) as store:
        print(f"database: {path} ({path.stat().st_size / 1e6:.0f} MB), {store.count_events():,} events")

    timings: dict[str, list[float]] = {name: [] for name in QUERIES}
    first_pages: list[float] = []
    next_pages: list[float] = []
    with TestClient(create_app(url)) as client:
        for query in QUERIES.values():  # warm-up: first use of each plan and of the page cache
            client.get(f"/api/events?{query}")
        for _ in range(args.rounds):
            for name, query in QUERIES.items():
                t0 = time.perf_counter()
                response = client.get(f"/api/events?{query}")
                timings[name].append((time.perf_counter() - t0) * 1000)
                first_pages.append(timings[name][-1])
                assert response.status_code == 200, response.text
                cursor = response.json()["next_cursor"]
                if cursor:  # the next page, as the table's "Next" button asks for it
                    t0 = time.perf_counter()
                    client.get(f"/api/events?{query}&cursor={cursor}")
                    timings[name].append((time.perf_counter() - t0) * 1000)
                    next_pages.append(timings[name][-1])
        total = response.json()["total"]
    print(f"\n{'query':<20} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    every: list[float] = []
    for name, values in timings.items():
        every += values
        print(f"{name:<20} {len(values):>4} {statistics.median(values):>8.1f} {percentile(values, .95):>8.1f} {max(values):>8.1f}")
    print(f"\nfirst pages (with the total count): n={len(first_pages)}, p50 {statistics.median(first_pages):.1f} ms, "
          f"p95 {percentile(first_pages, .95):.1f} ms")
    print(f"next pages (cursor, no count):      n={len(next_pages)}, p50 {statistics.median(next_pages):.1f} ms, "
          f"p95 {percentile(next_pages, .95):.1f} ms")
    print(f"all filtered /api/events requests:  n={len(every)}, p50 {statistics.median(every):.1f} ms, "
          f"p95 {percentile(every, .95):.1f} ms (target < 100 ms); page size 50 full records (100 summary); "
          f"last query matched {total:,}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
