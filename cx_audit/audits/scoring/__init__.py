"""The audit scoring rules of DESIGN §3 as pure functions: rules and answers in, scores out.

Nothing here imports Django, on purpose: the services call `score_audit` once at submission and
store what it returns, the recompute command calls the same function, the tests run it without a
database, and docs/scoring.md — which HQ and franchisees read — has its worked example checked
against this package row by row (tests/cx_audit/test_scoring_doc.py).

All arithmetic is exact (`fractions.Fraction`, built from the `Decimal` inputs without loss);
only the outputs are rounded, to 2 decimals, half up. So the order of items, or scaling every
weight by the same factor, can never move a score by a cent, and 1/3 + 1/3 + 1/3 is exactly 1.
"""

from __future__ import annotations

from cx_audit.audits.scoring.answers import answer_issue, answer_problem, missing_answers
from cx_audit.audits.scoring.engine import score_audit
from cx_audit.audits.scoring.signage import normalise, signage_matches, skeleton
from cx_audit.audits.scoring.terms import (
    ANSWER_TYPES,
    DEFAULT_POLICY,
    FAILED,
    OUTLET_TYPES,
    SCORED_TYPES,
    UNSCORED_TYPES,
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
from cx_audit.core.bands import DEFAULT_BANDS, Band, band_for, band_problems

__all__ = [
    "ANSWER_TYPES",
    "DEFAULT_BANDS",
    "DEFAULT_POLICY",
    "FAILED",
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
    "is_repeat",
    "missing_answers",
    "normalise",
    "score_audit",
    "signage_matches",
    "skeleton",
]
