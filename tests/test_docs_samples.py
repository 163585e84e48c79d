"""The bundled sample articles: the promised mix of formats and lengths, publication dates
where readers (and the ingest stage) look for them, README and ``cronica.samples.SAMPLES``
in step with the files, and prose that is our own (no long runs of words shared with the
development set in ../shared, checked when that folder is present)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cronica import records
from cronica.samples import SAMPLES, SAMPLES_DIR, sample, sample_paths

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}
NUMBER_WORDS = {
    1: ("one", "a", "uno", "una", "un"), 3: ("three", "tres"), 4: ("four", "cuatro"),
    8: ("eight", "ocho"), 12: ("dozen", "docena"), 13: ("thirteen", "trece"),
}
BOILERPLATE_CLASSES = {"share-bar", "helpful-widget", "newsletter-box", "tags", "post-meta",
                       "byline", "meta"}
STATE_ACTORS = {"Mexican Armed Forces", "Mexican Navy", "Colombian Army",
                "Colombian National Police"}


class _ArticleText(HTMLParser):
    """Text of the <p>/<h1> elements inside <article>, minus share bars and the like."""

    def __init__(self) -> None:
        super().__init__()
        self.depth_article = 0
        self.skip_stack: list[bool] = []
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.tags: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a.get("content", "")
        if tag == "article":
            self.depth_article += 1
        self._in_title = tag == "title"
        if tag in ("div", "p", "span"):
            self.skip_stack.append(bool(set(a.get("class", "").split()) & BOILERPLATE_CLASSES))

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if tag == "article":
            self.depth_article -= 1
        if tag in ("div", "p", "span") and self.skip_stack:
            self.skip_stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self.depth_article > 0 and not any(self.skip_stack):
            self.parts.append(data)


def parse_html(path: Path) -> _ArticleText:
    p = _ArticleText()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def article_text(path: Path) -> str:
    """What a reader reads as the story: body lines of a .txt, the <article> of a page."""
    if path.suffix == ".txt":
        return "\n".join(path.read_text(encoding="utf-8").splitlines()[2:])
    return " ".join(parse_html(path).parts)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


# --------------------------------------------------------------------------- files

def test_files_match_the_catalogue() -> None:
    names = [p.name for p in sample_paths()]
    assert names == sorted(s.file for s in SAMPLES)
    assert len(names) == 8
    assert sum(n.endswith(".txt") for n in names) == 5
    assert sum(n.endswith(".html") for n in names) == 3
    assert {s.language for s in SAMPLES} == {"en", "es"}


@pytest.mark.parametrize("art", SAMPLES, ids=lambda s: s.file)
def test_article_length_between_250_and_600_words(art) -> None:
    n = len(article_text(art.path).split())
    assert 250 <= n <= 600, f"{art.file}: {n} words"


@pytest.mark.parametrize("art", [s for s in SAMPLES if s.file.endswith(".txt")],
                         ids=lambda s: s.file)
def test_text_files_have_headline_then_dated_line(art) -> None:
    lines = art.path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == art.title
    year, month, day = (int(x) for x in art.published.split("-"))
    line = lines[1].lower()
    iso = art.published in line
    spelled = (str(year) in line and re.search(rf"\b{day}\b", line) is not None
               and any(m[:3] in line for m in (MONTHS["en"][month - 1], MONTHS["es"][month - 1])))
    assert iso or spelled, f"{art.file}: line 2 {lines[1]!r} does not carry {art.published}"


@pytest.mark.parametrize("art", [s for s in SAMPLES if s.file.endswith(".html")],
                         ids=lambda s: s.file)
def test_html_pages_are_full_pages(art) -> None:
    page = parse_html(art.path)
    assert {"html", "head", "title", "nav", "article", "footer"} <= page.tags
    assert page.meta["article:published_time"].startswith(art.published)
    assert page.meta["og:site_name"] and page.meta["og:site_name"] in page.title
    assert page.meta["og:url"].startswith("https://") and ".example." in page.meta["og:url"]


def test_boilerplate_heavy_page_has_the_noise_it_promises() -> None:
    raw = (SAMPLES_DIR / "litoral-prison-2021.html").read_text(encoding="utf-8")
    for noise in ("cookie", "Share this article", "Was this content helpful?", "newsletter",
                  "Related Content", "Most read", "All rights reserved"):
        assert noise in raw, noise
    story = article_text(SAMPLES_DIR / "litoral-prison-2021.html")
    # teasers name other incidents, but never inside the story itself
    assert "Aguililla" in raw and "Aguililla" not in story
    assert "Jacarezinho" in raw and "Jacarezinho" not in story


def test_urls_and_outlets_are_invented() -> None:
    for path in sample_paths():
        for url in re.findall(r"https?://[^\s\"'<>]+", path.read_text(encoding="utf-8")):
            host = url.split("/")[2]
            assert ".example." in host or host.startswith("example.") or \
                host == "json-schema.org" or host == "schema.org", f"{path.name}: {url}"


# --------------------------------------------------------------------------- expectations

def test_readme_lists_every_file_with_its_date() -> None:
    readme = (SAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    for art in SAMPLES:
        row = next((ln for ln in readme.splitlines() if ln.startswith(f"| `{art.file}`")), "")
        assert art.published in row and art.country in row and art.language in row, art.file
        assert f"### `{art.file}`" in readme


@pytest.mark.parametrize("art", SAMPLES, ids=lambda s: s.file)
def test_expected_incidents_use_the_record_vocabulary(art) -> None:
    assert any(i.status == "current" for i in art.incidents)
    for inc in art.incidents:
        assert inc.type in records.INCIDENT_TYPES
        assert inc.status in records.STATUSES
        if inc.date is not None:
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", inc.date)
            assert inc.date <= art.published  # nothing reported before it happened
        assert inc.country is None or re.fullmatch(r"[A-Z]{2}", inc.country)
        for count in (inc.killed, inc.wounded, inc.kidnapped, inc.arrested):
            if count is not None:
                assert count[0] >= 0 and count[1] in records.QUALIFIERS


@pytest.mark.parametrize("art", SAMPLES, ids=lambda s: s.file)
def test_current_incidents_are_grounded_in_the_text(art) -> None:
    text = article_text(art.path)
    low = set(words(text))
    for inc in (i for i in art.incidents if i.status == "current"):
        if inc.place:
            assert inc.place.lower() in text.lower(), f"{art.file}: place {inc.place!r}"
        for who in inc.perpetrators:
            if who not in STATE_ACTORS:
                assert who in text, f"{art.file}: perpetrator {who!r}"
        if inc.killed and inc.killed[0] > 0:
            value = inc.killed[0]
            assert str(value) in low or low & set(NUMBER_WORDS.get(value, ())), \
                f"{art.file}: killed {value}"


def test_sample_lookup() -> None:
    assert sample("otoniel-2021.txt").country == "CO"
    with pytest.raises(KeyError, match="nope.txt: not a bundled sample"):
        sample("nope.txt")


# --------------------------------------------------------------------------- originality

def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def test_no_eight_word_run_is_shared_with_the_shared_corpus() -> None:
    corpus = [p for p in [*(SHARED / "news-dev" / "articles").glob("*"),
                          *(SHARED / "seed").glob("*.txt")] if p.is_file()]
    if not corpus:
        pytest.skip(f"no shared corpus under {SHARED} (news-dev/articles, seed) to compare with")
    theirs: set[tuple[str, ...]] = set()
    for p in corpus:
        theirs |= _shingles(p.read_text(encoding="utf-8", errors="replace"))
    for art in SAMPLES:
        shared = _shingles(article_text(art.path)) & theirs
        assert not shared, f"{art.file} shares word runs with ../shared: {sorted(shared)[:3]}"
