/* The provisional score, computed on the tablet with the rules of docs/scoring.md.
   The server's score (computed once at submission) is the only one that counts; this one lets the
   auditor see where a store stands while still in it, and keeps working with no connection.
   It follows the server's engine (cx_audit.audits.scoring) rule by rule, and the cases of
   tests/vectors/scoring.json hold both to the same results (tests/js/score.test.mjs here,
   tests/cx_audit/test_scoring_vectors.py there).
   All arithmetic is exact (fraction.js); only the results are rounded, half up, as the server does. */

import { FOLDING } from "./confusables.js";
import * as F from "./fraction.js";

// Without the brand's policy (the bootstrap always carries it) the ceiling of docs/scoring.md rule 3.
// There is no fallback for the bands: a band the brand does not use is worse than none.
const DEFAULT_CAP = "50";
const SCORED = new Set(["yes_no", "rating", "number", "price", "signage_text"]);
const KINDS = new Set(["value", "na", "cannot_check"]);
const FAILED = new Set(["fail", "partial"]);

/* A decimal string ("12.50", "7") as a Number, or null when it is not one (fraction.js). */
export function parseDecimal(value) {
  return F.fromDecimal(value) === null ? null : Number(String(value).trim());
}

export function applies(item, outletType) {
  return item.applies_to.includes(outletType);
}

// --- answers ------------------------------------------------------------------------------------

const tooPrecise = (v) => v !== null && v !== undefined && /\.\d{3,}$/.test(String(v).trim());

/* What is wrong with a value for the item's answer type (scoring._value_issue), or null. The
   "at most 2 decimals" checks are the API's (it keeps 2 decimals), not the engine's. */
function valueIssue(item, answer) {
  const type = item.answer_type;
  if (type === "yes_no" && (answer.yes === null || answer.yes === undefined)) return "answer yes or no";
  if (type === "rating") {
    const r = F.fromDecimal(answer.number);
    if (r === null || r.d !== 1n || r.n < 1n || r.n > 5n) return "a rating is a whole number from 1 to 5";
  }
  if (type === "number") {
    const n = F.fromDecimal(answer.number);
    if (n === null) return "give a number";
    if (n.n < 0n) return "a number cannot be negative";
    if (tooPrecise(answer.number)) return "at most 2 decimals";
  }
  if (type === "price") {
    const observed = F.fromDecimal(answer.number);
    const listed = F.fromDecimal(answer.list_price);
    if (observed === null || listed === null) return "give the observed price and the list price";
    if (listed.n <= 0n) return "the list price must be more than 0";
    if (observed.n < 0n) return "the observed price cannot be negative";
    if (tooPrecise(answer.number) || tooPrecise(answer.list_price)) return "at most 2 decimals";
  }
  if (type === "signage_text" && !(answer.text || "").trim()) return "write down the signage text as it is shown";
  return null;
}

/* Why an answer cannot be sent as it is (the server would refuse it), or null. Mirrors
   scoring.answer_issue, with its words, so a bad value stays on the tablet, marked, instead of
   failing a sync, and the auditor reads the same reason the server would give. */
export function answerIssue(item, answer) {
  if (!answer) return "not answered";
  const kind = answer.kind ?? "value";
  if (!KINDS.has(kind)) return `unknown answer kind '${kind}'`;
  if (kind === "na") return item.na_allowed ? null : "N/A is not allowed for this item";
  if (kind === "cannot_check") return item.cannot_check_allowed ? null : "'cannot check' is not allowed for this item";
  return valueIssue(item, answer);
}

/* Nothing given at all: no value, not N/A, not "cannot check", no comment. What a cleared answer
   (and the placeholder the server keeps for a photo sent before its answer) looks like. */
export function isBlank(answer) {
  if (!answer) return true;
  const empty = (v) => v === null || v === undefined || v === "";
  return (
    (answer.kind ?? "value") === "value" &&
    empty(answer.yes) &&
    empty(answer.number) &&
    empty(answer.list_price) &&
    !answer.text &&
    !answer.comment
  );
}

