"""The extraction pipeline: one cleaned :class:`Document` in, one
:class:`ExtractionResult` out.

spaCy does tokenisation, sentences and entities (with the domain rulers, see
``nlp.py``); then small components, each with one job, read the parsed ``Doc``:

=============  =====================================  ==========================
component      module                                 produces
=============  =====================================  ==========================
groups         :mod:`cronica.extract.groups`          group / force actors
people         :mod:`cronica.extract.people`          person actors with roles
incidents      :mod:`cronica.extract.incidents`       incident candidates (rules)
decide         :mod:`cronica.extract.decide`          learned keep / type / status
                                                      of each candidate
detect         :mod:`cronica.extract.detect`          learned incidents from sentences
                                                      no candidate covers
victims        :mod:`cronica.extract.victims`         named people harmed or
                                                      detained, as targets
facilities     :mod:`cronica.extract.facilities`      things attacked (stations,
                                                      convoys...), as targets
figures        :mod:`cronica.extract.figures`         numeric claims
quotes         :mod:`cronica.extract.quotes`          quotes with speakers
roles          :mod:`cronica.extract.roles`           learned perpetrators/targets/
                                                      victims/weapons on incidents
=============  =====================================  ==========================

Components are registered in :data:`COMPONENTS`; ``Extractor(components=[...])``
runs a subset (the MUC-4 view, for instance, needs only incidents).

A text longer than :data:`cronica.extract.chunks.CHUNK_CHARS` (20,000 characters) is
extracted piece by piece and the results are joined (``chunks.py``), so the cost of a
document grows linearly with its length (``cronica bench growth`` measures it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Callable

from spacy.tokens import Doc

from cronica import __version__
from cronica.extract.chunks import merge_results, sub_documents
from cronica.extract.nlp import load_nlp
from cronica.records import Actor, Document, ExtractionResult

DEFAULT_COMPONENTS = ("groups", "people", "incidents", "decide", "detect", "victims", "facilities", "figures", "quotes")


class Extractor:
    """Loads models once; ``extract`` one document or ``extract_many`` in batches."""

    def __init__(self, components: Iterable[str] = DEFAULT_COMPONENTS, batch_size: int = 16) -> None:
        self.components = tuple(components)
        unknown = set(self.components) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown extraction component(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(COMPONENTS)}")
        self.batch_size = batch_size
        self._incidents = None

    @property
    def name(self) -> str:
        return f"cronica/{__version__}"

    def _incident_extractor(self):  # type: ignore[no-untyped-def]
        if self._incidents is None:
            from cronica.extract.incidents import IncidentExtractor

            self._incidents = IncidentExtractor()
        return self._incidents

    def extract(self, document: Document) -> ExtractionResult:
        return next(iter(self.extract_many([document])))

    def extract_many(self, documents: Iterable[Document]) -> Iterator[ExtractionResult]:
        """Results in input order; documents are parsed in batches per language."""
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, docs: list[Document]) -> Iterator[ExtractionResult]:
        # a long text is extracted piece by piece (chunks.py): cost linear in its length
        units = [(i, start, sub) for i, d in enumerate(docs) for start, sub in sub_documents(d)]
        parts: dict[int, list[tuple[int, ExtractionResult]]] = {}
        by_lang: dict[str, list[int]] = {}
        for u, (i, _, _) in enumerate(units):
            by_lang.setdefault(_lang(docs[i]), []).append(u)
        for lang, us in by_lang.items():
            nlp = load_nlp(lang)
            for u, sdoc in zip(us, nlp.pipe((units[u][2].text for u in us), batch_size=self.batch_size)):
                i, start, sub = units[u]
                parts.setdefault(i, []).append((start, self.run_components(sdoc, sub)))
        for i, d in enumerate(docs):
            got = parts[i]
            yield got[0][1] if got[0][1].document is d else merge_results(d, got, self.name)

    def run_components(self, sdoc: Doc, document: Document) -> ExtractionResult:
        result = ExtractionResult(document=document, extractor=self.name)
        state: dict[str, object] = {}
        for name in self.components:
            COMPONENTS[name](self, sdoc, document, result, state)
        return result


def _lang(d: Document) -> str:
    return d.language if d.language in ("en", "es") else "en"


# --------------------------------------------------------------------------- components
Component = Callable[[Extractor, Doc, Document, ExtractionResult, dict], None]


def _groups(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.groups import extract_groups

    result.actors.extend(extract_groups(sdoc, document))


def _people(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.people import extract_people

    people = extract_people(sdoc, document)
    state["people"] = people
    result.actors.extend(people)


def _incidents(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    result.incidents.extend(ex._incident_extractor().extract(sdoc, document))


def _decide(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.decide import decide

    result.incidents = decide(document, result.incidents, actors=result.actors)


def _detect(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.detect import detect, load_detector

    det = load_detector()
    if det is None or det.threshold > 1:  # no model, or cross-validation turned it off
        return
    country = ex._incident_extractor().main_country(sdoc)
    result.incidents.extend(detect(sdoc, document, result.incidents, country))


def _victims(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.victims import add_victims

    people = state.get("people")
    if people is None:
        from cronica.extract.people import extract_people

        people = extract_people(sdoc, document)
        state["people"] = people
    add_victims(document, result.incidents, people)  # type: ignore[arg-type]


def _facilities(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.facilities import add_facilities

    add_facilities(document, result.incidents)


def _figures(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.figures import extract_figures

    result.figures.extend(extract_figures(sdoc, document))


def _quotes(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.quotes import extract_quotes

    people = state.get("people")
    if people is None:
        from cronica.extract.people import extract_people

        people = extract_people(sdoc, document)
    result.quotes.extend(extract_quotes(sdoc, document, list(people)))  # type: ignore[arg-type]


def _roles(ex: Extractor, sdoc: Doc, document: Document, result: ExtractionResult, state: dict) -> None:
    from cronica.extract.roles import extract_roles

    result.incidents = extract_roles(sdoc, document, result.incidents)


COMPONENTS: dict[str, Component] = {
    "groups": _groups,
    "people": _people,
    "incidents": _incidents,
    "decide": _decide,
    "detect": _detect,
    "victims": _victims,
    "facilities": _facilities,
    "figures": _figures,
    "quotes": _quotes,
    "roles": _roles,
}


def actors_by_id(result: ExtractionResult) -> dict[str, Actor]:
    return {a.id: a for a in result.actors}
