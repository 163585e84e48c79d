"""Quantity parsing (cronica.extract.numbers): words, separators, ranges, qualifiers."""

from __future__ import annotations

import pytest

from cronica.extract.numbers import (
    QUALIFIER_WORDS,
    find_quantities,
    normalize_numbers,
    parse_number,
    parse_quantity,
    qualifier_before,
)
from cronica.records import QUALIFIERS


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("five soldiers", "en", (5, None, None, "exact")),
        ("at least 50", "en", (50, None, None, "at_least")),
        ("more than a dozen", "en", (12, None, None, "at_least")),
        ("cinco militares", "es", (5, None, None, "exact")),
        ("una veintena de policías", "es", (20, None, None, "about")),
        ("200-300", "en", (None, 200, 300, "exact")),
        ("200–300 members", "en", (None, 200, 300, "exact")),
        ("34,000", "en", (34000, None, None, "exact")),
        ("13 percent", "en", (13, None, None, "exact")),
        ("13%", "en", (13, None, None, "exact")),
        ("2.3 por ciento", "es", (2.3, None, None, "exact")),
        ("US$5 million", "en", (5_000_000, None, None, "exact")),
        ("1,5 toneladas", "es", (1.5, None, None, "exact")),
        ("19.700 hectáreas", "es", (19700, None, None, "exact")),
        ("1.5 million", "en", (1_500_000, None, None, "exact")),
        ("2,5 millones", "es", (2_500_000, None, None, "exact")),
        ("some 200-300 members", "en", (None, 200, 300, "about")),
        ("between 300 and 500 armed members", "en", (None, 300, 500, "exact")),
        ("entre 20 y 50 integrantes", "es", (None, 20, 50, "exact")),
        ("up to $5 million", "en", (5_000_000, None, None, "at_most")),
        ("hasta cinco millones de dólares", "es", (5_000_000, None, None, "at_most")),
        ("almost 70,000 dead", "en", (70000, None, None, "about")),
        ("nearly 70,000 people", "en", (70000, None, None, "about")),
        ("some 130,000 people", "en", (130000, None, None, "about")),
        ("more than 7.7 million Venezuelans", "en", (7_700_000, None, None, "at_least")),
        ("fewer than 6 per 100,000", "en", (6, None, None, "at_most")),
        ("unos 6.000 asháninkas", "es", (6000, None, None, "about")),
        ("alrededor de 10.000", "es", (10000, None, None, "about")),
        ("cerca de 14 toneladas", "es", (14, None, None, "about")),
        ("al menos 46 personas", "es", (46, None, None, "at_least")),
        ("más de 350 presos", "es", (350, None, None, "at_least")),
        ("menos de 20", "es", (20, None, None, "at_most")),
        ("casi 3.000", "es", (3000, None, None, "about")),
        ("two hundred and fifty", "en", (250, None, None, "exact")),
        ("a hundred people", "en", (100, None, None, "exact")),
        ("half a dozen", "en", (6, None, None, "exact")),
        ("two dozen", "en", (24, None, None, "exact")),
        ("veintiún muertos", "es", (21, None, None, "exact")),
        ("treinta y cinco heridos", "es", (35, None, None, "exact")),
        ("un centenar de familias", "es", (100, None, None, "about")),
        ("20 or more", "en", (20, None, None, "at_least")),
        ("1.5-2 million", "en", (None, 1_500_000, 2_000_000, "exact")),
        ("more than a third", "en", (33.3, None, None, "at_least")),
        ("el 57 % del territorio", "es", (57, None, None, "exact")),
        ("1,234.5", "en", (1234.5, None, None, "exact")),
        ("1.234,5", "es", (1234.5, None, None, "exact")),
    ],
)
def test_parse_quantity(text: str, lang: str, expected: tuple) -> None:
    assert parse_quantity(text, lang) == tuple(
        float(x) if isinstance(x, (int, float)) else x for x in expected
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [("dozens of people", "en"), ("a few hundred armed members", "en"),
     ("hundreds of thousands", "en"), ("decenas de miles", "es"), ("varios heridos", "es"),
     ("no figure here", "en"), ("una recompensa", "es"), ("a man", "en")],
)
def test_vague_or_absent_amounts_have_no_value(text: str, lang: str) -> None:
    value, low, high, _ = parse_quantity(text, lang)
    assert (value, low, high) == (None, None, None)


