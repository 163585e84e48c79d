"""Safe reading of input files: size limit, binary detection, encoding fallback.

:func:`load_text` returns the decoded text or raises :class:`IngestProblem` with a one-line,
human-readable problem (the caller turns it into an ``IngestError``).
"""

from __future__ import annotations

import logging
import os
import stat
import unicodedata
from pathlib import Path

__all__ = ["MAX_BYTES", "IngestProblem", "load_text", "decode_bytes", "walk_files", "outside_link"]

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024  #: files larger than this are refused without being read


class IngestProblem(ValueError):
    """Bad input; ``str(exc)`` is the one-line problem."""


def _looks_like_text(s: str) -> bool:
    """Few control characters (other than whitespace) and few unassigned/private ones."""
    if not s:
        return True
    bad = sum(1 for ch in s if (unicodedata.category(ch) in ("Cc", "Co", "Cn"))
              and ch not in "\t\n\r\f\v")
    return bad / len(s) < 0.01


def decode_bytes(data: bytes, *, allow_nul: bool = False) -> tuple[str, str]:
    """Decode file bytes; return (text, encoding). Raises IngestProblem when impossible.

    Order: UTF-16 with BOM, UTF-8 (a UTF-8 BOM is dropped), then cp1252 and latin-1, which
    are accepted only when the result looks like text. A NUL byte makes the file binary,
    unless ``allow_nul`` (JSONL: a NUL rejects its line, not the file)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise IngestProblem("cannot decode file (UTF-16 byte-order mark, invalid data)") from None
    if b"\x00" in data and not allow_nul:
        raise IngestProblem("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            log.info("decoded as %s (not valid UTF-8)", enc)
            return text, enc
    raise IngestProblem("binary file or unknown encoding (not UTF-8, cp1252 or latin-1 text)")


def load_text(path: Path, *, allow_nul: bool = False) -> str:
    """Read and decode one file, with every check a batch needs before trusting it.
    ``allow_nul``: NUL bytes do not make the file binary (JSONL, checked per line)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise IngestProblem("cannot read: broken symbolic link") from None
        raise IngestProblem("no such file") from None
    except PermissionError:
        raise IngestProblem("permission denied") from None
    except OSError as e:
        raise IngestProblem(f"cannot read: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise IngestProblem("cannot read: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise IngestProblem("cannot read: not a regular file")
    if st.st_size > MAX_BYTES:
        raise IngestProblem(
            f"file too large ({st.st_size / 2**20:.1f} MB; limit {MAX_BYTES // 2**20} MB)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise IngestProblem("permission denied") from None
    except IsADirectoryError:
        raise IngestProblem("cannot read: is a directory") from None
    except OSError as e:
        raise IngestProblem(f"cannot read: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:  # grew while we looked
        raise IngestProblem(f"file too large (limit {MAX_BYTES // 2**20} MB)")
    if not data:
        raise IngestProblem("empty file")
    text, _enc = decode_bytes(data, allow_nul=allow_nul)
    if not text.strip():
        raise IngestProblem("empty file (only whitespace)")
    return text


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_files(folder: Path) -> list[Path]:
    """All non-hidden files under ``folder``, recursively, in sorted order.

    Symbolic links to folders are not descended into (see :func:`outside_link` for links
    to files); each is listed as a path, so the caller can report it."""
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):  # followlinks=False
        links = [d for d in dirs if not is_hidden(d) and os.path.islink(os.path.join(root, d))]
        dirs[:] = sorted(d for d in dirs if not is_hidden(d) and d not in links)
        out.extend(Path(root) / d for d in links)
        out.extend(Path(root) / f for f in sorted(files) if not is_hidden(f))
    return sorted(out)


def outside_link(path: Path, folder: Path) -> str | None:
    """Why ``path`` (found while walking ``folder``) is not followed, or None to read it.

    A symbolic link is followed only when its target (resolved fully, links in the target
    included) lies inside ``folder``; a link to a folder is never followed (its files are
    either inside the walk already or outside the folder)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=False)
        root = folder.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of links
        return "symbolic link not followed (it loops)"
    if target.is_dir():
        return f"symbolic link to a folder not followed ({target})"
    if not target.is_relative_to(root):
        return f"symbolic link leaving the ingested folder not followed (points to {target})"
    return None
