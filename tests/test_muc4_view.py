"""Recasing (offsets kept 1:1) and the Cronica -> MUC-4 template mapping."""

from __future__ import annotations

import pytest

from cronica.muc4.recase import is_single_case, recase
from cronica.muc4.view import (cue_types, drop_repeats, incident_template, incident_templates,
                                make_document, merge_by_type, same_referent, share_perpetrators,
                                to_templates)
from cronica.records import ActorRef, Document, Evidence, ExtractionResult, Incident

WIRE = ("YESTERDAY URBAN GUERRILLAS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT (FMLN) "
        "DYNAMITED A POWER PYLON NEAR SAN MIGUEL, EL SALVADOR.  COLONEL JUAN PEREZ SAID THE "
        "ATTACK, ON 12 MARCH, LEFT THE TOWN DARK. PEREZ ADDED THAT I SAW THE \"LA CEIBA\" FARM BURN.")


@pytest.mark.parametrize("text", [WIRE, WIRE.lower()])
def test_recase_keeps_length_and_letters(text: str) -> None:
    out = recase(text)
    assert len(out) == len(text)
    assert out.lower() == text.lower()


def test_recase_finds_names_sentences_and_acronyms() -> None:
    out = recase(WIRE)
    assert out.startswith("Yesterday urban guerrillas")
    assert "Farabundo Marti National Liberation Front (FMLN)" in out
    assert "San Miguel, El Salvador" in out
    assert "Colonel Juan Perez said" in out
    assert "12 March" in out
    assert "Perez added that I saw" in out
    assert "\"La Ceiba\" farm" in out
    assert "the attack" in out  # ordinary words stay lower case


def test_recase_leaves_mixed_case_alone() -> None:
    text = "Guerrillas of the FMLN attacked a post in San Miguel."
    assert not is_single_case(text)
    assert recase(text) == text
    assert recase("") == ""
    assert recase("1989 -- 20") == "1989 -- 20"


def test_make_document_is_english_and_recased() -> None:
    doc = make_document("THE ARMY SAID.")
    assert doc.language == "en" and doc.text == "The army said."
    assert doc.id == Document.make_id(doc.text)


def _result(text: str, incidents: list[Incident]) -> ExtractionResult:
    return ExtractionResult(document=Document(id="d", text=text, language="en"), incidents=incidents)


def _ref(text: str, original: str, phrase: str, kind: str | None) -> ActorRef:
    s = original.index(phrase)
    return ActorRef(name=text[s:s + len(phrase)], kind=kind, evidence=Evidence(s, s + len(phrase), text[s:s + len(phrase)]))


def test_mapping_types_roles_and_written_mentions() -> None:
    original = "GUERRILLAS OF THE ELN KIDNAPPED MAYOR JOSE DIAZ AND BURNED THE TOWN HALL WITH GASOLINE."
    text = recase(original)
    elnr = _ref(text, original, "ELN", "armed_group")
    gue = _ref(text, original, "GUERRILLAS", None)
    mayor = _ref(text, original, "MAYOR JOSE DIAZ", "person")
    hall = _ref(text, original, "TOWN HALL", "government_body")
    ev = [Evidence(0, len(text), text)]
    incidents = [
        Incident(id="1", type="kidnapping", perpetrators=[elnr, gue], targets=[mayor]),
        Incident(id="2", type="arson", perpetrators=[elnr], targets=[hall], weapons=["incendiary"], evidence=ev),
        Incident(id="3", type="drug_seizure", perpetrators=[elnr]),
        Incident(id="4", type="massacre", status="negated", perpetrators=[elnr]),
        Incident(id="5", type="armed_strike", status="background", perpetrators=[elnr]),
    ]
    templates = to_templates(_result(text, incidents), original)
    assert [t["incident_type"] for t in templates] == ["kidnapping", "arson", "forced work stoppage"]
    k = templates[0]
    assert k["PerpOrg"] == [["ELN"]] and k["PerpInd"] == [["GUERRILLAS"]]
    assert k["Victim"] == [["MAYOR JOSE DIAZ"]] and k["Target"] == []
    a = templates[1]
    assert a["Target"] == [["TOWN HALL"]] and a["Weapon"] == [["GASOLINE"]]


def test_mapping_victims_dedupes_and_drops_unwritten_weapons() -> None:
    text = "Two soldiers died when the column shot at the police. The police fled."
    s = text.index("police")
    inc = Incident(
        id="1", type="ambush",
        targets=[ActorRef(name="two soldiers", kind=None),
                 ActorRef(name="police", kind="state_force", evidence=Evidence(s, s + 6, "police")),
                 ActorRef(name="the police", kind="state_force")],
        weapons=["firearms", "machetes"], evidence=[Evidence(0, len(text), text)],
    )
    t = incident_template(inc, text)
    assert t is not None and t["incident_type"] == "attack"
    assert t["Victim"] == [["two soldiers"], ["police"]]
    assert t["Weapon"] == []  # "shot" is not a written weapon; no machete in the text


def test_to_templates_rejects_a_text_of_another_length() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        to_templates(_result("abc", []), "abcd")


