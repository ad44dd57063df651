"""Signage text: normalised the same way on the server and on the tablet (the shared vectors in
tests/vectors/scoring.json), required or forbidden terms found on word boundaries.

A counterfeit sign tries to say a reserved word without the rules seeing it (issue 12, finding 9):
``旗 舰 店`` spaced out, ``Flag\u200bship`` with an invisible character, ``Stоre`` with a Cyrillic
``о``. So a term is looked for twice: in the text as written (``normalise``: NFKC, invisible
characters removed, case-folded) and in its look-alike skeleton (``skeleton``: the same, with
letters of other scripts read as the Latin letters they imitate, spacing between CJK characters
closed and a spaced-out word ``F l a g s h i p`` joined). The folding table is generated
(``confusables_build.py``) and shared with the tablet (``static/cx_audit/tablet/confusables.js``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

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


_FOLDING = json.loads((Path(__file__).with_name("confusables.json")).read_text(encoding="utf-8"))


def _char_class(ranges: Sequence[str]) -> str:
    """``["200B-200F", "FEFF"]`` as the body of a regular-expression character class."""
    parts = []
    for span in ranges:
        low, _, high = span.partition("-")
        parts.append(chr(int(low, 16)) + (f"-{chr(int(high, 16))}" if high else ""))
    return "".join(parts)


_IGNORABLE = re.compile(f"[{_char_class(_FOLDING['ignorable'])}]")
_LOOK_ALIKES = str.maketrans(_FOLDING["look_alikes"])
_SPACER = f"[ {re.escape(_FOLDING['spacers'])}]"
# Spacing between two CJK characters: 旗 舰 店, 旗-舰-店, 旗·舰·店 read 旗舰店.
_CJK_GAP = re.compile(f"(?<=[{_CJK_RANGES}]){_SPACER}+(?=[{_CJK_RANGES}])")
# Three or more single letters or digits, each apart by one to three spacers: F l a g s h i p.
_SPACED_WORD = re.compile(
    f"(?<!{_WORD_CHAR}){_WORD_CHAR}(?:{_SPACER}{{1,3}}{_WORD_CHAR}(?!{_WORD_CHAR})){{2,}}"
)
_SPACERS = re.compile(f"{_SPACER}+")


def normalise(text: str) -> str:
    """NFKC (full-width Ｓｔｏｒｅ → Store), invisible characters removed (zero-width space, soft
    hyphen, bidi controls: the table's ``ignorable``), casefold, whitespace runs → one space, trimmed."""
    return _fold(text, look_alikes=False)


def skeleton(text: str) -> str:
    """What the text looks like: ``normalise`` with look-alike letters read as Latin (Cyrillic
    ``о`` → ``o``), spacing between CJK characters closed and spaced-out words joined."""
    folded = _CJK_GAP.sub("", _fold(text, look_alikes=True))
    return _SPACED_WORD.sub(lambda spaced: _SPACERS.sub("", spaced.group()), folded)


def _fold(text: str, *, look_alikes: bool) -> str:
    visible = _IGNORABLE.sub("", unicodedata.normalize("NFKC", text))
    if look_alikes:  # before case folding: a capital Η looks like H, its small η does not
        visible = visible.translate(_LOOK_ALIKES)
    folded = unicodedata.normalize("NFKC", visible.casefold())
    return " ".join(folded.split())


@lru_cache(maxsize=4096)
def _term_pattern(normalised_term: str) -> re.Pattern[str]:
    """CJK terms match as substrings; others as whole words (no letter or digit either side)."""
    escaped = re.escape(normalised_term)
    if _CJK.search(normalised_term):
        return re.compile(escaped)
    return re.compile(f"(?<!{_WORD_CHAR}){escaped}(?!{_WORD_CHAR})")


def _found(haystack: str, needle: str) -> bool:
    return bool(needle) and _term_pattern(needle).search(haystack) is not None


def signage_matches(text: str, terms: Sequence[str]) -> tuple[str, ...]:
    """The terms (as given, in order, once each) that appear in ``text`` under the matching rules:
    as written, or as it looks (both sides of the comparison folded alike, so a required term
    typed with a Cyrillic ``о`` is found on a Latin sign too)."""
    written, looks = normalise(text), skeleton(text)
    found: list[str] = []
    for term in terms:
        if term not in found and (_found(written, normalise(term)) or _found(looks, skeleton(term))):
            found.append(term)
    return tuple(found)