/* What still stops submission for one item (scoring._completeness_problem), or null. */
export function completenessProblem(item, answer, photoCount) {
  const issue = answerIssue(item, answer);
  if (issue || answer.kind !== "value") return issue;
  if (item.answer_type === "photo" && photoCount === 0) return "take at least one photo";
  if (item.answer_type === "text" && !(answer.text || "").trim()) return "write the answer";
  if (item.photo_required && photoCount === 0) return "a photo is required for this item";
  return null;
}

// --- signage text ---------------------------------------------------------------------------------

// Scripts written without spaces between words (scoring._CJK_RANGES): a term in them is found
// anywhere in the text. Extensions B–H and the compatibility supplement are outside the BMP.
const CJK_RANGES =
  "\\u1100-\\u11ff\\u3040-\\u309f\\u30a0-\\u30ff\\u3130-\\u318f\\u31f0-\\u31ff\\u3400-\\u4dbf" +
  "\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\u{20000}-\\u{323af}\\u{2f800}-\\u{2fa1f}";
const CJK = new RegExp(`[${CJK_RANGES}]`, "u");
// A letter or digit of any other script (Python's \w without "_"; combining marks are not in it).
const WORD_CHAR = new RegExp(`[^\\P{L}${CJK_RANGES}]|[^\\P{N}${CJK_RANGES}]`, "u");
// What Python's str.split() splits on: JS's \s also has U+FEFF and lacks U+001C–U+001F and U+0085.
const WHITESPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const CHEROKEE_SMALL = /[\u13f8-\u13fd\uab70-\uabbf]/gu;

/* Python's str.casefold. Lower, then upper, then lower again gives the full folding one code point
   at a time (ß → SS → ss, ẞ → ß → ss, ᾳ → ΑΙ → αι, final ς → Σ → σ), except for two cases:
   dotless ı must stay ı (its capital is I), and Cherokee folds to its capitals. */
function casefold(text) {
  let folded = "";
  for (const ch of text) folded += ch === "ı" ? ch : ch.toLowerCase().toUpperCase().toLowerCase();
  return folded.replace(CHEROKEE_SMALL, (ch) => ch.toUpperCase());
}

// The folding table shared with the server (cx_audit/audits/scoring/confusables.json, generated):
// invisible characters, letters of other scripts that look Latin, and the spacers of a spaced-out word.
const hex = (code) => `\\u{${code}}`;
const IGNORABLE = new RegExp(
  `[${FOLDING.ignorable.map((span) => span.split("-").map(hex).join("-")).join("")}]`,
  "gu",
);
const LOOK_ALIKES = new Map(Object.entries(FOLDING.look_alikes));
const SPACER = `[ ${FOLDING.spacers.replace(/[\\\]\[^-]/g, "\\$&")}]`;
const WORD = `(?:[^\\P{L}${CJK_RANGES}]|[^\\P{N}${CJK_RANGES}])`;
// Spacing between two CJK characters: 旗 舰 店, 旗-舰-店, 旗·舰·店 read 旗舰店.
const CJK_GAP = new RegExp(`(?<=[${CJK_RANGES}])${SPACER}+(?=[${CJK_RANGES}])`, "gu");
// Three or more single letters or digits, each apart by one to three spacers: F l a g s h i p.
const SPACED_WORD = new RegExp(`(?<!${WORD})${WORD}(?:${SPACER}{1,3}${WORD}(?!${WORD})){2,}`, "gu");
const SPACERS = new RegExp(`${SPACER}+`, "gu");

function fold(text, lookAlikes) {
  let visible = (text || "").normalize("NFKC").replace(IGNORABLE, "");
  // Before case folding: a capital Η looks like H, its small η does not.
  if (lookAlikes) visible = Array.from(visible, (ch) => LOOK_ALIKES.get(ch) ?? ch).join("");
  const folded = casefold(visible).normalize("NFKC");
  return folded.split(WHITESPACE).filter(Boolean).join(" ");
}

/* NFKC (full-width Ｓｔｏｒｅ → Store), invisible characters removed (zero-width space, soft hyphen,
   bidi controls), case-folded, whitespace runs → one space, trimmed: scoring.normalise. */
export function normalise(text) {
  return fold(text, false);
}

