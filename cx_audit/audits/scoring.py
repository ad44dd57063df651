"""The audit scoring rules of DESIGN §3 as pure functions: rules and answers in, scores out.

Nothing here imports Django, on purpose: the services call `score_audit` once at submission and
store what it returns, the recompute command calls the same function, the tests run it without a
database, and docs/scoring.md — which HQ and franchisees read — has its worked example checked
against this module row by row (tests/cx_audit/test_scoring_doc.py).

All arithmetic is exact (`fractions.Fraction`, built from the `Decimal` inputs without loss);
only the outputs are rounded, to 2 decimals, half up. So the order of items, or scaling every
weight by the same factor, can never move a score by a cent, and 1/3 + 1/3 + 1/3 is exactly 1.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

__all__ = [
    "ANSWER_TYPES",
    "DEFAULT_BANDS",
    "DEFAULT_POLICY",
    "OUTLET_TYPES",
    "SCORED_TYPES",
    "UNSCORED_TYPES",
    "Answer",
    "AnswerKind",
    "AuditScore",
    "Band",
    "DimensionRule",
    "DimensionScore",
    "ItemRule",
    "ItemScore",
    "Outcome",
    "Policy",
    "SectionRule",
    "SectionScore",
    "answer_issue",
    "answer_problem",
    "band_for",
    "band_problems",
    "missing_answers",
    "normalise",
    "score_audit",
    "signage_matches",
]

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
class Band:
    name: str
    min_score: Decimal  # inclusive lower bound


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("excellent", Decimal(90)),
    Band("good", Decimal(75)),
    Band("needs improvement", Decimal(60)),
    Band("poor", Decimal(0)),
)


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


# --- answers ----------------------------------------------------------------------------------------


def _fraction(value: object) -> Fraction | None:
    """The exact value of a number input, or None when it is absent, NaN, infinite or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Fraction(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def _value_issue(rule: ItemRule, answer: Answer) -> tuple[str, str] | None:
    """What is wrong with a VALUE answer for this item's answer type, as (field, message)."""
    kind = rule.answer_type
    if kind == "yes_no" and answer.yes is None:
        return "yes", "answer yes or no"
    if kind == "rating":
        rating = _fraction(answer.number)
        if rating is None or rating.denominator != 1 or not 1 <= rating <= 5:
            return "number", "a rating is a whole number from 1 to 5"
    if kind == "number":
        number = _fraction(answer.number)
        if number is None:
            return "number", "give a number"
        if number < 0:
            return "number", "a number cannot be negative"
    if kind == "price":
        return _price_issue(answer)
    if kind == "signage_text" and not answer.text.strip():
        return "text", "write down the signage text as it is shown"
    return None


def _price_issue(answer: Answer) -> tuple[str, str] | None:
    observed, listed = _fraction(answer.number), _fraction(answer.list_price)
    if observed is None:
        return "number", "give the observed price and the list price"
    if listed is None:
        return "list_price", "give the observed price and the list price"
    if listed <= 0:
        return "list_price", "the list price must be more than 0"
    if observed < 0:
        return "number", "the observed price cannot be negative"
    return None


def answer_issue(rule: ItemRule, answer: Answer) -> tuple[str, str] | None:
    """Like `answer_problem`, with the Answer field at fault first, for API errors naming the field."""
    if rule.answer_type not in ANSWER_TYPES:
        return "kind", f"unknown answer type '{rule.answer_type}'"
    if answer.kind not in _KINDS:
        return "kind", f"unknown answer kind '{answer.kind}'"
    if answer.photos < 0:
        return "photos", "the number of photos cannot be negative"
    if answer.kind == AnswerKind.NA:
        return None if rule.na_allowed else ("kind", "N/A is not allowed for this item")
    if answer.kind == AnswerKind.CANNOT_CHECK:
        return None if rule.cannot_check_allowed else ("kind", "'cannot check' is not allowed for this item")
    return _value_issue(rule, answer)


def answer_problem(rule: ItemRule, answer: Answer) -> str | None:
    """Why this answer cannot be accepted for this item, or None when it can.

    Only what the answer itself gets wrong: a missing photo or an empty free text is a matter of
    completeness (`missing_answers`), because photos are attached after the answer is saved.
    """
    issue = answer_issue(rule, answer)
    return None if issue is None else issue[1]


def _completeness_problem(rule: ItemRule, answer: Answer | None) -> str | None:
    if answer is None:
        return "not answered"
    problem = answer_problem(rule, answer)
    if problem is not None or answer.kind != AnswerKind.VALUE:
        return problem
    if rule.answer_type == "photo" and answer.photos == 0:
        return "take at least one photo"
    if rule.answer_type == "text" and not answer.text.strip():
        return "write the answer"
    if rule.photo_required and answer.photos == 0:
        return "a photo is required for this item"
    return None


def missing_answers(
    *, outlet_type: str, items: Sequence[ItemRule], answers: Mapping[str, Answer]
) -> list[tuple[str, str]]:
    """(item code, reason) for every applicable item not ready for submission, in items order."""
    missing: list[tuple[str, str]] = []
    for rule in items:
        if outlet_type in rule.applies_to:
            problem = _completeness_problem(rule, answers.get(rule.code))
            if problem is not None:
                missing.append((rule.code, problem))
    return missing


# --- bands ------------------------------------------------------------------------------------------


def band_for(score: Decimal, bands: Sequence[Band]) -> str:
    """The band with the greatest lower bound not above ``score``; "" if none (bad bands, score < 0)."""
    best: Band | None = None
    for band in bands:
        if band.min_score <= score and (best is None or band.min_score > best.min_score):
            best = band
    return "" if best is None else best.name


def band_problems(bands: Sequence[Band]) -> list[str]:
    """Why these bands do not give every score from 0 to 100 exactly one band; [] when they do."""
    if not bands:
        return ["give at least one band"]
    problems: list[str] = []
    names: set[str] = set()
    starts: dict[Decimal, str] = {}
    for band in bands:
        if not band.name.strip():
            problems.append("every band needs a name")
        elif band.name in names:
            problems.append(f"two bands are called '{band.name}'")
        names.add(band.name)
        start = band.min_score
        if not (start.is_finite() and 0 <= start <= 100):
            problems.append(f"band '{band.name}' starts at {_fmt(start)}; a band starts between 0 and 100")
        elif start in starts:
            problems.append(f"bands '{starts[start]}' and '{band.name}' both start at {_fmt(start)}")
        else:
            starts[start] = band.name
    if starts and 0 not in starts:
        problems.append(f"no band starts at 0, so scores below {_fmt(min(starts))} would have no band")
    return problems


# --- one item ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    """An answer judged against its item: the fraction of the weight earned (None: not scored)."""

    fraction: Fraction | None
    reason: str
    matched_required: tuple[str, ...] = ()
    matched_forbidden: tuple[str, ...] = ()


def _judge_yes_no(rule: ItemRule, answer: Answer, outlet_type: str) -> _Verdict:
    return _Verdict(Fraction(1), "yes → 1") if answer.yes else _Verdict(Fraction(0), "no → 0")


def _judge_rating(rule: ItemRule, answer: Answer, outlet_type: str) -> _Verdict:
    rating = int(Fraction(answer.number))  # type: ignore[arg-type]
    fraction = Fraction(rating - 1, 4)
    return _Verdict(fraction, f"rated {rating} of 5 → {_fmt2(fraction)}")


def _judge_number(rule: ItemRule, answer: Answer, outlet_type: str) -> _Verdict:
    target = rule.targets.get(outlet_type)
    if target is None:
        return _Verdict(None, f"no target set for {outlet_type} outlets")
    value = Fraction(answer.number)  # type: ignore[arg-type]
    said = f"{_fmt(answer.number)} of target {_fmt(target)} ({outlet_type})"
    if target == 0:
        return _Verdict(Fraction(1), f"{said} → 1 (a target of 0 is always met)")
    if rule.pass_fail:
        met = value >= Fraction(target)
        return _Verdict(Fraction(int(met)), f"{said}, pass/fail → {'pass' if met else 'fail'}")
    fraction = min(value / Fraction(target), Fraction(1))
    return _Verdict(fraction, f"{said} → {_fmt2(fraction)}")


def _judge_price(rule: ItemRule, answer: Answer, outlet_type: str) -> _Verdict:
    band = rule.price_bands.get(outlet_type)
    if band is None:
        return _Verdict(None, f"no price band set for {outlet_type} outlets")
    low, high = band
    share = Fraction(answer.number) / Fraction(answer.list_price) * 100  # type: ignore[arg-type]
    inside = low <= share <= high
    side = "" if inside else (" (above the band)" if share > high else " (below the band)")
    span = f"{_fmt(low)}%" if low == high else f"{_fmt(low)}–{_fmt(high)}%"
    reason = (
        f"observed {_fmt(answer.number)} = {_percent(share, low, high)}% of list {_fmt(answer.list_price)}; "
        f"{outlet_type} band {span} → {'pass' if inside else 'fail'}{side}"
    )
    return _Verdict(Fraction(int(inside)), reason)


def _judge_signage(rule: ItemRule, answer: Answer, outlet_type: str) -> _Verdict:
    required = signage_matches(answer.text, rule.required_terms)
    forbidden = signage_matches(answer.text, rule.forbidden_terms)
    absent = tuple(term for term in rule.required_terms if term not in required)
    faults = []
    if forbidden:
        faults.append(f"{_terms('forbidden', forbidden)} found")
    if absent:
        faults.append(f"{_terms('required', absent)} missing")
    if faults:
        return _Verdict(Fraction(0), "; ".join(faults) + " → fail", required, forbidden)
    good = [f"{_terms('required', required)} found"] if required else []
    if rule.forbidden_terms:
        good.append("no forbidden term")
    return _Verdict(Fraction(1), "; ".join(good or ["no terms to check"]) + " → pass", required, forbidden)


_JUDGES: dict[str, Callable[[ItemRule, Answer, str], _Verdict]] = {
    "yes_no": _judge_yes_no,
    "rating": _judge_rating,
    "number": _judge_number,
    "price": _judge_price,
    "signage_text": _judge_signage,
}
_UNSCORED_REASON = {"text": "free text: not scored", "photo": "photo: not scored"}


@dataclass(frozen=True)
class _Scored:
    """An item's published score plus the exact points behind it (totals add these, not the rounding)."""

    item: ItemScore
    earned: Fraction
    possible: Fraction


def _unscored(rule: ItemRule, outcome: Outcome, reason: str) -> _Scored:
    item = ItemScore(
        code=rule.code,
        section=rule.section,
        dimension=rule.dimension,
        outcome=outcome,
        earned=ZERO,
        possible=ZERO,
        fraction=None,
        reason=reason,
        matched_required=(),
        matched_forbidden=(),
        critical_failed=False,
        repeat=False,
    )
    return _Scored(item, Fraction(0), Fraction(0))


def _outcome(fraction: Fraction) -> Outcome:
    if fraction == 1:
        return Outcome.PASS
    return Outcome.FAIL if fraction == 0 else Outcome.PARTIAL


def _score_item(
    rule: ItemRule, answer: Answer | None, outlet_type: str, previous_failures: frozenset[str]
) -> _Scored:
    """One item through rules 1, 2, 4 and 4a of docs/scoring.md."""
    if outlet_type not in rule.applies_to:
        return _unscored(rule, Outcome.NOT_APPLICABLE, f"does not apply to {outlet_type} outlets")
    if answer is None:
        if rule.answer_type in UNSCORED_TYPES:
            return _unscored(rule, Outcome.UNSCORED, _UNSCORED_REASON[rule.answer_type])
        return _unscored(rule, Outcome.MISSING, "no answer")
    problem = answer_problem(rule, answer)
    if problem is not None:
        return _unscored(rule, Outcome.MISSING, f"answer not usable: {problem}")
    if answer.kind == AnswerKind.NA:
        return _unscored(rule, Outcome.NA, "N/A")
    if answer.kind == AnswerKind.CANNOT_CHECK:
        return _unscored(rule, Outcome.CANNOT_CHECK, "cannot check")
    if rule.answer_type in UNSCORED_TYPES:
        return _unscored(rule, Outcome.UNSCORED, _UNSCORED_REASON[rule.answer_type])
    verdict = _JUDGES[rule.answer_type](rule, answer, outlet_type)
    if verdict.fraction is None:
        return _unscored(rule, Outcome.UNSCORED, verdict.reason)
    return _judged(rule, verdict, verdict.fraction, previous_failures)


def _judged(
    rule: ItemRule, verdict: _Verdict, fraction: Fraction, previous_failures: frozenset[str]
) -> _Scored:
    weight = Fraction(rule.weight)
    outcome = _outcome(fraction)
    failed = outcome in FAILED
    item = ItemScore(
        code=rule.code,
        section=rule.section,
        dimension=rule.dimension,
        outcome=outcome,
        earned=_round(weight * fraction),
        possible=_round(weight),
        fraction=_round(fraction, 4),
        reason=verdict.reason + (" (weight 0: no points)" if weight == 0 else ""),
        matched_required=verdict.matched_required,
        matched_forbidden=verdict.matched_forbidden,
        critical_failed=rule.critical and failed,
        repeat=is_repeat(outcome, rule.code, previous_failures),
    )
    return _Scored(item, weight * fraction, weight)


# --- sections, overall, dimensions ------------------------------------------------------------------


def _count(scored: Iterable[_Scored], *outcomes: Outcome) -> int:
    return sum(1 for entry in scored if entry.item.outcome in outcomes)


def _ratio(earned: Fraction, possible: Fraction, scale: int) -> Fraction | None:
    return None if possible == 0 else scale * earned / possible


def _section_score(rule: SectionRule, members: Sequence[_Scored]) -> tuple[SectionScore, Fraction | None]:
    earned = sum((entry.earned for entry in members), Fraction(0))
    possible = sum((entry.possible for entry in members), Fraction(0))
    exact = _ratio(earned, possible, 100)
    section = SectionScore(
        code=rule.code,
        earned=_round(earned),
        possible=_round(possible),
        score=_round_or_none(exact),
        weight=rule.weight,
        passed=_count(members, Outcome.PASS),
        failed=_count(members, *FAILED),
        na=_count(members, Outcome.NA),
        cannot_check=_count(members, Outcome.CANNOT_CHECK),
        missing=_count(members, Outcome.MISSING),
    )
    return section, exact


def _overall(weighted: Sequence[tuple[Fraction | None, Decimal]]) -> Fraction | None:
    """Section scores combined by section weight; sections without a score or weight drop out."""
    used = [(score, Fraction(weight)) for score, weight in weighted if score is not None and weight > 0]
    total = sum((weight for _, weight in used), Fraction(0))
    if total == 0:
        return None
    return sum((score * weight for score, weight in used), Fraction(0)) / total


@dataclass(frozen=True)
class _Delta:
    rule: DimensionRule
    earned: Fraction
    possible: Fraction
    experience: Fraction | None

    @property
    def weighted(self) -> Fraction | None:
        if self.experience is None:
            return None
        return Fraction(self.rule.importance) * (self.experience - Fraction(self.rule.expectation))


def _key_experiences(deltas: Sequence[_Delta]) -> tuple[str, ...]:
    """Dimensions losing satisfaction, the heaviest loss (importance × shortfall) first, then by code."""
    losing = [delta for delta in deltas if delta.weighted is not None and delta.weighted < 0]
    losing.sort(key=lambda delta: (delta.weighted, delta.rule.code))
    return tuple(delta.rule.code for delta in losing)


def _dimension_score(delta: _Delta, keys: Sequence[str]) -> DimensionScore:
    rule, experience = delta.rule, delta.experience
    satisfaction = None if experience is None else experience - Fraction(rule.expectation)
    gap = None if experience is None else experience - Fraction(rule.ideal)
    return DimensionScore(
        code=rule.code,
        earned=_round(delta.earned),
        possible=_round(delta.possible),
        experience=_round_or_none(experience),
        satisfaction=_round_or_none(satisfaction),
        weighted_satisfaction=_round_or_none(delta.weighted),
        ideal_gap=_round_or_none(gap),
        importance=rule.importance,
        expectation=rule.expectation,
        ideal=rule.ideal,
        key_rank=keys.index(rule.code) + 1 if rule.code in keys else None,
    )


def _dimension_scores(
    dimensions: Sequence[DimensionRule], scored: Sequence[_Scored]
) -> tuple[tuple[DimensionScore, ...], tuple[str, ...]]:
    deltas = []
    for rule in dimensions:
        members = [entry for entry in scored if entry.item.dimension == rule.code]
        earned = sum((entry.earned for entry in members), Fraction(0))
        possible = sum((entry.possible for entry in members), Fraction(0))
        deltas.append(_Delta(rule, earned, possible, _ratio(earned, possible, 10)))
    keys = _key_experiences(deltas)
    return tuple(_dimension_score(delta, keys) for delta in deltas), keys


def _check_framework(
    items: Sequence[ItemRule], sections: Sequence[SectionRule], dimensions: Sequence[DimensionRule]
) -> None:
    """Reject a framework the database constraints would never allow: it is a bug, not an audit fact."""
    section_codes = [section.code for section in sections]
    for label, codes in (
        ("item", [item.code for item in items]),
        ("section", section_codes),
        ("dimension", [dimension.code for dimension in dimensions]),
    ):
        if len(set(codes)) != len(codes):
            raise ValueError(f"duplicate {label} codes")
    known = set(section_codes)
    for section in sections:
        if section.weight < 0:
            raise ValueError(f"section {section.code} has a negative weight")
    for item in items:
        if item.section not in known:
            raise ValueError(f"item {item.code} is in unknown section {item.section!r}")
        if item.answer_type not in ANSWER_TYPES:
            raise ValueError(f"item {item.code} has unknown answer type {item.answer_type!r}")
        if item.weight < 0 or any(target < 0 for target in item.targets.values()):
            raise ValueError(f"item {item.code} has a negative weight or target")
        if any(not 0 <= low <= high for low, high in item.price_bands.values()):
            raise ValueError(f"item {item.code} has a price band that is not 0 <= min <= max")


def score_audit(
    *,
    outlet_type: str,
    items: Sequence[ItemRule],
    answers: Mapping[str, Answer],
    sections: Sequence[SectionRule],
    dimensions: Sequence[DimensionRule] = (),
    policy: Policy = DEFAULT_POLICY,
    previous_failures: frozenset[str] = frozenset(),
) -> AuditScore:
    """Score one audit at an outlet of ``outlet_type`` (every rule is spelled out in docs/scoring.md).

    Answers that are missing or unusable make their item MISSING (out of every total) rather than
    an error, so a draft can be previewed; `missing_answers` is the gate before submission.
    Raises ValueError only for a framework that breaks its own constraints (unknown section,
    duplicate codes, negative weights), which would be a bug upstream.
    """
    _check_framework(items, sections, dimensions)
    scored = [_score_item(rule, answers.get(rule.code), outlet_type, previous_failures) for rule in items]
    by_section: dict[str, list[_Scored]] = {section.code: [] for section in sections}
    for entry in scored:
        by_section[entry.item.section].append(entry)
    section_results = [_section_score(rule, by_section[rule.code]) for rule in sections]
    raw = _overall([(exact, rule.weight) for (_, exact), rule in zip(section_results, sections, strict=True)])
    critical_failure = any(entry.item.critical_failed for entry in scored)
    final = raw
    if critical_failure and raw is not None:
        final = min(raw, Fraction(policy.critical_cap))
    score = _round_or_none(final)
    dimension_scores, keys = _dimension_scores(dimensions, scored)
    return AuditScore(
        raw_score=_round_or_none(raw),
        score=score,
        critical_failure=critical_failure,
        band="" if score is None else band_for(score, policy.bands),
        items=tuple(entry.item for entry in scored),
        sections=tuple(section for section, _ in section_results),
        dimensions=dimension_scores,
        key_experiences=keys,
        na_count=_count(scored, Outcome.NA),
        cannot_check_count=_count(scored, Outcome.CANNOT_CHECK),
        repeat_count=sum(1 for entry in scored if entry.item.repeat),
        missing_count=_count(scored, Outcome.MISSING),
    )


# --- rounding and display ---------------------------------------------------------------------------


def _round(value: Fraction, places: int = 2) -> Decimal:
    """Exact half-up rounding (ties away from zero, like ROUND_HALF_UP) of a fraction to ``places``."""
    numerator, denominator = value.numerator, value.denominator
    units = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    return Decimal(-units if numerator < 0 else units).scaleb(-places)


def _round_or_none(value: Fraction | None) -> Decimal | None:
    return None if value is None else _round(value)


def _fmt(value: Decimal | Fraction | int | None) -> str:
    """A number as people write it: 10 not 10.00 or 1E+1, 7.5 not 7.50."""
    if isinstance(value, Fraction):
        value = _round(value, 4)
    return f"{Decimal(value).normalize():f}"


def _fmt2(fraction: Fraction) -> str:
    return f"{_round(fraction)}"


def _percent(share: Fraction, low: Decimal, high: Decimal) -> str:
    """``share`` to 1 decimal, or more when rounding would hide which side of the band it is on."""
    inside = low <= share <= high
    for places in range(1, 6):
        shown = _round(share, places)
        if (low <= shown <= high) == inside:
            return f"{shown}"
    return f"{_round(share, 6)}"


def _terms(label: str, terms: Sequence[str]) -> str:
    quoted = ", ".join(f"'{term}'" for term in terms)
    return f"{label} term{'s' if len(terms) > 1 else ''} {quoted}"
