"""How fusion time grows with the number of reports: synthetic mentions, in-memory fusion core only.

Times ``conflictlens.fusion.fuse_mentions`` (blocking + scoring + merging, no database) over 10k, 100k and
(with ``--sizes``) 1M synthetic EventMentions and prints seconds and mentions/s per size. Never asserts.

The synthetic world: incidents spread over 40 countries x 8 regions over a period that grows with the
corpus (100k reports span 3 years; 10k, 110 days; 1M, 30 years), so the density of incidents per region and
week (what blocking has to face) is the same at every size; three event types; each
incident is told by 1-8 reports (mean about 2.6) published on the day or up to a week later, which disagree
the way outlets do: a date a day off, the region-level place instead of the city, a different casualty
figure, the perpetrator unnamed, another wording of the summary. Reports arrive in publication order.

    .venv/bin/python benchmarks/fusion_scale.py                 # 10k and 100k
    .venv/bin/python benchmarks/fusion_scale.py --sizes 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import resource
import sys
import time

from conflictlens.fusion import fuse_mentions
from conflictlens.model import ActorRef, Casualties, DateRange, EventMention, Place, Source, Target, Victim

TYPES = [
    ("Violence against civilians", "Attack", "Armed Assault"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Bombing/Explosion"),
    ("Battles", "Armed clash", "Armed Assault"),
]
TARGETS = ["school", "market", "police station", "army checkpoint", "mosque", "church", "bus", "hospital",
           "village", "convoy", "polling station", "bank", "hotel", "pipeline", "refinery", "court"]
VERBS = ["attacked", "stormed", "struck", "hit", "raided"]
START = dt.date(2020, 1, 1).toordinal()


def synthetic_reports(n: int, *, seed: int = 7) -> list[tuple[EventMention, Source]]:
    rnd = random.Random(seed)
    countries = [chr(65 + i % 26) + chr(65 + i // 26) for i in range(40)]
    span = max(30, round(1100 * n / 100_000))
    reports: list[tuple[int, int, EventMention, Source]] = []
    incident = 0
    while len(reports) < n:
        incident += 1
        country = rnd.choice(countries)
        region = rnd.randrange(8)
        city = f"City{region}-{rnd.randrange(25)}"
        day = START + rnd.randrange(span)
        etype, sub, attack = rnd.choice(TYPES)
        group = f"Group {country}-{rnd.randrange(60)}"
        target = rnd.choice(TARGETS)
        killed = rnd.choice([0, 1, 2, 3, 5, 8, 12, 20, 40])
        for k in range(min(8, 1 + int(rnd.expovariate(0.6)))):
            if len(reports) >= n:
                break
            published = day + rnd.choice([0, 0, 1, 1, 2, 3, 7])
            d = day + (rnd.choice([-1, 1]) if rnd.random() < 0.1 else 0)
            coarse = rnd.random() < 0.15
            aid = f"art-{incident}-{k}"
            mention = EventMention(
                mention_id=f"m-{incident}-{k}", article_id=aid, event_type=etype, sub_event_type=sub,
                attack_types=[attack],
                date=DateRange(start=dt.date.fromordinal(d).isoformat(), end=dt.date.fromordinal(d).isoformat(),
                               precision="day"),
                location=Place(name=None if coarse else city, admin1=f"Region {region}", country=country,
                               precision="admin1" if coarse else "city"),
                perpetrators=[] if rnd.random() < 0.4 else [ActorRef(name=group, mention=group, actor_id=group)],
                targets=[Target(mention=f"{rnd.choice(['the', 'a', 'local'])} {target}")],
                victims=[Victim(mention="civilians")],
                killed=Casualties(best=killed + (k if rnd.random() < 0.5 else 0)),
                summary=f"Gunmen {rnd.choice(VERBS)} a {target} in {city}, killing {killed} people",
                confidence=0.5,
            )
            reports.append((published, rnd.random(), mention,
                            Source(article_id=aid, published=dt.date.fromordinal(published).isoformat())))
    reports.sort(key=lambda r: (r[0], r[1]))
    return [(m, s) for _, _, m, s in reports]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of mentions")
    args = parser.parse_args(argv)
    print(f"{'mentions':>10} {'events':>9} {'multi':>8} {'seconds':>9} {'mentions/s':>11} {'peak MB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        reports = synthetic_reports(size)
        gc.collect()
        started = time.perf_counter()
        events = fuse_mentions(reports)
        seconds = time.perf_counter() - started
        multi = sum(1 for e in events if len(e.mention_ids) > 1)
        print(f"{size:>10} {len(events):>9} {multi:>8} {seconds:>9.1f} {size / seconds:>11.0f} {peak_rss_mb():>8.0f}",
              flush=True)
        del reports, events
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