def _t(typ: str, **roles: list[str]) -> dict:
    return {"incident_type": typ, **{r: [[m] for m in roles.get(r, [])]
                                     for r in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")}}


def test_cue_types_name_the_acts_of_a_sentence() -> None:
    assert cue_types("They burned the facilities and stole food.") == ["arson", "robbery"]
    assert cue_types("A car bomb exploded near the embassy.") == ["bombing"]
    assert cue_types("Rebels kidnapped two engineers.") == ["kidnapping"]
    assert cue_types("Gunmen shot the mayor.") == []


def test_acts_of_another_type_become_their_own_templates() -> None:
    text = ("Guerrillas attacked the La Eminencia farm. They burned the facilities and stole food. "
            "A bomb destroyed the tank truck.")
    ev = [Evidence(0, len(text), text)]

    def ref(phrase: str, kind: str | None) -> ActorRef:
        s = text.index(phrase)
        return ActorRef(name=phrase, kind=kind, evidence=Evidence(s, s + len(phrase), phrase))

    inc = Incident(id="1", type="attack", perpetrators=[ref("Guerrillas", None)],
                   targets=[ref("La Eminencia farm", "organization"), ref("facilities", "organization"),
                            ref("tank truck", "organization")], weapons=["explosive device"], evidence=ev)
    ts = incident_templates(inc, text)
    assert [t["incident_type"] for t in ts] == ["attack", "arson", "bombing"]
    assert ts[0]["Target"] == [["La Eminencia farm"]]
    assert ts[1]["Target"] == [["facilities"]]  # burned ... and stole: the first act named
    assert ts[2]["Target"] == [["tank truck"]] and ts[2]["Weapon"] == [["bomb"]]
    assert all(t["PerpInd"] == [["Guerrillas"]] for t in ts)  # perpetrators go to every act
    # an incident whose only act is of another type keeps no empty template of its own
    only = Incident(id="2", type="murder", targets=[ref("tank truck", "organization")], evidence=ev)
    assert [t["incident_type"] for t in incident_templates(only, text)] == ["bombing"]


def test_merge_keeps_distinct_incidents_apart() -> None:
    merged = merge_by_type([
        _t("attack", PerpInd=["gunmen"], Victim=["Jose Diaz"]),
        _t("attack", Victim=["Maria Lopez"]),
        _t("attack", PerpOrg=["FMLN"]),                      # no victim: joins the first
        _t("attack", Victim=["Jose Diaz"], Weapon=["rifles"]),  # same victim: same incident
        _t("bombing", Target=["bank"]),
    ])
    assert [t["incident_type"] for t in merged] == ["attack", "attack", "bombing"]
    assert merged[0]["PerpOrg"] == [["FMLN"]] and merged[0]["Weapon"] == [["rifles"]]
    assert merged[1]["Victim"] == [["Maria Lopez"]] and merged[1]["PerpOrg"] == []


def test_shorter_repeats_of_an_entity_are_dropped() -> None:
    assert same_referent("Jaramillo", "Bernardo Jaramillo Ossa")
    assert same_referent("units", "urban commando units")
    assert not same_referent("the army", "the armed forces")
    assert not same_referent("FMLN guerrillas", "FMLN guerrillas")
    assert drop_repeats([["units"], ["urban commando units"], ["FMLN"]]) == [["urban commando units"], ["FMLN"]]


def test_templates_without_perpetrators_share_the_first_named() -> None:
    ts = [_t("attack", Victim=["a peasant"]), _t("arson", PerpInd=["guerrillas"], PerpOrg=["URNG"]),
          _t("robbery", PerpInd=["thieves"])]
    share_perpetrators(ts)
    assert ts[0]["PerpInd"] == [["guerrillas"]] and ts[0]["PerpOrg"] == [["URNG"]]
    assert ts[2]["PerpInd"] == [["thieves"]] and ts[2]["PerpOrg"] == []
    empty = [_t("attack")]
    share_perpetrators(empty)
    assert empty[0]["PerpInd"] == []


def test_armed_clash_without_targets_is_not_a_muc4_act() -> None:
    text = "Troops clashed with guerrillas near the village; a farm was burned."
    ev = [Evidence(0, len(text), text)]
    assert incident_templates(Incident(id="1", type="armed_clash", evidence=ev), text) == []
    s = text.index("farm")
    farm = ActorRef(name="farm", kind="organization", evidence=Evidence(s, s + 4, "farm"))
    ts = incident_templates(Incident(id="2", type="armed_clash", targets=[farm], evidence=ev), text)
    assert [t["incident_type"] for t in ts] == ["arson"]


def test_a_perpetrator_organisation_is_not_also_an_individual() -> None:
    text = "Shining Path guerrillas bombed the embassy."
    s = text.index("embassy")
    inc = Incident(id="1", type="bombing", evidence=[Evidence(0, len(text), text)],
                   perpetrators=[ActorRef(name="Shining Path", kind=None), ActorRef(name="Shining Path", kind="armed_group"),
                                 ActorRef(name="guerrillas", kind=None)],
                   targets=[ActorRef(name="embassy", kind="organization", evidence=Evidence(s, s + 7, "embassy"))])
    (t,) = to_templates(_result(text, [inc]))
    assert t["PerpOrg"] == [["Shining Path"]] and t["PerpInd"] == [["guerrillas"]]
