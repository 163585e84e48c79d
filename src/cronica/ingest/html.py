"""HTML pages and fragments to article text.

Full pages go through trafilatura (main text + title, date, site name, canonical URL). When
trafilatura finds nothing (fragments, truncated pages) a plain visible-text extractor is used
instead. Either way the text then goes through the plain-text boilerplate rules.

A publication date the page's own metadata gives only in part ("2021-05", "2021") is kept
as it is: trafilatura would drop it or fill in a day the page never stated.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["HtmlExtract", "extract_html", "html_to_text", "looks_like_html"]

_SKIP = {"head", "script", "style", "noscript", "template", "svg", "nav", "header", "footer",
         "aside", "form", "button", "select", "iframe"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "article",
          "section", "main", "figure", "figcaption", "blockquote", "tr", "td", "th", "table",
          "pre", "hr", "dd", "dt", "dl"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


_COMMENT_CLOSE = re.compile(r"--\s*>")  # what html.parser accepts as the end of a comment


class _LinearComments(HTMLParser):
    """``HTMLParser`` that answers "this comment is never closed" without searching.

    The standard parser looks for the end of each ``<!--`` from there to the end of the
    buffer; every unclosed one repeats that search, which makes a page full of unclosed
    comments quadratic (400 KB: 14 s). Where no comment end follows at all, the answer is
    known from the last comment end of the buffer, found once per buffer."""

    _raw: str | None = None
    _last_close = -1

    def parse_comment(self, i: int, report: int = 1) -> int:
        raw = self.rawdata
        if raw is not self._raw:
            self._raw = raw
            self._last_close = max((m.start() for m in _COMMENT_CLOSE.finditer(raw)), default=-1)
        if self._last_close < i + 4:
            return -1  # the search from i + 4 would find nothing
        return super().parse_comment(i, report)


class _Visible(_LinearComments):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP and tag not in _VOID:
            self.skip.append(tag)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page or fragment, one block element per line, whitespace
    inside a line collapsed. Tolerates truncated markup."""
    p = _Visible()
    try:
        p.feed(markup)
        p.close()
    except Exception:  # HTMLParser is lenient; keep whatever was read if it still gives up
        pass
    lines = (" ".join(ln.split()) for ln in "".join(p.out).split("\n"))
    return "\n".join(ln for ln in lines if ln)


_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_SPACE = re.compile(r"\s*")
SNIFF_CHARS = 2000  #: how much of the start of a text is looked at to decide it is HTML


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts (after whitespace and HTML comments) with a doctype or an
    ``html``/``head``/``body`` tag, within its first :data:`SNIFF_CHARS` characters.

    Same answer as the regular expression ``^\\s*(?:<!--.*?-->\\s*)*(?:<!doctype ...)``
    without its backtracking, which is exponential in the number of comments: after a
    first comment opens, the end of *any* later ``-->`` can be where the comments end."""
    head = text[:SNIFF_CHARS]
    start = _SPACE.match(head).end()  # type: ignore[union-attr]
    if _HTML_START.match(head, start):
        return True
    if not head.startswith("<!--", start):
        return False
    k = head.find("-->", start + 4)
    while k >= 0:
        if _HTML_START.match(head, k + 3):
            return True
        k = head.find("-->", k + 1)
    return False


@dataclass(slots=True)
class HtmlExtract:
    text: str  # paragraphs one per line (not yet boilerplate-cleaned)
    visible: str = ""  # all visible text outside nav/header/footer/aside (for bylines)
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, or YYYY-MM / YYYY as the page gives it
    sitename: str | None = None
    url: str | None = None


# meta name/property/itemprop values that carry the publication date
_PUB_META = {"article:published_time", "og:published_time", "published_time", "datepublished",
             "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
             "dc.date", "dc.date.issued", "dcterms.issued", "dcterms.date", "date",
             "sailthru.date", "parsely-pub-date"}
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{1,40})"')


class _MetaDates(_LinearComments):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag != "meta":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
        if key in _PUB_META and a.get("content", "").strip():
            self.values.append(a["content"].strip())


def partial_meta_date(markup: str) -> str | None:
    """The page's publication date when its metadata states only a month or a year
    (``YYYY-MM`` / ``YYYY``), else None (when any date metadata gives the day, the date is
    left to trafilatura)."""
    from .metadata import normalize_date  # here: metadata imports boilerplate, not html

    p = _MetaDates()
    try:
        p.feed(markup)
        p.close()
    except Exception:
        pass
    dates = []
    for raw in [*p.values, *_LD_PUBLISHED.findall(markup)]:
        try:
            dates.append(normalize_date(raw))
        except ValueError:
            continue  # unreadable metadata is ignored, as trafilatura ignores it
    if any(d and len(d) == 10 for d in dates):
        return None  # some metadata gives the day
    return next((d for d in dates if d), None)


def extract_html(markup: str, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of a page. Metadata dates come only from the page's own
    markup (meta tags, structured data, time elements, URL), never from guesses."""
    import trafilatura

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # malformed markup: fall back to the plain extractor below
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    fallback = html_to_text(markup)
    if len(text) < 0.3 * len(fallback):  # trafilatura missed most of it (fragment/truncated)
        text = fallback
    if doc is None:
        return HtmlExtract(text=text, visible=fallback)
    sitename = doc.sitename
    if sitename and ("." in sitename and " " not in sitename):  # a hostname, not a name
        sitename = None
    published = doc.date
    partial = partial_meta_date(markup)
    if partial and (not published or published.startswith(partial)):
        published = partial  # "2021-05" in the page, not trafilatura's "2021-05-02"
    return HtmlExtract(
        text=text, visible=fallback, title=html_lib.unescape(doc.title) if doc.title else None,
        published=published, sitename=sitename, url=doc.url or url)
