"""A learned tagger for incident role fillers: who did it, who or what was hit, with what.

The tagger is a linear-chain CRF (CRFsuite) over the tokens of each sentence of a parsed
spaCy ``Doc`` (the product pipeline's parse: words, POS, dependencies, entity labels from
the statistical NER and the registry rulers).  It labels spans with one of :data:`ROLES`:

* ``PerpInd`` – individual perpetrators as written ("guerrillas", "a group of gunmen");
* ``PerpOrg`` – the organisation behind the act ("FMLN", "Shining Path");
* ``Target``  – a physical target ("the power substation", "the U.S. embassy");
* ``Victim``  – a person hit ("Antonio Roldan Betancur", "two policemen");
* ``Weapon``  – the instrument ("dynamite", "car bomb").

The model is trained on the MUC-4 training documents (``cronica train muc4``) and ships
in ``cronica/data/models/roles/roles.crfsuite``; :meth:`RoleTagger.default` loads it once.
Prediction needs no network and costs a few milliseconds per document.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

ROLES: tuple[str, ...] = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models" / "roles"
MODEL_PATH = MODEL_DIR / "roles.crfsuite"
#: A token is a role filler when the model's probability of "outside" is below this.
O_THRESHOLD = 0.7

#: Sentence cue classes: a sentence mentioning one of these words gets the class as a
#: feature on every token (the tagger learns that fillers sit near violent events).
CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"\b(?:{rx})", re.I) for name, rx in {
        "kill": r"kill|murder|assassinat|dead|death|shot|slain|massacre|execut",
        "wound": r"wound|injur",
        "bomb": r"bomb|explo|dynamite|grenade|blew",
        "kidnap": r"kidnap|abduct|hostage|captive|release",
        "attack": r"attack|ambush|raid|assault|fire[ds]? (?:at|on)|clash",
        "burn": r"burn|arson|fire\b|set fire|torch",
        "rob": r"rob|steal|stole|loot",
        "perp": r"guerrilla|terrorist|rebel|insurgent|gunm[ae]n|subversive|death squad|urban commando",
        "claim": r"claim|responsib|blam|attribut|accus",
        "deny": r"den(?:y|ied)|not responsible|reject",
        "report": r"said|reported|announced|stated",
    }.items()
}


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A role filler found by the tagger: ``Doc.text[start:end]`` (character offsets)."""

    role: str
    start: int
    end: int
    text: str
    sent_start: int  # character offset of the sentence it is in


def _shape(t: Token) -> str:
    s = t.text
    if s.isdigit():
        return "d"
    if any(c.isdigit() for c in s):
        return "xd"
    if not s.isalpha():
        return "p" if len(s) == 1 else "xp"
    return "x"


def _governor(t: Token) -> tuple[str, str]:
    """The verb (or root) that governs ``t`` and the relation on the way ("pobj:by")."""
    rel = t.dep_
    cur = t
    prep = ""
    for _ in range(8):
        head = cur.head
        if head is cur:
            return cur.lower_, rel
        if cur.dep_ == "pobj" and head.pos_ == "ADP":
            prep = head.lower_
        if head.pos_ in ("VERB", "AUX"):
            return head.lower_, (f"{cur.dep_}:{prep}" if prep else cur.dep_)
        cur = head
    return cur.lower_, rel


#: Event classes of :data:`CUES` whose words are incident triggers (for :func:`_event_context`).
EVENT_CUES: tuple[str, ...] = ("kill", "wound", "bomb", "kidnap", "attack", "burn", "rob")


def _event_class(t: Token) -> str | None:
    """The event class of a trigger word ("killing" -> kill, "ambush" -> attack), else None."""
    for k in EVENT_CUES:
        if CUES[k].match(t.lower_):
            return k
    return None


