"""Customer metrics as pure rules (DESIGN §6): NPS, CSAT, effort and complaints from a `Tally`.

A `Tally` holds exactly the counts and sums one SQL aggregate returns per group
(`cx_audit.voice.tallies.tally_aggregates`), so a million answers are summed in the database and
only the arithmetic happens here; `tally` builds the same thing from records in Python, and the
tests prove both ways add up alike. Tallies add, so a region is the sum of its locations and a
quarter the sum of its weeks, with no metric averaged twice.

Every metric is None when nobody answered the question: "no NPS yet" is not an NPS of 0.
Shares are percentages rounded half up to one decimal, means to two; the rounding happens once,
on the exact ratio, never on a rounded part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "COMPLAINT_CSAT",
    "COMPLAINT_NPS",
    "Period",
    "Response",
    "Tally",
    "complaint_share",
    "csat_mean",
    "csat_share",
    "effort_mean",
    "is_complaint",
    "is_detractor",
    "is_promoter",
    "month_start",
    "nps",
    "period_start",
    "tally",
    "week_start",
]

# The scales' boundaries (DESIGN §6): promoters answer 9–10, detractors 0–6 (7–8 are passives);
# CSAT's top two boxes are 4 and 5 of 1–5.
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
CSAT_TOP2_MIN = 4

# A complaint is an answer that says "this went wrong", whatever the channel: a comment whose net
# polarity is pain, a CSAT of 1–2, or an NPS of 0–3. An NPS of 4–6 is a detractor but often a
# shrug ("fine, nothing special"); 0–3 is anger even without a word.
COMPLAINT_CSAT = 2
COMPLAINT_NPS = 3

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Response:
    """One customer's answers as the metrics see them (any of the three scores may be missing)."""

    nps: int | None = None
    csat: int | None = None
    effort: int | None = None
    complaint: bool = False


@dataclass(frozen=True)
class Tally:
    """Counts and sums over a group of answers: ``volume`` records, ``nps_n`` of them with an NPS
    (``promoters`` and ``detractors`` among those), ``csat_n`` with a CSAT (``csat_top2`` of them
    4–5, summing to ``csat_sum``), ``effort_n`` with an effort score, and ``complaints``."""

    volume: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_n: int = 0
    csat_top2: int = 0
    csat_sum: int = 0
    effort_n: int = 0
    effort_sum: int = 0
    complaints: int = 0

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Tally)))

    @property
    def passives(self) -> int:
        return self.nps_n - self.promoters - self.detractors


def tally(records: Iterable[Response]) -> Tally:
    """The `Tally` of records held in Python: the same numbers the SQL aggregate gives."""
    total = Tally()
    for record in records:
        total += _one(record)
    return total


def _one(record: Response) -> Tally:
    has_nps, has_csat, has_effort = (
        record.nps is not None,
        record.csat is not None,
        record.effort is not None,
    )
    return Tally(
        volume=1,
        nps_n=int(has_nps),
        promoters=int(is_promoter(record.nps)),
        detractors=int(is_detractor(record.nps)),
        csat_n=int(has_csat),
        csat_top2=int(has_csat and record.csat >= CSAT_TOP2_MIN),
        csat_sum=record.csat or 0,
        effort_n=int(has_effort),
        effort_sum=record.effort or 0,
        complaints=int(record.complaint),
    )


def is_promoter(score: int | None) -> bool:
    return score is not None and score >= PROMOTER_MIN


def is_detractor(score: int | None) -> bool:
    return score is not None and score <= DETRACTOR_MAX


def is_complaint(*, nps: int | None, csat: int | None, polarity: float | None) -> bool:
    """Whether an answer counts as a complaint: net pain in the comment (``polarity`` < 0; None or 0
    when there is no comment or it says nothing either way), or CSAT ≤ 2, or NPS ≤ 3.

    This is the "complaint volume" early warning watches. It is not the funnel's complaint rate
    (`revenue.FunnelShares.complaint_rate`): feedback is itself a sample of people who spoke up.
    """
    return (
        (polarity is not None and polarity < 0)
        or (csat is not None and csat <= COMPLAINT_CSAT)
        or (nps is not None and nps <= COMPLAINT_NPS)
    )


def _ratio(numerator: int, denominator: int, scale: Decimal, places: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return (scale * numerator / denominator).quantize(places, rounding=ROUND_HALF_UP)


def nps(t: Tally) -> Decimal | None:
    """Net Promoter Score: % promoters − % detractors, from −100 to 100, one decimal."""
    return _ratio(t.promoters - t.detractors, t.nps_n, HUNDRED, ONE_PLACE)


def csat_share(t: Tally) -> Decimal | None:
    """CSAT top-two-box: the % of CSAT answers that are 4 or 5, one decimal."""
    return _ratio(t.csat_top2, t.csat_n, HUNDRED, ONE_PLACE)


def csat_mean(t: Tally) -> Decimal | None:
    """Mean CSAT (1–5), two decimals."""
    return _ratio(t.csat_sum, t.csat_n, Decimal(1), TWO_PLACES)


def effort_mean(t: Tally) -> Decimal | None:
    """Mean customer effort (1–7, lower is easier), two decimals."""
    return _ratio(t.effort_sum, t.effort_n, Decimal(1), TWO_PLACES)


def complaint_share(t: Tally) -> Decimal | None:
    """The % of all records (answered or not) that are complaints, one decimal."""
    return _ratio(t.complaints, t.volume, HUNDRED, ONE_PLACE)


# --- periods: trends bucket the same way in SQL, in Python and on the page -------------------------


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


def _day(value: date) -> date:
    """A datetime's calendar date (the caller localises an aware one first: days are local)."""
    return value.date() if isinstance(value, datetime) else value


def week_start(value: date) -> date:
    """The Monday of the ISO week holding ``value`` (what PostgreSQL's ``date_trunc('week')`` gives)."""
    day = _day(value)
    return day - timedelta(days=day.weekday())


def month_start(value: date) -> date:
    """The first day of the month holding ``value``."""
    return _day(value).replace(day=1)


def period_start(value: date, period: Period | str) -> date:
    return week_start(value) if Period(period) is Period.WEEK else month_start(value)
