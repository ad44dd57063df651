"""Signage text: normalised the same way on the server and on the tablet (the shared vectors in
tests/vectors/scoring.json), required or forbidden terms found on word boundaries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# --- signage text -----------------------------------------------------------------------------------

# Scripts written without spaces between words: a term in them is found anywhere in the text.
_CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3130-\u318f"  # Hangul Compatibility Jamo
    "\u31f0-\u31ff"  # Katakana Phonetic Extensions
    "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uac00-\ud7af"  # Hangul Syllables
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U000323af"  # CJK Unified Ideographs Extensions B-H
    "\U0002f800-\U0002fa1f"  # CJK Compatibility Ideographs Supplement
)
_CJK = re.compile(f"[{_CJK_RANGES}]")
# A letter or digit of any other script: next to one, a Latin term is part of a longer word.
_WORD_CHAR = f"[^\\W_{_CJK_RANGES}]"


def normalise(text: str) -> str:
    """NFKC (full-width Ｓｔｏｒｅ → Store), casefold, whitespace runs → one space, trimmed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


@lru_cache(maxsize=4096)
def _term_pattern(normalised_term: str) -> re.Pattern[str]:
    """CJK terms match as substrings; others as whole words (no letter or digit either side)."""
    escaped = re.escape(normalised_term)
    if _CJK.search(normalised_term):
        return re.compile(escaped)
    return re.compile(f"(?<!{_WORD_CHAR}){escaped}(?!{_WORD_CHAR})")


def signage_matches(text: str, terms: Sequence[str]) -> tuple[str, ...]:
    """The terms (as given, in order, once each) that appear in ``text`` under the matching rules."""
    haystack = normalise(text)
    found: list[str] = []
    for term in terms:
        needle = normalise(term)
        if needle and term not in found and _term_pattern(needle).search(haystack):
            found.append(term)
    return tuple(found)