def _event_context(t: Token) -> list[str]:
    """Where ``t`` sits relative to the act, beyond its governing verb:

    * ``nh=<noun>|<prep>`` – the noun it hangs from through a preposition ("the kidnapping
      of X" -> ``nh=kidnapping|of``), and ``nht=<class>|<prep>`` when that noun is a
      trigger ("nht=kidnap|of");
    * ``tr=<class>|<relation>`` – the nearest ancestor that is a trigger word and the
      relation of the child on the way ("X was killed" -> ``tr=kill|nsubjpass``)."""
    out: list[str] = []
    cur = t
    for _ in range(6):
        h = cur.head
        if h is cur:
            break
        if cur.dep_ == "pobj" and h.pos_ == "ADP" and h.head.pos_ in ("NOUN", "PROPN"):
            out.append(f"nh={h.head.lower_}|{h.lower_}")
            k = _event_class(h.head)
            if k:
                out.append(f"nht={k}|{h.lower_}")
            break
        cur = h
    cur = t
    for _ in range(8):
        h = cur.head
        if h is cur:
            break
        k = _event_class(h)
        if k:
            out.append(f"tr={k}|{cur.dep_}")
            break
        cur = h
    return out


def sentence_features(sent: Span, sent_index: int, context: dict[str, object] | None = None) -> list[list[str]]:
    """CRFsuite feature strings for each token of one sentence.  ``context`` (from
    :func:`doc_context`) adds document-level facts: how often a word occurs in the
    document and the noun chunk each token belongs to."""
    toks = list(sent)
    ctx = context or {}
    freq: dict[str, int] = ctx.get("freq", {})  # type: ignore[assignment]
    chunk: dict[int, tuple[str, bool]] = ctx.get("chunk", {})  # type: ignore[assignment]
    cues = [f"cue={k}" for k, rx in CUES.items() if rx.search(sent.text)]
    pos_bucket = f"sidx={min(sent_index, 6)}"
    out: list[list[str]] = []
    n = len(toks)
    for i, t in enumerate(toks):
        w = t.lower_
        verb, rel = _governor(t)
        f = [
            "b", f"w={w}", f"s3={w[-3:]}", f"p3={w[:3]}", f"sh={_shape(t)}", f"pos={t.pos_}",
            f"tag={t.tag_}", f"dep={t.dep_}", f"ent={t.ent_type_ or 'O'}",
            f"entb={t.ent_iob_}{t.ent_type_}", f"hw={t.head.lower_}", f"hp={t.head.pos_}",
            f"dh={t.dep_}|{t.head.lower_}", f"gv={verb}", f"gr={rel}", f"gvr={verb}|{rel}",
            pos_bucket, *cues,
        ]
        if t.is_title:
            f.append("title")
        if freq:
            n_w = freq.get(w, 0)
            f.append(f"df={'1' if n_w <= 1 else '2' if n_w == 2 else '3+'}")
        c = chunk.get(t.i)
        if c is not None:
            f.append(f"ncr={c[0]}")
            f.append("ncb" if c[1] else "nci")
        if t.ent_id_:
            f.append(f"eid={t.ent_id_}")
        f.extend(_event_context(t))
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                u = toks[j]
                f.append(f"w{d}={u.lower_}")
                f.append(f"pos{d}={u.pos_}")
                if abs(d) == 1:
                    f.append(f"ent{d}={u.ent_type_ or 'O'}")
                    f.append(f"bg{d}={u.lower_}|{w}" if d < 0 else f"bg{d}={w}|{u.lower_}")
            else:
                f.append(f"w{d}=<s>" if d < 0 else f"w{d}=</s>")
        out.append(f)
    return out


def doc_context(sdoc: Doc) -> dict[str, object]:
    """Document-level facts for :func:`sentence_features`: word frequencies and, per
    token index, (noun chunk root word, is the chunk's first token)."""
    freq: dict[str, int] = {}
    for t in sdoc:
        if t.is_alpha:
            freq[t.lower_] = freq.get(t.lower_, 0) + 1
    chunk: dict[int, tuple[str, bool]] = {}
    if sdoc.has_annotation("DEP"):
        for nc in sdoc.noun_chunks:
            for t in nc:
                chunk[t.i] = (nc.root.lower_, t.i == nc.start)
    return {"freq": freq, "chunk": chunk}