def test_vague_amounts_are_flagged() -> None:
    qs = find_quantities("dozens of people and a few hundred more", "en")
    assert [q.vague for q in qs] == [True, True]


def test_ranges_need_ascending_values_and_not_from_to() -> None:
    qs = find_quantities("from 34,000 to 5,000 square kilometers", "en")
    assert [(q.value, q.low) for q in qs] == [(34000.0, None), (5000.0, None)]
    qs = find_quantities("de 34.000 a 5.000 kilómetros cuadrados", "es")
    assert [q.value for q in qs] == [34000.0, 5000.0]
    (q,) = find_quantities("200 to 300 people", "en")
    assert (q.low, q.high) == (200.0, 300.0)


def test_units_percent_and_currency() -> None:
    units = {q.text: q.unit for q in find_quantities(
        "13 percent, 2.3% and US$5 million, $800,000, 3 billion pesos", "en")}
    assert units == {"13 percent": "percent", "2.3%": "percent", "US$5 million": "USD",
                     "$800,000": "USD", "3 billion pesos": "pesos"}
    (q,) = find_quantities("hasta cinco millones de dólares", "es")
    assert (q.unit, q.value, q.qualifier) == ("USD", 5e6, "at_most")
    (q,) = find_quantities("S/ 5.000", "es")
    assert q.unit == "PEN"


def test_offsets_point_into_the_text() -> None:
    text = "The group has some 200-300 members, down from more than 20,000 before."
    qs = find_quantities(text, "en")
    assert [text[q.num_start:q.num_end] for q in qs] == ["200-300", "20,000"]
    assert [text[q.start:q.end] for q in qs] == ["some 200-300", "more than 20,000"]
    assert [q.qualifier for q in qs] == ["about", "at_least"]


def test_years_are_recognisable() -> None:
    qs = find_quantities("between 2009 and 2010 it rose 13 percent to 19,700 in 2011", "en")
    assert [q.looks_like_year for q in qs] == [True, False, False, True]
    # parse_quantity skips a year when a real amount follows
    assert parse_quantity("in 2010, 45 killings", "en") == (45.0, None, None, "exact")


def test_articles_are_not_the_number_one() -> None:
    assert find_quantities("un muerto y una mujer herida", "es") == []
    assert find_quantities("a soldier and an officer", "en") == []
    assert [q.value for q in find_quantities("one soldier", "en")] == [1.0]


def test_parse_number_separators() -> None:
    assert parse_number("15,000") == 15000
    assert parse_number("19.700") == 19700
    assert parse_number("2,5") == 2.5
    assert parse_number("0.125") == 0.125
    assert parse_number("1.234.567") == 1234567
    with pytest.raises(ValueError, match="not a number: '1.23.4'"):
        parse_number("1.23.4")
    with pytest.raises(ValueError, match="not a number"):
        parse_number("abc")


def test_qualifier_tables_are_valid() -> None:
    assert set(QUALIFIER_WORDS) == {"en", "es"}
    for table in QUALIFIER_WORDS.values():
        assert set(table.values()) <= set(QUALIFIERS)
    for phrase in ("at least", "more than", "over", "about", "around", "nearly", "some",
                   "almost", "up to", "fewer than", "less than"):
        assert phrase in QUALIFIER_WORDS["en"]
    for phrase in ("más de", "al menos", "cerca de", "unos", "alrededor de", "casi", "hasta",
                   "menos de"):
        assert phrase in QUALIFIER_WORDS["es"]
    text = "killed at least  50"
    assert qualifier_before(text, text.index("50"), "en") == ("at_least", text.index("at"))
    assert qualifier_before("killed 50", 7, "en") == ("exact", 7)


def test_bad_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unsupported language 'fr' \(expected 'en' or 'es'\)"):
        parse_quantity("12", "fr")
    assert parse_quantity("doce", "es-CO") == (12.0, None, None, "exact")
    with pytest.raises(TypeError, match="text must be a string"):
        parse_quantity(12, "en")  # type: ignore[arg-type]


def test_normalize_numbers_uses_alpha2digit() -> None:
    assert normalize_numbers("cinco militares y veinte policías", "es") == "5 militares y 20 policías"
    assert normalize_numbers("five soldiers", "en") == "5 soldiers"
