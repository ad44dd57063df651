"""The scoring engine's terms: answer types and outcomes, the rules and answers it reads, and the
scores it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from cx_audit.core.bands import DEFAULT_BANDS, Band

OUTLET_TYPES: frozenset[str] = frozenset({"direct", "authorized"})
SCORED_TYPES: frozenset[str] = frozenset({"yes_no", "rating", "number", "price", "signage_text"})
UNSCORED_TYPES: frozenset[str] = frozenset({"text", "photo"})
ANSWER_TYPES: frozenset[str] = SCORED_TYPES | UNSCORED_TYPES
ONE = Decimal(1)
ZERO = Decimal("0.00")


class AnswerKind(StrEnum):
    """What the auditor gave: a value, "not applicable here", or "I could not check it"."""

    VALUE = "value"
    NA = "na"
    CANNOT_CHECK = "cannot_check"


class Outcome(StrEnum):
    """What an item came to. PASS/PARTIAL/FAIL follow the item's fraction (0 → FAIL, 1 → PASS)."""

    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    NA = "na"
    CANNOT_CHECK = "cannot_check"
    NOT_APPLICABLE = "not_applicable"  # the item does not apply to the outlet type
    UNSCORED = "unscored"  # text and photo answers, or a number/price item without target/band
    MISSING = "missing"  # applicable and scored, but no usable answer; out of every total


FAILED = frozenset({Outcome.FAIL, Outcome.PARTIAL})
_KINDS = frozenset(AnswerKind)


def is_repeat(outcome: str, code: str, previous_failures: frozenset[str]) -> bool:
    """A repeat finding: the standard failed, wholly or partly, and failed at the previous visit too.

    One rule for scoring an audit and for re-deriving a later audit's flags when the visit before
    it changes (voided, or a finding overturned on dispute).
    """
    return outcome in FAILED and code in previous_failures


# --- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRule:
    """One checklist standard as the scoring sees it (a published framework item)."""

    code: str
    section: str
    answer_type: str
    weight: Decimal = ONE
    critical: bool = False
    applies_to: frozenset[str] = OUTLET_TYPES
    targets: Mapping[str, Decimal] = field(default_factory=dict)  # outlet type -> target
    pass_fail: bool = False  # number items: all points at or above the target, none below
    price_bands: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # % of list, inclusive
    required_terms: tuple[str, ...] = ()
    forbidden_terms: tuple[str, ...] = ()
    dimension: str | None = None
    na_allowed: bool = False
    cannot_check_allowed: bool = True
    photo_required: bool = False
    question: str = ""


@dataclass(frozen=True)
class Answer:
    """What the auditor recorded for one item; only the fields of the item's answer type are read."""

    kind: AnswerKind = AnswerKind.VALUE
    yes: bool | None = None  # yes_no
    number: Decimal | None = None  # rating (1-5), number, observed price
    list_price: Decimal | None = None  # price
    text: str = ""  # text, signage_text
    photos: int = 0  # evidence photos attached


@dataclass(frozen=True)
class SectionRule:
    code: str
    weight: Decimal = ONE
    name: str = ""


@dataclass(frozen=True)
class DimensionRule:
    """An experience dimension with the brand's 0–10 importance, customer expectation and ideal."""

    code: str
    importance: Decimal
    expectation: Decimal
    ideal: Decimal
    name: str = ""


@dataclass(frozen=True)
class Policy:
    """The brand's settings: the ceiling a failed critical item imposes, and the score bands."""

    critical_cap: Decimal = Decimal(50)
    bands: tuple[Band, ...] = DEFAULT_BANDS


DEFAULT_POLICY = Policy()


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemScore:
    code: str
    section: str
    dimension: str | None
    outcome: Outcome
    earned: Decimal
    possible: Decimal
    fraction: Decimal | None  # 4 decimals; None when the item was not scored
    reason: str
    matched_required: tuple[str, ...]
    matched_forbidden: tuple[str, ...]
    critical_failed: bool
    repeat: bool

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED


@dataclass(frozen=True)
class SectionScore:
    code: str
    earned: Decimal
    possible: Decimal
    score: Decimal | None  # None when nothing in the section was applicable and scored
    weight: Decimal
    passed: int
    failed: int  # fail + partial
    na: int
    cannot_check: int
    missing: int = 0


@dataclass(frozen=True)
class DimensionScore:
    code: str
    earned: Decimal
    possible: Decimal
    experience: Decimal | None
    satisfaction: Decimal | None
    weighted_satisfaction: Decimal | None
    ideal_gap: Decimal | None
    importance: Decimal
    expectation: Decimal
    ideal: Decimal
    key_rank: int | None


@dataclass(frozen=True)
class AuditScore:
    raw_score: Decimal | None
    score: Decimal | None
    critical_failure: bool
    band: str
    items: tuple[ItemScore, ...]
    sections: tuple[SectionScore, ...]
    dimensions: tuple[DimensionScore, ...]
    key_experiences: tuple[str, ...]
    na_count: int
    cannot_check_count: int
    repeat_count: int
    missing_count: int = 0
