"""Read-only access to the shipped gazetteer, ``cronica/data/gazetteer.sqlite``.

The file is built by ``scripts/build_gazetteer.py`` (sources, licences and size in
docs/places.md).  It is opened lazily, read-only, on first use, through
:mod:`importlib.resources` (so it works from a wheel / non-editable install); one
connection is shared and guarded by a lock, so a :class:`GazetteerDB` is safe to use from
several threads.

Ids: ``country:PE``, ``iso:PE-AYA`` (admin1 with an ISO 3166-2 code), ``gn-a1:PR.127``
(a GeoNames admin1 with no ISO code), ``a2:PE-AYA:provincia-de-huanta`` (admin2),
``gn:3939459`` (populated place, GeoNames id), ``region:vraem`` (informal region).
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

from cronica.resolve.text import fold

KINDS: tuple[str, ...] = ("country", "admin1", "admin2", "locality", "region")
_COLS = ("id, kind, name, name_es, name_pt, name_en, country, countries, admin1_id, admin1, admin2_id, "
         "admin2, lat, lon, population, feature")


class GazetteerDBError(RuntimeError):
    """The gazetteer file is missing or unreadable; the message names the file."""


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer row: a country, admin1, admin2, populated place or informal region."""

    id: str
    kind: str
    name: str
    name_es: str | None
    name_pt: str | None
    name_en: str | None
    country: str | None
    countries: str | None
    admin1_id: str | None
    admin1: str | None
    admin2_id: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str | None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def point_in_polygon(lon: float, lat: float, poly: list[tuple[float, float]] | list[list[float]]) -> bool:
    """Ray casting; ``poly`` is a ring of ``[lon, lat]`` points (closed or not)."""
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i][0], poly[i][1]
        xj, yj = poly[j][0], poly[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


class GazetteerDB:
    """Queries over the gazetteer file; ``path`` defaults to the packaged file."""

    _default: "GazetteerDB | None" = None
    _default_lock = threading.Lock()

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self._con: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._stack = contextlib.ExitStack()
        self._polygons: dict[str, list[list[float]]] | None = None

    @classmethod
    def default(cls) -> "GazetteerDB":
        """The packaged gazetteer, shared by the process (opened on first query)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    # -- connection ----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._con is None:
            path = self._path
            if path is None:
                res = resources.files("cronica").joinpath("data", "gazetteer.sqlite")
                path = self._stack.enter_context(resources.as_file(res))
            if not Path(path).is_file():
                raise GazetteerDBError(f"{path}: gazetteer file not found (build it with "
                                       "scripts/build_gazetteer.py)")
            try:
                con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                      check_same_thread=False)
                con.execute("SELECT 1 FROM places LIMIT 1")
            except sqlite3.DatabaseError as exc:
                raise GazetteerDBError(f"{path}: not a readable gazetteer ({exc})") from None
            self._con = con
        return self._con

    def _rows(self, sql: str, args: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._connect().execute(sql, tuple(args)).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
            self._stack.close()

    @property
    def path(self) -> str:
        with self._lock:
            con = self._connect()
            return str(con.execute("PRAGMA database_list").fetchone()[2])

    def meta(self) -> dict[str, str]:
        return dict(self._rows("SELECT key, value FROM meta"))

    # -- lookups ---------------------------------------------------------------------------
    def get(self, place_id: str) -> Place | None:
        """The place with this id, or ``None``."""
        rows = self._rows(f"SELECT {_COLS} FROM places WHERE id = ?", (place_id,))
        return Place(*rows[0]) if rows else None

    def lookup(self, name: str, country: str | None = None, admin1: str | None = None,
               kinds: Iterable[str] | None = None, limit: int = 50) -> list[Place]:
        """Places whose name or any variant folds to ``fold(name)``, most populous first.

        ``country`` (ISO-2) and ``admin1`` (an admin1 id such as ``iso:CO-HUI``, or a name
        such as "Huila") restrict the result; ``kinds`` keeps only those kinds."""
        key = fold(name or "")
        if not key:
            return []
        sql = (f"SELECT DISTINCT {', '.join('p.' + c.strip() for c in _COLS.split(','))} FROM names n "
               "JOIN places p ON p.id = n.place_id WHERE n.key = ?")
        args: list[object] = [key]
        if country:
            sql += " AND (p.country = ? OR p.countries LIKE ?)"
            args += [country.upper(), f"%{country.upper()}%"]
        if admin1:
            ids = [admin1] if ":" in admin1 else [p.id for p in self.lookup(admin1, country, kinds=("admin1",))]
            if not ids:
                return []
            sql += f" AND p.admin1_id IN ({','.join('?' * len(ids))})"
            args += ids
        if kinds is not None:
            ks = list(kinds)
            unknown = [k for k in ks if k not in KINDS]
            if unknown:
                raise ValueError(f"gazetteer lookup: unknown kind(s) {unknown}; expected some of {KINDS}")
            sql += f" AND p.kind IN ({','.join('?' * len(ks))})"
            args += ks
        sql += " ORDER BY p.population DESC, p.id LIMIT ?"
        args.append(int(limit))
        return [Place(*r) for r in self._rows(sql, args)]

    def hierarchy(self, place_id: str) -> dict[str, Place | None]:
        """``{"place", "admin2", "admin1", "country"}`` of a place (``None`` where unknown)."""
        p = self.get(place_id)
        if p is None:
            return {"place": None, "admin2": None, "admin1": None, "country": None}
        return {"place": p,
                "admin2": self.get(p.admin2_id) if p.admin2_id else None,
                "admin1": self.get(p.admin1_id) if p.admin1_id else None,
                "country": self.get(f"country:{p.country}") if p.country else None}

    def nearest(self, lat: float, lon: float, kinds: Iterable[str] = ("locality",),
                max_km: float = 50.0) -> tuple[Place, float] | None:
        """The nearest place of ``kinds`` within ``max_km`` of (lat, lon), with its distance."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"gazetteer nearest: coordinates {lat},{lon} out of range")
        ks = list(kinds)
        dlat = max_km / 111.0
        dlon = max_km / (111.0 * max(0.05, math.cos(math.radians(lat))))
        rows = self._rows(
            f"SELECT {_COLS} FROM places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            f"AND kind IN ({','.join('?' * len(ks))})",
            (lat - dlat, lat + dlat, lon - dlon, lon + dlon, *ks))
        best: tuple[Place, float] | None = None
        for r in rows:
            p = Place(*r)
            d = haversine_km(lat, lon, p.lat, p.lon)  # type: ignore[arg-type]
            if d <= max_km and (best is None or (d, p.id) < (best[1], best[0].id)):
                best = (p, d)
        return best

    def _region_polygons(self) -> dict[str, list[list[float]]]:
        with self._lock:
            if self._polygons is None:
                self._polygons = {rid: json.loads(poly) for rid, poly in
                                  self._rows("SELECT region_id, polygon FROM region_polygons ORDER BY region_id")}
            return self._polygons

    def regions_at(self, lat: float, lon: float) -> list[Place]:
        """Informal regions whose outline contains (lat, lon), by id."""
        out = []
        for rid, poly in self._region_polygons().items():
            if poly and point_in_polygon(lon, lat, poly):
                p = self.get(rid)
                if p is not None:
                    out.append(p)
        return out

    def region_polygon(self, region_id: str) -> list[list[float]]:
        return list(self._region_polygons().get(region_id, []))

    def region_units(self, region_id: str) -> list[tuple[str, str, int, int]]:
        """(unit id, kind, places inside the outline, places of the unit) covered by a region."""
        return [tuple(r) for r in self._rows(  # type: ignore[misc]
            "SELECT unit_id, kind, places_inside, places_total FROM region_units WHERE region_id = ? "
            "ORDER BY unit_id", (region_id,))]

    def localities(self, min_population: int = 0, countries: Iterable[str] | None = None) -> list[Place]:
        """Populated places of at least ``min_population``, most populous first."""
        sql = f"SELECT {_COLS} FROM places WHERE kind = 'locality' AND population >= ?"
        args: list[object] = [min_population]
        if countries is not None:
            cs = sorted(countries)
            sql += f" AND country IN ({','.join('?' * len(cs))})"
            args += cs
        return [Place(*r) for r in self._rows(sql + " ORDER BY population DESC, id", args)]