/* What the text looks like: normalise with look-alike letters read as Latin (Cyrillic о → o),
   spacing between CJK characters closed and spaced-out words joined: scoring.skeleton. */
export function skeleton(text) {
  const folded = fold(text, true).replace(CJK_GAP, "");
  return folded.replace(SPACED_WORD, (spaced) => spaced.replace(SPACERS, ""));
}

/* A term is found as written or as it looks, both sides folded alike. */
function foundEither(text, term) {
  return found(normalise(text), normalise(term)) || found(skeleton(text), skeleton(term));
}

function found(haystack, needle) {
  if (!needle) return false;
  if (CJK.test(needle)) return haystack.includes(needle);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = [...haystack.slice(0, at)].pop();
    const after = [...haystack.slice(at + needle.length)][0];
    if (!(before && WORD_CHAR.test(before)) && !(after && WORD_CHAR.test(after))) return true;
  }
  return false;
}

/* CJK terms match anywhere; other terms only as whole words (no letter or digit either side). */
export function hasTerm(text, term) {
  return foundEither(text, term);
}

/* The terms (as given, in order, once each) that appear in the text: scoring.signage_matches. */
export function matchedTerms(text, terms) {
  const written = normalise(text);
  const looks = skeleton(text);
  const matched = [];
  for (const term of terms || []) {
    if (!matched.includes(term) && (found(written, normalise(term)) || found(looks, skeleton(term)))) matched.push(term);
  }
  return matched;
}

// --- one item -------------------------------------------------------------------------------------

/* The fraction of its weight an answer earns (exact), or null when the item is not scored. */
function judge(item, answer, outletType) {
  switch (item.answer_type) {
    case "yes_no":
      return { fraction: answer.yes ? F.ONE : F.ZERO };
    case "rating":
      return { fraction: F.fraction(F.fromDecimal(answer.number).n - 1n, 4n) };
    case "number": {
      const target = F.fromDecimal(item.targets?.[outletType]);
      if (target === null) return { fraction: null };
      const value = F.fromDecimal(answer.number);
      if (target.n === 0n) return { fraction: F.ONE };
      if (item.pass_fail) return { fraction: F.compare(value, target) >= 0 ? F.ONE : F.ZERO };
      return { fraction: F.min(F.div(value, target), F.ONE) };
    }
    case "price": {
      const band = item.price_bands?.[outletType];
      if (!band) return { fraction: null };
      const share = F.mul(F.div(F.fromDecimal(answer.number), F.fromDecimal(answer.list_price)), F.fraction(100n));
      const inside = F.compare(F.fromDecimal(band[0]), share) <= 0 && F.compare(share, F.fromDecimal(band[1])) <= 0;
      return { fraction: inside ? F.ONE : F.ZERO };
    }
    case "signage_text": {
      const required = matchedTerms(answer.text, item.required_terms);
      const forbidden = matchedTerms(answer.text, item.forbidden_terms);
      const complete = required.length === new Set(item.required_terms || []).size;
      return { fraction: !forbidden.length && complete ? F.ONE : F.ZERO, required, forbidden };
    }
    default:
      return { fraction: null };
  }
}

const outcomeOf = (fraction) => (F.compare(fraction, F.ONE) === 0 ? "pass" : fraction.n === 0n ? "fail" : "partial");

/* One item as the server scores it (scoring._score_item): {outcome, fraction, matchedRequired,
   matchedForbidden}; the fraction is exact (fraction.js), null when the item is not scored. The
   outcome is one of pass, partial, fail, na, cannot_check, not_applicable, unscored, missing. */
export function scoreItem(item, answer, outletType) {
  const result = (outcome, verdict = {}) => ({
    outcome,
    fraction: verdict.fraction ?? null,
    matchedRequired: verdict.required || [],
    matchedForbidden: verdict.forbidden || [],
  });
  if (!applies(item, outletType)) return result("not_applicable");
  const scored = SCORED.has(item.answer_type);
  if (!answer) return result(scored ? "missing" : "unscored");
  if (answerIssue(item, answer)) return result("missing");
  if (answer.kind === "na") return result("na");
  if (answer.kind === "cannot_check") return result("cannot_check");
  if (!scored) return result("unscored");
  const verdict = judge(item, answer, outletType);
  return verdict.fraction === null ? result("unscored", verdict) : result(outcomeOf(verdict.fraction), verdict);
}

