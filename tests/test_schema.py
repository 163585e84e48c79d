"""The Cronica JSON schema matches cronica.records exactly, accepts realistic lines,
rejects broken ones with a clear one-line message, and records round-trip."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cronica import records
from cronica.records import (
    Actor, ActorRef, Count, Document, Evidence, ExtractionResult, Figure, Incident, Location,
    Quote, Role, stable_id,
)
from cronica.schema import CronicaJSONError, SCHEMA_VERSION, load_schema, validate

# A short article written for this test (invented outlet, real 2009 incident).
TEXT = (
    "Ambush kills soldiers in Peru's VRAE\n"
    "LIMA, Sept. 3, 2009 -\n"
    "Shining Path rebels ambushed an army patrol near Sanabamba in Ayacucho on Wednesday, "
    "killing at least three soldiers and wounding two, Defense Minister Rafael Rey said. "
    "\"We will not retreat from the valley,\" Rey told reporters. "
    "Coca covers some 17,000 hectares of the valley, according to the UN.\n"
)
PUBLISHED = "2009-09-03"


def ev(phrase: str, nth: int = 0) -> Evidence:
    """Evidence for the ``nth`` occurrence of ``phrase`` in TEXT (fails loudly if absent)."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return Evidence(start, start + len(phrase), phrase)


def realistic() -> ExtractionResult:
    doc = Document(
        id=Document.make_id(TEXT, "https://news.example.org/2009/09/vrae-ambush"),
        text=TEXT, url="https://news.example.org/2009/09/vrae-ambush",
        title="Ambush kills soldiers in Peru's VRAE", outlet="Andes Example Wire",
        published=PUBLISHED, language="en", source_path="samples/vrae.txt", raw_format="text",
    )
    sentence = TEXT[TEXT.index("Shining Path"):TEXT.index("said.") + len("said.")]
    sp_id = stable_id("act", "Shining Path")
    rey_id = stable_id("act", "Rafael Rey")
    incident = Incident(
        id=stable_id("inc", doc.id, 0), type="ambush", status="current",
        date="2009-09-02", date_precision="day",
        location=Location(
            name="Sanabamba", admin1="Ayacucho", country="PE", lat=-12.63, lon=-73.98,
            precision="locality", gazetteer_id="geonames:3929219", evidence=ev("Sanabamba"),
        ),
        perpetrators=[ActorRef("Shining Path", "Shining Path", sp_id, "armed_group",
                               ev("Shining Path"))],
        targets=[ActorRef("an army patrol", "Peruvian Army", None, "state_force",
                          ev("an army patrol"))],
        killed=Count(3, "at_least", ev("at least three soldiers")),
        wounded=Count(2, "exact", ev("two")),
        kidnapped=None, arrested=None, weapons=["firearms"],
        evidence=[Evidence(TEXT.index(sentence), TEXT.index(sentence) + len(sentence), sentence)],
        confidence=0.87, date_evidence=ev("Wednesday"), trigger=ev("ambushed"),
    )
    background = Incident(id=stable_id("inc", doc.id, 1), type="other", status="background",
                          date="2008-10", date_precision="month")
    actors = [
        Actor(id=sp_id, name="Shining Path", canonical="Shining Path", kind="armed_group",
              aliases=["Shining Path"], country="PE", known=True, evidence=[ev("Shining Path")]),
        Actor(id=rey_id, name="Rafael Rey", canonical="Rafael Rey", kind="person",
              aliases=["Rafael Rey", "Rey"], country="PE",
              roles=[Role("Defense Minister", "Ministry of Defense", "PE", True, PUBLISHED,
                          ev("Defense Minister"))],
              evidence=[ev("Rafael Rey"), ev("Rey", 1)]),
    ]
    figures = [Figure(
        id=stable_id("fig", doc.id, 0), indicator="coca_cultivation_hectares", value=17000.0,
        subject="coca", qualifier="about", unit="hectares", period="2009", place="VRAE",
        place_country="PE", attributed_to="UN", evidence=ev("some 17,000 hectares"),
    ), Figure(id=stable_id("fig", doc.id, 1), indicator="group_membership", value=None,
              low=300, high=500, period="2008/2009")]
    quotes = [Quote(id=stable_id("quo", doc.id, 0), text="We will not retreat from the valley",
                    speaker="Rafael Rey", speaker_role="Defense Minister",
                    speaker_actor_id=rey_id, evidence=ev("We will not retreat from the valley"))]
    return ExtractionResult(document=doc, incidents=[incident, background], actors=actors,
                            figures=figures, quotes=quotes, extractor="test-hand-built 0")


