"""tests/vectors/scoring.json against the server's engine: the same file runs against the tablet's
score.js (tests/js/score.test.mjs), so a rule that drifts on either side fails a test.

The vectors give items and answers the way the tablet holds them (the bootstrap's shape, decimals
as strings); `item_rule`, `answer` and `policy` below turn them into the engine's dataclasses.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cx_audit.audits import scoring

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "scoring.json").read_text(encoding="utf-8"))


def cases(section: str) -> Any:
    return pytest.mark.parametrize("case", VECTORS[section], ids=[case["name"] for case in VECTORS[section]])


def decimal(value: str | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def item_rule(given: dict[str, Any]) -> scoring.ItemRule:
    item = {**VECTORS["item_defaults"], **given}
    return scoring.ItemRule(
        code=item["code"],
        section=item["section"],
        answer_type=item["answer_type"],
        weight=Decimal(item["weight"]),
        critical=item["critical"],
        applies_to=frozenset(item["applies_to"]),
        targets={kind: Decimal(target) for kind, target in item["targets"].items()},
        pass_fail=item["pass_fail"],
        price_bands={
            kind: (Decimal(low), Decimal(high)) for kind, (low, high) in item["price_bands"].items()
        },
        required_terms=tuple(item["required_terms"]),
        forbidden_terms=tuple(item["forbidden_terms"]),
        na_allowed=item["na_allowed"],
        cannot_check_allowed=item["cannot_check_allowed"],
        photo_required=item["photo_required"],
    )


def answer(given: dict[str, Any] | None) -> scoring.Answer | None:
    if given is None:
        return None
    value = {**VECTORS["answer_defaults"], **given}
    return scoring.Answer(
        kind=scoring.AnswerKind(value["kind"]),
        yes=value["yes"],
        number=decimal(value["number"]),
        list_price=decimal(value["list_price"]),
        text=value["text"],
        photos=value["photos"],
    )


def policy(given: dict[str, Any]) -> scoring.Policy:
    """The brand policy as the bootstrap carries it: {critical_cap, bands: [{name, min_score}]}."""
    bands = tuple(scoring.Band(band["name"], Decimal(str(band["min_score"]))) for band in given["bands"])
    return scoring.Policy(critical_cap=Decimal(given["critical_cap"]), bands=bands)


def text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class NormaliseVectorTests:
    @cases("normalise")
    def test_normalise(self, case):
        assert scoring.normalise(case["text"]) == case["expected"]

    def test_the_case_folding_vector_lists_every_code_point_it_must(self):
        """Every assigned code point that folds otherwise than it lower-cases is in the vectors, so
        the tablet is checked on all of them, not on a sample (Python's Unicode version decides)."""

        def by_lower(value: str) -> str:
            return " ".join(
                unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).lower()).split()
            )

        (vector,) = [
            case for case in VECTORS["normalise"] if case.get("covers") == "casefold-differs-from-lowercase"
        ]
        listed = set(vector["text"].split(" "))
        differing = {
            chr(point)
            for point in range(0x110000)
            if not 0xD800 <= point <= 0xDFFF
            and unicodedata.category(chr(point)) != "Cn"
            and scoring.normalise(chr(point)) not in (by_lower(chr(point)), "")  # "": removed, invisible
        }
        # A newer Unicode can add some: append them to the vector's text, and its expected value
        # becomes scoring.normalise of the new text.
        assert differing <= listed, sorted(f"U+{ord(char):04X}" for char in differing - listed)


class SkeletonVectorTests:
    @cases("skeleton")
    def test_skeleton(self, case):
        assert scoring.skeleton(case["text"]) == case["expected"]


class MatchVectorTests:
    @cases("match")
    def test_signage_matches(self, case):
        assert list(scoring.signage_matches(case["text"], case["terms"])) == case["expected"]


class ItemVectorTests:
    @cases("items")
    def test_item(self, case):
        rule = item_rule(case["item"])
        given = answer(case["answer"])
        result = scoring.score_audit(
            outlet_type=case["outlet"],
            items=[rule],
            answers={} if given is None else {rule.code: given},
            sections=[scoring.SectionRule(rule.section)],
        )
        (item,) = result.items
        expected = case["expected"]
        assert (str(item.outcome), text(item.fraction)) == (expected["outcome"], expected["fraction"])
        if "matched_required" in expected:
            assert list(item.matched_required) == expected["matched_required"]
            assert list(item.matched_forbidden) == expected["matched_forbidden"]


class AuditVectorTests:
    @cases("audits")
    def test_audit(self, case):
        items = [item_rule(item) for item in case["items"]]
        answers = {code: answer(given) for code, given in case["answers"].items()}
        result = scoring.score_audit(
            outlet_type=case["outlet"],
            items=items,
            answers=answers,
            sections=[scoring.SectionRule(s["code"], Decimal(s["weight"])) for s in case["sections"]],
            policy=policy(case["policy"]),
        )
        got = {
            "raw": text(result.raw_score),
            "score": text(result.score),
            "critical_failure": result.critical_failure,
            "band": result.band,
            "sections": {section.code: text(section.score) for section in result.sections},
            "missing": [
                list(entry)
                for entry in scoring.missing_answers(outlet_type=case["outlet"], items=items, answers=answers)
            ],
        }
        assert got == case["expected"]
