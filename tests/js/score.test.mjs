// tests/vectors/scoring.json against the tablet's score.js: the same file runs against the server's
// engine (tests/cx_audit/test_scoring_vectors.py), so a rule that drifts on either side fails a test.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { FOLDING } from "../../cx_audit/static/cx_audit/tablet/confusables.js";
import * as F from "../../cx_audit/static/cx_audit/tablet/fraction.js";
import {
  answerIssue,
  bandFor,
  hasTerm,
  itemFraction,
  matchedTerms,
  normalise,
  parseDecimal,
  scoreAudit,
  scoreItem,
  skeleton,
} from "../../cx_audit/static/cx_audit/tablet/score.js";
import { VECTORS } from "./vectors.mjs";

/* Items and answers as the tablet holds them: the vectors' defaults completed with each case. */
const itemOf = (given) => ({ ...VECTORS.item_defaults, ...given });
const answerOf = (given) => (given === null ? null : { ...VECTORS.answer_defaults, ...given });
const fixed = (value, places) => (value === null ? null : F.toFixed(value, places));

describe("normalise", () => {
  for (const vector of VECTORS.normalise) {
    test(vector.name, () => assert.equal(normalise(vector.text), vector.expected));
  }
});

describe("skeleton", () => {
  for (const vector of VECTORS.skeleton) {
    test(vector.name, () => assert.equal(skeleton(vector.text), vector.expected));
  }
});

describe("the folding table", () => {
  test("the tablet's confusables.js is the server's confusables.json", () => {
    const url = new URL("../../cx_audit/audits/scoring/confusables.json", import.meta.url);
    assert.deepEqual(FOLDING, JSON.parse(readFileSync(url, "utf8")));
  });
});

describe("signage terms", () => {
  for (const vector of VECTORS.match) {
    test(vector.name, () => {
      assert.deepEqual(matchedTerms(vector.text, vector.terms), vector.expected);
      // hasTerm says the same, term by term.
      assert.deepEqual(
        vector.terms.filter((term, at) => vector.terms.indexOf(term) === at && hasTerm(vector.text, term)),
        vector.expected,
      );
    });
  }
});

describe("one item", () => {
  for (const vector of VECTORS.items) {
    test(vector.name, () => {
      const item = itemOf(vector.item);
      const result = scoreItem(item, answerOf(vector.answer), vector.outlet);
      const expected = vector.expected;
      assert.deepEqual([result.outcome, fixed(result.fraction, 4)], [expected.outcome, expected.fraction]);
      if ("matched_required" in expected) {
        assert.deepEqual(result.matchedRequired, expected.matched_required);
        assert.deepEqual(result.matchedForbidden, expected.matched_forbidden);
      }
      const number = itemFraction(item, answerOf(vector.answer), vector.outlet);
      assert.equal(number === null ? null : number.toFixed(4), expected.fraction);
    });
  }
});

describe("the whole audit", () => {
  for (const vector of VECTORS.audits) {
    test(vector.name, () => {
      const answers = {};
      const photoCounts = {};
      for (const [code, given] of Object.entries(vector.answers)) {
        answers[code] = answerOf(given);
        photoCounts[code] = answers[code].photos;
      }
      const result = scoreAudit({
        framework: { sections: vector.sections, items: vector.items.map(itemOf) },
        outletType: vector.outlet,
        answers,
        photoCounts,
        policy: vector.policy,
      });
      const text = (n) => (n === null ? null : n.toFixed(2));
      assert.deepEqual(
        {
          raw: text(result.raw),
          score: text(result.score),
          critical_failure: result.criticalFailed,
          band: result.band,
          sections: Object.fromEntries(Object.entries(result.sections).map(([code, s]) => [code, text(s.score)])),
          missing: result.missing.map(({ item, reason }) => [item, reason]),
        },
        vector.expected,
      );
    });
  }
});

describe("the brand's policy", () => {
  const framework = {
    sections: [{ code: "s", weight: "1" }],
    items: [itemOf({ code: "CRIT", answer_type: "yes_no", critical: true }), itemOf({ code: "MORE", answer_type: "yes_no", weight: "4" })],
  };
  const answers = { CRIT: answerOf({ yes: false }), MORE: answerOf({ yes: true }) };

  test("without the brand's bands there is no band: the tablet keeps no copy of anyone's", () => {
    const result = scoreAudit({ framework, outletType: "direct", answers, policy: {} });
    assert.deepEqual([result.raw, result.score, result.criticalFailed, result.band], [80, 50, true, ""]);
  });

  test("bands given in any order, with min_score as number or string", () => {
    const bands = [{ name: "Low", min_score: "0" }, { name: "High", min_score: 49.99 }];
    assert.equal(bandFor(50, bands), "High");
    assert.equal(bandFor(49.98, bands), "Low");
    assert.equal(bandFor(-1, bands), "");
  });
});

describe("fractions", () => {
  test("decimals are read exactly and rounded half up", () => {
    assert.equal(F.toFixed(F.div(F.fromDecimal("2589"), F.fromDecimal("40"))), "64.73");
    assert.equal(F.toFixed(F.fromDecimal("-0.005")), "-0.01");
    assert.equal(F.toFixed(F.fromDecimal("-0.004")), "0.00");
    assert.equal(F.toFixed(F.fraction(1n, 3n), 4), "0.3333");
    assert.equal(F.fromDecimal(" 7 ").n, 7n);
    assert.equal(F.fromDecimal(12.5).d, 2n);
    for (const bad of ["", "1e3", ".5", "5.", "1,5", "abc", null, undefined, true]) assert.equal(F.fromDecimal(bad), null);
  });
});

describe("what the tablet accepts before the API sees it", () => {
  const number = itemOf({ answer_type: "number", targets: { direct: "12" } });
  const price = itemOf({ answer_type: "price", price_bands: { direct: ["90", "100"] } });

  test("a decimal comma is refused, as the API refuses it, instead of failing the sync later", () => {
    assert.equal(answerIssue(number, answerOf({ number: "5,599" })), "give a number");
    assert.equal(answerIssue(price, answerOf({ number: "5,299", list_price: "5599" })), "give the observed price and the list price");
    assert.equal(parseDecimal("5,599"), null);
  });

  test("more than 2 decimals is refused: the API keeps 2", () => {
    assert.equal(answerIssue(number, answerOf({ number: "1.255" })), "at most 2 decimals");
    assert.equal(answerIssue(price, answerOf({ number: "1.255", list_price: "2" })), "at most 2 decimals");
    assert.equal(answerIssue(number, answerOf({ number: "1.25" })), null);
  });

  test("an answer kind the API does not know is refused", () => {
    assert.equal(answerIssue(number, answerOf({ kind: "maybe" })), "unknown answer kind 'maybe'");
  });
});
