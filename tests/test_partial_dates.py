"""Partial publication dates ("2021-05", "2021"): accepted at month or year precision from
--published, JSONL, feeds and page metadata, kept through extraction, the store and the
export; relative event dates never claim more precision than such an anchor; truly invalid
dates are still refused, with the value and the problem named, and the batch goes on."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cronica
from cronica.cli import main
from cronica.extract.dates import find_dates
from cronica.ingest import Document, IngestError, read_paths, read_text
from cronica.ingest.metadata import normalize_date
from cronica.records import date_precision
from cronica.schema import validate

BODY = ("Gunmen killed three police officers in an ambush near Tumaco, Colombia, on Saturday, "
        "the army said. The attack was blamed on the ELN, which did not comment.")
ES_BODY = ("Hombres armados mataron a tres policías en una emboscada cerca de Tumaco, Colombia, "
           "el pasado sábado, informó el ejército. El ataque fue atribuido al ELN.")
BAD = {"2021-13": "month 13 is not 1-12", "0000": "year 0000 is outside 1900-2100",
       "yesterday": "expected YYYY-MM-DD, YYYY-MM or YYYY", "2021-02-30": "day 30 does not exist"}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _rss(dates: list[str]) -> str:
    items = "".join(
        f"<item><title>Ambush {n}</title><link>https://herald.example.org/ambush-{n}</link>"
        f"<pubDate>{d}</pubDate><description>{BODY} Item {n}.</description></item>"
        for n, d in enumerate(dates, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Northern Herald</title>{items}</channel></rss>")


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize("value,want,precision", [
    ("2021-05-03", "2021-05-03", "day"), ("2021-05", "2021-05", "month"),
    ("2021-5", "2021-05", "month"), ("2021", "2021", "year"), (" 2021 ", "2021", "year"),
    ("May 2021", "2021-05", "month"), ("mayo de 2021", "2021-05", "month"),
    ("2011-08-15T10:00:00Z", "2011-08-15", "day"), ("3 de mayo de 2015", "2015-05-03", "day"),
])
def test_normalize_date_keeps_the_precision_given(value, want, precision):
    got = normalize_date(value)
    assert (got, date_precision(got)) == (want, precision)


@pytest.mark.parametrize("value", sorted(BAD))
def test_normalize_date_names_the_value_and_the_problem(value):
    with pytest.raises(ValueError) as info:
        normalize_date(value)
    msg = str(info.value)
    assert msg.startswith("not a date") and repr(value) in msg and BAD[value] in msg


def test_document_precision_is_the_shape_and_round_trips():
    for pub, prec in (("2021-05-03", "day"), ("2021-05", "month"), ("2021", "year"), (None, None)):
        doc = read_text(BODY, published=pub)
        assert (doc.published, doc.published_precision) == (pub, prec)
        again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
        assert again == doc and again.published_precision == prec
        assert "published_precision" not in doc.to_dict()  # the shape says it; not a new key


# ----------------------------------------------------------------------------- ingest


@pytest.mark.parametrize("pub,prec", [("2021-05", "month"), ("2021", "year")])
def test_read_paths_published_partial(tmp_path, pub, prec):
    f = _write(tmp_path / "a.txt", BODY)
    [doc] = list(read_paths([f], published=pub))
    assert isinstance(doc, Document)
    assert (doc.published, doc.published_precision) == (pub, prec)


@pytest.mark.parametrize("value", sorted(BAD))
def test_read_paths_refuses_an_invalid_published_at_call_time(tmp_path, value):
    f = _write(tmp_path / "a.txt", BODY)
    with pytest.raises(ValueError, match=BAD[value]) as info:
        read_paths([f], published=value)
    assert repr(value) in str(info.value)


def test_jsonl_partial_dates_and_bad_lines(tmp_path):
    pubs = ["2021-05", "2021", "2021-13", "yesterday", "0000", "2021-05-03"]
    f = _write(tmp_path / "batch.jsonl", "\n".join(
        json.dumps({"text": f"{BODY} Line {n}.", "published": p}) for n, p in enumerate(pubs, 1)))
    out = list(read_paths([f]))
    docs = [d for d in out if isinstance(d, Document)]
    errs = {e.source: e.problem for e in out if isinstance(e, IngestError)}
    assert [(d.published, d.published_precision) for d in docs] == [
        ("2021-05", "month"), ("2021", "year"), ("2021-05-03", "day")]
    assert sorted(errs) == [f"{f}:3", f"{f}:4", f"{f}:5"]  # the batch went on past them
    for n, value in ((3, "2021-13"), (4, "yesterday"), (5, "0000")):
        problem = errs[f"{f}:{n}"]
        assert problem.startswith("field 'published': not a date")
        assert repr(value) in problem and BAD[value] in problem


def test_feed_partial_dates_and_a_bad_item(tmp_path):
    f = _write(tmp_path / "herald.rss", _rss(["2021-05", "2021", "2021-13",
                                              "Thu, 03 Jun 2021 10:00:00 GMT"]))
    out = list(read_paths([f]))
    assert [type(x).__name__ for x in out] == ["Document", "Document", "IngestError", "Document"]
    assert [(d.published, d.published_precision) for d in out if isinstance(d, Document)] == [
        ("2021-05", "month"), ("2021", "year"), ("2021-06-03", "day")]
    err = out[2]
    assert err.source == f"{f}#item3"
    assert err.problem == "item date: not a date: '2021-13' (month 13 is not 1-12)"


@pytest.mark.parametrize("meta,want", [("2021-05", "2021-05"), ("2021", "2021"),
                                       ("2021-05-03", "2021-05-03"), ("2021-13", None)])
def test_html_metadata_partial_date_is_kept_not_filled_in(tmp_path, meta, want):
    page = (f'<!DOCTYPE html><html><head><title>Ambush</title>'
            f'<meta property="article:published_time" content="{meta}"></head><body><article>'
            f"<h1>Police officers killed in ambush</h1><p>{BODY}</p><p>{BODY}</p></article>"
            f"</body></html>")
    [doc] = list(read_paths([_write(tmp_path / "page.html", page)]))
    assert isinstance(doc, Document)
    assert doc.published == want  # never trafilatura's made-up day ("2021-05-02")


def test_html_partial_metadata_is_refined_by_a_day_in_the_url():
    page = (f'<html><head><meta property="article:published_time" content="2021-05"></head>'
            f"<body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>")
    from cronica.ingest import read_html

    assert read_html(page, url="https://x.example.org/2021/05/03/ambush").published == "2021-05-03"
    assert read_html(page, url="https://x.example.org/ambush").published == "2021-05"


# ----------------------------------------------------------------------------- extraction


@pytest.mark.parametrize("text,lang,pub,value,precision", [
    ("killed on Saturday", "en", "2021-05-15", "2021-05-15", "day"),
    ("killed on Saturday", "en", "2021-05", "2021-05", "month"),
    ("killed on Saturday", "en", "2021", "2021", "year"),
    ("el pasado sábado", "es", "2021-05", "2021-05", "month"),
    ("yesterday", "en", "2021-05", "2021-05", "month"),
    ("yesterday", "en", "2021", "2021", "year"),
    ("last week", "en", "2021", "2021", "year"),
    ("last month", "en", "2021-05", "2021-04", "month"),
    ("last month", "en", "2021", "2021", "year"),
    ("last year", "en", "2021", "2020", "year"),
    ("on Jan. 27", "en", "2021", "2021-01-27", "day"),  # the text gives the day
    ("on Dec. 28", "en", "2021-01", "2020-12-28", "day"),  # after January: last year
    ("on Dec. 28", "en", "2021", "2021-12-28", "day"),  # the anchor's year, not the year before
    ("In March", "en", "2021-05", "2021-03", "month"),
])
def test_relative_dates_never_beat_the_anchor(text, lang, pub, value, precision):
    [d] = find_dates(text, pub, lang)
    assert (d.value, d.precision) == (value, precision)


# ----------------------------------------------------------------------------- CLI + store


def _export(runner: CliRunner, db: str, fmt: str) -> str:
    res = runner.invoke(main, ["export", "--db", db, "--format", fmt])
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.mark.slow
def test_cli_ingest_partial_dates_into_sqlite_and_export(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    month = _write(tmp_path / "month.txt", BODY)
    year = _write(tmp_path / "year.txt", ES_BODY)
    r1 = runner.invoke(main, ["ingest", "--db", db, "--published", "2021-05", str(month)])
    r2 = runner.invoke(main, ["ingest", "--db", db, "--published", "2021", str(year)])
    assert r1.exit_code == 0 and r2.exit_code == 0, (r1.output, r2.output)
    jsonl = _write(tmp_path / "batch.jsonl", "\n".join([
        json.dumps({"text": BODY.replace("Tumaco", "Cali"), "published": "2021-05",
                    "url": "https://x.example.org/cali"}),
        json.dumps({"text": BODY.replace("Tumaco", "Pasto"), "published": "0000"}),
        json.dumps({"text": BODY.replace("Tumaco", "Quibdó"), "published": "2021",
                    "url": "https://x.example.org/quibdo"}),
    ]))
    feed = _write(tmp_path / "herald.rss", _rss(["2021-05", "yesterday", "2021"]))
    r3 = runner.invoke(main, ["ingest", "--db", db, str(jsonl), str(feed)])
    assert r3.exit_code == 1  # one bad line, one bad item ...
    assert "4 added, 2 failed" in r3.stderr  # ... and the rest went in
    assert f"{jsonl}:2: field 'published': not a date: '0000'" in r3.stderr
    assert f"{feed}#item2: item date: not a date: 'yesterday'" in r3.stderr

    with cronica.open(db) as store:
        docs = {Path(d.source_path).name if d.raw_format in ("text",) else d.url: d
                for d in store.documents(limit=100)}
        assert (docs["month.txt"].published, docs["month.txt"].published_precision) == (
            "2021-05", "month")
        assert (docs["year.txt"].published, docs["year.txt"].published_precision) == (
            "2021", "year")
        assert docs["https://x.example.org/cali"].published == "2021-05"
        assert docs["https://x.example.org/quibdo"].published == "2021"
        assert docs["https://herald.example.org/ambush-1"].published == "2021-05"
        assert docs["https://herald.example.org/ambush-3"].published == "2021"
        # each article's own reports (the incident list shows merged incidents once: these
        # articles report one ambush, so their reports merge)
        by_doc = {d.id: [row.to_dict() for row in store.incidents(document_id=d.id, limit=1000)]
                  for d in docs.values()}
        rank = {"day": 0, "month": 1, "year": 2}
        for doc in docs.values():
            incs = by_doc.get(doc.id, [])
            assert incs, doc.source_path or doc.url
            for inc in incs:  # "on Saturday" / "el pasado sábado": no day the anchor lacks
                if inc["date"] is None:
                    continue
                assert rank[inc["date_precision"]] >= rank[doc.published_precision], inc
                assert inc["date"].startswith(doc.published) or inc["date"] < doc.published, inc
        main_inc = next(i for i in by_doc[docs["month.txt"].id] if i["date"])
        assert (main_inc["date"], main_inc["date_precision"]) == ("2021-05", "month")
        year_inc = next(i for i in by_doc[docs["year.txt"].id] if i["date"])
        assert (year_inc["date"], year_inc["date_precision"]) == ("2021", "year")

    records = json.loads(_export(runner, db, "json"))
    assert {x["document"]["published"] for x in records} == {"2021-05", "2021"}
    rows = list(csv.DictReader(io.StringIO(_export(runner, db, "csv"))))
    assert rows and {r["year"] for r in rows} == {"2021"}
    out = tmp_path / "incidents.parquet"
    res = runner.invoke(main, ["export", "--db", db, "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 0, res.output
    import pyarrow.parquet as pq

    assert set(pq.read_table(out).column("published").to_pylist()) == {"2021-05", "2021"}


@pytest.mark.slow
def test_cli_extract_partial_published_gives_valid_cronica_json(tmp_path):
    f = _write(tmp_path / "a.txt", BODY)
    res = CliRunner().invoke(main, ["extract", "--validate", "--published", "2021", str(f)])
    assert res.exit_code == 0, res.output
    [obj] = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    validate(obj, check_offsets=True)
    assert obj["document"]["published"] == "2021"
    assert all(i["date"] in (None, "2021") for i in obj["incidents"]), obj["incidents"]


@pytest.mark.parametrize("value", sorted(BAD))
def test_cli_refuses_an_invalid_published(tmp_path, value):
    f = _write(tmp_path / "a.txt", BODY)
    db = f"sqlite:///{tmp_path / 'c.db'}"
    for cmd in (["ingest", "--db", db], ["extract"]):
        res = CliRunner().invoke(main, [*cmd, "--published", value, str(f)])
        assert res.exit_code == 2, res.output
        assert "--published" in res.output and repr(value) in res.output and BAD[value] in res.output