/* The fraction of its weight an answered item earns, as a number, or null when it is not scored. */
export function itemFraction(item, answer, outletType) {
  const { fraction } = scoreItem(item, answer, outletType);
  return fraction === null ? null : Number(fraction.n) / Number(fraction.d);
}

// --- the whole audit ------------------------------------------------------------------------------

/* The band with the greatest lower bound not above the score (scoring.band_for); "" if none. */
export function bandFor(score, bands) {
  const exact = typeof score === "object" ? score : F.fromDecimal(score);
  let best = null;
  for (const band of bands || []) {
    const start = F.fromDecimal(band.min_score ?? band.min);
    if (start !== null && F.compare(start, exact) <= 0 && (!best || F.compare(start, best.start) > 0)) best = { start, name: band.name };
  }
  return best ? best.name : "";
}

function newSection(section) {
  return { earned: F.ZERO, possible: F.ZERO, score: null, answered: 0, applicable: 0, weight: F.fromDecimal(section.weight ?? "1") ?? F.ZERO };
}

/* Section scores combined by section weight; sections without a score or weight drop out. */
function overall(sections) {
  const used = sections.filter((s) => s.exact !== null && s.weight.n > 0n);
  const weights = F.sum(used.map((s) => s.weight));
  return weights.n === 0n ? null : F.div(F.sum(used.map((s) => F.mul(s.exact, s.weight))), weights);
}

/* The whole audit: per section, overall (section weights), the critical cap and the band.
   answers: {code: answer}; photoCounts: {code: n}; policy: the brand's, from the bootstrap,
   {critical_cap: "50.00", bands: [{name, min_score}, …]}. Scores are numbers with 2 decimals. */
export function scoreAudit({ framework, outletType, answers, photoCounts = {}, policy = {} }) {
  const cap = F.fromDecimal(policy?.critical_cap ?? DEFAULT_CAP) ?? F.fromDecimal(DEFAULT_CAP);
  const sections = {};
  for (const section of framework.sections) sections[section.code] = newSection(section);
  const missing = [];
  let criticalFailed = false;
  for (const item of framework.items) {
    if (!applies(item, outletType)) continue;
    const section = sections[item.section];
    const answer = answers[item.code] || null;
    const problem = completenessProblem(item, answer, photoCounts[item.code] || 0);
    section.applicable += 1;
    if (problem) missing.push({ item: item.code, reason: problem });
    else section.answered += 1;
    const { outcome, fraction } = scoreItem(item, answer, outletType);
    if (fraction === null) continue;
    const weight = F.fromDecimal(item.weight) ?? F.ONE;
    section.earned = F.add(section.earned, F.mul(weight, fraction));
    section.possible = F.add(section.possible, weight);
    if (item.critical && FAILED.has(outcome)) criticalFailed = true;
  }
  for (const section of Object.values(sections)) {
    section.exact = section.possible.n === 0n ? null : F.div(F.mul(F.fraction(100n), section.earned), section.possible);
  }
  const raw = overall(Object.values(sections));
  const final = raw !== null && criticalFailed ? F.min(raw, cap) : raw;
  const score = final === null ? null : F.fromDecimal(F.toFixed(final));
  for (const section of Object.values(sections)) publish(section);
  return {
    sections,
    raw: raw === null ? null : F.toNumber(raw),
    score: score === null ? null : F.toNumber(score),
    criticalFailed,
    band: score === null ? "" : bandFor(score, policy?.bands),
    missing,
    answered: Object.values(sections).reduce((n, s) => n + s.answered, 0),
    applicable: Object.values(sections).reduce((n, s) => n + s.applicable, 0),
  };
}

/* A section as the views read it: plain numbers, the score rounded as the server rounds it. */
function publish(section) {
  section.score = section.exact === null ? null : F.toNumber(section.exact);
  section.earned = F.toNumber(section.earned);
  section.possible = F.toNumber(section.possible);
  section.weight = Number(F.toFixed(section.weight));
  delete section.exact;
}
