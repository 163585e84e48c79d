"""Casualty counts (killed / wounded / kidnapped / arrested) stated in one sentence.

"killing at least four police officers and a driver" -> killed 5 at_least;
"Ten members of the armed forces and 19 gunmen were killed" -> killed 29 exact;
"dejó cinco muertos" -> killed 5; "injuring no one" -> wounded 0.
Vague amounts ("several", "dozens", "varios") give no count, as analysts code them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cronica.extract.numbers import QUALIFIER_WORDS, parse_quantity

# (regex, qualifier), longest first, English and Spanish together
QUALIFIER_PATTERNS: list[tuple[str, str]] = sorted(
    {(re.escape(k).replace(r"\ ", r"\s+"), v) for table in QUALIFIER_WORDS.values() for k, v in table.items()
     if k not in ("under", "below", "above", "a record", "estimated", "estimados", "mínimo")},
    key=lambda kv: -len(kv[0]),
)
_COLLECTIVE = {"a dozen": 12, "half a dozen": 6, "una docena": 12, "una veintena": 20, "una decena": 10,
               "un centenar": 100, "a hundred": 100, "a score": 20}


def words_to_int(s: str) -> int | None:
    for lang in ("en", "es"):
        value, _, _, _ = parse_quantity(s, lang)
        if value is not None and float(value).is_integer():
            return int(value)
    return None

_NUMWORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|dozen|uno|una|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|"
    r"catorce|quince|dieciséis|dieciseis|diecisiete|dieciocho|diecinueve|veinte|veintiún|veintiuno|"
    r"veintidós|veintidos|veintitrés|veintitres|veinticuatro|veinticinco|veintiséis|veintisiete|"
    r"veintiocho|veintinueve|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|"
    r"ciento|docena|veintena|decena"
)
_QUAL = "|".join(p for p, _ in QUALIFIER_PATTERNS)
NUM = rf"(?:half a dozen|a dozen|una docena|una veintena|una decena|un centenar|a hundred|\d{{1,3}}(?:[,.]\d{{3}})+|\d+|(?:{_NUMWORDS})(?:[\s-]+(?:and\s+|y\s+)?(?:{_NUMWORDS}))*|an?|no one|nobody|none|no|ningún|ninguna|nadie)"
QTY = rf"(?:(?P<qual>{_QUAL})\s+)?(?P<num>{NUM})"
_QTY_RX = re.compile(rf"\b{QTY}\b", re.I)
# units that mean the number is not a head count
_NOT_PEOPLE = re.compile(
    r"^\s*(?:[\w’'-]+\s+){0,1}(hours?|days?|weeks?|months?|years?|minutes?|km|kilomet\w*|miles?|met(er|re)s?|tons?|tonnes?|"
    r"hectares?|percent|per cent|%|dollars?|pesos?|soles|kilos?|kg|vehicles?|horas|días|semanas|meses|años|"
    r"toneladas|hectáreas|por ciento|dólares|kilómetros|times|veces|o'clock|buses|trucks|cars|homes|houses|"
    r"shots?|rounds?|disparos|grenades?|bombs?|rifles?|weapons?|armas)\b", re.I)

KINDS = ("killed", "wounded", "kidnapped", "arrested")

_V = {
    "killed": (
        r"(?:killing|killed|kill|kills|murdering|murdered|massacred|executed|slaughtered|shot dead|gunned down|"
        r"leaving|left|claimed the lives of|asesinaron a|asesinó a|mataron a|mató a|ejecutaron a|dejó|dejaron|"
        r"dejando|causó la muerte de|acabó con la vida de|cobró la vida de)"
    ),
    "wounded": r"(?:wounding|wounded|injuring|injured|hurting|hirió a|hirieron a|dejó heridos a|hiriendo a)",
    "kidnapped": r"(?:kidnapping|kidnapped|abducting|abducted|seized|took|taking|holding|held|secuestraron a|secuestró a|plagiaron a|raptaron a|retienen a|retenía a)",
    "arrested": r"(?:arresting|arrested|detaining|detained|capturing|captured|apprehended|apprehending|capturaron a|capturó a|detuvieron a|detuvo a|aprehendieron a|arrestaron a)",
}
_AFTER = {
    "killed": (
        r"(?:(?:were|was|have been|had been|are|is|been|being|reportedly|all|later|also)\s+)*(?:killed|dead|died|murdered|slain|shot dead|gunned down|"
        r"lost their lives|were found dead|found dead|burned to death|fallecidos|fallecieron|murieron|muertos|muertas|"
        r"asesinados|asesinadas|fueron asesinados|fueron asesinadas|perdieron la vida|sin vida|muerto|muerta|asesinado|asesinada)"
    ),
    "wounded": r"(?:(?:were|was|have been|had been|are|been|also)\s+)*(?:wounded|injured|hurt|heridos|heridas|herido|herida|resultaron heridos|lesionados)",
    "kidnapped": r"(?:(?:were|was|have been|had been|are|been|being)\s+)*(?:kidnapped|abducted|taken hostage|held hostage|held captive|secuestrados|secuestradas|secuestrado|secuestrada|plagiados|rehenes)",
    "arrested": r"(?:(?:were|was|have been|had been|are|been|being)\s+)*(?:arrested|detained|captured|apprehended|taken into custody|detenidos|detenidas|capturados|capturadas|aprehendidos|arrestados|detenido|capturado)",
}
_TOLL = re.compile(
    rf"\b(?:death toll|toll|number of dead|cifra de muertos|balance|número de muertos)\b[^.;]{{0,40}}?\b(?:rose to|risen to|rise to|climbed to|increased to|reached|stood at|stands at|of|at|to|ascendió a|subió a|llegó a|se elevó a|aumentó a|es de|de)\s+{QTY}", re.I)

#: "the number of police officers killed in the ambush ... rose to six", "la cifra de
#: policías fallecidos tras la emboscada ... se elevó a seis": a rising toll, the verb far
#: from its head.
_TOLL_RISE = re.compile(
    rf"\b(?:number of (?:\w+\s+){{0,2}}(?:dead|killed|deaths)|"
    rf"(?:cifra|n[uú]mero|saldo) de (?:\w+\s+){{0,2}}(?:muertos|fallecidos|muertes|v[ií]ctimas mortales))"
    rf"\b[^.;]{{0,140}}?\b(?:rose to|has risen to|had risen to|risen to|climbed to|increased to|"
    rf"ascendi[oó] a|subi[oó] a|se elev[oó] a|aument[oó] a|lleg[oó] a)\s+{QTY}", re.I)

_NOBODY = re.compile(
    r"\b(?:injuring|wounding|hurting|killing) (?:no one|nobody|anyone)|no one was (?:hurt|injured|wounded|killed|harmed)|"
    r"nobody was (?:hurt|injured|wounded|killed|harmed)|(?:there were )?no (?:casualties|injuries|deaths)|without (?:causing )?casualties|"
    r"sin (?:dejar |causar )?(?:heridos|víctimas|muertos|lesionados)|no (?:hubo|se reportaron|dejó) (?:heridos|víctimas|muertos|lesionados)|"
    r"nadie (?:resultó|salió) herido|no injuries (?:were|have been) reported|no (?:one was|people were) (?:hurt|injured)", re.I)
_CLAUSE_END = re.compile(r"[;:.!?]|,\s+(?:the|a|an|who|which|as|when|after|before|while|according|police|officials|authorities|said|el|la|los|las|que|según|tras|cuando|mientras)\b|\s+(?:—|–)\s+", re.I)
_CHUNK_GAP = re.compile(r"^\s*(?:,|and|y|e|as well as|plus|including)\s*", re.I)


@dataclass(slots=True)
class CountMatch:
    kind: str
    value: int
    qualifier: str
    start: int
    end: int
    phrases: list[str]  # "five soldiers", "a civilian driver": who was counted
    toll: bool = False  # stated as an (updated) toll


def _qual(q: str | None) -> str:
    if not q:
        return "exact"
    ql = q.lower()
    for pat, qual in QUALIFIER_PATTERNS:
        if re.fullmatch(pat, ql, re.I):
            return qual
    return "exact"


def _num(s: str) -> int | None:
    s = s.lower().strip()
    if s in ("no one", "nobody", "none", "no", "ningún", "ninguna", "nadie"):
        return 0
    if s in _COLLECTIVE:
        return _COLLECTIVE[s]
    if s in ("a", "an", "un", "una", "uno"):
        return 1
    if s[0].isdigit():
        digits = re.sub(r"[,.]", "", s)
        return int(digits) if digits.isdigit() else None
    return words_to_int(s)


def _chunks(text: str, base: int, forward: bool) -> list[tuple[int, str, int, int, str]]:
    """Count phrases: (value, qualifier, start, end, phrase) in a victim span, joined by
    "and"/commas. ``forward`` spans read left to right from a verb; backward spans are
    the subject before a passive verb."""
    out: list[tuple[int, str, int, int, str]] = []
    for m in _QTY_RX.finditer(text):
        num = m.group("num")
        val = _num(num)
        if val is None:
            continue
        rest = text[m.end():]
        if _NOT_PEOPLE.match(rest):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", num) and not re.match(r"\s+(?:people|persons|personas|civilians|soldiers|members)\b", rest, re.I):
            continue  # a year, not a head count
        if num.lower() in ("a", "an", "un", "una") and not out and forward is False:
            # "a police officer was killed" is fine; but only as the first chunk
            pass
        if re.match(r"\s+of\s", rest) and re.match(r"\s+of\s+(?:the\s+)?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)", rest, re.I):
            out.append((val, _qual(m.group("qual")), base + m.start(), base + m.end(), text[m.start():m.end()]))
            continue
        phrase_end = m.end() + len(re.match(r"[^,;.]*?(?=\s+(?:and|y|were|was|who|que|fueron|at|in|on|near|during|when|en|durante|cuando)\b|[,;.]|$)", rest).group(0))
        out.append((val, _qual(m.group("qual")), base + m.start(), base + phrase_end, text[m.start():phrase_end].strip()))
    return out


def find_counts(sentence: str, offset: int = 0) -> list[CountMatch]:
    """Counts in one sentence; offsets are ``offset`` + position in ``sentence``."""
    found: list[CountMatch] = []
    taken: list[tuple[int, int]] = []
    for kind in KINDS:
        # verb -> victims:  "killing at least four police officers and a driver"
        for m in re.finditer(rf"\b{_V[kind]}\s+", sentence, re.I):
            tail = sentence[m.end():]
            end = _CLAUSE_END.search(tail)
            span = tail[: end.start() if end else len(tail)]
            chunks = _chunks(span, offset + m.end(), True)
            # only chunks that start the span or follow "and"/"," (a list of victims)
            keep: list[tuple[int, str, int, int, str]] = []
            pos = offset + m.end()
            for ch in chunks:
                gap = sentence[pos - offset: ch[2] - offset]
                if keep and not _CHUNK_GAP.fullmatch(gap or " "):
                    break
                if not keep and gap.strip():
                    break
                keep.append(ch)
                pos = ch[3]
            if kind == "killed" and m.group(0).lower().strip() in ("leaving", "left", "dejó", "dejaron", "dejando"):
                # "leaving five dead" / "dejó cinco muertos": the dead/muertos word must follow
                if not keep or not re.match(r"\s*(?:\w+\s+){0,2}(dead|muertos|muertas|fallecidos|people dead)\b", sentence[keep[-1][2] - offset:], re.I):
                    continue
            if keep:
                _add(found, taken, kind, keep, offset)
        # victims -> verb:  "Ten members ... and 19 gunmen were killed"
        for m in re.finditer(rf"\s{_AFTER[kind]}\b", sentence, re.I):
            head = sentence[: m.start()]
            # the subject: from the last clause boundary to the verb
            cut = max(head.rfind(", "), head.rfind("; "), head.rfind(": "), head.rfind(" when "), head.rfind(" after "), head.rfind(" que "))
            subj_start = cut + 2 if cut >= 0 else 0
            subj = head[subj_start:]
            chunks = _chunks(subj, offset + subj_start, False)
            if not chunks:
                continue
            # the chunks must form a list reaching up to the verb (possibly with noun words)
            keep = []
            for ch in chunks:
                if keep and re.fullmatch(r"\s+of\s+(?:the\s+)?", sentence[keep[-1][3] - offset: ch[2] - offset] or ""):
                    break  # "Two of four citizens": the first number is the count
                if keep:
                    gap = sentence[keep[-1][3] - offset: ch[2] - offset]
                    if not _CHUNK_GAP.fullmatch(gap or " "):
                        keep = []
                keep.append(ch)
            gap_words = sentence[keep[-1][3] - offset: m.start()].split() if keep else []
            if keep and len(gap_words) <= 4 and not (gap_words and gap_words[-1].lower() in ("and", "y", "e", "or", "o")):
                _add(found, taken, kind, keep, offset)
    for m in _NOBODY.finditer(sentence):
        # "injuring no one", "no one was hurt", "sin dejar heridos": nobody killed or wounded
        for kind in ("killed", "wounded"):
            if not any(c.kind == kind for c in found):
                found.append(CountMatch(kind, 0, "exact", offset + m.start(), offset + m.end(), []))
    for m in [*_TOLL.finditer(sentence), *_TOLL_RISE.finditer(sentence)]:
        if any(c.toll and c.start <= offset + m.start() < c.end for c in found):
            continue  # the same toll, already read
        val = _num(m.group("num"))
        if val is not None and val > 0:
            found.append(CountMatch("killed", val, _qual(m.group("qual")), offset + m.start(), offset + m.end(), [], toll=True))
    return found


def _add(found: list[CountMatch], taken: list[tuple[int, int]], kind: str,
         chunks: list[tuple[int, str, int, int, str]], offset: int) -> None:
    s, e = chunks[0][2], chunks[-1][3]
    if any(not (e <= a or s >= b) for a, b in taken):
        return
    taken.append((s, e))
    quals = {c[1] for c in chunks}
    qual = "exact"
    for q in ("at_least", "about", "at_most"):
        if q in quals:
            qual = q
            break
    found.append(CountMatch(kind, sum(c[0] for c in chunks), qual, s, e, [c[4] for c in chunks]))
