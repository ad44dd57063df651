"""Charts as SVG text, drawn on the server so the page and the PDF show the same picture.

Pure functions (no Django): numbers in, an ``<svg>`` string out, every label escaped. Each
chart carries a title and a description for screen readers; pages also show the numbers in
a table beside it.
"""

from __future__ import annotations

import itertools
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


# Chain insights: trends, heat maps and the Pareto view of standards.

SERIES_STYLES = (  # colour and dash, so series stay apart in grey print and for colour-blind readers
    ("#1f5fa8", ""),
    ("#b3261e", "6 3"),
    ("#137333", "2 3"),
    ("#6b3fa0", "8 3 2 3"),
    ("#a15c00", "1 2"),
    ("#00796b", "10 4"),
)
LINE_WIDTH, LINE_HEIGHT, LINE_LEFT, LINE_TOP = 640, 220, 44, 12


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a value (or None: nothing that month) per x label."""

    label: str
    values: Sequence[Decimal | None]


def _y(value: Decimal | float, scale: int) -> float:
    clamped = min(max(float(value), 0.0), float(scale))
    return LINE_TOP + LINE_HEIGHT * (1 - clamped / scale)


def line_chart(series: Sequence[Series], *, x_labels: Sequence[str], title: str, scale: int = 100) -> str:
    """Lines over time on a 0..scale axis; a month without data breaks the line instead of bridging it."""
    count = max(len(x_labels), 1)
    step = (LINE_WIDTH - LINE_LEFT - 16) / max(count - 1, 1)
    x_of = [LINE_LEFT + 8 + step * index for index in range(count)]
    body = []
    for tick in range(0, scale + 1, scale // 5 or 1):
        y = _y(tick, scale)
        body.append(
            f'<line x1="{LINE_LEFT}" y1="{y:.1f}" x2="{LINE_WIDTH - 8}" y2="{y:.1f}" '
            f'stroke="{COLOURS["grid"]}"/>'
        )
        body.append(f'<text x="{LINE_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>')
    label_every = max(1, -(-count // 12))
    for index, label in enumerate(x_labels):
        if index % label_every == 0:
            body.append(
                f'<text x="{x_of[index]:.1f}" y="{LINE_TOP + LINE_HEIGHT + 16}" text-anchor="middle" '
                f'fill="#555">{escape(label)}</text>'
            )
    for number, line in enumerate(series):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for index, value in enumerate(line.values[:count]):
            if value is None:
                runs.append([])
                continue
            x, y = x_of[index], _y(value, scale)
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" '
                f'data-value="{value}">'
                f"<title>{escape(line.label)}, {escape(x_labels[index])}: {value}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                body.append(
                    f'<polyline class="series" points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dashes}/>'
                )
    legend_top = LINE_TOP + LINE_HEIGHT + 30
    for number, line in enumerate(series):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        x, y = LINE_LEFT + (number % 3) * 200, legend_top + (number // 3) * 20
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{colour}" stroke-width="3"{dashes}/>'
        )
        body.append(f'<text x="{x + 30}" y="{y + 4}" fill="#1b1f27">{escape(line.label)}</text>')
    height = legend_top + 20 * (-(-max(len(series), 1) // 3)) + 4
    description = "; ".join(
        f"{line.label}: "
        + ", ".join(f"{x} {'n/a' if v is None else v}" for x, v in zip(x_labels, line.values, strict=False))
        for line in series
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {LINE_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(body)}</svg>"
    )


def heat_colour(value: Decimal | float | None, scale: int = 100) -> str:
    """Red (0) through amber (60) to green (100); grey for no value. Text stays dark on every shade."""
    if value is None:
        return "#eceff3"
    share = min(max(float(value) / scale, 0.0), 1.0)
    stops = ((0.0, (244, 199, 195)), (0.6, (255, 236, 179)), (1.0, (183, 225, 193)))
    for (low, low_rgb), (high, high_rgb) in itertools.pairwise(stops):
        if share <= high:
            t = (share - low) / (high - low)
            rgb = [round(a + (b - a) * t) for a, b in zip(low_rgb, high_rgb, strict=True)]
            return "#" + "".join(f"{part:02x}" for part in rgb)
    return "#b7e1c1"


HEAT_LABEL, HEAT_CELL, HEAT_ROW, HEAT_HEAD = 200, 72, 26, 40


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[Decimal | None]],
    *,
    title: str,
    row_links: Sequence[str] | None = None,
    scale: int = 100,
) -> str:
    """A grid of values 0..scale, coloured red → amber → green, each cell also printed as a number."""
    width = HEAT_LABEL + HEAT_CELL * max(len(columns), 1) + 4
    height = HEAT_HEAD + HEAT_ROW * len(rows) + 4
    body = []
    for index, column in enumerate(columns):
        x = HEAT_LABEL + HEAT_CELL * index + HEAT_CELL / 2
        body.append(
            f'<text x="{x:.1f}" y="{HEAT_HEAD - 10}" text-anchor="middle" fill="#1b1f27">'
            f"{escape(column[:11])}<title>{escape(column)}</title></text>"
        )
    for row_index, label in enumerate(rows):
        y = HEAT_HEAD + HEAT_ROW * row_index
        text = (
            f'<text x="{HEAT_LABEL - 8}" y="{y + 17}" text-anchor="end" fill="#1b1f27">'
            f"{escape(label[:28])}</text>"
        )
        if row_links:
            text = f'<a href="{escape(row_links[row_index])}">{text}</a>'
        body.append(text)
        for column_index, value in enumerate(cells[row_index]):
            x = HEAT_LABEL + HEAT_CELL * column_index
            shown = "–" if value is None else f"{float(value):.0f}"
            body.append(
                f'<rect class="cell" x="{x + 1}" y="{y + 1}" width="{HEAT_CELL - 2}" height="{HEAT_ROW - 2}" '
                f'fill="{heat_colour(value, scale)}" data-value="{"" if value is None else value}">'
                f"<title>{escape(label)} · {escape(columns[column_index])}: "
                f"{'n/a' if value is None else value}</title></rect>"
                f'<text x="{x + HEAT_CELL / 2:.1f}" y="{y + 17}" text-anchor="middle" '
                f'fill="#1b1f27">{shown}</text>'
            )
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{column} {'n/a' if v is None else v}" for column, v in zip(columns, values, strict=False)
        )
        for label, values in zip(rows, cells, strict=False)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(body)}</svg>"
    )


@dataclass(frozen=True)
class ParetoBar:
    """A standard's points lost and the running share of all points lost (%), vital few or not."""

    label: str
    lost: Decimal
    cumulative: Decimal
    vital: bool


