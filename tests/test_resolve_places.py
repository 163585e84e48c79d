"""Gazetteer: acceptance lookups, countries/adjectives, region shapes, ruler patterns in a
real blank spaCy pipeline, data validation and load time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from cronica.resolve.places import Gazetteer, GazetteerError


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _near(loc, lat: float, lon: float, tol: float = 0.6) -> bool:  # type: ignore[no-untyped-def]
    return loc.lat is not None and abs(loc.lat - lat) <= tol and abs(loc.lon - lon) <= tol


@pytest.mark.parametrize("name", ["VRAE", "VRAEM", "Apurimac and Ene River Valley", "the VRAE"])
def test_vrae(gaz: Gazetteer, name: str) -> None:
    loc = gaz.resolve(name)
    assert loc.precision == "region" and loc.country == "PE" and loc.gazetteer_id == "region:vraem"
    assert _near(loc, -12.5, -73.8)


@pytest.mark.parametrize("name, country, precision", [
    ("Ayacucho", "PE", None),
    ("Pichari", "PE", "locality"),
    ("Huanta", "PE", "locality"),
    ("Tingo María", "PE", "locality"),
    ("Tingo Maria", "PE", "locality"),
    ("Upper Huallaga Valley", "PE", "region"),
    ("Huallaga", "PE", "region"),
    ("Catatumbo", "CO", "region"),
    ("Bajo Cauca", "CO", "region"),
    ("Tierra Caliente", "MX", "region"),
    ("Culiacán", "MX", "locality"),
    ("culiacan", "MX", "locality"),
    ("Guayaquil", "EC", "locality"),
    ("Bogotá", "CO", "locality"),
    ("Ciudad de México", "MX", "locality"),
    ("Perú", "PE", "country"),
    ("Méjico", "MX", "country"),
    ("México", "MX", "country"),
    ("Darién Gap", "PA", "region"),
    ("Chapare", "BO", "region"),
    ("Petén", "GT", "region"),
])
def test_acceptance(gaz: Gazetteer, name: str, country: str, precision: str | None) -> None:
    loc = gaz.resolve(name)
    assert loc is not None, name
    assert loc.country == country
    if precision:
        assert loc.precision == precision
    assert loc.gazetteer_id
    if precision in ("locality", "region"):
        assert loc.lat is not None and loc.lon is not None


def test_cities_have_coordinates_and_admin1(gaz: Gazetteer) -> None:
    assert _near(gaz.resolve("Pichari"), -12.5, -73.8)
    assert _near(gaz.resolve("Tingo María"), -9.3, -76.0)
    assert gaz.resolve("Huanta").admin1 == "Ayacucho"


def test_country_hint_breaks_ties(gaz: Gazetteer) -> None:
    assert gaz.resolve("Concepción", country_hint="PY").country == "PY"
    assert gaz.resolve("Concepción", country_hint="CL").country == "CL"
    ay = gaz.resolve("Ayacucho", country_hint="PE")
    assert ay.precision == "admin1" and ay.lat is not None  # coordinates of its capital


def test_ambiguous_city_prefers_population(gaz: Gazetteer) -> None:
    # several towns are called Concepción; without a hint the largest (Chile) wins
    assert gaz.resolve("Concepción").country == "CL"


def test_unknown_and_empty(gaz: Gazetteer) -> None:
    assert gaz.resolve("Xqzzyville Nowhere") is None
    assert gaz.resolve("") is None


@pytest.mark.parametrize("word, code", [
    ("Peru", "PE"), ("Peruvian", "PE"), ("peruano", "PE"), ("peruanas", "PE"), ("Perú", "PE"),
    ("Colombian", "CO"), ("mexicanos", "MX"), ("Ecuadorian", "EC"), ("Brasil", "BR"),
    ("estadounidense", "US"), ("U.S.", "US"), ("hondureño", "HN"),
])
def test_country_code(gaz: Gazetteer, word: str, code: str) -> None:
    assert gaz.country_code(word) == code


def test_country_code_unknown(gaz: Gazetteer) -> None:
    assert gaz.country_code("Martian") is None


def test_region_shapes_are_closed_polygons(gaz: Gazetteer) -> None:
    shapes = gaz.region_shapes()
    assert len(shapes) >= 20
    ids = {f["id"] for f in shapes}
    assert {"region:vraem", "region:catatumbo", "region:tierra-caliente", "region:darien-gap"} <= ids
    for f in shapes:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Polygon"
        ring = f["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and 7 <= len(ring) <= 22
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        p = f["properties"]
        # the centroid lies inside the outline's bounding box
        assert min(lons) <= p["lon"] <= max(lons) and min(lats) <= p["lat"] <= max(lats), f["id"]


@pytest.fixture(scope="module")
def nlp(gaz: Gazetteer):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(gaz.ruler_patterns("en"))
    return nlp


def test_patterns_tag_regions_and_places(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The attack in the VRAE, Ayacucho, was far from Culiacán and from Concepción.")
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("VRAE", "LOC", "region:vraem") in ents
    assert ("Ayacucho", "GPE", "iso:PE-AYA") in ents
    assert any(t == "Culiacán" and lab == "GPE" and i.startswith("gn:") for t, lab, i in ents)
    assert any(t == "Concepción" for t, _, _ in ents)


def test_patterns_skip_common_words_and_lowercase(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Victoria Mora said the concepción of peace, la paz, needs esperanza and Esperanza.")
    assert [e.text for e in doc.ents] == []


def test_patterns_are_modest(gaz: Gazetteer) -> None:
    pats = gaz.ruler_patterns("en")
    assert 1000 < len(pats) < 20000
    assert all(set(tok) == {"ORTH"} for p in pats for tok in p["pattern"])


def test_bad_data_file(tmp_path: Path) -> None:
    p = tmp_path / "places.yaml"
    p.write_text("regions:\n  - {id: x, name: X, country: PE, centroid: [200, 0]}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="out of range"):
        Gazetteer.from_yaml(p)
    p.write_text("regions: nope\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="'regions' list"):
        Gazetteer.from_yaml(p)
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer.from_yaml(tmp_path / "absent.yaml")


def test_default_opens_the_gazetteer_file_lazily() -> None:
    """Loading the default gazetteer (countries, admin1, regions) builds no city table and
    opens no file; the first city lookup opens the shipped SQLite file read-only (load
    times are measured by `cronica bench extract`, not here)."""
    code = ("from cronica.resolve.places import Gazetteer; from cronica.resolve.gazetteer import GazetteerDB;"
            "g=Gazetteer.default(); before = GazetteerDB.default()._con is None;"
            "loc = g.resolve('Pichari'); print(before, GazetteerDB.default()._con is not None, loc.country)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "PE"]
