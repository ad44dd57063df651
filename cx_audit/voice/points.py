"""The top pain and pleasure points of a period, with example comments that show why.

A point is a touchpoint, a dimension or a term of the lexicon; its tags are ranked by their summed
weight (negation and degree words already applied by the tagger), pain (polarity −1) apart from
pleasure (+1). Two queries whatever the volume: one grouped aggregate over the tags (the
denormalised (brand, received_at) index), then the newest few comments of every top point at once
(a window function), each comment once per point, with the tag's span to mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber

from cx_audit.voice.dashboard_filters import VoiceQuery
from cx_audit.voice.highlight import Part, segments
from cx_audit.voice.models import FeedbackTag
from cx_audit.voice.selectors import dimension_names, touchpoint_names

TOP_POINTS = 5
EXAMPLES = 3
POINT_FIELDS = {"touchpoint": "touchpoint_code", "dimension": "dimension_code", "term": "term"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Example:
    """A comment that says it, with the words that said it marked (``parts``)."""

    feedback_id: int
    location_id: int
    received_at: Any
    comment: str
    start: int
    end: int
    matched: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Point:
    """A touchpoint, dimension or term customers felt pain (polarity −1) or pleasure (+1) about.

    ``mentions``: tags; ``comments``: records with at least one; ``weight``: the tags' summed weight
    (negation and degree words applied); ``share``: % of the period's comments."""

    key: str
    label: str
    polarity: int
    mentions: int
    comments: int
    weight: Decimal
    share: Decimal | None
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True)
class Points:
    by: str
    comments: int
    pain: tuple[Point, ...]
    pleasure: tuple[Point, ...]


def _share(part: int, whole: int) -> Decimal | None:
    return (
        None if not whole else (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    )


def _labels(query: VoiceQuery, by: str) -> dict[str, str]:
    if by == "touchpoint":
        return touchpoint_names(query)
    return dimension_names(query) if by == "dimension" else {}


def points(
    query: VoiceQuery,
    by: str = "touchpoint",
    *,
    comments: int,
    limit: int = TOP_POINTS,
    examples: bool = True,
) -> Points:
    """The top ``limit`` pain and pleasure points by weight, with up to three examples each (two
    queries: the ranking, then every example at once). ``comments``: the period's commented records."""
    field = POINT_FIELDS[by]
    rows = (
        query.tags()
        .exclude(**{field: ""})
        .order_by()
        .values(field, "polarity")
        .annotate(mentions=Count("pk"), comments=Count("feedback_id", distinct=True), weight=Sum("weight"))
    )
    labels = _labels(query, by)
    ranked: dict[int, list[Point]] = {-1: [], 1: []}
    for row in sorted(rows, key=lambda row: (-row["weight"], -row["mentions"], row[field])):
        if len(ranked[row["polarity"]]) < limit:
            ranked[row["polarity"]].append(
                Point(
                    key=row[field],
                    label=labels.get(row[field], row[field]),
                    polarity=row["polarity"],
                    mentions=row["mentions"],
                    comments=row["comments"],
                    weight=Decimal(row["weight"]).quantize(CENT, rounding=ROUND_HALF_UP),
                    share=_share(row["comments"], comments),
                )
            )
    if examples and (ranked[-1] or ranked[1]):
        found = _examples(query, field, ranked)
        ranked = {
            polarity: [_with(point, found.get((point.key, polarity), ())) for point in listed]
            for polarity, listed in ranked.items()
        }
    return Points(by, comments, tuple(ranked[-1]), tuple(ranked[1]))


def _with(point: Point, examples: tuple[Example, ...]) -> Point:
    return Point(**{**point.__dict__, "examples": examples})


def _examples(query: VoiceQuery, field: str, ranked: dict[int, list[Point]]) -> dict[tuple[str, int], tuple]:
    """The newest ``EXAMPLES`` comments of each point, one query: each comment once per point."""
    wanted = Q(pk__in=[])
    for polarity, listed in ranked.items():
        if listed:
            wanted |= Q(**{f"{field}__in": [point.key for point in listed]}, polarity=polarity)
    earlier = FeedbackTag.objects.filter(
        feedback_id=OuterRef("feedback_id"),
        polarity=OuterRef("polarity"),
        pk__lt=OuterRef("pk"),
        **{field: OuterRef(field)},
    )
    newest = Window(
        RowNumber(),
        partition_by=[F(field), F("polarity")],
        order_by=[F("received_at").desc(), F("pk").desc()],
    )
    tags = (
        query.tags()
        .filter(wanted)
        .filter(~Exists(earlier))
        .annotate(rank=newest)
        .filter(rank__lte=EXAMPLES)
        .values(
            field,
            "polarity",
            "start",
            "end",
            "matched",
            "feedback_id",
            "location_id",
            "received_at",
            "feedback__comment",
        )
    )
    found: dict[tuple[str, int], list[Example]] = {}
    for row in sorted(tags, key=lambda row: (row["received_at"], row["feedback_id"]), reverse=True):
        comment = row["feedback__comment"]
        found.setdefault((row[field], row["polarity"]), []).append(
            Example(
                feedback_id=row["feedback_id"],
                location_id=row["location_id"],
                received_at=row["received_at"],
                comment=comment,
                start=row["start"],
                end=row["end"],
                matched=row["matched"],
                parts=segments(comment, [(row["start"], row["end"])]),
            )
        )
    return {key: tuple(listed) for key, listed in found.items()}


def commented(query: VoiceQuery) -> int:
    """How many records of the period carry a comment (what a point's share is of): one query."""
    return query.feedback().exclude(comment="").order_by().count()
