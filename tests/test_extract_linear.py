"""The linear-time rewrites of extraction give the same answers as the code they replace
(correctness only: speed is measured by ``cronica bench growth``)."""

from __future__ import annotations

import json
import math
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cronica.extract import Extractor
from cronica.extract import chunks
from cronica.extract.chunks import merge_results, split_points, sub_documents
from cronica.extract.decide import LinearModel
from cronica.extract.figures import _CLAUSE_BREAK, _clause_bounds
from cronica.extract.nlp import load_nlp
from cronica.extract.numbers import MAX_NUMBER_WORDS, find_quantities, parse_quantity
from cronica.extract.people import _Ctx
from cronica.extract.quotes import quote_spans
from cronica.extract.spans import (doc_text, last_ent_before, sentence_pieces, span_ents,
                                   tokens_between)
from cronica.ingest import read_text
from cronica.ingest.html import _Visible, html_to_text, looks_like_html
from cronica.records import Document, Evidence
from cronica.samples import sample_paths

SAMPLES = [p for p in sample_paths() if p.suffix == ".txt"]
ES_SAMPLE = next(p for p in SAMPLES if p.name == "el-comercio-2018.txt")


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("unit, lang, value", [
    ("mil ", "es", 1000.0), ("thousand ", "en", 1000.0), ("veinte ", "es", 20.0)])
def test_number_word_repeated_5000_times_is_read_word_by_word(unit: str, lang: str, value: float) -> None:
    text = unit * 5000
    qs = find_quantities(text, lang)
    assert len(qs) == 5000
    assert {q.value for q in qs} == {value}
    assert all(a.end <= b.start for a, b in zip(qs, qs[1:]))
    assert parse_quantity(text, lang) == (value, None, None, "exact")


def test_long_run_of_number_words_is_read_in_bounded_pieces() -> None:
    qs = find_quantities("cien mil " * 2500, "es")
    assert qs and all(q.value is not None and q.written for q in qs)
    assert qs[0].value == 100100.0  # "cien mil cien mil": the longest prefix text2num accepts
    assert all(len(q.text.split()) <= MAX_NUMBER_WORDS for q in qs)


@pytest.mark.parametrize("text, lang, value", [
    ("doscientos cincuenta y tres mil cuatrocientos veintiuno muertos", "es", 253421.0),
    ("two hundred and fifty-three thousand four hundred and twenty-one dead", "en", 253421.0),
    ("a hundred and twenty people", "en", 120.0),
])
def test_real_numbers_in_words_are_unchanged(text: str, lang: str, value: float) -> None:
    assert parse_quantity(text, lang)[0] == value


def test_digits_and_words_mixed_keep_their_spans() -> None:
    qs = find_quantities("5 mil y cinco, 10 heridos y la mitad de 3,000", "es")
    assert [(q.value, q.text) for q in qs] == [
        (5000.0, "5 mil"), (5.0, "cinco"), (10.0, "10"), (50.0, "la mitad"), (3000.0, "3,000")]


@pytest.mark.parametrize("digits", [400, 5000, 20000])
def test_number_with_thousands_of_digits_is_not_an_amount(digits: int) -> None:
    qs = find_quantities("9" * digits + " muertos y 12 heridos", "es")
    assert [q.value for q in qs] == [12.0]


def test_huge_number_does_not_break_extraction() -> None:
    # ingest refuses this text as not prose (see test_ingest_readers_robust); the extractor
    # must still survive it when handed such a document directly
    text = "Killed: " + "9" * 5000 + " people in Cali on Monday, police said."
    doc = Document(id=Document.make_id(text, None), text=text, language="en")
    result = Extractor().extract(doc)
    assert all(f.value is None or math.isfinite(f.value) for f in result.figures)


# ----------------------------------------------------------------------------- html sniffing

_OLD_SNIFF = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                        re.IGNORECASE | re.DOTALL)


