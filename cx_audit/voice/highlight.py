"""A comment cut into plain and marked parts, so a page can show *why* it was tagged.

Pure (no Django): the template prints each part through autoescaping and wraps the marked ones in
``<mark>``, so nothing a customer typed is ever trusted as HTML — a comment holding ``<script>``
shows as text. Spans are the tags' stored ``start``/``end`` character offsets into the (already
masked) comment; spans outside the text are clipped, overlapping ones merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Part", "segments"]


@dataclass(frozen=True)
class Part:
    text: str
    marked: bool = False


def _merged(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    clipped = sorted((max(0, start), min(length, end)) for start, end in spans)
    merged: list[tuple[int, int]] = []
    for start, end in clipped:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, spans: Iterable[tuple[int, int]]) -> tuple[Part, ...]:
    """``text`` as parts in order, the characters inside ``spans`` marked."""
    parts: list[Part] = []
    at = 0
    for start, end in _merged(spans, len(text)):
        if start > at:
            parts.append(Part(text[at:start]))
        parts.append(Part(text[start:end], marked=True))
        at = end
    if at < len(text):
        parts.append(Part(text[at:]))
    return tuple(parts)
