"""Line-level boilerplate removal for news article text (English and Spanish).

Contract of :func:`clean_text`:

* the input is split into paragraphs (blocks of lines separated by blank lines; when the
  text has no blank line at all, every line is a paragraph);
* each line is kept **verbatim** (only surrounding whitespace is stripped) or dropped whole;
  the one exception is a navigation crumb glued to the title
  ("HomeNewsAnalysisCan Peru's ..."), where the crumb prefix is cut and the title stays;
* kept paragraphs are joined by ``"\\n\\n"`` (lines inside one paragraph keep their ``"\\n"``),
  so every article sentence is a substring of the cleaned text;
* consecutive identical paragraphs are collapsed to one.

Rules are generic (no per-site hacks): share bars, "Was this helpful?" boxes, donation,
newsletter and comment prompts, "Related:" / "Lee también:" lines, section headers such as
"Related Content", "Most read", "Lo más leído" or "About <Outlet>" together with the teaser
lists that follow them, copyright / Creative Commons footers, footer link rows, tags, image
credits, advertisement markers, "developing story" notes, byline/date lines and section kickers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["clean_text", "is_meta_line", "split_segments", "strip_glued_crumb", "DATE_RE"]

_I = re.IGNORECASE

# ----------------------------------------------------------------------------- dates / meta
MONTHS_EN = (r"january|february|march|april|may|june|july|august|september|october|november|"
             r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
MONTHS_ES = (r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
             r"noviembre|diciembre|ene|abr|ago|dic")
MONTH = rf"(?:{MONTHS_EN}|{MONTHS_ES})"
#: a calendar date with an explicit year, in the common English/Spanish/numeric forms
DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?{MONTH}\.?,?\s+(?:de\s+|del\s+)?\d{{4}}"
    rf"|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4})\b",
    _I,
)
_WEEKDAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|"
            r"mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)")
_TIME_RE = re.compile(
    r"^(?:(?:updated|actualizado|actualizada|act\.)\s*:?\s*)?"
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?|h|hrs|horas)?\s*(?:[A-Z]{2,4})?$", _I)
_UPDATED_RE = re.compile(r"^(?:updated|actualizado|actualizada|last updated)\b", _I)
_READ_RE = re.compile(r"^\d+\s*min(?:ute)?s?\.?\s*(?:read|de lectura)$|^lectura:?\s*\d+\s*min", _I)
_BYLINE_RE = re.compile(
    r"^(?:by|por|written by|escrito por|redacci[óo]n|reporting by)\b:?\s*(?!.*[.!?]$)", _I)
_PUBLISHED_RE = re.compile(r"^(?:published|publicado|publicada|posted|fecha)\b\s*:?\s*", _I)
_SEG_SPLIT = re.compile(r"\s+[·•|–—-]\s+|\s*\|\s*")


def split_segments(line: str) -> list[str]:
    """Split a byline/date line on its separators (``·``, ``|``, dashes)."""
    return [s.strip() for s in _SEG_SPLIT.split(line) if s.strip()]


def _outletish(seg: str) -> bool:
    words = seg.split()
    return (0 < len(words) <= 6 and not seg.endswith((".", "!", "?", ":"))
            and (seg[0].isupper() or seg[0].isdigit()) and "," not in seg)


def _is_date_segment(seg: str) -> bool:
    """"Monday, August 31, 2015", "Published April 10, 2016, 08:15 a.m.", "4 de mayo de 2015, 19:05"."""
    s = _PUBLISHED_RE.sub("", seg, count=1)
    s = re.sub(rf"^{_WEEKDAY},?\s+", "", s, flags=_I)
    m = DATE_RE.search(s)
    if not m:
        return False
    rest = (s[: m.start()] + " " + s[m.end():]).strip(" ,")
    return not rest or bool(_TIME_RE.match(rest))


def is_meta_line(line: str) -> bool:
    """True for byline / publication-date lines such as "Pacific Ledger · August 13, 2013",
    "By Andes Wire staff", "Publicado: 3 de septiembre de 2022" or "29/07/2015 - 10:42 h".

    Every separator-delimited segment must be a date, a time, an "Updated ..." stamp, a
    reading time, a byline ("By ...", "Por ...", "Redacción ...") or a short name (the
    outlet), and at least one segment must be something other than a name."""
    line = line.strip()
    if not line or len(line) > 200:
        return False
    if line.endswith((".", "?", "!")) and not line.endswith(("m.", "h.")):
        return False
    strong = False
    for seg in split_segments(line):
        if _is_date_segment(seg) or _TIME_RE.match(seg) or _READ_RE.match(seg) \
                or (_UPDATED_RE.match(seg) and len(seg) < 40) \
                or (_PUBLISHED_RE.fullmatch(seg)):
            strong = True
        elif _BYLINE_RE.match(seg) and (len(seg.split()) <= 7 and "," not in seg
                                         or len(seg.split()) <= 10 and seg.count(",") == 1):
            # "By Ana Ruiz", "By the Northern Desk, Frontera Example News"
            strong = True
        elif not _outletish(seg):
            return False
    return strong


# ----------------------------------------------------------------------------- crumbs
_GLUED_CRUMB = re.compile(
    r"^(?:Home|Inicio|Portada)((?:[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)*)([A-ZÁÉÍÓÚÑ¿¡“\"][^\s]*\s.*)$")
_SEP_CRUMB = re.compile(r"^(?:Home|Inicio|Portada|Noticias|News)\s*(?:>|»|›|/|\|)\s*\S", _I)


def strip_glued_crumb(line: str) -> str | None:
    """Return the title part of a line like "HomeNewsAnalysisCan Peru's New ...", else None."""
    m = _GLUED_CRUMB.match(line)
    if not m:
        return None
    # "Home" must be glued to something: either crumb words or the title itself
    return m.group(2)


# ----------------------------------------------------------------------------- single lines
_SOCIAL = {
    "facebook", "x", "twitter", "whatsapp", "email", "e-mail", "mail", "correo", "linkedin",
    "telegram", "print", "imprimir", "reddit", "pinterest", "google+", "messenger", "share",
    "compartir", "comparte", "tweet", "tuitear", "comment", "comments", "comentar", "save",
    "guardar", "icon", "copy link", "copiar enlace", "enviar por whatsapp", "email this story",
    "follow us on x", "follow us", "síguenos",
}
_SHARE_START = re.compile(
    r"^(?:share|compart\w*|tweet|tuite\w*)(?=\s*$|\s*[:·|\-]|\s+(?:this|on|via|icon|esta|este|"
    r"en|la|el|the|it|article|story|noticia|nota|icon)\b)", _I)
_HELPFUL = re.compile(
    r"^¿?\s*(?:was this (?:\w+ )?helpful|did you find this (?:\w+ )?(?:helpful|useful)|"
    r"(?:te|le) (?:fue|result[óo]|ha sido|pareci[óo]) [úu]til|fue [úu]til|te sirvi[óo])", _I)
_YESNO = re.compile(r"^(?:yes|no|s[íi])\s*[/|·]\s*(?:yes|no|s[íi])$", _I)
_NEWSLETTER_START = re.compile(
    r"^(?:newsletter\b|subscribe\b|suscr[íi]b(?:ete|ase|irse|ite)\b|sign up\b|"
    r"get (?:our|the) .{0,60}(?:newsletter|briefing|digest|inbox)|"
    r"recibe .{0,80}(?:bolet[íi]n|newsletter|correo|noticias)|[úu]nete a|join our\b)", _I)
_NEWSLETTER_ANY = re.compile(r"newsletter|bolet[íi]n|in your inbox|en tu correo|unsubscribe", _I)
_NEWSLETTER_VERB = re.compile(r"subscri|suscr|sign up|recib|get |inscr|join", _I)
_ADVERT = re.compile(
    r"^(?:advertisement|advertising|publicidad|anuncio|sponsored(?: content)?|"
    r"contenido patrocinado|ad|ads)$", _I)
_DEVELOPING = re.compile(
    r"^(?:this is a developing story\b.*|this story (?:is developing|has been updated|will be updated)\b.*|"
    r"developing story\.?|breaking(?: news)?:?|noticia en desarrollo\.?|en desarrollo\.?|"
    r"(?:sigue|siga) nuestra cobertura\b.*|follow our live coverage\b.*)$", _I)
_COMMENT = re.compile(
    r"^(?:what are your thoughts\?|click here\b|haz clic aqu[íi]|haga clic aqu[íi]|"
    r"leave a (?:comment|reply)|deja (?:tu|un) comentario|comments?\s*\(\d+\)|\d+ comments?$|"
    r"comentarios?\s*\(\d+\)|¿qu[ée] opinas\??|join the conversation|[úu]nete a la conversaci[óo]n)", _I)
_COPYRIGHT = re.compile(
    r"©|\bcopyright\s*(?:©|\(c\))?\s*\d{4}|\(c\)\s*\d{4}|all rights reserved|"
    r"(?:todos los )?derechos reservados|creative commons|non-commercial purposes|"
    r"reproducci[óo]n (?:total o parcial )?prohibida|prohibida su reproducci[óo]n", _I)
_DONATION = re.compile(
    r"\bdonat(?:e|ion|ing)\b|\bwe need (?:your )?(?:support|resources|help)\b|"
    r"support (?:our|independent|quality) (?:work|journalism|reporting)|"
    r"become a (?:member|supporter|patron|subscriber)|make a (?:contribution|donation)|"
    r"apoy(?:a|e|ar) (?:nuestro|el) (?:trabajo|periodismo)|haz(?:te)? una donaci[óo]n|"
    r"\bdona ahora\b|\bdonar\b", _I)
_SECOND_PERSON = re.compile(r"\b(?:we|our|us|you|your|nuestr[oa]s?|tu|ay[úu]danos)\b", _I)
_FOOTER_WORDS = re.compile(
    r"\b(?:about(?: us)?|contact(?: us)?|privacy|terms|cookies|advertise|careers|"
    r"aviso de privacidad|contacto|publicidad|t[ée]rminos|pol[íi]tica|qui[ée]nes somos)\b", _I)
_TAGS = re.compile(r"^(?:tags|etiquetas|temas|topics|keywords|palabras clave|tagged)\s*:", _I)
_CREDIT_GLUED = re.compile(
    r"^\S+?(?:source|fuente|photo|foto|image|imagen|credit|cr[ée]ditos?|courtesy|cortes[íi]a)"
    r"\s*:\s*.{1,60}$", _I)
_CREDIT = re.compile(
    r"^(?:\(?\s*(?:photos?|fotos?|fotograf[íi]a|images?|imagen|photo credit|credits?|"
    r"cr[ée]ditos?|illustration|ilustraci[óo]n|video)\s*:\s*.{1,80}|"
    r"\((?:photos?|fotos?|images?|imagen|credit|cr[ée]dito)[^)]{0,80}\))$", _I)
SOURCE_LINE = re.compile(r"^(?:source|fuente)\s*:\s*(.{2,60})$", _I)

# Related / sidebar lines. With text after the colon: the line alone is dropped.
# Alone: a section header; the teaser list after it goes too.
_RELATED = re.compile(
    r"^(?:related(?: (?:content|coverage|stories|articles|reading|news))?|read more|read also|"
    r"also read|see also|more from [^:]{1,60}|more on this(?: story| topic)?|"
    r"more (?:stories|news)|lee tambi[ée]n|lea tambi[ée]n|leer m[áa]s|"
    r"(?:tambi[ée]n )?(?:te|le) puede interesar|ver tambi[ée]n|mira tambi[ée]n|recomendad[oa]s?|"
    r"recomendamos|m[áa]s noticias|m[áa]s informaci[óo]n|further reading|"
    r"you (?:may|might) also like|recommended(?: for you)?|watch|mira|most read|most popular|"
    r"most viewed|lo m[áa]s (?:le[íi]do|visto)|m[áa]s le[íi]d[oa]s?|trending|tendencias|"
    r"editor'?s picks|top stories|latest news|[úu]ltimas noticias)\b"
    r"\s*(?P<colon>:|\.\.\.|…)?\s*(?P<rest>.*)$", _I)
_ABOUT_HEADER = re.compile(
    r"^(?:about|acerca de|sobre)\s+(?:us|nosotros|(?:[A-Z][\w’'.&-]*\s?){1,4})$|^qui[ée]nes somos$")
_BULLET = re.compile(r"^[•·▪►▶\-–*]\s*\S")
_TERMINAL = re.compile(r"[.!?:;][\"”’»)\]]*$")


@dataclass(slots=True)
class _State:
    teaser: bool = False


def _is_share(line: str) -> bool:
    bare = re.sub(r"[\[\]]", " ", line).strip()
    words = bare.split()
    if len(bare) > 120:
        return False
    if _SHARE_START.match(bare) and (not _TERMINAL.search(bare) or len(words) <= 5):
        return True
    segs = [s.strip(" :").lower() for s in re.split(r"[·|•,/]|\s{2,}", bare) if s.strip(" :")]
    return len(segs) >= 2 and all(s in _SOCIAL for s in segs)


def _is_footer_links(line: str) -> bool:
    segs = [s.strip() for s in re.split(r"\s*[·|•]\s*", line) if s.strip()]
    return (len(segs) >= 2 and all(len(s.split()) <= 4 and not _TERMINAL.search(s) for s in segs)
            and bool(_FOOTER_WORDS.search(line)))


def _is_teaser(line: str) -> bool:
    """A line of a related-articles / sidebar list: bullet, "…"-truncated summary, kicker,
    date stamp or a short headline without closing punctuation."""
    return bool(_BULLET.match(line) or line.endswith(("…", "...")) or
                (len(line) <= 120 and not _TERMINAL.search(line)))


def _drop_line(line: str, st: _State) -> bool:
    """Decide one line; may switch teaser mode on/off. True = boilerplate."""
    if st.teaser:
        if _is_teaser(line):
            return True
        st.teaser = False
    m = _RELATED.match(line)
    if m and (m.group("colon") or not m.group("rest")):
        if not m.group("rest"):
            st.teaser = True
        return True
    if _ABOUT_HEADER.match(line):
        st.teaser = True
        return True
    short = len(line) <= 250
    return bool(
        _is_share(line) or (_HELPFUL.match(line) and len(line) <= 100) or _YESNO.match(line)
        or (short and (_NEWSLETTER_START.match(line)
                       or (_NEWSLETTER_ANY.search(line) and _NEWSLETTER_VERB.search(line)
                           and _SECOND_PERSON.search(line))))
        or _ADVERT.match(line) or (len(line) <= 120 and _DEVELOPING.match(line))
        or (len(line) <= 200 and _COMMENT.match(line))
        or (len(line) <= 600 and _COPYRIGHT.search(line))
        or (len(line) <= 400 and _DONATION.search(line) and _SECOND_PERSON.search(line))
        or _TAGS.match(line) or _CREDIT_GLUED.match(line) or _CREDIT.match(line)
        or SOURCE_LINE.match(line) or _SEP_CRUMB.match(line) or _is_footer_links(line)
        or is_meta_line(line)
    )


def _is_kicker(line: str, nxt: str | None) -> bool:
    """A section label above the headline ("SECURITY", "Seguridad")."""
    words = line.split()
    return (nxt is not None and len(words) <= 2 and not re.search(r"\d|[.!?:;,]", line)
            and len(nxt) <= 200 and not _TERMINAL.search(nxt.rstrip("?!")) and len(nxt.split()) >= 3)


def paragraphs(text: str) -> list[list[str]]:
    """Split raw text into paragraphs (lists of stripped, non-empty lines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    lines = [ln.strip() for ln in text.split("\n")]
    if all(lines):  # no blank line at all: one paragraph per line
        return [[ln] for ln in lines if ln]
    blocks: list[list[str]] = [[]]
    for ln in lines:
        if ln:
            blocks[-1].append(ln)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def clean_text(text: str) -> str:
    """Remove boilerplate from article text; see the module docstring for the contract."""
    blocks = paragraphs(text)
    flat = [ln for b in blocks for ln in b]
    # navigation crumb glued to the title: keep the title part only
    if flat:
        first = flat[0]
        title = strip_glued_crumb(first)
        if title is not None:
            blocks[0][0] = title
            flat[0] = title
    # section kicker above the headline
    if len(flat) >= 2 and _is_kicker(flat[0], flat[1]):
        blocks[0].pop(0)
    st = _State()
    kept_blocks: list[str] = []
    for block in blocks:
        kept = [ln for ln in block if not _drop_line(ln, st)]
        if kept:
            para = "\n".join(kept)
            if not kept_blocks or kept_blocks[-1] != para:
                kept_blocks.append(para)
    return "\n\n".join(kept_blocks)