def test_looks_like_html_agrees_with_the_regular_expression_it_replaces() -> None:
    rnd = random.Random(5)
    pieces = ["<!--", "-->", " ", "\n", "<html>", "<!doctype html>", "x", "<body ", "<head>", "--",
              "<!-- a -->", "<p>", "<HTML>"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        assert looks_like_html(text) == bool(_OLD_SNIFF.match(text[:2000])), text


def test_looks_like_html_after_hundreds_of_comments() -> None:
    assert looks_like_html("<!---->" * 200 + "<html><body>x</body></html>")
    assert not looks_like_html("<!---->" * 2000 + "<html>")  # past the sniffed prefix
    assert not looks_like_html("<!-- a -->" * 150 + "plain text")


class _OldParser(HTMLParser):
    """The visible-text parser as it was, on the standard comment search."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []

    handle_starttag = _Visible.handle_starttag
    handle_endtag = _Visible.handle_endtag
    handle_data = _Visible.handle_data

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<comment {data}>")


class _NewParser(_Visible):
    def handle_comment(self, data: str) -> None:
        self.out.append(f"<comment {data}>")


def test_html_parser_sees_the_same_events_with_the_fast_comment_check() -> None:
    rnd = random.Random(11)
    pieces = ["<!--", "-->", "-- >", "--\n>", "<p>", "</p>", "x", "<div>", "<!-", "--", ">", "<",
              "&amp;", "<script>", "</script>", "<!doctype html>", "<!x>"]
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        outs = []
        for cls in (_OldParser, _NewParser):
            p = cls()
            p.feed(text)
            p.close()
            outs.append(p.out)
        assert outs[0] == outs[1], text


def test_page_of_unclosed_comments_keeps_its_text() -> None:
    page = "<html><body>" + "<p>texto de prueba</p><!--" * 8000
    text = html_to_text(page)
    assert text.count("texto de prueba") == 8000


# ----------------------------------------------------------------------------- chunks

def _long_text(n: int) -> str:
    paras = [p for path in SAMPLES for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out: list[str] = []
    while sum(len(p) + 2 for p in out) < n:
        out.append(paras[len(out) % len(paras)])
    return "\n\n".join(out)


def test_split_points_cover_the_text_at_paragraph_breaks() -> None:
    text = _long_text(9000)
    pts = split_points(text, 2000)
    assert pts[0][0] == 0 and pts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pts, pts[1:]))
    assert all(e - s <= 2000 for s, e in pts)
    assert all(text[s - 2:s] == "\n\n" for s, _ in pts[1:])


def test_split_points_without_any_break_cut_hard() -> None:
    text = "x" * 4500
    assert split_points(text, 2000) == [(0, 2000), (2000, 4000), (4000, 4500)]
    with pytest.raises(ValueError, match="chunk limit"):
        split_points(text, 1)


def test_short_document_is_one_piece() -> None:
    doc = read_text(ES_SAMPLE.read_text(encoding="utf-8"))
    assert sub_documents(doc) == [(0, doc)]


def _check_offsets(result) -> None:  # type: ignore[no-untyped-def]
    text = result.document.text
    seen = 0

    def walk(obj) -> None:  # type: ignore[no-untyped-def]
        nonlocal seen
        if isinstance(obj, Evidence):
            assert text[obj.start:obj.end] == obj.text
            seen += 1
        elif isinstance(obj, list):
            for x in obj:
                walk(x)
        elif hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                walk(getattr(obj, name))

    for items in (result.incidents, result.actors, result.figures, result.quotes):
        walk(items)
    assert seen > 0


def test_long_document_is_extracted_in_pieces_with_offsets_into_the_whole(monkeypatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 3000)
    doc = read_text(_long_text(8000), language="en")
    assert len(sub_documents(doc)) >= 3
    result = Extractor().extract(doc)
    assert result.document is doc
    _check_offsets(result)
    ids = [x.id for x in (*result.incidents, *result.actors, *result.figures, *result.quotes)]
    assert len(ids) == len(set(ids))
    people = [a.canonical for a in result.actors if a.kind == "person"]
    assert len(people) == len(set(people))  # one actor per person across pieces
    actor_ids = {a.id for a in result.actors}
    assert all(q.speaker_actor_id in actor_ids for q in result.quotes if q.speaker_actor_id)
    assert all(r.actor_id in actor_ids for i in result.incidents for r in (*i.perpetrators, *i.targets)
               if r.actor_id and r.kind == "person")
    assert result.incidents and result.quotes


def test_merge_results_joins_the_same_actor() -> None:
    ex = Extractor()
    text = _long_text(5000)
    doc = read_text(text, language="en")
    parts = [(start, ex.extract(piece)) for start, piece in sub_documents(doc, 2500)]
    before = sum(len(p.actors) for _, p in parts)
    merged = merge_results(doc, parts, ex.name)
    assert len(merged.actors) < before
    assert len({a.id for a in merged.actors}) == len(merged.actors)
    _check_offsets(merged)


# ----------------------------------------------------------------------------- spaCy views

@pytest.fixture(scope="module")
def parsed():  # type: ignore[no-untyped-def]
    text = _long_text(6000)
    return load_nlp("en")(text)


def test_span_ents_is_spans_own_ents(parsed) -> None:  # type: ignore[no-untyped-def]
    for sent in parsed.sents:
        assert [(e.start, e.end, e.label_) for e in span_ents(sent)] == \
            [(e.start, e.end, e.label_) for e in sent.ents]
    assert doc_text(parsed) == parsed.text


def test_tokens_between_and_last_ent_before(parsed) -> None:  # type: ignore[no-untyped-def]
    for lo, hi in [(0, 50), (123, 900), (1000, 1001), (len(parsed.text) - 40, len(parsed.text) + 5)]:
        assert list(tokens_between(parsed, lo, hi)) == [t.i for t in parsed if lo <= t.idx < hi]
    labels = frozenset({"GPE", "PERSON"})
    for char in (0, 10, 500, 2500, len(parsed.text)):
        prev = [e for e in parsed.ents if e.label_ in labels and e.end_char <= char]
        got = last_ent_before(parsed, char, labels)
        assert (got.start, got.end) == (prev[-1].start, prev[-1].end) if prev else got is None


def test_sentence_pieces_cover_a_long_sentence() -> None:
    nlp = load_nlp("es")
    sdoc = nlp("palabra " * 600 + "fin")
    sent = max(sdoc.sents, key=len)
    pieces = sentence_pieces(sent, 1000)
    assert len(pieces) > 1
    assert pieces[0].start == sent.start and pieces[-1].end == sent.end
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    assert all(p.end_char - p.start_char <= 1000 for p in pieces)
    short = next(iter(nlp("Una frase corta.").sents))
    assert sentence_pieces(short) == [short]


def test_quote_membership_of_tokens_matches_a_scan() -> None:
    text = ES_SAMPLE.read_text(encoding="utf-8") + '\n\n“Una cita «anidada» aquí”, dijo. "Otra", y “sin cerrar'
    doc = read_text(text)
    sdoc = load_nlp("es")(doc.text)
    ctx = _Ctx(sdoc, doc)
    spans = quote_spans(doc.text)
    expected = [any(q.inner_start <= t.idx < q.inner_end for q in spans) for t in sdoc]
    assert ctx.in_quote == expected and any(expected)


# ----------------------------------------------------------------------------- figures, models

def _old_clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def test_clause_bounds_match_the_scan() -> None:
    rnd = random.Random(3)
    words = ["5", "muertos", ";", "but", "pero", "while", " -- ", " — ", "mientras que", "x", "y"]
    for _ in range(3000):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
        for pos in range(0, len(text) + 1, 3):
            assert _clause_bounds(text, pos) == _old_clause_bounds(text, pos)


def test_linear_model_proba_is_the_same_sum() -> None:
    path = Path(__file__).resolve().parents[1] / "src" / "cronica" / "data" / "models" / "news" / "figures.json"
    d = json.loads(path.read_text(encoding="utf-8"))["model"]
    model = LinearModel.from_dict(d)
    names = sorted({k for w in d["weights"].values() for k in w})
    rnd = random.Random(0)
    for _ in range(300):
        feats: dict[str, float] = {k: 1 for k in rnd.sample(names, 25)}
        feats["never-seen"] = 1
        feats[rnd.choice(names)] = 0.25
        scores = {c: model.intercepts.get(c, 0.0) + sum(model.weights[c].get(k, 0.0) * v for k, v in feats.items())
                  for c in model.classes}
        m = max(scores.values())
        ex = {c: math.exp(s - m) for c, s in scores.items()}
        z = sum(ex.values())
        assert model.proba(feats) == {c: e / z for c, e in ex.items()}


def test_sentence_of_thousands_of_numbers_gives_figures_with_valid_evidence() -> None:
    doc = read_text("Las autoridades decomisaron " + "1.000 kilos, " * 800 + "dijo la policía.", language="es")
    result = Extractor().extract(doc)
    for f in result.figures:
        assert f.evidence is not None and doc.text[f.evidence.start:f.evidence.end] == f.evidence.text
        assert f.evidence.end - f.evidence.start <= 1000
