#!/usr/bin/env python
"""Generate a synthetic Cronica database and measure the workbench's API latency.

    python scripts/gen_incidents.py --db /tmp/bench.db --incidents 100000 [--requests 200]

Builds (or reuses, with --reuse) a SQLite database of synthetic articles, each with
``--per-doc`` incidents carrying real evidence offsets, saved through the normal
``Cronica.save`` path (so full-text and provenance tables are filled as in real use);
then starts ``cronica serve`` on a free port, logs in with an API token and prints the
p50/p95/max latency of the incident list (plain, filtered, sorted, paged) and search
endpoints. Text is invented; nothing is read from the network.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import httpx

from cronica.records import ActorRef, Count, Document, Evidence, ExtractionResult, Incident, Location
from cronica.serve.accounts import add_user, create_token, get_user
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

PLACES = [("Culiacan", "MX", 24.8, -107.4), ("Tijuana", "MX", 32.5, -117.0), ("Medellin", "CO", 6.25, -75.56),
          ("Tumaco", "CO", 1.8, -78.76), ("Guayaquil", "EC", -2.19, -79.89), ("Lima", "PE", -12.05, -77.04),
          ("Rosario", "AR", -32.95, -60.65), ("San Pedro Sula", "HN", 15.5, -88.03)]
GROUPS = ["Sinaloa Cartel", "CJNG", "Clan del Golfo", "ELN", "Los Choneros", "Shining Path", "MS13", "Barrio 18"]
TYPES = [("murder", "killed"), ("attack", "attacked"), ("kidnapping", "kidnapped"), ("arrest_capture", "arrested"),
         ("drug_seizure", "seized"), ("armed_clash", "clashed with")]
WORDS = "market convoy village highway prison checkpoint farm port river school bridge clinic".split()


def make_result(k: int, per_doc: int, rng: random.Random) -> ExtractionResult:
    sentences, incidents = [], []
    pos = 0
    year = 2000 + k % 24
    for j in range(per_doc):
        place, cc, lat, lon = rng.choice(PLACES)
        group = rng.choice(GROUPS)
        itype, verb = rng.choice(TYPES)
        n = rng.randint(1, 30)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        s = (f"On {year}-{month:02d}-{day:02d} members of {group} {verb} {n} people near the "
             f"{rng.choice(WORDS)} in {place}.")
        sentences.append(s)
        ev = Evidence(pos, pos + len(s), s)
        g0 = pos + s.index(group)
        p0 = pos + s.index(place, s.index(" in "))
        incidents.append(Incident(
            id=f"inc_bench_{k}_{j}", type=itype, date=f"{year}-{month:02d}-{day:02d}", date_precision="day",
            location=Location(name=place, country=cc, lat=lat + rng.uniform(-.2, .2), lon=lon + rng.uniform(-.2, .2),
                              precision="locality", evidence=Evidence(p0, p0 + len(place), place)),
            perpetrators=[ActorRef(group, group, None, "criminal_group", Evidence(g0, g0 + len(group), group))],
            killed=Count(n) if itype == "murder" else None, evidence=[ev]))
        pos += len(s) + 1
    text = " ".join(sentences)
    doc = Document(id=f"doc_bench_{k}", text=text, title=f"Synthetic report {k}", outlet="Bench Daily",
                   published=f"{year}-12-31", language="en", url=f"https://example.org/bench/{k}")
    return ExtractionResult(document=doc, incidents=incidents, extractor="bench")


def build(db_url: str, n: int, per_doc: int) -> None:
    rng = random.Random(7)
    t0 = time.perf_counter()
    with Cronica(db_url) as db:
        for k in range((n + per_doc - 1) // per_doc):
            db.save(make_result(k, per_doc, rng))
            if k % 200 == 0:
                print(f"  {k * per_doc:>7} incidents saved ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    print(f"built {n} incidents in {time.perf_counter() - t0:.1f}s", file=sys.stderr)


def measure(client: httpx.Client, path: str, params: dict, requests: int) -> tuple[float, float, float]:
    times = []
    client.get(path, params=params).raise_for_status()  # warm up
    for _ in range(requests):
        t = time.perf_counter()
        r = client.get(path, params=params)
        times.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="SQLite file to create (or reuse with --reuse)")
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--per-doc", type=int, default=50)
    ap.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    ap.add_argument("--reuse", action="store_true", help="use an existing database as is")
    args = ap.parse_args()
    db_url = f"sqlite:///{args.db.resolve()}"
    if not args.reuse:
        if args.db.exists():
            sys.exit(f"error: {args.db} exists; delete it or pass --reuse")
        build(db_url, args.incidents, args.per_doc)
    with Cronica(db_url) as db:
        if get_user(db.engine, "bench") is None:
            add_user(db.engine, "bench", "bench-password", "reader")
        token = create_token(db.engine, "bench")
        total = db.counts()["incidents"]
    cases = [
        ("incidents (first page, -date)", "/api/v1/incidents", {"limit": 50, "sort": "-date"}),
        ("incidents (deep page, offset 50k)", "/api/v1/incidents", {"limit": 50, "offset": 50_000, "sort": "date"}),
        ("incidents (country+type)", "/api/v1/incidents", {"country": "CO", "type": "murder", "limit": 50}),
        ("incidents (actor)", "/api/v1/incidents", {"actor": "Clan del Golfo", "limit": 50}),
        ("incidents (since/until)", "/api/v1/incidents", {"since": "2010-03", "until": "2010-04", "limit": 50}),
        ("incidents (text)", "/api/v1/incidents", {"text": "convoy Tumaco", "limit": 50}),
        ("search (2 words)", "/api/v1/search", {"q": "prison Guayaquil", "limit": 20}),
        ("search (rare word)", "/api/v1/search", {"q": "Rosario bridge", "limit": 20}),
        ("timeline (all)", "/api/v1/timeline", {}),
        ("timeline (country+type)", "/api/v1/timeline", {"country": "CO", "type": "murder"}),
        ("incidents page (HTML, with timeline)", "/incidents", {}),
    ]
    print(f"{total} incidents; {args.requests} requests per endpoint (ms)")
    print(f"{'endpoint':40} {'p50':>8} {'p95':>8} {'max':>8}")
    with ServerProcess(db_url) as srv, httpx.Client(base_url=srv.url, timeout=120,
                                                    headers={"Authorization": f"Bearer {token}"}) as c:
        for name, path, params in cases:
            p50, p95, mx = measure(c, path, params, args.requests)
            print(f"{name:40} {p50:8.1f} {p95:8.1f} {mx:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
