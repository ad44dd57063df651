"""The voice's trend chart as SVG text: NPS as a line over volume as bars, per week or month.

`cx_audit.core.charts.line_chart` draws 0..scale, but an NPS runs from −100 to 100 and a negative
one is exactly what HQ must see, so this chart has its own axis with the zero line drawn. Pure
(no Django): numbers in, an ``<svg>`` string out, every label escaped; the page prints the same
numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from cx_audit.core.charts import COLOURS

__all__ = ["TrendPoint", "trend_chart"]

WIDTH, LEFT, RIGHT, TOP = 640, 48, 12, 12
NPS_HEIGHT, GAP, VOLUME_HEIGHT = 180, 28, 70
NPS_COLOUR, VOLUME_COLOUR = "#1f5fa8", "#9fb7d6"


@dataclass(frozen=True)
class TrendPoint:
    """One bucket: its label (``2025-W07``, ``2025-02``), NPS (None: nobody answered) and volume."""

    label: str
    nps: Decimal | None
    volume: int


def _nps_y(value: Decimal | float) -> float:
    clamped = min(max(float(value), -100.0), 100.0)
    return TOP + NPS_HEIGHT * (100.0 - clamped) / 200.0


def _axis() -> list[str]:
    parts = []
    for tick in (-100, -50, 0, 50, 100):
        y = _nps_y(tick)
        stroke = "#8a93a6" if tick == 0 else COLOURS["grid"]
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{stroke}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>')
    return parts


def _xs(count: int) -> tuple[list[float], float]:
    step = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return [LEFT + step * (index + 0.5) for index in range(count)], step


def _volume(points: Sequence[TrendPoint], xs: list[float], step: float) -> list[str]:
    top = TOP + NPS_HEIGHT + GAP
    most = max((point.volume for point in points), default=0) or 1
    parts = [f'<text x="{LEFT - 6}" y="{top + 10}" text-anchor="end" fill="#555">{most}</text>']
    for point, x in zip(points, xs, strict=True):
        height = VOLUME_HEIGHT * point.volume / most
        width = max(step * 0.6, 1.0)
        parts.append(
            f'<rect class="volume" x="{x - width / 2:.1f}" y="{top + VOLUME_HEIGHT - height:.1f}" '
            f'width="{width:.1f}" height="{height:.1f}" fill="{VOLUME_COLOUR}" data-value="{point.volume}">'
            f"<title>{escape(point.label)}: {point.volume}</title></rect>"
        )
    return parts


def _nps(points: Sequence[TrendPoint], xs: list[float]) -> list[str]:
    parts, runs = [], [[]]
    for point, x in zip(points, xs, strict=True):
        if point.nps is None:  # a bucket nobody scored breaks the line instead of bridging it
            runs.append([])
            continue
        y = _nps_y(point.nps)
        runs[-1].append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{NPS_COLOUR}" '
            f'data-value="{point.nps}"><title>{escape(point.label)}: NPS {point.nps}</title></circle>'
        )
    for run in runs:
        if len(run) > 1:
            parts.insert(
                0,
                f'<polyline class="series" points="{" ".join(run)}" fill="none" '
                f'stroke="{NPS_COLOUR}" stroke-width="2.5"/>',
            )
    return parts


def _labels(points: Sequence[TrendPoint], xs: list[float]) -> list[str]:
    y = TOP + NPS_HEIGHT + GAP + VOLUME_HEIGHT + 16
    every = max(1, -(-len(points) // 10))
    return [
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="#555">{escape(point.label)}</text>'
        for index, (point, x) in enumerate(zip(points, xs, strict=True))
        if index % every == 0
    ]


def trend_chart(
    points: Sequence[TrendPoint], *, title: str, nps_label: str = "NPS", volume_label: str = "Volume"
) -> str:
    """NPS (−100…100, zero line marked) above the volume of each bucket."""
    xs, step = _xs(len(points))
    height = TOP + NPS_HEIGHT + GAP + VOLUME_HEIGHT + 24
    legend = (
        f'<text x="{LEFT}" y="{TOP + NPS_HEIGHT + 18}" fill="{NPS_COLOUR}">{escape(nps_label)} ▲ · '
        f'<tspan fill="#555">{escape(volume_label)} ▼</tspan></text>'
    )
    body = [*_axis(), *_volume(points, xs, step), *_nps(points, xs), *_labels(points, xs), legend]
    description = "; ".join(
        f"{point.label}: NPS {'n/a' if point.nps is None else point.nps}, {volume_label} {point.volume}"
        for point in points
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(body)}</svg>"
    )
