"""The ``facilities`` component: things attacked become targets (sentences written for
these tests)."""

from __future__ import annotations

from cronica.extract.facilities import add_facilities, things
from cronica.records import Document, Evidence, Incident


def found(text: str, lang: str = "en") -> list[str]:
    return [e.text for e in things(text, 0, len(text), lang)]


def test_things_after_attack_words_en():
    assert found("Rebels ambushed an army convoy carrying ballots near the border.") == [
        "army convoy carrying ballots"]
    assert found("Late on Friday a truck bomb exploded outside the police station in Tumaco.") == ["police station"]
    assert found("Gunmen set fire to three buses and a truck.") == ["buses"]
    assert found("The attack on the headquarters of the 12th Brigade left two dead.") == [
        "headquarters of the 12th Brigade"]
    assert found("Police attacked protesters in the square.") == []  # people, not things


def test_things_after_attack_words_es():
    assert found("Desconocidos atacaron la estación de policía de Santa Rita.", "es") == [
        "estación de policía de Santa Rita"]
    assert found("Los manifestantes incendiaron vehículos en la avenida.", "es") == ["vehículos"]


def test_added_to_violent_incidents_only():
    text = "Guerrillas bombed the pipeline near Saravena. Police raided a warehouse in Cali."
    doc = Document(id="d", text=text, language="en")
    bomb = Incident(id="i1", type="bombing", evidence=[Evidence(0, 45, text[:45])])
    seize = Incident(id="i2", type="drug_seizure", evidence=[Evidence(46, len(text), text[46:])])
    add_facilities(doc, [bomb, seize])
    assert [(t.name, t.kind) for t in bomb.targets] == [("pipeline", "organization")]
    assert bomb.targets[0].evidence and text[bomb.targets[0].evidence.start:bomb.targets[0].evidence.end] == "pipeline"
    assert seize.targets == []
    add_facilities(doc, [bomb])  # running twice adds nothing new
    assert len(bomb.targets) == 1


def test_owner_cut_off_and_spanish_adjectives():
    assert found("Gunmen ambushed the armored vehicle of Mexico City’s security chief.") == ["armored vehicle"]
    assert found("Fue una emboscada contra una patrulla militar en la sierra.", "es") == ["patrulla militar"]
