"""Language identification with lingua, restricted to the languages Cronica expects.

The detector is built once, on first use (module-level lazy singleton), and reused.
"""

from __future__ import annotations

import threading

__all__ = ["LANGUAGES", "detect_language"]

#: ISO 639-1 codes the detector chooses from
LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "fr", "it", "de")
SAMPLE_CHARS = 4000  # enough for a reliable guess; keeps long articles cheap

_detector = None
_lock = threading.Lock()


def _get_detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper()))
                         for c in LANGUAGES]
                _detector = LanguageDetectorBuilder.from_languages(*langs).build()
    return _detector


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` ("en", "es", ...), or None when it cannot be told."""
    sample = text[:SAMPLE_CHARS].strip()
    if len(sample) < 3:
        return None
    lang = _get_detector().detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else None