def pareto_chart(bars: Sequence[ParetoBar], *, title: str) -> str:
    """Points lost per standard, most first, with the running share; the vital few in red above a line."""
    most = max((float(bar.lost) for bar in bars), default=0.0) or 1.0
    body = []
    for index, bar in enumerate(bars):
        body.append(_label(index, bar.label))
        top = PAD + ROW * index + 7
        width = (PLOT_WIDTH - 130) * float(bar.lost) / most  # room for the figures after the bar
        colour = COLOURS["weak" if bar.vital else "bar"]
        body.append(
            f'<rect class="bar{" vital" if bar.vital else ""}" x="{LABEL_WIDTH}" y="{top}" '
            f'width="{width:.1f}" height="{ROW - 14}" fill="{colour}" data-value="{bar.lost}"/>'
        )
        body.append(
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{top + 14}" fill="#1b1f27">'
            f"{bar.lost} · Σ {bar.cumulative}%</text>"
        )
    vital = sum(1 for bar in bars if bar.vital)
    if 0 < vital < len(bars):
        y = PAD + ROW * vital
        body.append(
            f'<line class="cutoff" x1="{PAD}" y1="{y}" x2="{LABEL_WIDTH + PLOT_WIDTH + 50}" y2="{y}" '
            f'stroke="{COLOURS["weak"]}" stroke-dasharray="5 4"/>'
        )
    description = "; ".join(
        f"{bar.label}: {bar.lost} points lost, cumulative {bar.cumulative}%"
        + (" (vital few)" if bar.vital else "")
        for bar in bars
    )
    return _frame(title, description, len(bars), body)


