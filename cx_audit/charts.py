"""Charts as SVG text, drawn on the server so the page and the PDF show the same picture.

Pure functions (no Django): numbers in, an ``<svg>`` string out, every label escaped. Each
chart carries a title and a description for screen readers; pages also show the numbers in
a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

ROW = 34
LABEL_WIDTH = 170
PLOT_WIDTH = 420
PAD = 8
COLOURS = {
    "bar": "#1f5fa8",
    "weak": "#b3261e",
    "expectation": "#6b4e00",
    "ideal": "#137333",
    "grid": "#d5dae3",
}


@dataclass(frozen=True)
class Bar:
    """One labelled value on a 0..scale axis; None draws an empty row marked 'n/a'."""

    label: str
    value: Decimal | None


@dataclass(frozen=True)
class DeltaRow:
    """A dimension in the Delta model: experience against expectation and ideal, all 0–10."""

    label: str
    experience: Decimal | None
    expectation: Decimal
    ideal: Decimal
    key: bool = False


def _x(value: Decimal | float, scale: Decimal | float) -> float:
    clamped = min(max(float(value), 0.0), float(scale))
    return LABEL_WIDTH + PLOT_WIDTH * clamped / float(scale)


def _frame(title: str, description: str, rows: int, body: list[str]) -> str:
    height = PAD * 2 + ROW * rows + 18
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="13">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(body)}</svg>"
    )


def _grid(rows: int, scale: int, step: int) -> list[str]:
    bottom = PAD + ROW * rows
    parts = []
    for tick in range(0, scale + 1, step):
        x = _x(tick, scale)
        parts.append(f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{bottom}" stroke="{COLOURS["grid"]}"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#555">{tick}</text>')
    return parts


def _label(index: int, text: str) -> str:
    y = PAD + ROW * index + ROW / 2 + 4
    return f'<text x="{LABEL_WIDTH - 8}" y="{y:.1f}" text-anchor="end" fill="#1b1f27">{escape(text)}</text>'


def bar_chart(bars: Sequence[Bar], *, title: str, scale: int = 100, weak_below: Decimal | None = None) -> str:
    """Horizontal bars, e.g. section scores 0–100; bars under ``weak_below`` are drawn in red."""
    body = _grid(len(bars), scale, scale // 5 or 1)
    for index, bar in enumerate(bars):
        body.append(_label(index, bar.label))
        top = PAD + ROW * index + 7
        if bar.value is None:
            body.append(f'<text x="{LABEL_WIDTH + 6}" y="{top + 14}" fill="#555">n/a</text>')
            continue
        weak = weak_below is not None and bar.value < weak_below
        width = _x(bar.value, scale) - LABEL_WIDTH
        colour = COLOURS["weak" if weak else "bar"]
        body.append(
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{top}" width="{width:.1f}" height="{ROW - 14}" '
            f'fill="{colour}" data-value="{bar.value}"/>'
        )
        body.append(
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{top + 14}" fill="#1b1f27">{bar.value}</text>'
        )
    description = "; ".join(f"{bar.label}: {'n/a' if bar.value is None else bar.value}" for bar in bars)
    return _frame(title, description, len(bars), body)


def delta_chart(rows: Sequence[DeltaRow], *, title: str) -> str:
    """Experience bars (0–10) with the customers' expectation and the brand's ideal as markers.

    A bar that stops short of the expectation marker is a negative satisfaction; key
    experiences (the most harmful, importance-weighted) are drawn in red.
    """
    body = _grid(len(rows), 10, 2)
    for index, row in enumerate(rows):
        body.append(_label(index, row.label + (" ★" if row.key else "")))
        top = PAD + ROW * index + 7
        if row.experience is not None:
            width = _x(row.experience, 10) - LABEL_WIDTH
            colour = COLOURS["weak" if row.key else "bar"]
            body.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{top}" width="{width:.1f}" height="{ROW - 14}" '
                f'fill="{colour}" data-value="{row.experience}"/>'
            )
        for name, value in (("expectation", row.expectation), ("ideal", row.ideal)):
            x = _x(value, 10)
            dash = ' stroke-dasharray="4 3"' if name == "ideal" else ""
            body.append(
                f'<line class="{name}" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + ROW - 10}" '
                f'stroke="{COLOURS[name]}" stroke-width="3"{dash} data-value="{value}"/>'
            )
    description = "; ".join(
        f"{row.label}: experience {'n/a' if row.experience is None else row.experience}, "
        f"expectation {row.expectation}, ideal {row.ideal}"
        for row in rows
    )
    return _frame(title, description, len(rows), body)
