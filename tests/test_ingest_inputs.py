"""Ingest on real files written to tmp_path: formats, bad input, metadata, identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cronica.ingest import (MAX_BYTES, Document, IngestError, IngestProblem, clean_text,
                            count_inputs, detect_language, read_html, read_paths, read_text)
from cronica.ingest.metadata import date_from_text, date_from_url

EN_BODY = ("Gunmen attacked a police post in the northern province late on Friday, killing three "
           "officers and wounding two others, regional authorities said on Saturday. The attackers "
           "fled toward the river before reinforcements arrived, according to the police.")
ES_BODY = ("Hombres armados atacaron un puesto policial en la provincia del norte el viernes por la "
           "noche y mataron a tres agentes, informaron el sábado las autoridades regionales. Los "
           "atacantes huyeron hacia el río antes de que llegaran los refuerzos.")


def _one(paths, **kw):
    out = list(read_paths(paths, **kw))
    assert len(out) == 1, out
    return out[0]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- language


def test_language_detection_en_and_es():
    assert detect_language(EN_BODY) == "en"
    assert detect_language(ES_BODY) == "es"
    assert read_text(ES_BODY).language == "es"
    assert read_text(EN_BODY, language="pt").language == "pt"  # a given language wins


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize("url,want", [
    ("https://news.example.org/peru/2011/08/15/rebels-ambush-patrol", "2011-08-15"),
    ("https://news.example.org/2011-08-15/rebels-ambush-patrol", "2011-08-15"),
    ("https://news.example.org/archive/20110815/rebels", "2011-08-15"),
    ("https://news.example.org/story-slug-2011-08-15", "2011-08-15"),
    ("https://news.example.org/2011/02/30/not-a-day", None),
    ("https://news.example.org/world/rebels-ambush-patrol", None),
])
def test_date_from_url(url, want):
    assert date_from_url(url) == want


@pytest.mark.parametrize("line,want", [
    ("LIMA, Aug 15, 2011 (Reuters) - " + EN_BODY, "2011-08-15"),
    ("Bogotá, 3 de septiembre de 2022. " + ES_BODY, "2022-09-03"),
    ("Published 15 Aug 2011", "2011-08-15"),
    ("15 DE MARZO DE 2024", "2024-03-15"),
    ("quince de marzo de 2024", "2024-03-15"),
    ("Northern Herald · Monday, August 15, 2011 · 6:40 p.m.", "2011-08-15"),
    ("Redacción Diario Sur | 29/07/2015 - 10:42 h", "2015-07-29"),
    ("LIMA, Aug 15 (Reuters) - " + EN_BODY, None),  # no year: never guessed
])
def test_date_from_dateline(line, want):
    text = f"Rebels ambush patrol in the north\n\n{line}\n\n{EN_BODY}"
    assert date_from_text(text) == want


def test_url_date_feeds_document_and_given_date_wins(tmp_path):
    f = _write(tmp_path / "a.txt", EN_BODY)
    assert _one([f], url="https://x.example.org/2019/05/04/attack").published == "2019-05-04"
    assert _one([f], url="https://x.example.org/2019/05/04/attack",
                published="2020-01-02").published == "2020-01-02"


# ----------------------------------------------------------------------------- identity


def test_ids_are_idempotent_and_url_based(tmp_path):
    a, b = read_text(EN_BODY), read_text(EN_BODY)
    assert a.id == b.id and a.content_hash == b.content_hash
    assert a.id == Document.make_id(a.text)
    url = "https://x.example.org/story"
    c = read_text(EN_BODY, url=url)
    d = read_text(EN_BODY + " Two suspects were later arrested.", url=url)
    assert c.id == d.id == Document.make_id("", url)
    assert c.content_hash != d.content_hash
    # the same text from a file has the same identity as pasted text
    assert _one([_write(tmp_path / "s.txt", EN_BODY)]).id == a.id


# ----------------------------------------------------------------------------- text files


def test_text_file_title_outlet_date_and_cleaning(tmp_path):
    raw = ("Three police officers killed in northern attack\n\n"
           "Northern Herald · June 3, 2021\n\n"
           f"{EN_BODY}\n\n"
           "Related: Why the north is so violent\n"
           "Share: Facebook · X · WhatsApp\n")
    doc = _one([_write(tmp_path / "n.txt", raw)])
    assert doc.text == f"Three police officers killed in northern attack\n\n{EN_BODY}"
    assert (doc.title, doc.outlet, doc.published, doc.language) == (
        "Three police officers killed in northern attack", "Northern Herald", "2021-06-03", "en")
    assert doc.source_path == str(tmp_path / "n.txt") and doc.raw_format == "text"


def test_person_byline_is_not_an_outlet():
    doc = read_text(f"Police post attacked in the north\n\nBy Ana Torres | June 3, 2021\n\n{EN_BODY}")
    assert doc.outlet is None and doc.published == "2021-06-03"


def test_glued_breadcrumb_is_cut_title_kept():
    doc = read_text(f"HomeNewsAnalysisWhy the Rebels Came Back\n\n{EN_BODY}")
    assert doc.text.startswith("Why the Rebels Came Back\n\n")
    assert doc.title == "Why the Rebels Came Back"


def test_related_section_and_teasers_go_but_text_after_them_stays():
    raw = (f"{EN_BODY}\n\nRelated coverage:\n• A story about something else\n"
           "• Another teaser headline\n\n"
           "The governor said the army would take over security in the province from Monday.")
    assert clean_text(raw) == (
        f"{EN_BODY}\n\nThe governor said the army would take over security in the province "
        "from Monday.")


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "b.txt", EN_BODY)
    _write(tmp_path / "sub" / "a.txt", ES_BODY)
    _write(tmp_path / ".hidden.txt", EN_BODY)
    _write(tmp_path / ".git" / "c.txt", EN_BODY)
    out = list(read_paths([tmp_path]))
    assert [Path(d.source_path).relative_to(tmp_path).as_posix() for d in out] == [
        "b.txt", "sub/a.txt"]
    assert count_inputs([tmp_path]) == 2


def test_metadata_overrides_need_exactly_one_file(tmp_path):
    a, b = _write(tmp_path / "a.txt", EN_BODY), _write(tmp_path / "b.txt", ES_BODY)
    with pytest.raises(ValueError, match="exactly one input file"):
        read_paths([a, b], url="https://x.example.org/a")
    with pytest.raises(ValueError, match="not a date"):
        read_paths([a], published="sometime soon")
    doc = _one([a], title="My title", published="2011-08-15")
    assert (doc.title, doc.published) == ("My title", "2011-08-15")


# ----------------------------------------------------------------------------- bad input


def test_bad_inputs_become_one_line_errors_and_the_batch_goes_on(tmp_path):
    good = _write(tmp_path / "good.txt", EN_BODY)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = _write(tmp_path / "blank.txt", "  \n\n\t \n")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 whatever")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: nothing is actually written
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "does-not-exist.txt")
    junk_only = _write(tmp_path / "junk.txt", "Share: Facebook · X\nWas this article helpful? Yes / No\n")
    undecodable = tmp_path / "latin.txt"
    undecodable.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 50)
    missing = tmp_path / "missing.txt"

    paths = [binary, empty, blank, pdf, big, dangling, junk_only, undecodable, missing, good]
    out = list(read_paths(paths))
    assert count_inputs(paths) == len(paths) == len(out)
    errors = {Path(e.source).name: e.problem for e in out if isinstance(e, IngestError)}
    assert isinstance(out[-1], Document)
    assert errors == {
        "bin.txt": "binary file (contains NUL bytes)",
        "empty.txt": "empty file",
        "blank.txt": "empty file (only whitespace)",
        "report.pdf": "unsupported file type .pdf",
        "big.txt": "file too large (51.0 MB; limit 50 MB)",
        "gone.txt": "cannot read: broken symbolic link",
        "junk.txt": "no article text after removing boilerplate",
        "latin.txt": "binary file or unknown encoding (not UTF-8, cp1252 or latin-1 text)",
        "missing.txt": "no such file",
    }
    assert all("\n" not in p for p in errors.values())
    assert big.stat().st_size > MAX_BYTES


def test_unreadable_path_and_empty_folder(tmp_path):
    from cronica.ingest.files import load_text

    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(IngestProblem, match="is a directory"):
        load_text(tmp_path / "dir.txt")
    [err] = list(read_paths([tmp_path / "dir.txt"]))
    assert isinstance(err, IngestError) and err.problem == "folder contains no files"


def test_cp1252_text_is_decoded(tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes(("Atacan un puesto policial en el norte\n\n" + ES_BODY).encode("cp1252"))
    doc = _one([f])
    assert "sábado" in doc.text and doc.language == "es"


def test_read_text_errors_are_valueerrors():
    with pytest.raises(ValueError, match="empty text"):
        read_text("   ")
    with pytest.raises(IngestProblem, match="no article text after removing boilerplate"):
        read_text("Share this article")


# ----------------------------------------------------------------------------- JSONL


def test_jsonl_with_one_bad_line(tmp_path):
    lines = [
        json.dumps({"text": EN_BODY, "url": "https://x.example.org/2020/01/02/a",
                    "title": "Post attacked", "outlet": "Herald"}),
        "{not json",
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": ES_BODY, "published": "3 de mayo de 2015", "language": "es"}),
        json.dumps(["a list"]),
        json.dumps({"text": EN_BODY, "published": "whenever"}),
    ]
    f = _write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    out = list(read_paths([f]))
    docs = [d for d in out if isinstance(d, Document)]
    errs = {e.source: e.problem for e in out if isinstance(e, IngestError)}
    assert len(docs) == 2 and len(errs) == 4
    assert (docs[0].title, docs[0].outlet, docs[0].published, docs[0].raw_format) == (
        "Post attacked", "Herald", "2020-01-02", "jsonl")
    assert docs[0].id == Document.make_id("", "https://x.example.org/2020/01/02/a")
    assert (docs[1].published, docs[1].language) == ("2015-05-03", "es")
    assert errs[f"{f}:2"].startswith("invalid JSON")
    assert errs[f"{f}:4"] == "missing required field 'text'"
    assert errs[f"{f}:6"] == "line is not a JSON object"
    assert errs[f"{f}:7"].startswith("field 'published': not a date")


# ----------------------------------------------------------------------------- feeds

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Northern Herald</title><link>https://herald.example.org/</link>
<item><title>Police post attacked</title>
<link>https://herald.example.org/2021/06/03/post-attacked</link>
<pubDate>Thu, 03 Jun 2021 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>{EN_BODY}</p><p>Share: <a href="#">Facebook</a> · <a href="#">X</a></p>]]></content:encoded>
</item>
<item><title>Empty item</title><link>https://herald.example.org/empty</link></item>
<item><title>Ataque en el norte</title><link>https://herald.example.org/ataque</link>
<pubDate>Sat, 05 Jun 2021 08:00:00 -0500</pubDate>
<description>&lt;p&gt;{ES_BODY}&lt;/p&gt;</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Andes Wire</title>
<entry><title>Patrol ambushed</title>
<link rel="alternate" href="https://wire.example.org/patrol-ambushed"/>
<updated>2016-04-10T08:15:00Z</updated>
<content type="html">&lt;p&gt;{EN_BODY}&lt;/p&gt;&lt;p&gt;Related: Other news&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_feed(tmp_path):
    f = _write(tmp_path / "herald.rss", RSS)
    out = list(read_paths([f]))
    assert len(out) == 3
    a, empty, b = out
    assert isinstance(a, Document) and isinstance(b, Document)
    assert (a.title, a.url, a.published, a.outlet, a.raw_format, a.language) == (
        "Police post attacked", "https://herald.example.org/2021/06/03/post-attacked",
        "2021-06-03", "Northern Herald", "feed", "en")
    assert a.text == EN_BODY  # HTML stripped, share bar gone
    assert (b.published, b.language) == ("2021-06-05", "es") and b.text == ES_BODY
    assert isinstance(empty, IngestError) and empty.source == f"{f}#item2"


def test_atom_feed_sniffed_from_xml_and_txt(tmp_path):
    for name in ("wire.xml", "wire.atom", "wire-feed.txt"):
        [doc] = list(read_paths([_write(tmp_path / name, ATOM)]))
        assert (doc.title, doc.url, doc.published, doc.outlet) == (
            "Patrol ambushed", "https://wire.example.org/patrol-ambushed", "2016-04-10",
            "Andes Wire")
        assert doc.text == EN_BODY


def test_bad_feeds(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            "<rss><channel><item><title>&b;</title></item></channel></rss>")
    cases = {"bomb.xml": bomb, "broken.rss": "<rss><channel><item>",
             "other.xml": "<catalog><book>x</book></catalog>"}
    out = {Path(e.source).name: e.problem
           for e in read_paths([_write(tmp_path / n, t) for n, t in cases.items()])}
    assert out["bomb.xml"].startswith("unsafe XML refused")
    assert out["broken.rss"].startswith("malformed XML")
    assert out["other.xml"] == "XML file is not an RSS or Atom feed (root element <catalog>)"


# ----------------------------------------------------------------------------- HTML

PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Police post attacked | Northern Herald</title>
<meta property="og:site_name" content="Northern Herald">
<meta property="article:published_time" content="2021-06-03T09:00:00Z">
<link rel="canonical" href="https://herald.example.org/north/police-post-attacked">
</head><body><nav><a href="/">Home</a> <a href="/north">North</a></nav>
<article><h1>Police post attacked in the north</h1>
<p>{EN_BODY}</p>
<p>The governor said the army would take over security in the province from Monday, and that
schools in the area would stay closed until further notice while troops searched the hills.</p>
<p>Was this content helpful?</p>
<p>Tags: police, north</p></article>
<aside><h3>Most read</h3><ul><li>Something else entirely</li></ul></aside>
<footer><p>© 2021 Northern Herald. All rights reserved.</p></footer></body></html>"""


def test_html_page(tmp_path):
    doc = _one([_write(tmp_path / "page.html", PAGE)])
    assert doc.raw_format == "html"
    assert doc.text.startswith("Police post attacked in the north\n\n" + EN_BODY)
    for junk in ("Was this content helpful", "Tags:", "Most read", "Something else", "©"):
        assert junk not in doc.text
    assert (doc.title, doc.outlet, doc.published, doc.url) == (
        "Police post attacked in the north", "Northern Herald", "2021-06-03",
        "https://herald.example.org/north/police-post-attacked")
    assert doc.id == Document.make_id("", doc.url)


def test_truncated_html_still_extracts_and_empty_html_is_an_error(tmp_path):
    cut = PAGE[: PAGE.index("The governor said") + 40]
    doc = _one([_write(tmp_path / "cut.htm", cut)])
    assert EN_BODY in doc.text
    err = _one([_write(tmp_path / "nothing.html", "<html><body><nav>Home</nav><p>Hi</p>")])
    assert isinstance(err, IngestError) and "no article text" in err.problem
    with pytest.raises(IngestProblem):
        read_html("<html><body></body></html>")