# Two measures of the same locations against each other: audit score (x) and NPS (y), say.

SCATTER_WIDTH, SCATTER_HEIGHT, SCATTER_LEFT, SCATTER_TOP, SCATTER_BOTTOM = 640, 320, 56, 12, 44


@dataclass(frozen=True)
class Dot:
    """One location on a scatter chart: its name and its two values."""

    label: str
    x: Decimal | float
    y: Decimal | float


def _scaled(value: Decimal | float, low: float, high: float, start: float, length: float) -> float:
    clamped = min(max(float(value), low), high)
    return start + length * (clamped - low) / (high - low)


def scatter_chart(
    dots: Sequence[Dot],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_range: tuple[int, int] = (0, 100),
    y_range: tuple[int, int] = (-100, 100),
    description: str = "",
) -> str:
    """One dot per location, ``x`` across and ``y`` up, each dot titled with its label and values.

    No trend line: the question is one of ranks (`voice.correlation`), not of a straight line. The
    description says how many dots and where they lie (one entry per dot would be thousands);
    ``description``, when given, is added after it (the page's reading of the chart, say).
    """
    (x_low, x_high), (y_low, y_high) = x_range, y_range
    plot_width = SCATTER_WIDTH - SCATTER_LEFT - 12
    plot_height = SCATTER_HEIGHT - SCATTER_TOP - SCATTER_BOTTOM

    def at(dot: Dot) -> tuple[float, float]:
        x = _scaled(dot.x, x_low, x_high, SCATTER_LEFT, plot_width)
        y = _scaled(dot.y, y_low, y_high, SCATTER_TOP + plot_height, -plot_height)
        return x, y

    body = []
    for tick in range(x_low, x_high + 1, (x_high - x_low) // 5 or 1):
        x = _scaled(tick, x_low, x_high, SCATTER_LEFT, plot_width)
        body.append(
            f'<line x1="{x:.1f}" y1="{SCATTER_TOP}" x2="{x:.1f}" y2="{SCATTER_TOP + plot_height}" '
            f'stroke="{COLOURS["grid"]}"/>'
            f'<text x="{x:.1f}" y="{SCATTER_TOP + plot_height + 16}" text-anchor="middle" '
            f'fill="#555">{tick}</text>'
        )
    for tick in range(y_low, y_high + 1, (y_high - y_low) // 4 or 1):
        y = _scaled(tick, y_low, y_high, SCATTER_TOP + plot_height, -plot_height)
        stroke = "#8a93a3" if tick == 0 else COLOURS["grid"]
        body.append(
            f'<line x1="{SCATTER_LEFT}" y1="{y:.1f}" x2="{SCATTER_LEFT + plot_width}" y2="{y:.1f}" '
            f'stroke="{stroke}"/>'
            f'<text x="{SCATTER_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>'
        )
    body.append(
        f'<text x="{SCATTER_LEFT + plot_width / 2:.1f}" y="{SCATTER_HEIGHT - 6}" text-anchor="middle" '
        f'fill="#1b1f27">{escape(x_label)}</text>'
        f'<text x="14" y="{SCATTER_TOP + plot_height / 2:.1f}" text-anchor="middle" fill="#1b1f27" '
        f'transform="rotate(-90 14 {SCATTER_TOP + plot_height / 2:.1f})">{escape(y_label)}</text>'
    )
    for dot in dots:
        x, y = at(dot)
        body.append(
            f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COLOURS["bar"]}" fill-opacity="0.7" '
            f'data-x="{dot.x}" data-y="{dot.y}"><title>{escape(dot.label)}: {escape(x_label)} {dot.x}, '
            f"{escape(y_label)} {dot.y}</title></circle>"
        )
    summary = f"{len(dots)} locations"
    if dots:
        xs, ys = [dot.x for dot in dots], [dot.y for dot in dots]
        summary += f"; {x_label} from {min(xs)} to {max(xs)}; {y_label} from {min(ys)} to {max(ys)}"
    summary += f". {description}" if description else "."
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart scatter" role="img" '
        f'viewBox="0 0 {SCATTER_WIDTH} {SCATTER_HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>{''.join(body)}</svg>"
    )
