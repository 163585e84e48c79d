"""The learned role component: BIO encoding, entity grouping, incident enrichment, the
shipped CRF model on written sentences, and training on a tiny corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from cronica.cli import main
from cronica.extract.roles import clean_spans, entities, enrich_incidents, relevance, representative
from cronica.extract.roles_model import MODEL_PATH, RoleSpan, RoleTagger, bio_labels, decode
from cronica.train.muc4_roles import gold_spans
from cronica.records import ActorRef, Document, Evidence, Incident


def _blank(text: str):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


def _span(doc_text: str, phrase: str, role: str, nth: int = 0) -> RoleSpan:
    s = -1
    for _ in range(nth + 1):
        s = doc_text.index(phrase, s + 1)
    return RoleSpan(role, s, s + len(phrase), phrase, 0)


def test_bio_labels_and_decode_round_trip() -> None:
    text = "Rebels of the FMLN blew up a power pylon with dynamite."
    doc = _blank(text)
    sent = next(iter(doc.sents))
    spans = [(text.index("FMLN"), text.index("FMLN") + 4, "PerpOrg"),
             (text.index("power pylon"), text.index("power pylon") + 11, "Target"),
             (text.index("dynamite"), text.index("dynamite") + 8, "Weapon")]
    labels = bio_labels(sent, spans)
    assert labels[3] == "B-PerpOrg" and labels[7:9] == ["B-Target", "I-Target"]
    assert [(s.role, s.text) for s in decode(sent, labels)] == [
        ("PerpOrg", "FMLN"), ("Target", "power pylon"), ("Weapon", "dynamite")]
    # a stray I- opens a span, and overlapping gold spans keep the first one
    assert [s.text for s in decode(sent, ["O", "I-PerpInd", *["O"] * (len(sent) - 2)])] == ["of"]
    assert bio_labels(sent, [(0, 6, "PerpInd"), (0, 6, "Victim")])[0] == "B-PerpInd"


def test_gold_spans_label_every_occurrence_longest_first() -> None:
    text = "the fmln said the fmln and the farabundo marti front did it."
    spans = gold_spans(text, {"PerpOrg": [[["fmln", 4], ["farabundo marti front", 31]]]})
    assert spans[0] == (31, 52, "PerpOrg")
    assert {(s, e) for s, e, _ in spans} == {(31, 52), (4, 8), (18, 22)}


def test_entities_merge_repeats_and_acronyms() -> None:
    text = "The Farabundo Marti National Liberation Front attacked; the FMLN and two FMLN men left."
    spans = [_span(text, "Farabundo Marti National Liberation Front", "PerpOrg"),
             _span(text, "FMLN", "PerpOrg"), _span(text, "FMLN", "PerpOrg", 1),
             _span(text, "FMLN", "Victim")]
    groups = entities(spans)
    assert [len(g) for g in groups] == [3, 1]
    assert representative(groups[0]).text == "Farabundo Marti National Liberation Front"
    assert relevance([], 0.3) == 0 and relevance([_span(text, "FMLN", "Weapon")], 0.3) == 0
    # no filler found: the document classifier alone decides, when it is sure
    assert relevance([], 0.8) == 0.8 and relevance([_span(text, "FMLN", "Weapon")], 0.5) == 0.5
    assert 0.5 < relevance(spans) <= 1


def test_enrich_replaces_roles_keeps_registry_links_and_adds_an_incident() -> None:
    text = "Guerrillas of the FMLN bombed the embassy. Two guards died."
    doc = _blank(text)
    document = Document(id="d", text=text, language="en")
    s = text.index("FMLN")
    fmln = ActorRef(name="FMLN", canonical="Farabundo Marti National Liberation Front", actor_id="fmln",
                    kind="armed_group", evidence=Evidence(s, s + 4, "FMLN"))
    inc = Incident(id="i1", type="bombing", perpetrators=[fmln],
                   targets=[ActorRef(name="army", kind="state_force")],
                   evidence=[Evidence(0, 42, text[:42])], trigger=Evidence(23, 29, "bombed"))
    spans = [_span(text, "Guerrillas", "PerpInd"), _span(text, "FMLN", "PerpOrg"),
             _span(text, "embassy", "Target"), _span(text, "Two guards", "Victim")]
    out = enrich_incidents(doc, document, [inc], spans)
    assert out == [inc]
    assert [(p.name, p.kind, p.actor_id) for p in inc.perpetrators] == [
        ("Guerrillas", None, None), ("FMLN", "armed_group", "fmln")]
    assert [(t.name, t.kind) for t in inc.targets] == [("embassy", "organization"), ("Two guards", "person")]
    assert inc.confidence == pytest.approx(relevance(spans))
    # no violent incident from the rules: one is added, its type read from the sentence
    fresh = enrich_incidents(doc, document, [], spans)
    assert len(fresh) == 1 and fresh[0].type == "bombing" and fresh[0].status == "current"
    # no fillers and an unsure classifier: incidents are kept, with zero confidence
    kept = enrich_incidents(doc, document, [Incident(id="i2", type="attack")], [], 0.3)
    assert kept[0].confidence == 0 and kept[0].perpetrators == []


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="role tagger model not found"):
        RoleTagger(tmp_path / "nope.crfsuite")


@pytest.mark.slow
def test_shipped_model_tags_a_written_wire_report() -> None:
    from cronica.extract.pipeline import Extractor
    from cronica.muc4.view import make_document

    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 20e6
    text = ("SAN SALVADOR, 3 MAR 90 -- URBAN GUERRILLAS OF THE FARABUNDO MARTI NATIONAL LIBERATION "
            "FRONT (FMLN) TODAY DYNAMITED AN ELECTRIC POWER SUBSTATION IN SAN MIGUEL AND KILLED TWO "
            "SOLDIERS WHO GUARDED IT, THE ARMED FORCES PRESS OFFICE REPORTED.")
    doc = make_document(text)
    roles = {s.role for s in RoleTagger.default().tag(_parse(doc.text))}
    assert {"PerpOrg", "Target"} <= roles
    result = Extractor(components=("incidents", "roles")).extract(doc)
    assert result.incidents and result.incidents[0].confidence >= 0.5
    perps = [p.name.lower() for i in result.incidents for p in i.perpetrators]
    assert any("fmln" in p or "farabundo" in p or "guerrillas" in p for p in perps)


def _parse(text: str):  # type: ignore[no-untyped-def]
    from cronica.extract.nlp import load_nlp

    return load_nlp("en")(text)


def test_train_command_reports_missing_data(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["train", "muc4", "--muc4-dir", str(tmp_path), "--out", str(tmp_path / "m")])
    assert res.exit_code != 0
    assert "train.jsonl: MUC-4" in res.output and "file not found" in res.output


@pytest.mark.slow
def test_train_on_a_tiny_written_corpus(tmp_path: Path) -> None:
    texts = ["guerrillas of the fmln attacked a bridge with dynamite in usulutan.",
             "the police said that terrorists of the eln kidnapped the mayor of cali.",
             "the army reported a quiet week in the capital."]
    extracts = [
        {"PerpInd": [[["guerrillas", 0]]], "PerpOrg": [[["fmln", 18]]], "Target": [[["bridge", 34]]],
         "Victim": [], "Weapon": [[["dynamite", 46]]]},
        {"PerpInd": [[["terrorists", 21]]], "PerpOrg": [[["eln", 39]]], "Target": [],
         "Victim": [[["mayor of cali", 57]]], "Weapon": []},
        {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []},
    ]
    (tmp_path / "ree").mkdir()
    (tmp_path / "gtt").mkdir()
    types = ["attack", "kidnapping", None]
    with (tmp_path / "ree" / "train.jsonl").open("w") as fh, (tmp_path / "gtt" / "train.jsonl").open("w") as gh:
        for i, (t, e) in enumerate(zip(texts, extracts)):
            assert all(t[o:o + len(m)] == m for ents in e.values() for ent in ents for m, o in ent)
            fh.write(json.dumps({"docid": f"T{i}", "doctext": t, "extracts": e}) + "\n")
            templates = [{"incident_type": types[i], **e}] if types[i] else []
            gh.write(json.dumps({"docid": f"T{i}", "doctext": t, "templates": templates}) + "\n")
    res = CliRunner().invoke(main, ["train", "muc4", "--muc4-dir", str(tmp_path), "--out", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "relevance.json.gz").is_file()
    tagger = RoleTagger(tmp_path / "m" / "roles.crfsuite")
    found = {(s.role, s.text.lower()) for s in tagger.tag(_parse("Guerrillas of the FMLN attacked a bridge."))}
    assert ("PerpOrg", "fmln") in found


def test_clean_spans_trim_to_the_filler_name() -> None:
    text = ("Gunmen shot Globo journalist Carlos Marcelo who was driving; the ELN bombed the "
            "Salvadoran embassy building and the power lines, Maria's car and the Bread and Roses bakery.")
    spans = [_span(text, "Globo journalist Carlos Marcelo who", "Victim"),
             _span(text, "Salvadoran embassy building", "Target"),
             _span(text, "embassy building and the power lines", "Target"),
             _span(text, "Maria's", "Victim"),
             _span(text, "Salvadoran embassy", "PerpOrg")]
    got = [(s.role, s.text, text[s.start:s.end]) for s in clean_spans(spans)]
    assert [(r, t) for r, t, _ in got] == [
        ("Victim", "Globo journalist Carlos Marcelo"), ("Target", "embassy building"),
        ("Target", "embassy building"), ("Target", "the power lines"), ("Victim", "Maria"),
        ("PerpOrg", "Salvadoran embassy")]  # nationality is kept outside physical targets
    assert all(t == written for _, t, written in got)  # offsets follow the text
