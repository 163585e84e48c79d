"""Place accuracy of found incidents: ``cronica bench places``.

For every *current* gold event of a manifest split (gold ``location: {name, admin1,
country}``), the predicted incident it is matched to the way ``cronica bench news`` matches
current incidents (:func:`cronica.bench.scoring.match_events`, untyped, current events on
both sides) is checked at three levels:

* **place**: the predicted gazetteer entry is the gold place's, or, when both have
  coordinates, the prediction lies within :data:`PLACE_KM` km of the gold place (within
  5x that when the names also agree); otherwise a part of the gold name ("vereda Los Toros,
  Amalfi" -> "los toros", "amalfi"; generic words such as "municipio de" dropped) equals the
  predicted name or its gazetteer entry's name, and the admin1 does not contradict the gold;
* **admin1** (gold events with an admin1): the predicted admin1 (or the admin1 of its
  gazetteer entry) names the same division, compared through the gazetteer's admin1 ids;
* **country**: same ISO-2 code.

Unmatched gold events (incident not found) are counted but not scored.  The error in km is
the distance from the predicted coordinates to the gold place looked up in the gazetteer
(the gold name's most specific part that resolves in the gold country / admin1).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from cronica.bench.corpus import MANIFEST, load_split
from cronica.bench.scoring import match_events
from cronica.resolve.gazetteer import GazetteerDB, Place, haversine_km
from cronica.resolve.text import fold

#: Predicted coordinates this close to the gold place count as the right place.
PLACE_KM = 10.0
_GENERIC = re.compile(  # "vereda Los Toros", "municipio de Amalfi", "district of Pichari"
    r"^(?:(?:vereda|corregimiento|caserio|centro poblado|comunidad|colonia|barrio|sector|anexo|parroquia|"
    r"municipio|canton)\s+(?:(?:de|del|of)\s+)?|(?:municipality|distrito|district|provincia|province|departamento|"
    r"department|estado|state|region|ciudad|city|town|village|pueblo|poblado|localidad|zona rural|rural area|"
    r"area rural|outskirts|afueras)\s+(?:of|de|del|do|da)\s+)")
_LEAD = re.compile(r"^(?:road to|highway to|ranch near|ranch|near|outskirts of|casco urbano de|zona rural de|"
                   r"comunidad de|caserios del|carretera a|via a|cerca de|afueras de|the)\s+")
_TRAIL = re.compile(r"\s+(?:prison|jail|penitentiary|airport|international airport|neighbourhood|neighborhood|"
                    r"district|province|municipality|region|department|state|city|town|ranch|area)$")
_SPLIT = re.compile(r",|;|\s+y\s+|\s+and\s+|\s+e\s+|\(|\)")
_PLACE_KINDS = ("locality", "admin2", "region", "admin1")


@dataclass
class Tally:
    """Place-level counts for one scope (a language, or everything)."""

    gold: int = 0  # current gold events
    found: int = 0  # matched to a predicted incident
    place: list[bool] = field(default_factory=list)
    admin1: list[bool] = field(default_factory=list)
    country: list[bool] = field(default_factory=list)
    km: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def acc(xs: list[bool]) -> dict[str, Any]:
            return {"accuracy": (sum(xs) / len(xs)) if xs else None, "correct": sum(xs), "n": len(xs)}

        return {"gold_events": self.gold, "found": self.found, "place": acc(self.place),
                "admin1": acc(self.admin1), "country": acc(self.country),
                "median_km": statistics.median(self.km) if self.km else None, "km_n": len(self.km)}


def name_parts(name: str | None) -> list[str]:
    """Folded parts of a gold place name, most specific first, generic words dropped."""
    out: list[str] = []
    for part in _SPLIT.split(name or ""):
        k = fold(part)
        k2 = k
        for _ in range(3):  # "road to Ciudad Victoria airport" -> "ciudad victoria"
            k2 = _TRAIL.sub("", _LEAD.sub("", _GENERIC.sub("", k2).strip()).strip()).strip()
        for v in (k2, k):
            if v and v not in out:
                out.append(v)
    return out


class PlaceScorer:
    """Compares gold and predicted locations with the help of the gazetteer file."""

    def __init__(self, db: GazetteerDB | None = None) -> None:
        self.db = db or GazetteerDB.default()
        self._admin1_memo: dict[tuple[str, str], frozenset[str]] = {}

    def admin1_ids(self, name: str | None, country: str | None) -> frozenset[str]:
        """Admin1 ids a name can denote in ``country`` (the folded name itself when none)."""
        if not name:
            return frozenset()
        key = (fold(name), country or "")
        got = self._admin1_memo.get(key)
        if got is None:
            ids = {p.id for p in self.db.lookup(name, country, kinds=("admin1",))}
            stripped = _GENERIC.sub("", fold(name)).strip()
            if not ids and stripped != fold(name):
                ids = {p.id for p in self.db.lookup(stripped, country, kinds=("admin1",))}
            got = frozenset(ids or {f"name:{fold(name)}"})
            self._admin1_memo[key] = got
        return got

    def gold_place(self, loc: Mapping[str, Any]) -> Place | None:
        """The gazetteer entry of a gold location, most specific part first."""
        country = loc.get("country")
        a1 = self.admin1_ids(loc.get("admin1"), country) if loc.get("admin1") else frozenset()
        for part in name_parts(loc.get("name")):
            cands = [p for p in self.db.lookup(part, country, kinds=_PLACE_KINDS) if p.lat is not None]
            if a1:
                inside = [p for p in cands if p.admin1_id in a1 or p.id in a1]
                cands = inside or ([] if any(i.startswith(("iso:", "gn-a1:")) for i in a1) else cands)
            if cands:  # a town before the municipality / province named after it
                return sorted(cands, key=lambda p: _PLACE_KINDS.index(p.kind))[0]
        return None

    def check(self, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> tuple[bool, bool | None, bool, float | None]:
        """(place ok, admin1 ok or None when the gold has no admin1, country ok, km error)."""
        g_country, p_country = gold.get("country"), pred.get("country")
        entry = self.db.get(pred["gazetteer_id"]) if pred.get("gazetteer_id") else None
        p_names = {fold(n) for n in (pred.get("name"), entry.name if entry else None) if n}
        gp = self.gold_place(gold)
        plat, plon = pred.get("lat"), pred.get("lon")
        km = haversine_km(gp.lat, gp.lon, plat, plon) if gp and plat is not None and plon is not None else None  # type: ignore[arg-type]
        admin1_ok: bool | None = None
        if gold.get("admin1"):
            p_a1 = pred.get("admin1") or (entry.admin1 if entry else None)
            admin1_ok = bool(p_a1) and bool(self.admin1_ids(gold["admin1"], g_country)
                                            & self.admin1_ids(p_a1, p_country or g_country))
        same_name = bool(set(name_parts(gold.get("name"))) & p_names) and admin1_ok is not False
        if gp is not None and entry is not None and gp.id == entry.id:
            place_ok = True
        elif km is not None:  # both located: the coordinates decide (a homonym elsewhere is wrong)
            place_ok = km <= PLACE_KM or (same_name and km <= 5 * PLACE_KM)
        else:
            place_ok = same_name
        return place_ok, admin1_ok, (g_country is not None and g_country == p_country), km


def score_places(rows: list[tuple[Any, Any, Path]], preds: Mapping[str, Mapping[str, Any]],
                 scorer: PlaceScorer | None = None) -> dict[str, Tally]:
    """Tallies per language and ``all`` over manifest ``rows`` (entry, gold article, dir)."""
    sc = scorer or PlaceScorer()
    out: dict[str, Tally] = {}
    for e, art, _ in rows:
        pred = preds.get(e.key) or {}
        g_ev = [g for g in art.events if g.get("status") == "current"]
        p_ev = [p for p in pred.get("incidents") or [] if p.get("status", "current") == "current"]
        pairs = dict(match_events(g_ev, p_ev, typed=False))
        for scope in (art.language, "all"):
            out.setdefault(scope, Tally()).gold += len(g_ev)
        for gi, g in enumerate(g_ev):
            gl = g.get("location") or {}
            if gi not in pairs or not (gl.get("name") or gl.get("country")):
                continue
            pl = p_ev[pairs[gi]].get("location") or {}
            place_ok, a1_ok, c_ok, km = sc.check(gl, pl)
            for scope in (art.language, "all"):
                t = out[scope]
                t.found += 1
                if gl.get("name"):
                    t.place.append(place_ok)
                if a1_ok is not None:
                    t.admin1.append(a1_ok)
                if gl.get("country"):
                    t.country.append(c_ok)
                if km is not None:
                    t.km.append(km)
                if scope == "all" and not (place_ok and a1_ok is not False):
                    t.wrong.append(f"{e.key} {g.get('id', gi)}: gold {gl.get('name')!r} / {gl.get('admin1')} / "
                                   f"{gl.get('country')}, predicted {pl.get('name')!r} / {pl.get('admin1')} / "
                                   f"{pl.get('country')}" + (f" ({km:.0f} km)" if km is not None else ""))
    return out


def run_places(split: str = "dev", corpus: str | None = None, lang: str | None = None,
               shared: str | Path | None = None, manifest: str | Path = MANIFEST,
               predictions: Mapping[str, Mapping[str, Any]] | None = None,
               progress: Callable[[str], None] | None = None) -> dict[str, Tally]:
    """Score place accuracy on one split, running the extractor unless ``predictions``
    (``corpus/file`` -> Cronica JSON) are given."""
    from cronica.bench.splits import run_split

    rows = load_split(split, corpus, lang, shared, manifest)
    if predictions is None:
        _, predictions = run_split(split, corpus, lang, shared, manifest, progress=progress)
    return score_places(rows, predictions)


def format_places(split: str, tallies: Mapping[str, Tally], details: bool = False) -> str:
    lines = [f"== place accuracy of found current incidents, split {split} ==",
             f"{'lang':<5} {'gold':>5} {'found':>6}  {'place':<16} {'admin1':<16} {'country':<16} median km (n)"]

    def cell(xs: list[bool]) -> str:
        return f"{sum(xs) / len(xs):.2f} ({sum(xs)}/{len(xs)})" if xs else "-"

    for scope in sorted(tallies, key=lambda s: (s == "all", s)):
        t = tallies[scope]
        med = f"{statistics.median(t.km):.1f} ({len(t.km)})" if t.km else "- (0)"
        lines.append(f"{scope:<5} {t.gold:>5} {t.found:>6}  {cell(t.place):<16} {cell(t.admin1):<16} "
                     f"{cell(t.country):<16} {med}")
    lines.append(f"place: gold name part = predicted name, or within {PLACE_KM:.0f} km; admin1 over gold events "
                 "with an admin1; km: predicted coordinates to the gold place in the gazetteer")
    if details and "all" in tallies:
        lines.append("\nwrong place or admin1:")
        lines += [f"  {w}" for w in tallies["all"].wrong]
    return "\n".join(lines)
