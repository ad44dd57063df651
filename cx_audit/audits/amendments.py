"""HQ's ruling on a disputed item, in the scoring engine's own terms (pure: no Django).

An accepted dispute never edits what the auditor recorded. The ruling stands in for the item when
the audit is scored again by the unchanged engine (`cx_audit.audits.scoring.score_audit`):

- **pass** — the item becomes a number standard of target 1 answered 1: full points;
- **partial** — the same, answered with the share HQ grants (0 < share < 1): that share of the points;
- **struck out** — an N/A answer: out of both the points earned and the points possible.

Everything else follows from the engine as for any answer: section scores, the overall score, the
critical cap (a passed critical item no longer caps; a partly met one still does), the band, the
repeat flag and the Delta model. Only the item's reason is replaced by HQ's, so the scorecard says
why the figure changed. Each ruling keeps the item's code, section, dimension, weight and critical
flag, so it weighs exactly as the standard does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from cx_audit.audits import scoring

PASS, PARTIAL, STRUCK = "pass", "partial", "na"
RULINGS = (PASS, PARTIAL, STRUCK)


@dataclass(frozen=True)
class ItemRuling:
    """What HQ decided for one item: pass, partial (with the share of the points) or struck out."""

    code: str
    ruling: str
    reason: str
    fraction: Decimal | None = None

    def __post_init__(self) -> None:
        if self.ruling not in RULINGS:
            raise ValueError(f"unknown ruling {self.ruling!r}")
        if self.ruling == PARTIAL and (self.fraction is None or not 0 < self.fraction < 1):
            raise ValueError("a partial ruling needs a share of the points between 0 and 1")

    @property
    def share(self) -> Decimal | None:
        """The fraction of the weight earned; None when the item is struck out."""
        return {PASS: Decimal(1), PARTIAL: self.fraction, STRUCK: None}[self.ruling]


def _stand_in(rule: scoring.ItemRule, ruling: ItemRuling, outlet_type: str) -> scoring.ItemRule:
    return replace(
        rule,
        answer_type="number",
        targets={outlet_type: Decimal(1)},
        pass_fail=False,
        price_bands={},
        required_terms=(),
        forbidden_terms=(),
        na_allowed=True,
        cannot_check_allowed=True,
        photo_required=False,
    )


def _stand_in_answer(ruling: ItemRuling) -> scoring.Answer:
    share = ruling.share
    if share is None:
        return scoring.Answer(kind=scoring.AnswerKind.NA)
    return scoring.Answer(number=share)


def ruled_inputs(
    *,
    outlet_type: str,
    items: Sequence[scoring.ItemRule],
    answers: Mapping[str, scoring.Answer],
    rulings: Sequence[ItemRuling],
) -> tuple[tuple[scoring.ItemRule, ...], dict[str, scoring.Answer]]:
    """The items and answers with each ruled item replaced by its stand-in."""
    by_code = {ruling.code: ruling for ruling in rulings}
    ruled_items = tuple(
        _stand_in(rule, by_code[rule.code], outlet_type) if rule.code in by_code else rule for rule in items
    )
    ruled_answers = dict(answers)
    for code, ruling in by_code.items():
        ruled_answers[code] = _stand_in_answer(ruling)
    return ruled_items, ruled_answers


def ruling_reason(ruling: ItemRuling) -> str:
    if ruling.ruling == PASS:
        said = "passed"
    elif ruling.ruling == PARTIAL:
        said = f"partly met, {ruling.fraction:.2f} of the points"
    else:
        said = "struck out, not counted"
    return f"amended by HQ after a dispute: {said} — {ruling.reason}"


def score_with_rulings(
    *,
    outlet_type: str,
    items: Sequence[scoring.ItemRule],
    answers: Mapping[str, scoring.Answer],
    sections: Sequence[scoring.SectionRule],
    dimensions: Sequence[scoring.DimensionRule] = (),
    policy: scoring.Policy = scoring.DEFAULT_POLICY,
    previous_failures: frozenset[str] = frozenset(),
    rulings: Sequence[ItemRuling] = (),
) -> scoring.AuditScore:
    """`score_audit` with HQ's rulings standing in for the ruled items; without rulings, the same."""
    ruled_items, ruled_answers = ruled_inputs(
        outlet_type=outlet_type, items=items, answers=answers, rulings=rulings
    )
    result = scoring.score_audit(
        outlet_type=outlet_type,
        items=ruled_items,
        answers=ruled_answers,
        sections=sections,
        dimensions=dimensions,
        policy=policy,
        previous_failures=previous_failures,
    )
    if not rulings:
        return result
    reasons = {ruling.code: ruling_reason(ruling) for ruling in rulings}
    return replace(
        result,
        items=tuple(
            replace(item, reason=reasons[item.code]) if item.code in reasons else item
            for item in result.items
        ),
    )
