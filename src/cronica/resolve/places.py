"""The gazetteer: place names (English or Spanish, any accents) to :class:`Location`.

Sources, most specific last:

* ``cronica/data/places.yaml`` (ours): country adjectives and alternative names, and
  informal regions / conflict zones (VRAE, Catatumbo, Tierra Caliente ...) with a centroid
  and a rough polygon -> precision ``region``;
* pycountry: countries (``country``) and first-level subdivisions (``admin1``), with the
  Spanish country names from pycountry's ``es`` locale;
* the shipped gazetteer file (:mod:`cronica.resolve.gazetteer`, built by
  ``scripts/build_gazetteer.py`` from GeoNames-derived data): populated places
  (``locality``) of Latin America and the Caribbean, and towns of the US and Spain, each with
  its admin1 / admin2 / country; admin1 coordinates and extra admin1 name variants.  It is
  opened on the first city lookup and queried per name (results cached per process).

Gazetteer ids: ``country:PE``, ``iso:PE-AYA`` (admin1), ``gn:3932418`` (geonames city),
``region:vrae``.
"""

from __future__ import annotations

import gettext
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cronica.records import Location
from cronica.resolve.gazetteer import GazetteerDB, Place
from cronica.resolve.text import fold, lookup_keys, strip_accents, tokenize

LATAM: tuple[str, ...] = (
    "AR", "BO", "BR", "BZ", "CL", "CO", "CR", "CU", "DO", "EC", "GF", "GT", "GY", "HN", "HT",
    "JM", "MX", "NI", "PA", "PE", "PR", "PY", "SR", "SV", "TT", "UY", "VE",
)
CITY_COUNTRIES: frozenset[str] = frozenset(LATAM) | {"US", "ES"}
PATTERN_MIN_POPULATION = 15000
# Countries whose admin1 divisions are indexed (pycountry level-1 subdivisions).
ADMIN1_COUNTRIES: frozenset[str] = CITY_COUNTRIES
_BIG_CITY = 100_000
_CACHE_MAX = 100_000  # per-process memo of name -> places


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

    def __init__(self, data: dict[str, Any], source: str = "<memory>", db: GazetteerDB | None = None) -> None:
        import pycountry

        self.source = source
        self._regions = [_region(r, f"{source}: regions #{i + 1}") for i, r in enumerate(data["regions"])]
        self._by_key: dict[str, list[_Place]] = {}  # countries, admin1, regions
        self._country_keys: dict[str, str] = {}  # folded name/adjective -> ISO2
        self._places: dict[str, _Place] = {}
        self._db = db if db is not None else GazetteerDB.default()
        self._memo: dict[tuple[str, str], tuple[_Place, ...]] = {}
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

    @property
    def db(self) -> GazetteerDB:
        """The SQLite gazetteer behind city lookups (:mod:`cronica.resolve.gazetteer`)."""
        return self._db

    @staticmethod
    def _from_db(p: Place, precision: str = "locality") -> _Place:
        return _Place(p.id, p.name, p.country or "", p.admin1, p.lat, p.lon, precision, p.population)

    def _db_places(self, key: str, kind: str) -> tuple[_Place, ...]:
        """Gazetteer-file places of ``kind`` whose folded name is ``key``, largest first
        (memoised per process; the memo is dropped when it grows past a bound)."""
        got = self._memo.get((kind, key))
        if got is None:
            got = tuple(self._from_db(p, kind) for p in self._db.lookup(key, kinds=(kind,), limit=200)
                        if kind != "locality" or p.country in CITY_COUNTRIES)
            if len(self._memo) >= _CACHE_MAX:
                self._memo.clear()
            self._memo[(kind, key)] = got
        return got

    def _find_cities(self, keys: list[str]) -> list[_Place]:
        """Cities for the first key that names any, largest population first."""
        for k in keys:
            rows = self._db_places(k, "locality")
            if rows:
                return list(rows)
        return []

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
        if not fixed:  # admin1 variants only the gazetteer file knows ("Cuzco Department")
            for k in keys:
                fixed = [self._places.get(p.gid, p) for p in self._db_places(k, "admin1")
                         if p.country in ADMIN1_COUNTRIES]
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
            row = None if same else self._db.get(chosen.gid)  # else its most populous place
            if same or (row is not None and row.lat is not None):
                lat, lon = (same[0].lat, same[0].lon) if same else (row.lat, row.lon)  # type: ignore[union-attr]
                chosen = _Place(chosen.gid, chosen.name, chosen.country, chosen.admin1, lat, lon, "admin1")
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
        for city in self._db.localities(PATTERN_MIN_POPULATION, LATAM):  # largest first: a shared name
            add("GPE", city.id, city.name)  # goes to the biggest
        return out
