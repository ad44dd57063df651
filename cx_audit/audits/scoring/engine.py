"""Scoring one audit: each item judged, sections and the overall score weighed, and the Delta
model per dimension (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cx_audit.audits.scoring.answers import answer_problem
from cx_audit.audits.scoring.numbers import _fmt, _fmt2, _percent, _round, _round_or_none, _terms
from cx_audit.audits.scoring.signage import signage_matches
from cx_audit.audits.scoring.terms import (
    ANSWER_TYPES,
    DEFAULT_POLICY,
    FAILED,
    UNSCORED_TYPES,
    ZERO,
    Answer,
    AnswerKind,
    AuditScore,
    DimensionRule,
    DimensionScore,
    ItemRule,
    ItemScore,
    Outcome,
    Policy,
    SectionRule,
    SectionScore,
    is_repeat,
)
from cx_audit.core.bands import band_for

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