def line() -> dict[str, Any]:
    """The realistic result as it travels: through a JSON string and back."""
    return json.loads(json.dumps(realistic().to_dict(), ensure_ascii=False))


# --------------------------------------------------------------------------- valid lines

def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_realistic_line_validates_with_offsets() -> None:
    validate(line(), check_offsets=True)


def test_minimal_line_validates() -> None:
    validate(ExtractionResult(document=Document(id="doc_1", text="")).to_dict())


def test_every_incident_type_status_and_qualifier_validates() -> None:
    base = line()
    for itype in records.INCIDENT_TYPES:
        for status in records.STATUSES:
            for qual in records.QUALIFIERS:
                obj = copy.deepcopy(base)
                obj["incidents"][0].update(type=itype, status=status)
                obj["incidents"][0]["killed"]["qualifier"] = qual
                validate(obj)


@pytest.mark.parametrize("date,precision", [
    ("2009-09-02", "day"), ("2009-09", "month"), ("2009", "year"), (None, None),
    ("2009-09-02", None),
])
def test_dates_at_each_precision_validate(date: str | None, precision: str | None) -> None:
    obj = line()
    obj["incidents"][0].update(date=date, date_precision=precision)
    validate(obj)


@pytest.mark.parametrize("published", ["2009-09-03", "2009-09", "2009", None])
def test_publication_dates_at_each_precision_validate(published: str | None) -> None:
    """A document known only to be from September 2009 (or 2009) is valid Cronica JSON,
    and so are the roles stated at that date."""
    obj = line()
    obj["document"]["published"] = published
    obj["actors"][1]["roles"][0]["as_of"] = published
    validate(obj)


# --------------------------------------------------------------------------- invalid lines

def _mutate(path: list[Any], value: Any = ..., delete: bool = False) -> dict[str, Any]:
    obj = line()
    node = obj
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return obj


