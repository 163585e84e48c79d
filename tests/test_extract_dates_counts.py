"""Event dates and casualty counts, the two slot fillers incidents rely on most."""

from __future__ import annotations

import pytest

from cronica.extract.counts import find_counts
from cronica.extract.dates import find_dates

PUB = "2016-04-10"  # a Sunday


@pytest.mark.parametrize("text,lang,value,precision", [
    ("killing five soldiers on Saturday", "en", "2016-04-09", "day"),
    ("on the eve of the elections in June.", "en", "2015-06", "month"),  # June is after April: last year
    ("the 1992 capture of its founder", "en", "1992", "year"),
    ("In March last year, ELN fighters attacked", "en", "2015-03", "month"),
    ("on Jan. 27, wounding 28", "en", "2016-01-27", "day"),
    ("In March 2008 they were blamed", "en", "2008-03", "month"),
    ("el pasado sábado", "es", "2016-04-09", "day"),
    ("el 5 de abril de 2016", "es", "2016-04-05", "day"),
    ("students who disappeared a decade ago", "en", "2006", "year"),
    ("yesterday", "en", "2016-04-09", "day"),
])
def test_dates_resolve_against_publication(text, lang, value, precision):
    found = find_dates(text, PUB, lang)
    assert found, text
    assert (found[0].value, found[0].precision) == (value, precision)


def test_names_are_not_days_and_elections_are_not_event_dates():
    assert find_dates("in the district of Santo Domingo de Acobamba", PUB, "en") == []
    assert find_dates("ahead of Sunday’s general election", PUB, "en") == []
    # Spanish weekday words in English text are not dates
    assert find_dates("the Domingo family", PUB, "en") == []


def test_periods_are_marked():
    (since,) = find_dates("attacks that have killed at least 50 since 2008", PUB, "en")
    assert since.value == "2008" and since.span_years


def _counts(text):
    return {(c.kind, c.value, c.qualifier) for c in find_counts(text)}


@pytest.mark.parametrize("text,expected", [
    ("rebels attacked a supply column, killing at least four soldiers and a civilian driver, the army said.",
     {("killed", 5, "at_least")}),
    ("Eight marines and 15 suspected gang gunmen were killed in the raid.",
     {("killed", 23, "exact")}),
    ("Residents said more than a dozen shopkeepers had been killed this year.",
     {("killed", 12, "at_least")}),
    ("El ataque dejó cinco militares muertos.", {("killed", 5, "exact")}),
    ("a car bomb exploded outside the station, wounding 28 people", {("wounded", 28, "exact")}),
    ("troops and police had detained 214 people and killed four suspected members",
     {("arrested", 214, "exact"), ("killed", 4, "exact")}),
    ("hitting the aircraft but injuring no one.", {("killed", 0, "exact"), ("wounded", 0, "exact")}),
    ("By Friday night, the toll had risen to 17, officials said.", {("killed", 17, "exact")}),
    ("a shootout in Zacapa in which 11 people were killed, among them a trafficker.", {("killed", 11, "exact")}),
    ("Police arrested at least 9 suspects near the market.", {("arrested", 9, "at_least")}),
])
def test_counts(text, expected):
    assert _counts(text) == expected


def test_vague_amounts_and_non_people_give_no_count():
    assert _counts("Several soldiers were killed in the attack.") == set()
    assert _counts("The fighting lasted three hours before troops were killed.") == set()
    assert _counts("In March 2008 they were killed.") == set()


def test_count_offsets_point_into_the_sentence():
    text = "Gunmen killed 27 farmworkers at a ranch."
    (c,) = find_counts(text, offset=100)
    assert (c.start, c.end) == (100 + text.index("27"), 100 + text.index("27") + len("27 farmworkers"))


@pytest.mark.parametrize("text", [
    "La cifra de policías fallecidos tras la emboscada del martes contra una patrulla en la sierra de "
    "Durango se elevó a seis, según la fiscalía estatal.",
    "The number of police officers killed when gunmen ambushed their patrol in the Durango sierra rose to six.",
])
def test_a_toll_that_rises_far_from_its_head(text):
    got = [(c.kind, c.value, c.toll) for c in find_counts(text, 0)]
    assert ("killed", 6, True) in got and len([g for g in got if g[0] == "killed"]) == 1
