"""No personal data in clear (DESIGN §6): phone numbers and e-mail addresses in comments are masked,
and a customer reference is kept only as a keyed hash.

`mask` keeps a hint, so a store manager can still tell two callers apart or see that the customer
left a number ("138****5678", "j***@example.com"), and never touches what is not contact data:
prices ("3999元"), dates ("2026-12-05"), order numbers under seven digits, model names ("Mate
60"). A run of seven or more digits that fits no pattern is masked too, as a phone number without
its area code may be. Masking is idempotent (masked text has no seven-digit runs left), and
full-width digits ("１３８…", as Chinese keyboards type them) are recognised like ASCII ones.

`hash_customer` is an HMAC, not a plain hash: there are only about 10⁹ mobile numbers in China, so
a plain SHA-256 of one is reversed by trying them all in minutes. Without the key, a dump of the
hashes says nothing. Pure: no Django.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

__all__ = ["hash_customer", "mask", "normalise_reference"]

# Full-width digits and signs → ASCII, one character for one, so matches found on the probe sit
# at the same offsets in the original text.
_PROBE = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "＋": "+", "－": "-", "＠": "@"})

_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_MOBILE = re.compile(r"(?<![\d+])(?P<cc>(?:\+|00)86[\s-]?)?(?P<num>1[3-9]\d(?:[\s-]?\d){8})(?!\d)")
_INTERNATIONAL = re.compile(r"(?<![\w+])(?P<cc>(?:\+|00)\d{1,3})(?P<num>(?:[\s-]?\(?\d+\)?){2,6})(?!\d)")
_LANDLINE = re.compile(r"(?<![\d+])(?P<cc>\(?0\d{2,3}\)?[\s-]?)(?P<num>\d{3,4}[\s-]?\d{4})(?!\d)")
_DIGITS = re.compile(r"(?<!\d)(?P<cc>)(?P<num>\d{7,})(?!\d)")


def mask(text: str) -> str:
    """The text with every e-mail address and phone number masked, keeping a hint of each."""
    probe = text.translate(_PROBE)
    spans: list[tuple[int, int, str]] = []
    for match in _EMAIL.finditer(probe):
        start, end = match.span(1)
        spans.append((start + 1, end, "***"))
    for pattern in (_MOBILE, _INTERNATIONAL, _LANDLINE, _DIGITS):
        for match in pattern.finditer(probe):
            start, end = match.span("num")
            overlaps = any(start < e and s < end for s, e, _ in spans)
            if not overlaps and (hidden := _hidden(pattern, text[start:end])):
                spans.append((start, end, hidden))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _hidden(pattern: re.Pattern[str], number: str) -> str:
    """The number with its middle digits starred, separators kept ("" when it is no phone number).

    A mobile keeps its first three and last four digits (the operator and the hint people use), a
    number with a country or area code keeps that code and its last four, a bare run of digits
    its last few (never more than half)."""
    digits = [i for i, char in enumerate(number) if char.translate(_PROBE).isdigit()]
    if pattern is _INTERNATIONAL and not 6 <= len(digits) <= 12:
        return ""
    head = 3 if pattern is _MOBILE else 0
    tail = min(4, len(digits) - 4) if pattern is _DIGITS else 4
    chars = list(number)
    for i in digits[head : len(digits) - tail]:
        chars[i] = "*"
    return "".join(chars)


def normalise_reference(reference: str) -> str:
    """One spelling per customer: trimmed, lower case, full-width folded; a phone number as its
    digits alone, without the +86 / 0086 prefix of a Chinese mobile (so "+86 138-1234-5678" and
    "13812345678" are the same customer)."""
    ref = unicodedata.normalize("NFKC", reference).strip().lower()
    if ref and re.fullmatch(r"[\d\s()+\-.]+", ref):
        digits = re.sub(r"\D", "", ref)
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and re.fullmatch(r"1[3-9]\d{9}", digits[len(prefix) :]):
                return digits[len(prefix) :]
        return digits
    return ref


def hash_customer(reference: str, key: str) -> str:
    """A keyed HMAC-SHA256 (hex) of the normalised reference: stable per customer and key, useless
    without the key. A blank key is refused: that would be a plain, brute-forceable hash."""
    if not key:
        raise ValueError("A customer hash needs a key.")
    return hmac.new(key.encode(), normalise_reference(reference).encode(), hashlib.sha256).hexdigest()
