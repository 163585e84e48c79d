"""The actor registry: known criminal and armed groups, state forces and official bodies.

Data lives in ``cronica/data/actors.yaml`` (one list item per actor)::

    - id: shining-path                 # stable slug, unique
      canonical: Shining Path          # the name Cronica reports
      kind: armed_group                # criminal_group|armed_group|state_force|government_body|organization
      country: PE                      # ISO-2, a list of ISO-2, or null
      parent: null                     # id of the umbrella organisation
      aliases: [Sendero Luminoso, SL]  # other names; acronyms are matched case-sensitively
      demonyms: [senderista]           # member words that also designate the group
      # optional:
      case_sensitive: [Los Lobos]      # extra forms that ruler patterns match only as written
      weak_aliases: [milicias]         # lookup-only forms (too common for ruler patterns)
      generic: [army, ejército]        # lookup-only, valid only with this entry's country

Canonical names, aliases, demonyms, case-sensitive and weak aliases must be unique across
the registry (compared after :func:`cronica.resolve.text.fold`); ``generic`` names must
be unique per country.  :meth:`ActorRegistry.from_yaml` raises :class:`RegistryError`
(one line naming the file, the entry and the problem) on any violation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cronica.resolve.text import fold, is_acronym, lookup_keys, surface_variants, tokenize

KINDS: tuple[str, ...] = (
    "criminal_group", "armed_group", "state_force", "government_body", "organization",
)
GROUP_KINDS: frozenset[str] = frozenset({"criminal_group", "armed_group"})
_SPANISH_ARTICLES = ("el ", "la ", "los ", "las ")


class RegistryError(ValueError):
    """The actor registry file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class ActorEntry:
    """One known actor.  ``country`` is its main country (first of ``countries``)."""

    id: str
    canonical: str
    kind: str
    country: str | None
    parent: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    countries: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The entity label its ruler patterns carry: ``GROUP`` or ``FORCE``."""
        return "GROUP" if self.kind in GROUP_KINDS else "FORCE"

    def names(self) -> tuple[str, ...]:
        """Every unique name of the entry (canonical first), weak aliases excluded."""
        return (self.canonical, *self.aliases, *self.demonyms, *self.case_sensitive)


def _str_list(raw: Any, where: str, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise RegistryError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(x.strip() for x in raw)


def _entry(raw: Any, where: str) -> ActorEntry:
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: each entry must be a mapping, got {type(raw).__name__}")
    for key in ("id", "canonical", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RegistryError(f"{where}: missing or empty '{key}'")
    ident, kind = raw["id"].strip(), raw["kind"].strip()
    where = f"{where} (id {ident!r})"
    if kind not in KINDS:
        raise RegistryError(f"{where}: unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    countries = _str_list(raw.get("country"), where, "country")
    for c in countries:
        if len(c) != 2 or not c.isalpha() or not c.isupper():
            raise RegistryError(f"{where}: country {c!r} is not an ISO 3166-1 alpha-2 code")
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise RegistryError(f"{where}: 'parent' must be an id or null")
    unknown = set(raw) - {"id", "canonical", "kind", "country", "parent", "aliases", "demonyms",
                          "case_sensitive", "weak_aliases", "generic"}
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return ActorEntry(
        id=ident, canonical=raw["canonical"].strip(), kind=kind,
        country=countries[0] if countries else None,
        parent=parent.strip() if parent else None,
        aliases=_str_list(raw.get("aliases"), where, "aliases"),
        demonyms=_str_list(raw.get("demonyms"), where, "demonyms"),
        countries=countries,
        case_sensitive=_str_list(raw.get("case_sensitive"), where, "case_sensitive"),
        weak_aliases=_str_list(raw.get("weak_aliases"), where, "weak_aliases"),
        generic=_str_list(raw.get("generic"), where, "generic"),
    )


class ActorRegistry:
    """Known actors, looked up by any of their names; see the module docstring."""

    _default: "ActorRegistry | None" = None
    _default_lock = threading.Lock()

    def __init__(self, entries: list[ActorEntry], source: str = "<memory>") -> None:
        self.source = source
        self._entries: dict[str, ActorEntry] = {}
        self._names: dict[str, str] = {}  # folded name -> id
        self._weak: dict[str, str] = {}
        self._generic: dict[tuple[str, str], str] = {}  # (folded, country) -> id
        self._patterns: dict[str, list[dict]] = {}
        for e in entries:
            if e.id in self._entries:
                raise RegistryError(f"{source}: duplicate id {e.id!r}")
            self._entries[e.id] = e
        for e in entries:
            if e.parent is not None and e.parent not in self._entries:
                raise RegistryError(f"{source}: entry {e.id!r} has unknown parent {e.parent!r}")
            for name in e.names():
                self._claim(self._names, fold(name), e, name)
            for name in e.weak_aliases:
                key = fold(name)
                if key in self._names and self._names[key] != e.id:
                    raise RegistryError(f"{source}: entry {e.id!r}: weak alias {name!r} is already "
                                        f"a name of {self._names[key]!r}")
                self._claim(self._weak, key, e, name)
            for name in e.generic:
                if not e.countries:
                    raise RegistryError(f"{source}: entry {e.id!r} has generic names but no country")
                for c in e.countries:
                    self._claim(self._generic, (fold(name), c), e, name)  # type: ignore[arg-type]
        for e in entries:  # parent cycles
            seen = {e.id}
            p = e.parent
            while p is not None:
                if p in seen:
                    raise RegistryError(f"{source}: entry {e.id!r}: parent chain loops through {p!r}")
                seen.add(p)
                p = self._entries[p].parent

    def _claim(self, index: dict, key: Any, e: ActorEntry, name: str) -> None:
        if not key or (isinstance(key, tuple) and not key[0]):
            raise RegistryError(f"{self.source}: entry {e.id!r}: name {name!r} is empty after normalising")
        other = index.get(key)
        if other is not None and other != e.id:
            raise RegistryError(f"{self.source}: entry {e.id!r}: alias {name!r} is also used by "
                                f"entry {other!r}")
        index[key] = e.id

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_yaml(cls, path: str | Path) -> "ActorRegistry":
        """Load and validate a registry file (see the module docstring for the format)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise RegistryError(f"{p}: cannot read actor registry ({exc.strerror or exc})") from None
        return cls._from_text(text, str(p))

    @classmethod
    def _from_text(cls, text: str, source: str) -> "ActorRegistry":
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            at = f" at line {line + 1}" if line is not None else ""
            raise RegistryError(f"{source}: invalid YAML{at}") from None
        if not isinstance(raw, list):
            raise RegistryError(f"{source}: expected a list of actor entries at the top level")
        entries = [_entry(item, f"{source}: entry #{i + 1}") for i, item in enumerate(raw)]
        return cls(entries, source)

    @classmethod
    def default(cls) -> "ActorRegistry":
        """The packaged registry (``cronica/data/actors.yaml``), loaded once per process."""
        with cls._default_lock:
            if cls._default is None:
                res = resources.files("cronica").joinpath("data", "actors.yaml")
                cls._default = cls._from_text(res.read_text(encoding="utf-8"), "cronica/data/actors.yaml")
            return cls._default

    # -- queries ----------------------------------------------------------------------
    def __iter__(self) -> Iterator[ActorEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, id: str) -> ActorEntry | None:  # noqa: A002 - the contract's name
        return self._entries.get(id)

    def lookup(self, name: str, country: str | None = None) -> ActorEntry | None:
        """The entry a free-text name designates, or ``None``.

        Accent-, case-, punctuation-insensitive; a leading "the" and a possessive "'s" are
        ignored; a leading Spanish article ("las FARC") is dropped as a last resort.  Weak
        aliases ("milicias") are tried after the real names; ``generic`` names ("the army")
        resolve only when ``country`` is given.
        """
        if not name or not name.strip():
            return None
        keys = lookup_keys(name)
        for k in list(keys):
            for art in _SPANISH_ARTICLES:
                if k.startswith(art) and k[len(art):] not in keys:
                    keys.append(k[len(art):])
        country = country.upper() if country else None
        for index in (self._names, self._weak):
            for k in keys:
                if k in index:
                    return self._entries[index[k]]
        if country:
            for k in keys:
                ident = self._generic.get((k, country))
                if ident:
                    return self._entries[ident]
        return None

    def ancestors(self, id: str) -> list[ActorEntry]:  # noqa: A002
        """Parent, grandparent, ... of ``id`` (nearest first); ``[]`` for unknown ids."""
        out: list[ActorEntry] = []
        e = self._entries.get(id)
        while e is not None and e.parent is not None:
            e = self._entries[e.parent]
            out.append(e)
        return out

    def ruler_patterns(self, lang: str) -> list[dict]:
        """spaCy EntityRuler token patterns for every name of every entry.

        Label ``GROUP`` (criminal/armed groups) or ``FORCE`` (everything else), ``id`` the
        entry id.  Acronym-like forms and ``case_sensitive`` forms match by ``ORTH``; other
        names and demonyms by ``LOWER``; accent-less and apostrophe variants are included.
        A preceding "the" and a following possessive "'s" stay outside the span (they are
        separate tokens).  Weak and generic names get no pattern.
        """
        cached = self._patterns.get(lang)
        if cached is not None:
            return [dict(p) for p in cached]
        seen: set[tuple] = set()
        out: list[dict] = []
        for e in self._entries.values():
            exact = set(e.case_sensitive)
            for name in e.names():
                for form in surface_variants(name):
                    toks = tokenize(form, lang)
                    if not toks:
                        continue
                    if name in exact or is_acronym(name):
                        pattern = [{"ORTH": t} for t in toks]
                    else:
                        pattern = [{"LOWER": t.lower()} for t in toks]
                    key = (e.label, e.id, tuple(tuple(d.items())[0] for d in pattern))
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append({"label": e.label, "pattern": pattern, "id": e.id})
        self._patterns[lang] = out
        return [dict(p) for p in out]


def actor_id_for(canonical: str) -> str:
    """A stable id for an actor that is not in the registry: ``"actor_" + slug``."""
    slug = fold(canonical).replace("'", "").replace(" ", "-")
    if not slug:
        raise ValueError(f"actor_id_for: canonical name {canonical!r} has no letters or digits")
    return f"actor_{slug}"
