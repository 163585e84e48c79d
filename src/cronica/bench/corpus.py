"""The annotated news corpora and their locked train / dev / test split.

Four corpora share one gold format (``../shared/news-dev/README.md``):

==========  ==========================================  ==================================
corpus      where                                       what
==========  ==========================================  ==================================
news-dev    ``../shared/news-dev``                      45 EN/ES articles the rules were
                                                        tuned on (never in the test split)
news-es2    ``../shared/news-es2``                      100 Spanish articles
news-en2    ``../shared/news-en2``                      60 English articles
news-x3     ``corpora/news-x3`` (in this repository)    articles written for Cronica,
                                                        provenance in ``provenance/``
==========  ==========================================  ==================================

The manifest (``corpora/manifest.tsv``) gives every article a split.  It is made once by
:func:`make_manifest` (``cronica corpus split``) and then **locked**: the file is committed
and later runs only append articles that are new.  Articles are split by real-world
incident: articles that share a ``cluster_id``, or whose events share a day, a country and a
type, form one group, and a group never straddles two splits.  Groups that contain a
news-dev article always go to train (the rules were tuned on news-dev).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cronica.bench.gold import BenchError, GoldArticle, load_gold

REPO_ROOT = Path(__file__).resolve().parents[3]
CORPORA_DIR = REPO_ROOT / "corpora"
MANIFEST = CORPORA_DIR / "manifest.tsv"
SHARED_CORPORA = ("news-dev", "news-es2", "news-en2")
OWN_CORPORA = ("news-x3",)
CORPORA = SHARED_CORPORA + OWN_CORPORA
SPLITS = ("train", "dev", "test")
#: Share of the articles outside news-dev's groups that go to the locked test and to dev.
TEST_SHARE = 0.35
DEV_SHARE = 0.15
FIELDS = ("corpus", "file", "language", "group", "split")


@dataclass(frozen=True, slots=True)
class Entry:
    """One manifest line."""

    corpus: str
    file: str
    language: str
    group: str
    split: str

    @property
    def key(self) -> str:
        """``corpus/file``: unique over all corpora."""
        return f"{self.corpus}/{self.file}"


def corpus_dir(name: str, shared: str | Path | None = None) -> Path:
    """The folder of corpus ``name`` (shared ones under ``shared``, default ``../shared``
    next to the repository)."""
    if name in OWN_CORPORA:
        return CORPORA_DIR / name
    if name not in SHARED_CORPORA:
        raise BenchError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    base = Path(shared) if shared is not None else REPO_ROOT.parent / "shared"
    return base / name


def corpus_gold(name: str, shared: str | Path | None = None) -> list[GoldArticle]:
    """The gold articles of one corpus (``BenchError`` when it is missing)."""
    d = corpus_dir(name, shared)
    path = d / "gold.jsonl"
    if name in OWN_CORPORA and not path.is_file() and (d / "gold").is_dir():
        return _gold_parts(d / "gold")
    return load_gold(path)


def _gold_parts(folder: Path) -> list[GoldArticle]:
    out: list[GoldArticle] = []
    for p in sorted(folder.glob("*.jsonl")):
        out.extend(load_gold(p))
    return sorted(out, key=lambda a: a.file)


def read_manifest(path: str | Path = MANIFEST) -> list[Entry]:
    p = Path(path)
    if not p.is_file():
        raise BenchError(f"{p}: corpus manifest not found (make it with `cronica corpus split`)")
    with p.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    out = []
    for n, r in enumerate(rows, 2):
        if set(FIELDS) - set(r) or r["split"] not in SPLITS:
            raise BenchError(f"{p} line {n}: expected columns {', '.join(FIELDS)} and a split in {SPLITS}")
        out.append(Entry(r["corpus"], r["file"], r["language"], r["group"], r["split"]))
    return out


def write_manifest(entries: Iterable[Entry], path: str | Path = MANIFEST) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Locked corpus split (cronica corpus split). Do not edit by hand; never move an\n"
                 "# article out of 'test'. Tune on train and dev only; score test once per round.\n")
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(FIELDS)
        for e in sorted(entries, key=lambda e: (CORPORA.index(e.corpus), e.file)):
            w.writerow([e.corpus, e.file, e.language, e.group, e.split])


def _incident_keys(art: GoldArticle) -> set[str]:
    keys: set[str] = set()
    for ev in art.events:
        if ev.get("cluster_id"):
            keys.add("cluster:" + str(ev["cluster_id"]))
        date, loc = ev.get("date") or "", ev.get("location") or {}
        if len(date) == 10 and ev.get("status") in ("current", "background"):
            keys.add(f"event:{date}:{loc.get('country')}:{ev.get('type')}")
    return keys


def group_articles(arts: dict[str, GoldArticle]) -> dict[str, str]:
    """``corpus/file`` -> group id: connected components over shared incident keys."""
    parent = {k: k for k in arts}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for k in sorted(arts):
        for ik in sorted(_incident_keys(arts[k])):
            if ik in owner:
                a, b = find(owner[ik]), find(k)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[ik] = k
    return {k: find(k) for k in arts}


def _h(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def make_manifest(shared: str | Path | None = None, existing: list[Entry] | None = None,
                  corpora: Iterable[str] = CORPORA) -> list[Entry]:
    """Split every article of ``corpora``.  Entries of ``existing`` keep their split; a new
    article that joins an existing group takes that group's split; new groups are assigned
    by a hash of their id, per language, until test and dev reach their shares."""
    arts: dict[str, GoldArticle] = {}
    for c in corpora:
        try:
            gold = corpus_gold(c, shared)
        except BenchError:
            if c in OWN_CORPORA:
                continue
            raise
        for a in gold:
            arts[f"{c}/{a.file}"] = a
    groups = group_articles(arts)
    old = {e.key: e for e in existing or []}
    split_of_group: dict[str, str] = {}
    for k, e in old.items():
        if k in groups:
            split_of_group.setdefault(groups[k], e.split)
    members: dict[str, list[str]] = {}
    for k, g in groups.items():
        members.setdefault(g, []).append(k)
    for g, ks in members.items():
        if any(k.startswith("news-dev/") for k in ks) and split_of_group.get(g) == "test":
            raise BenchError(f"group {g} holds a news-dev article and a locked test article")
    # new groups: news-dev's go to train/dev, the rest fill test and dev per language
    for lang in ("en", "es"):
        cands = sorted((g for g, ks in members.items() if g not in split_of_group
                        and _major_lang(ks, arts) == lang), key=_h)
        pool = [k for g, ks in members.items() if _major_lang(ks, arts) == lang
                and not any(x.startswith("news-dev/") for x in ks) for k in ks]
        n_test = sum(len(members[g]) for g, s in split_of_group.items() if s == "test"
                     and _major_lang(members[g], arts) == lang)
        n_dev = sum(len(members[g]) for g, s in split_of_group.items() if s == "dev"
                    and _major_lang(members[g], arts) == lang)
        for g in cands:
            ks = members[g]
            if any(k.startswith("news-dev/") for k in ks):
                split_of_group[g] = "train"  # the rules were tuned on news-dev: never dev or test
            elif n_test < TEST_SHARE * len(pool):
                split_of_group[g] = "test"
                n_test += len(ks)
            elif n_dev < DEV_SHARE * len(pool):
                split_of_group[g] = "dev"
                n_dev += len(ks)
            else:
                split_of_group[g] = "train"
    out = []
    for k, a in arts.items():
        corpus, file = k.split("/", 1)
        g = groups[k]
        out.append(Entry(corpus, file, a.language, _h(g)[:10], split_of_group[g]))
    return out


def _major_lang(keys: list[str], arts: dict[str, GoldArticle]) -> str:
    langs = [arts[k].language for k in keys]
    return max(sorted(set(langs)), key=langs.count)


def load_split(split: str | None = None, corpus: str | None = None, language: str | None = None,
               shared: str | Path | None = None,
               manifest: str | Path = MANIFEST) -> list[tuple[Entry, GoldArticle, Path]]:
    """(entry, gold article, corpus folder) for the manifest's articles of ``split`` (all
    when ``None``), optionally one ``corpus`` and one ``language``."""
    entries = [e for e in read_manifest(manifest)
               if (split in (None, "all") or e.split == split) and (corpus in (None, "all") or e.corpus == corpus)
               and (language in (None, "all") or e.language == language)]
    golds: dict[str, dict[str, GoldArticle]] = {}
    out = []
    for e in entries:
        if e.corpus not in golds:
            golds[e.corpus] = {a.file: a for a in corpus_gold(e.corpus, shared)}
        a = golds[e.corpus].get(e.file)
        if a is None:
            raise BenchError(f"manifest lists {e.key} but its corpus has no gold for it")
        out.append((e, a, corpus_dir(e.corpus, shared)))
    return out