BAD = {
    "bad incident type": (["incidents", 0, "type"], "shooting", "$.incidents[0].type"),
    "bad status": (["incidents", 0, "status"], "ongoing", "$.incidents[0].status"),
    "bad month": (["incidents", 0, "date"], "2009-13-02", "$.incidents[0].date"),
    "slashed date": (["incidents", 0, "date"], "02/09/2009", "$.incidents[0].date"),
    "date shape vs precision": (["incidents", 0, "date_precision"], "month",
                                "$.incidents[0].date"),
    "bad published": (["document", "published"], "2009-13", "$.document.published"),
    "published not a date": (["document", "published"], "September 2009", "$.document.published"),
    "bad role as_of": (["actors", 1, "roles", 0, "as_of"], "yesterday",
                       "$.actors[1].roles[0].as_of"),
    "bad period": (["figures", 0, "period"], "2009-2010", "$.figures[0].period"),
    "lower-case country": (["incidents", 0, "location", "country"], "pe",
                           "$.incidents[0].location.country"),
    "iso-3 country": (["actors", 0, "country"], "PER", "$.actors[0].country"),
    "bad qualifier": (["incidents", 0, "killed", "qualifier"], "roughly",
                      "$.incidents[0].killed.qualifier"),
    "negative count": (["incidents", 0, "killed", "value"], -1, "$.incidents[0].killed.value"),
    "float count": (["incidents", 0, "wounded", "value"], 2.5, "$.incidents[0].wounded.value"),
    "bad actor kind": (["actors", 0, "kind"], "guerrilla", "$.actors[0].kind"),
    "bad ref kind": (["incidents", 0, "perpetrators", 0, "kind"], "rebels",
                     "$.incidents[0].perpetrators[0].kind"),
    "bad place precision": (["incidents", 0, "location", "precision"], "city",
                            "$.incidents[0].location.precision"),
    "latitude out of range": (["incidents", 0, "location", "lat"], 95.0,
                              "$.incidents[0].location.lat"),
    "confidence above one": (["incidents", 0, "confidence"], 1.5, "$.incidents[0].confidence"),
    "wrong version": (["version"], "2.0", "$.version"),
    "numeric version": (["version"], 1.0, "$.version"),
    "bad raw format": (["document", "raw_format"], "pdf", "$.document.raw_format"),
    "bad content hash": (["document", "content_hash"], "abc", "$.document.content_hash"),
    "negative offset": (["quotes", 0, "evidence", "start"], -4, "$.quotes[0].evidence.start"),
    "weapons not a list": (["incidents", 0, "weapons"], "rifles", "$.incidents[0].weapons"),
    "unknown key": (["incidents", 0, "severity"], "high", "$.incidents[0]"),
    "known not bool": (["actors", 0, "known"], "yes", "$.actors[0].known"),
    "bad language": (["document", "language"], "spanish", "$.document.language"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_values_fail_with_their_path(name: str) -> None:
    path, value, where = BAD[name]
    with pytest.raises(CronicaJSONError) as info:
        validate(_mutate(path, value))
    assert info.value.path == where
    assert "\n" not in str(info.value) and where in str(info.value)


@pytest.mark.parametrize("path,where", [
    (["version"], "$"), (["document"], "$"), (["extractor"], "$"),
    (["document", "text"], "$.document"), (["incidents", 0, "killed"], "$.incidents[0]"),
    (["incidents", 0, "location", "name"], "$.incidents[0].location"),
    (["figures", 0, "value"], "$.figures[0]"), (["quotes", 0, "speaker"], "$.quotes[0]"),
])
def test_missing_keys_fail(path: list[Any], where: str) -> None:
    with pytest.raises(CronicaJSONError, match="is a required property") as info:
        validate(_mutate(path, delete=True))
    assert info.value.path == where
    assert repr(path[-1]) in info.value.problem


def test_non_object_fails() -> None:
    with pytest.raises(CronicaJSONError, match=r"\$: .*is not of type 'object'"):
        validate([1, 2, 3])


def test_check_offsets_catches_a_shifted_span() -> None:
    obj = line()
    obj["quotes"][0]["evidence"]["start"] += 1
    obj["quotes"][0]["evidence"]["end"] += 1
    validate(obj)  # the schema alone cannot see it
    with pytest.raises(CronicaJSONError, match=r"\$\.quotes\[0\]\.evidence: document\.text\["):
        validate(obj, check_offsets=True)


def test_check_offsets_catches_a_span_past_the_end() -> None:
    obj = line()
    obj["actors"][1]["roles"][0]["evidence"]["end"] = len(TEXT) + 5
    with pytest.raises(CronicaJSONError, match="outside the document text"):
        validate(obj, check_offsets=True)


# --------------------------------------------------------------------------- schema == records

@pytest.mark.parametrize("name,values", [
    ("IncidentType", records.INCIDENT_TYPES), ("Status", records.STATUSES),
    ("Qualifier", records.QUALIFIERS), ("ActorKind", records.ACTOR_KINDS),
    ("DatePrecision", records.DATE_PRECISIONS), ("PlacePrecision", records.PLACE_PRECISIONS),
])
def test_enums_equal_the_tuples_in_records(name: str, values: tuple[str, ...]) -> None:
    assert tuple(load_schema()["$defs"][name]["enum"]) == values


def test_every_enum_in_the_schema_is_checked() -> None:
    """Catch a new enum added to the schema without a matching tuple in records.py."""
    found: list[tuple[str, ...]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "enum" in node:
                found.append(tuple(node["enum"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(load_schema())
    known = {records.INCIDENT_TYPES, records.STATUSES, records.QUALIFIERS, records.ACTOR_KINDS,
             records.DATE_PRECISIONS, records.PLACE_PRECISIONS,
             ("text", "html", "jsonl", "feed")}  # Document.raw_format, documented in records.py
    assert set(found) == known


def test_version_const_is_the_format_version() -> None:
    assert load_schema()["properties"]["version"]["const"] == records.FORMAT_VERSION
    assert SCHEMA_VERSION == records.FORMAT_VERSION


@pytest.mark.parametrize("cls", [
    ExtractionResult, Document, Incident, Location, ActorRef, Count, Evidence, Actor, Role,
    Figure, Quote,
])
def test_schema_objects_have_exactly_the_record_fields(cls: type) -> None:
    schema = load_schema()
    node = schema if cls is ExtractionResult else schema["$defs"][cls.__name__]
    names = {f.name for f in dataclasses.fields(cls)}
    assert set(node["properties"]) == names
    assert set(node["required"]) == names  # to_dict() always writes every field
    assert node["additionalProperties"] is False


# --------------------------------------------------------------------------- round trips

def test_round_trip_from_dict_to_dict() -> None:
    original = realistic()
    assert ExtractionResult.from_dict(original.to_dict()) == original


def test_round_trip_through_a_json_line() -> None:
    original = realistic()
    text = json.dumps(original.to_dict(), ensure_ascii=False)
    assert "\n" not in text
    back = ExtractionResult.from_dict(json.loads(text))
    assert back == original
    assert back.to_dict() == original.to_dict()
    assert list(original.to_dict())[0] == "version"


def test_schema_loads_from_package_resources() -> None:
    from importlib import resources

    assert resources.files("cronica.schema").joinpath("cronica.schema.json").is_file()
    a = load_schema()
    a["title"] = "changed"
    assert load_schema()["title"] != "changed"  # callers get a copy
