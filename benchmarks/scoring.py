"""``make bench``: scoring one 150-item audit with `cx_audit.audits.scoring.score_audit`, no database.

Scoring runs on every submission (and for every audit in a recompute), so it should cost
milliseconds. The framework mixes every answer type the way a real checklist does — mostly
yes/no and ratings, some targets, prices and signage wording with CJK and Latin terms — in 6
sections and 6 dimensions, answered at an authorized outlet with a critical failure and a few
N/A and cannot-check answers so that every branch of the rules is exercised.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal

from cx_audit.audits.scoring import (
    Answer,
    AnswerKind,
    AuditScore,
    DimensionRule,
    ItemRule,
    SectionRule,
    score_audit,
)

ITEMS = 150
RUNS = 200
SECTIONS = ("signage", "display", "staffing", "pricing", "service", "after-sales")
DIMENSIONS = ("product", "service", "relationship", "price", "convenience", "brand_image")
RESERVED = ("Store", "Retail", "Experience Store", "Flagship", "Exclusive", "体验店", "旗舰店", "专卖店")
# Answer type for item n, cycled: 20 of every 30 items are yes/no or ratings, as in the demo framework.
KINDS = ("yes_no",) * 12 + ("rating",) * 8 + ("number",) * 3 + ("price",) * 2 + ("signage_text",) * 3
KINDS += ("text", "photo")


def item(n: int) -> ItemRule:
    kind = KINDS[n % len(KINDS)]
    rule = ItemRule(
        code=f"I-{n:03d}",
        section=SECTIONS[n % len(SECTIONS)],
        answer_type=kind,
        weight=Decimal(1 + n % 3),
        critical=n % 25 == 0,
        dimension=DIMENSIONS[n % len(DIMENSIONS)],
        na_allowed=n % 10 == 0,
    )
    if kind == "number":
        return _with(rule, targets={"direct": Decimal(24), "authorized": Decimal(8)}, pass_fail=n % 2 == 0)
    if kind == "price":
        bands = {"direct": (Decimal(100), Decimal(100)), "authorized": (Decimal(90), Decimal(100))}
        return _with(rule, price_bands=bands)
    if kind == "signage_text":
        return _with(rule, required_terms=("授权经销商", "Authorized Dealer"), forbidden_terms=RESERVED)
    return rule


def _with(rule: ItemRule, **changes: object) -> ItemRule:
    from dataclasses import replace

    return replace(rule, **changes)


def answer(rule: ItemRule, n: int) -> Answer:
    if n % 10 == 0:
        return Answer(kind=AnswerKind.NA)
    if n % 17 == 0:
        return Answer(kind=AnswerKind.CANNOT_CHECK)
    values: dict[str, Answer] = {
        "yes_no": Answer(yes=n % 4 != 1),
        "rating": Answer(number=Decimal(1 + n % 5)),
        "number": Answer(number=Decimal(n % 11)),
        "price": Answer(number=Decimal(5299 + 100 * (n % 5)), list_price=Decimal(5599)),
        "signage_text": Answer(text="极光数码 授权经销商 Aurora Authorized Dealer" + (" 体验店" * (n % 2))),
        "text": Answer(text="staff greeted us within 10 seconds"),
        "photo": Answer(photos=2),
    }
    return values[rule.answer_type]


def framework() -> tuple[list[ItemRule], dict[str, Answer], list[SectionRule], list[DimensionRule]]:
    items = [item(n) for n in range(ITEMS)]
    answers = {rule.code: answer(rule, n) for n, rule in enumerate(items)}
    sections = [SectionRule(code, Decimal(10 + 5 * (n % 3))) for n, code in enumerate(SECTIONS)]
    dimensions = [
        DimensionRule(code, importance=Decimal(5 + n), expectation=Decimal(7), ideal=Decimal(9))
        for n, code in enumerate(DIMENSIONS)
    ]
    return items, answers, sections, dimensions


def run(runs: int = RUNS) -> tuple[float, AuditScore]:
    """Median milliseconds to score the audit, and the last result (checked by the caller)."""
    items, answers, sections, dimensions = framework()
    times: list[float] = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = score_audit(
            outlet_type="authorized",
            items=items,
            answers=answers,
            sections=sections,
            dimensions=dimensions,
            previous_failures=frozenset(rule.code for rule in items[::7]),
        )
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times) * 1000, result


def main(indent: str = "") -> float:
    """Print and return the median time in milliseconds."""
    milliseconds, result = run()
    assert len(result.items) == ITEMS
    assert result.critical_failure
    print(f"{indent}scoring {ITEMS} items: {milliseconds:.2f} ms (median of {RUNS})")
    print(
        f"{indent}  score {result.score} (raw {result.raw_score}, {result.band}), "
        f"{result.na_count} N/A, {result.cannot_check_count} cannot check, {result.repeat_count} repeats, "
        f"key experiences {', '.join(result.key_experiences) or 'none'}"
    )
    return milliseconds


if __name__ == "__main__":
    main()
    sys.exit(0)