def doc_features(sdoc: Doc) -> list[tuple[Span, list[list[str]]]]:
    """(sentence, token features) for every sentence of a parsed document."""
    ctx = doc_context(sdoc)
    return [(s, sentence_features(s, i, ctx)) for i, s in enumerate(sdoc.sents)]


def bio_labels(sent: Span, spans: list[tuple[int, int, str]]) -> list[str]:
    """BIO labels of a sentence's tokens from character spans ``(start, end, role)``
    (spans are snapped outwards to token boundaries; earlier spans win on overlap)."""
    labels = ["O"] * len(sent)
    base = sent.start
    for start, end, role in spans:
        if end <= sent.start_char or start >= sent.end_char:
            continue
        idx = [t.i - base for t in sent if t.idx < end and t.idx + len(t.text) > start]
        if not idx or any(labels[i] != "O" for i in idx):
            continue
        labels[idx[0]] = f"B-{role}"
        for i in idx[1:]:
            labels[i] = f"I-{role}"
    return labels


def decode(sent: Span, labels: list[str]) -> list[RoleSpan]:
    """Role spans from the BIO labels of one sentence (a stray ``I-`` starts a span)."""
    out: list[RoleSpan] = []
    cur: tuple[str, int, int] | None = None
    toks = list(sent)
    text = sent.doc.text

    def close() -> None:
        if cur is not None:
            role, a, b = cur
            s, e = toks[a].idx, toks[b].idx + len(toks[b].text)
            out.append(RoleSpan(role, s, e, text[s:e], sent.start_char))

    for i, lab in enumerate(labels):
        if lab == "O":
            close()
            cur = None
            continue
        tag, role = lab.split("-", 1)
        if tag == "B" or cur is None or cur[0] != role:
            close()
            cur = (role, i, i)
        else:
            cur = (role, cur[1], i)
    close()
    return out


def decode_marginals(sent: Span, marginals: list[dict[str, float]], o_threshold: float) -> list[RoleSpan]:
    """Role spans from per-token label marginals: a token belongs to a role when
    P(O) < ``o_threshold`` (recall over the Viterbi path), to the role with the most
    B+I mass; a token whose B mass beats its I mass starts a new span."""
    labels: list[str] = []
    prev = None
    for m in marginals:
        if m.get("O", 0.0) >= o_threshold:
            labels.append("O")
            prev = None
            continue
        mass: dict[str, float] = {}
        for lab, p in m.items():
            if lab != "O":
                mass[lab[2:]] = mass.get(lab[2:], 0.0) + p
        role = max(mass, key=mass.__getitem__)
        tag = "I" if prev == role and m.get(f"I-{role}", 0.0) >= m.get(f"B-{role}", 0.0) else "B"
        labels.append(f"{tag}-{role}")
        prev = role
    return decode(sent, labels)


#: Entity labels whose names a role span should never cut in two.
NAME_LABELS = frozenset({"PERSON"})


def refine(sdoc: Doc, spans: list[RoleSpan]) -> list[RoleSpan]:
    """Span clean-up: a span that cuts a name (a PERSON/ORG/GROUP/FORCE/FAC entity) is
    widened to the whole name; leading/trailing punctuation is trimmed."""
    ents = [e for e in sdoc.ents if e.label_ in NAME_LABELS]
    out: list[RoleSpan] = []
    text = sdoc.text
    for s in spans:
        start, end = s.start, s.end
        for e in ents:
            if e.start_char < end and start < e.end_char and (e.start_char < start or e.end_char > end):
                if e.sent.start_char == s.sent_start:
                    start, end = min(start, e.start_char), max(end, e.end_char)
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if end > start:
            out.append(RoleSpan(s.role, start, end, text[start:end], s.sent_start))
    return out


