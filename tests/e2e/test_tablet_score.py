"""The tablet's provisional score (cx_audit/static/cx_audit/tablet/score.js) follows the rules of
docs/scoring.md exactly as the server's engine (cx_audit/audits/scoring/) does.

Run in Chromium, the browser the tablet uses: every row of the answer-types table of
docs/scoring.md, then a few hundred random audits scored by both and compared figure by figure.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page

from cx_audit.audits.policy import policy_for
from cx_audit.audits.scoring import DEFAULT_POLICY, Answer, AnswerKind, ItemRule, SectionRule, score_audit
from cx_audit.tablet.api import brand_data
from locations.models import Brand
from tests.cx_audit.test_scoring_doc import item_rule, parse_answer, rows
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]

SCORE_JS = "/static/cx_audit/tablet/score.js"
# The server's default policy as the bootstrap would carry it: the tablet keeps no copy of its own.
DEFAULT_POLICY_JSON = {
    "critical_cap": str(DEFAULT_POLICY.critical_cap),
    "bands": [{"name": band.name, "min_score": str(band.min_score)} for band in DEFAULT_POLICY.bands],
}
OUTLETS = ("direct", "authorized")
TERMS = ["Store", "Authorized Dealer", "Flagship", "体验店", "专卖店", "Aurora"]
SIGNS = [
    "Aurora Authorized Dealer",
    "Aurora Experience Store",
    "ＡＵＲＯＲＡ ＳＴＯＲＥ",
    "Aurora 体验店 Authorized Dealer",
    "Storefront of Aurora",
    "aurora authorized dealer flagship",
    "",
]


@pytest.fixture
def score_page(browser: Any, live_server: Any) -> Page:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")  # any page of the site: the module's origin
    yield page
    context.close()


def js_item(rule: ItemRule) -> dict[str, Any]:
    """An item as the bootstrap API gives it to the tablet (decimals as strings)."""
    return {
        "code": rule.code,
        "section": rule.section,
        "answer_type": rule.answer_type,
        "weight": str(rule.weight),
        "critical": rule.critical,
        "applies_to": sorted(rule.applies_to),
        "targets": {k: str(v) for k, v in rule.targets.items()},
        "pass_fail": rule.pass_fail,
        "price_bands": {k: [str(low), str(high)] for k, (low, high) in rule.price_bands.items()},
        "required_terms": list(rule.required_terms),
        "forbidden_terms": list(rule.forbidden_terms),
        "na_allowed": rule.na_allowed,
        "cannot_check_allowed": rule.cannot_check_allowed,
        "photo_required": rule.photo_required,
    }


def js_answer(answer: Answer) -> dict[str, Any]:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "kind": str(answer.kind),
        "yes": answer.yes,
        "number": text(answer.number),
        "list_price": text(answer.list_price),
        "text": answer.text,
    }


def test_every_answer_type_row_of_the_scoring_page(score_page: Page) -> None:
    cases, expected = [], []
    for row in rows("answer types"):
        rule = item_rule(row)
        answer = parse_answer(row["answer"])
        cases.append(
            {
                "item": js_item(rule),
                "answer": None if answer is None else js_answer(answer),
                "outlet": row["outlet"],
            }
        )
        expected.append(None if row["fraction"] == "—" else float(row["fraction"]))
    got = score_page.evaluate(
        """async ([url, cases]) => {
          const { itemFraction } = await import(url);
          return cases.map((c) => itemFraction(c.item, c.answer, c.outlet));
        }""",
        [SCORE_JS, cases],
    )
    assert len(got) == len(expected) > 20
    for case, fraction, want in zip(cases, got, expected, strict=True):
        assert (fraction is None) == (want is None), case
        if want is not None:
            assert round(fraction, 4) == pytest.approx(want, abs=1e-4), case


def random_audit(rng: random.Random) -> tuple[list[SectionRule], list[ItemRule], dict[str, Answer], str]:
    sections = [
        SectionRule(f"s{n}", Decimal(rng.choice(["0", "1", "1", "2", "0.5"])))
        for n in range(rng.randint(1, 3))
    ]
    items, answers = [], {}
    for n in range(rng.randint(1, 10)):
        kind = rng.choice(["yes_no", "rating", "number", "price", "signage_text", "text", "photo"])
        applies = frozenset(rng.sample(OUTLETS, rng.randint(1, 2)))
        rule = ItemRule(
            code=f"I{n}",
            section=rng.choice(sections).code,
            answer_type=kind,
            weight=Decimal(rng.choice(["1", "1", "2", "0.5", "0"])),
            critical=rng.random() < 0.2,
            applies_to=applies,
            targets={
                o: Decimal(rng.choice(["0", "3", "4", "12", "24"])) for o in OUTLETS if rng.random() < 0.8
            },
            pass_fail=rng.random() < 0.3,
            price_bands={
                o: rng.choice([(Decimal(90), Decimal(100)), (Decimal(100), Decimal(100))]) for o in OUTLETS
            },
            required_terms=tuple(rng.sample(TERMS, rng.randint(0, 2))),
            forbidden_terms=tuple(rng.sample(TERMS, rng.randint(0, 2))),
            na_allowed=rng.random() < 0.5,
        )
        items.append(rule)
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            answers[rule.code] = Answer(kind=rng.choice([AnswerKind.NA, AnswerKind.CANNOT_CHECK]))
            continue
        answers[rule.code] = Answer(
            yes=rng.choice([True, False, None]) if rng.random() < 0.9 else None,
            number=Decimal(
                rng.choice(["1", "2", "3", "4", "5", "7", "0", "12", "900", "5299", "5599", "8996", "6"])
            ),
            list_price=Decimal(rng.choice(["1000", "5599", "10000", "900"])),
            text=rng.choice(SIGNS),
        )
    return sections, items, answers, rng.choice(OUTLETS)


def test_random_audits_score_alike_on_the_tablet_and_the_server(score_page: Page) -> None:
    rng = random.Random(20261122)
    cases, expected = [], []
    for _ in range(300):
        sections, items, answers, outlet = random_audit(rng)
        result = score_audit(outlet_type=outlet, items=items, answers=answers, sections=sections)
        cases.append(
            {
                "framework": {
                    "sections": [{"code": s.code, "weight": str(s.weight)} for s in sections],
                    "items": [js_item(rule) for rule in items],
                },
                "outletType": outlet,
                "answers": {code: js_answer(a) for code, a in answers.items()},
                "policy": DEFAULT_POLICY_JSON,
            }
        )
        expected.append(
            {
                "raw": None if result.raw_score is None else float(result.raw_score),
                "score": None if result.score is None else float(result.score),
                "critical": result.critical_failure,
                "band": result.band,
                "sections": {s.code: None if s.score is None else float(s.score) for s in result.sections},
            }
        )
    got = score_page.evaluate(
        """async ([url, cases]) => {
          const { scoreAudit } = await import(url);
          return cases.map((c) => {
            const r = scoreAudit(c);
            const sections = Object.fromEntries(Object.entries(r.sections).map(([k, s]) => [k, s.score]));
            return { raw: r.raw, score: r.score, critical: r.criticalFailed, band: r.band, sections };
          });
        }""",
        [SCORE_JS, cases],
    )
    for case, mine, server in zip(cases, got, expected, strict=True):
        assert mine["critical"] == server["critical"], case
        for key in ("raw", "score"):
            assert (mine[key] is None) == (server[key] is None), case
            if server[key] is not None:
                assert mine[key] == pytest.approx(server[key], abs=0.011), case
        assert mine["band"].lower() == server["band"].lower(), case
        for code, score in server["sections"].items():
            if score is None:
                assert mine["sections"][code] is None, case
            else:
                assert round(mine["sections"][code], 2) == pytest.approx(score, abs=0.011), case


def test_the_brands_policy_from_the_bootstrap_caps_and_bands_the_provisional_score(score_page: Page) -> None:
    """The bootstrap carries each brand's critical cap and bands; the tablet scores with them."""
    brand = Brand(
        name="Strict",
        critical_cap=Decimal("40.00"),
        score_bands=[
            {"name": "Gold", "min_score": 85},
            {"name": "Silver", "min_score": 40},
            {"name": "Bronze", "min_score": 0},
        ],
    )
    policy = brand_data(brand)["policy"]
    assert policy == {"critical_cap": "40.00", "bands": brand.score_bands}
    sections = [SectionRule("s1", Decimal(1))]
    rules = [
        ItemRule(code="CRIT", section="s1", answer_type="yes_no", weight=Decimal(1), critical=True),
        ItemRule(code="MORE", section="s1", answer_type="yes_no", weight=Decimal(4)),
    ]
    audits = {
        "critical failed": {"CRIT": Answer(yes=False), "MORE": Answer(yes=True)},  # raw 80, capped
        "all passed": {"CRIT": Answer(yes=True), "MORE": Answer(yes=True)},
        "no critical failure": {"CRIT": Answer(yes=True), "MORE": Answer(yes=False)},  # 20
    }
    framework = {
        "sections": [{"code": s.code, "weight": str(s.weight)} for s in sections],
        "items": [js_item(rule) for rule in rules],
    }
    got = score_page.evaluate(
        """async ([url, framework, audits, policy]) => {
          const { scoreAudit } = await import(url);
          const out = {};
          for (const [name, answers] of Object.entries(audits)) {
            for (const [key, given] of [["brand", policy], ["default", {}]]) {
              const r = scoreAudit({ framework, outletType: "direct", answers, policy: given });
              out[`${name} / ${key}`] = [r.raw, r.score, r.criticalFailed, r.band];
            }
          }
          return out;
        }""",
        [
            SCORE_JS,
            framework,
            {name: {code: js_answer(a) for code, a in answers.items()} for name, answers in audits.items()},
            policy,
        ],
    )
    assert got == {
        "critical failed / brand": [80, 40, True, "Silver"],
        "critical failed / default": [80, 50, True, ""],
        "all passed / brand": [100, 100, False, "Gold"],
        "all passed / default": [100, 100, False, ""],
        "no critical failure / brand": [20, 20, False, "Bronze"],
        "no critical failure / default": [20, 20, False, ""],
    }
    # …exactly as the server scores them under the brand's policy.
    for name, answers in audits.items():
        server = score_audit(
            outlet_type="direct", items=rules, answers=answers, sections=sections, policy=policy_for(brand)
        )
        assert [float(server.raw_score), float(server.score), server.critical_failure, server.band] == got[
            f"{name} / brand"
        ]
