"""The shipped SQLite gazetteer (cronica/data/gazetteer.sqlite): acceptance lookups, hierarchy
consistent with coordinates, informal regions, nearest place, thread safety, bad input, and
the resolver that uses it (cronica.resolve.places)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import pytest

from cronica.resolve.gazetteer import GazetteerDB, GazetteerDBError, haversine_km
from cronica.resolve.places import Gazetteer


@pytest.fixture(scope="module")
def db() -> GazetteerDB:
    return GazetteerDB.default()


def _town(db: GazetteerDB, name: str, country: str, admin1: str | None = None):  # type: ignore[no-untyped-def]
    got = db.lookup(name, country, admin1, kinds=("locality",))
    assert got, f"{name} ({admin1 or country}) not in the gazetteer"
    return got[0]


def test_packaged_file_and_size() -> None:
    res = resources.files("cronica").joinpath("data", "gazetteer.sqlite")
    assert res.is_file()
    with resources.as_file(res) as p:
        assert Path(p).stat().st_size <= 25 * 1024 * 1024
    assert GazetteerDB.default().meta()["schema_version"] == "1"


@pytest.mark.parametrize("name, admin1, lat, lon", [
    ("Pichari", "Cusco", -12.52, -73.83),
    ("Huanta", "Ayacucho", -12.93, -74.25),
    ("Tingo María", "Huánuco", -9.30, -76.00),
    ("tingo maria", "Huánuco", -9.30, -76.00),
    ("TINGO MARÍA", "Huánuco", -9.30, -76.00),
])
def test_peruvian_towns(db: GazetteerDB, name: str, admin1: str, lat: float, lon: float) -> None:
    p = _town(db, name, "PE")
    assert p.admin1 == admin1 and p.admin1_id and p.admin1_id.startswith("iso:PE-")
    assert haversine_km(lat, lon, p.lat, p.lon) < 15
    assert p.admin2 and p.admin2.startswith("Provincia de")


def test_santo_domingo_de_acobamba_is_in_junin_if_present(db: GazetteerDB) -> None:
    # GeoNames' cities500 lacks this district seat; whatever the file has must be in Junín,
    # and the shorter "Santo Domingo" must never stand in for it.
    for p in db.lookup("Santo Domingo de Acobamba", "PE"):
        assert p.admin1 == "Junín"
        assert "acobamba" in p.name.lower()


def test_san_luis_huila_vs_tolima(db: GazetteerDB) -> None:
    tolima = db.lookup("San Luis", "CO", "Tolima")
    assert tolima and all(p.admin1 == "Tolima" for p in tolima)
    assert all(p.admin1_id == "iso:CO-HUI" for p in db.lookup("San Luis", "CO", "Huila"))
    assert all(p.admin1_id == "iso:CO-HUI" for p in db.lookup("San Luis", "CO", "iso:CO-HUI"))
    assert db.lookup("Huila", "CO", kinds=("admin1",))[0].id == "iso:CO-HUI"


def test_jesus_maria_sinaloa(db: GazetteerDB) -> None:
    p = _town(db, "Jesús María", "MX", "Sinaloa")
    assert p.admin1 == "Sinaloa" and haversine_km(25.09, -107.45, p.lat, p.lon) < 20
    # the same name elsewhere keeps its own state
    ags = _town(db, "Jesus Maria", "MX", "Aguascalientes")
    assert ags.admin1 == "Aguascalientes" and ags.id != p.id


def test_matamoros_tamaulipas(db: GazetteerDB) -> None:
    p = _town(db, "Matamoros", "MX")  # GeoNames: "Heroica Matamoros", alternate name "Matamoros"
    assert p.admin1 == "Tamaulipas" and haversine_km(25.87, -97.50, p.lat, p.lon) < 10
    h = db.hierarchy(p.id)
    assert h["admin1"].id == "iso:MX-TAM" and h["country"].id == "country:MX"
    assert h["admin2"] is not None and h["admin2"].admin1_id == "iso:MX-TAM"


def test_names_in_spanish_portuguese_english(db: GazetteerDB) -> None:
    assert db.get("country:PE").name_es == "Perú"
    assert db.lookup("Perú", kinds=("country",))[0].id == "country:PE"
    assert db.lookup("Brasil", kinds=("country",))[0].id == "country:BR"
    assert db.lookup("Cuzco Department", kinds=("admin1",))[0].id == "iso:PE-CUS"  # GeoNames variant


def test_hierarchy_consistent_with_coordinates(db: GazetteerDB) -> None:
    """On a sample of populated places: the admin1 agrees with most of the place's
    neighbours within 25 km, the admin2 belongs to the same admin1, ids resolve."""
    con = sqlite3.connect(f"{Path(db.path).as_uri()}?mode=ro", uri=True)
    rows = con.execute("SELECT id, country, admin1_id, admin2_id, lat, lon FROM places WHERE kind = 'locality' "
                       "AND country NOT IN ('US', 'ES') ORDER BY id").fetchall()
    sample = rows[::150]
    assert len(sample) > 150
    agree = checked = 0
    for pid, cc, a1, a2, lat, lon in sample:
        assert a1 is not None, pid
        admin1 = db.get(a1)
        assert admin1 is not None and admin1.kind == "admin1" and admin1.country == cc, pid
        if a2:
            admin2 = db.get(a2)
            assert admin2 is not None and admin2.admin1_id == a1 and admin2.country == cc, pid
        near = con.execute("SELECT admin1_id, lat, lon FROM places WHERE kind = 'locality' AND id != ? "
                           "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                           (pid, lat - 0.25, lat + 0.25, lon - 0.25, lon + 0.25)).fetchall()
        votes = Counter(n[0] for n in near if haversine_km(lat, lon, n[1], n[2]) <= 25)
        if sum(votes.values()) >= 3:
            checked += 1
            agree += votes.most_common(1)[0][0] == a1 or votes[a1] >= sum(votes.values()) / 3
    assert checked > 100 and agree / checked >= 0.9


@pytest.mark.parametrize("region, town, country, admin1", [
    ("region:vraem", "Pichari", "PE", None),
    ("region:upper-huallaga", "Tingo María", "PE", None),
    ("region:catatumbo", "Tibú", "CO", None),
    ("region:bajo-cauca", "Caucasia", "CO", None),
    ("region:tierra-caliente", "Apatzingán", "MX", None),
    ("region:golden-triangle-mx", "Badiraguato", "MX", None),
    ("region:tri-border-area", "Ciudad del Este", "PY", None),
    ("region:darien-gap", "Yaviza", "PA", None),
    ("region:baixada-fluminense", "Nova Iguaçu", "BR", None),
    ("region:valle-de-sula", "San Pedro Sula", "HN", None),
    ("region:frontera-chica", "Ciudad Miguel Alemán", "MX", "Tamaulipas"),
])
def test_regions_contain_their_towns(db: GazetteerDB, region: str, town: str, country: str,
                                     admin1: str | None) -> None:
    p = _town(db, town, country, admin1)
    assert region in {r.id for r in db.regions_at(p.lat, p.lon)}


def test_region_units_and_outside_points(db: GazetteerDB) -> None:
    units = {u for u, _kind, _n, _tot in db.region_units("region:vraem")}
    assert {"iso:PE-AYA", "iso:PE-CUS", "iso:PE-JUN"} & units and "a2:PE-AYA:provincia-de-huanta" in units
    assert not db.regions_at(-12.05, -77.04)  # Lima
    assert db.lookup("Triple Frontera")[0].id == "region:tri-border-area"


def test_nearest(db: GazetteerDB) -> None:
    p, d = db.nearest(-12.93, -74.25)
    assert p.name == "Huanta" and d < 1
    assert db.nearest(-30.0, -100.0) is None  # open Pacific
    with pytest.raises(ValueError, match="out of range"):
        db.nearest(120.0, 0.0)


def test_lookup_bad_kind_and_empty(db: GazetteerDB) -> None:
    assert db.lookup("") == [] and db.lookup("Xqzzyville") == []
    with pytest.raises(ValueError, match="unknown kind"):
        db.lookup("Lima", kinds=("city",))


def test_missing_or_bad_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerDBError, match="absent.sqlite"):
        GazetteerDB(tmp_path / "absent.sqlite").lookup("Lima")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerDBError, match="bad.sqlite"):
        GazetteerDB(bad).get("country:PE")


def test_thread_safe(db: GazetteerDB) -> None:
    names = ["Pichari", "Huanta", "Culiacán", "Medellín", "Rosario", "Matamoros"] * 20
    expected = {n: [p.id for p in db.lookup(n)] for n in set(names)}
    fresh = GazetteerDB(db.path)
    with ThreadPoolExecutor(max_workers=8) as ex:
        got = list(ex.map(lambda n: (n, [p.id for p in fresh.lookup(n)]), names))
    assert all(ids == expected[n] for n, ids in got)
    fresh.close()


def test_resolver_uses_the_file() -> None:
    g = Gazetteer.default()
    m = g.resolve("Matamoros", "MX")
    assert m.admin1 == "Tamaulipas" and m.gazetteer_id == "gn:3523466"
    assert g.resolve("Tingo María").admin1 == "Huánuco"
    jm = g.db.lookup("Jesús María", "MX", "Sinaloa", kinds=("locality",))[0]
    assert g.db.hierarchy(jm.id)["admin1"].name == "Sinaloa"