class RoleTagger:
    """Loads a trained CRFsuite model; :meth:`tag` finds role spans in a parsed Doc.

    ``o_threshold`` (default :data:`O_THRESHOLD`, tuned on MUC-4 dev) trades precision
    for recall: 0.5 is close to the Viterbi path, higher values tag more."""

    def __init__(self, path: Path = MODEL_PATH, o_threshold: float | None = None) -> None:
        import pycrfsuite

        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: role tagger model not found (run `cronica train muc4`)")
        self.path = Path(path)
        self.o_threshold = O_THRESHOLD if o_threshold is None else o_threshold
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._labels = list(self._tagger.labels())
        self._lock = threading.Lock()  # a CRFsuite tagger is not re-entrant

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> "RoleTagger":
        """The shipped model, loaded once per process."""
        return RoleTagger(MODEL_PATH)

    def tag(self, sdoc: Doc) -> list[RoleSpan]:
        """All role spans of the document, in text order."""
        out: list[RoleSpan] = []
        tg = self._tagger
        with self._lock:
            for sent, feats in doc_features(sdoc):
                if not feats:
                    continue
                tg.set(feats)
                marg = [{lab: tg.marginal(lab, i) for lab in self._labels} for i in range(len(feats))]
                out.extend(decode_marginals(sent, marg, self.o_threshold))
        return refine(sdoc, out)


#: Which tagger :func:`default_tagger` returns: ``"crf"`` (this module), ``"nn"`` (the
#: fine-tuned transformer of :mod:`cronica.extract.roles_nn`, not shipped: it needs its
#: model files and the ``train`` extra), ``"union"`` (CRF spans, plus the transformer's
#: :data:`UNION_ROLES` spans that overlap none of them) or ``"union-all"`` (all roles).
#: The environment variable ``CRONICA_ROLE_TAGGER`` overrides it (for comparisons).
DEFAULT_TAGGER = "crf"


#: Roles the transformer adds to the CRF's spans in the ``"union"`` tagger.
UNION_ROLES: tuple[str, ...] = ("Victim", "Weapon")


class UnionTagger:
    """The spans of several taggers: earlier taggers win where spans overlap; ``roles``
    (one role set per tagger, ``None`` = all) limits what each tagger contributes."""

    def __init__(self, *taggers: object, roles: tuple[tuple[str, ...] | None, ...] | None = None) -> None:
        self.taggers = taggers
        self.roles = roles or (None,) * len(taggers)

    def tag(self, sdoc: Doc) -> list[RoleSpan]:
        out: list[RoleSpan] = []
        for tg, keep in zip(self.taggers, self.roles):
            for s in tg.tag(sdoc):  # type: ignore[attr-defined]
                if keep is not None and s.role not in keep:
                    continue
                if not any(o.start < s.end and s.start < o.end for o in out):
                    out.append(s)
        return sorted(out, key=lambda s: (s.start, s.end))


@lru_cache(maxsize=4)
def _tagger(kind: str) -> object:
    if kind == "crf":
        return RoleTagger.default()
    from cronica.extract.roles_nn import NNRoleTagger

    if kind == "nn":
        return NNRoleTagger.default()
    if kind == "union":
        return UnionTagger(RoleTagger.default(), NNRoleTagger.default(), roles=(None, UNION_ROLES))
    if kind == "union-all":
        return UnionTagger(RoleTagger.default(), NNRoleTagger.default())
    raise ValueError(f"unknown role tagger {kind!r} (crf, nn, union or union-all)")


def default_tagger() -> RoleTagger:
    """The role tagger the ``roles`` component uses (see :data:`DEFAULT_TAGGER`), loaded
    once per process.  Every tagger has ``tag(sdoc) -> list[RoleSpan]``."""
    import os

    return _tagger(os.environ.get("CRONICA_ROLE_TAGGER") or DEFAULT_TAGGER)  # type: ignore[return-value]
