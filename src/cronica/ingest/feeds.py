"""RSS 2.0 / RSS 1.0 (RDF) / Atom feed files to feed items.

Parsing uses defusedxml (no entity expansion bombs, no external entities, no network).
Elements are matched by local name, so namespaced variants (content:encoded, dc:date,
atom:link) are found too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .files import IngestProblem

__all__ = ["FeedItem", "parse_feed", "looks_like_feed", "feed_date"]

_FEED_SNIFF = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def looks_like_feed(text: str) -> bool:
    """True when the text starts like an RSS or Atom document."""
    return bool(_FEED_SNIFF.match(text[:4000]))


@dataclass(slots=True)
class FeedItem:
    number: int  # 1-based position in the feed
    title: str | None
    link: str | None
    date: str | None  # the raw pubDate/updated/published/dc:date text
    body: str  # the item's content (HTML or plain text), "" if none
    outlet: str | None  # the feed's own title


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def _child(el: Element, *names: str) -> Element | None:
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def _text(el: Element | None) -> str | None:
    if el is None:
        return None
    if len(el) and el.get("type") == "xhtml":  # Atom inline XHTML content
        from xml.etree.ElementTree import tostring

        return "".join(tostring(c, encoding="unicode") for c in el).strip() or None
    s = "".join(el.itertext()).strip()
    return s or None


def _link(el: Element) -> str | None:
    for c in el:
        if _local(c.tag) == "link":
            href = c.get("href")
            if href and c.get("rel", "alternate") == "alternate":
                return href.strip()
            if not href and (c.text or "").strip():
                return c.text.strip()
    guid = _child(el, "guid")
    if guid is not None and (guid.get("isPermaLink", "true") == "true") and _text(guid):
        t = _text(guid)
        return t if t and t.startswith("http") else None
    return None


def parse_feed(data: str) -> list[FeedItem]:
    """Items of an RSS/Atom feed. Raises IngestProblem when the XML is bad or not a feed."""
    try:
        root = SafeET.fromstring(data.encode("utf-8"))
    except DefusedXmlException as e:
        raise IngestProblem(f"unsafe XML refused ({type(e).__name__})") from None
    except SafeET.ParseError as e:
        raise IngestProblem(f"malformed XML ({e})") from None
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "rdf"):
        raise IngestProblem(f"XML file is not an RSS or Atom feed (root element <{kind}>)")
    channel = _child(root, "channel") if kind != "feed" else root
    outlet = _text(_child(channel, "title")) if channel is not None else None
    items = [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) in ("item", "entry")]
    out = []
    for n, el in enumerate(items, 1):
        body = (_text(_child(el, "encoded")) or _text(_child(el, "content"))
                or _text(_child(el, "description")) or _text(_child(el, "summary")) or "")
        out.append(FeedItem(
            number=n, title=_text(_child(el, "title")), link=_link(el),
            date=_text(_child(el, "pubdate", "published", "date", "updated", "issued")),
            body=body, outlet=outlet))
    return out


def feed_date(raw: str | None) -> str | None:
    """An item's RFC 822 (RSS) or ISO 8601 (Atom, dc:date) date as ``YYYY-MM-DD``, or as
    ``YYYY-MM`` / ``YYYY`` when the item gives only a month or a year ("2021-05", "2021").
    ``None`` when the item has no date; IngestProblem, naming the value and the problem,
    when it has one that is not a date ("2021-13", "0000", "yesterday")."""
    from .metadata import normalize_date

    if not raw or not raw.strip():
        return None
    raw = raw.strip()
    if not re.match(r"\d{4}(?:-|$)", raw):  # not ISO-shaped: RFC 822 first
        try:
            return parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    try:
        return normalize_date(raw)
    except ValueError as e:
        raise IngestProblem(f"item date: {e}") from None
    except (OverflowError, RecursionError, TypeError, IndexError) as e:  # not a date either
        raise IngestProblem(f"item date: not a date: {raw[:80]!r} ({type(e).__name__})") from None
