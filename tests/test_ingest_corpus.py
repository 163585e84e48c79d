"""Acceptance tests of the ingest stage on the shared corpora (read from ../shared, never copied).

* the InSight Crime seed article: all boilerplate gone, every article paragraph verbatim;
* news-dev (45 articles): every gold evidence sentence and quote survives cleaning, the
  boilerplate lines are gone, and the metadata found agrees with the gold records.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from cronica.ingest import Document, clean_text, read_paths

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "insightcrime-vrae-2011.txt"
NEWS_DEV = SHARED / "news-dev"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED}")
needs_news_dev = pytest.mark.skipif(not (NEWS_DEV / "gold.jsonl").is_file(),
                                    reason=f"news-dev corpus not found at {NEWS_DEV}")

def _raw_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _is_caption(paragraph: str) -> bool:
    """An image caption inside the article ("<file name>Source: <credit>"): one short line
    with no closing punctuation, unlike every article paragraph."""
    return len(paragraph) < 80 and not paragraph.endswith((".", "?", "!", "”", '"', "’", "'", ")"))


def _seed_parts() -> tuple[str, list[str], list[str]]:
    """(title, article paragraphs, boilerplate paragraphs) of the raw seed page, found from
    its structure: the breadcrumb line ends with the title, which is repeated as the next
    paragraph; the article runs from there to the share-icon line; captions and everything
    before the title and from the share-icon line on are page furniture."""
    paras = _raw_paragraphs(SEED.read_text(encoding="utf-8"))
    crumb, title = paras[0], paras[1]
    assert crumb.endswith(title) and crumb != title
    end = next(i for i, p in enumerate(paras) if p.startswith("share icon"))
    body = [p for p in paras[2:end] if not _is_caption(p)]
    junk = [crumb] + [p for p in paras[2:end] if _is_caption(p)] + paras[end:]
    return title, body, junk


@needs_seed
def test_seed_keeps_every_article_paragraph_verbatim_and_nothing_else():
    title, body, _ = _seed_parts()
    assert len(body) >= 15
    clean = clean_text(SEED.read_text(encoding="utf-8"))
    # the crumb goes, the title stays (once), then exactly the article paragraphs
    assert clean.split("\n\n") == [title] + body
    for p in body:
        assert p in clean


@needs_seed
def test_seed_boilerplate_is_removed():
    clean = clean_text(SEED.read_text(encoding="utf-8"))
    # what the foundation issue names, then every paragraph of page furniture itself
    for junk in ("share icon", "Was this content helpful?", "Related Content", "About InSight Crime"):
        assert junk not in clean
    _, _, furniture = _seed_parts()
    assert len(furniture) >= 20
    left = [p for p in furniture if len(p) >= 12 and p in clean]
    assert not left, left


@needs_seed
def test_seed_document_metadata():
    [doc] = list(read_paths([SEED]))
    assert isinstance(doc, Document)
    title, _, _ = _seed_parts()
    assert doc.title == title
    assert doc.language == "en"
    assert doc.raw_format == "text"
    assert doc.text.startswith(title + "\n\n")
    assert doc.id == Document.make_id(doc.text)
    assert doc.outlet is None  # the image credit "Source: RPP" is not the outlet


def _gold() -> list[dict]:
    return [json.loads(line) for line in (NEWS_DEV / "gold.jsonl").read_text("utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="module")
def news_dev_docs() -> dict[str, Document]:
    if not (NEWS_DEV / "gold.jsonl").is_file():
        pytest.skip(f"news-dev corpus not found at {NEWS_DEV}")
    docs = {}
    for d in read_paths([NEWS_DEV / "articles"]):
        assert isinstance(d, Document), f"unexpected ingest error: {d}"
        docs[Path(d.source_path).name] = d
    return docs


@needs_news_dev
def test_news_dev_every_evidence_sentence_and_quote_survives(news_dev_docs):
    gold = _gold()
    assert len(gold) == 45 and len(news_dev_docs) == 45
    missing = []
    for rec in gold:
        doc = news_dev_docs[Path(rec["file"]).name]
        g = rec["gold"]
        sentences = [s for item in g["events"] + g["claims"] for s in item["evidence"]]
        sentences += [part for q in g["quotes"] for part in q["text"].split(" […] ")]
        missing += [(rec["file"], s[:70]) for s in sentences if s not in doc.text]
    assert not missing, missing


BOILERPLATE_LINE = re.compile(
    r"^(?:Related|Read more|More from|More on this|Lee también|Share|Comparte|Compartir|"
    r"\[Compartir\]|Suscríbete|Subscribe|Sign up|Newsletter|Was this|¿Te fue|Advertisement|"
    r"Most read|Lo más leído|Etiquetas|Tags|©|Publicado|Published|• )")
BYLINE = re.compile(r"^(?:By|Por)\b.{0,60}$")  # a byline, not "By Wednesday morning, the toll ..."


@needs_news_dev
def test_news_dev_boilerplate_lines_are_gone(news_dev_docs):
    leftovers = []
    for name, doc in news_dev_docs.items():
        for line in doc.text.split("\n"):
            if BOILERPLATE_LINE.match(line) or BYLINE.match(line) or "Facebook" in line or "WhatsApp" in line:
                leftovers.append((name, line))
    assert not leftovers, leftovers


SIDEBAR_LINK = re.compile(r"<li><a [^>]*>([^<]+)</a></li>")


@needs_news_dev
def test_news_dev_html_sidebars_and_footers_are_gone(news_dev_docs):
    left = []
    for name in ("011.html", "028.html", "034.html"):
        raw = (NEWS_DEV / "articles" / name).read_text("utf-8")
        links = [html.unescape(t).strip() for t in SIDEBAR_LINK.findall(raw)]  # menus, "most read" lists
        assert links, name
        left += [(name, t) for t in links if len(t) >= 12 and t in news_dev_docs[name].text]
    for name, junk in [("011.html", "morning briefing"), ("011.html", "All rights reserved"),
                       ("028.html", "Etiquetas"), ("028.html", "Recibe nuestras noticias")]:
        if junk in news_dev_docs[name].text:
            left.append((name, junk))
    assert not left, left


@needs_news_dev
def test_news_dev_metadata_matches_gold(news_dev_docs):
    wrong = []
    for rec in _gold():
        doc = news_dev_docs[Path(rec["file"]).name]
        got = (doc.language, doc.published, doc.outlet)
        want = (rec["language"], rec["published"], rec["outlet"])
        if got != want:
            wrong.append((rec["file"], got, want))
        assert doc.title and doc.text.startswith(doc.title)
    assert not wrong, wrong


@needs_news_dev
def test_news_dev_gold_url_gives_identity_and_date(tmp_path):
    rec = _gold()[0]
    src = NEWS_DEV / rec["file"]
    [doc] = list(read_paths([src], url=rec["url"]))
    assert doc.url == rec["url"]
    assert doc.id == Document.make_id("anything", rec["url"])
    assert doc.published == rec["published"]
