"""Whether an answer can be scored, and what still stops an audit from being submitted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from cx_audit.audits.scoring.terms import _KINDS, ANSWER_TYPES, Answer, AnswerKind, ItemRule

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
