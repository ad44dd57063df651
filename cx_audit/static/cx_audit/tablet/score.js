/* The provisional score, computed on the tablet with the rules of docs/scoring.md.
   The server's score (computed once at submission) is the only one that counts; this one lets the
   auditor see where a store stands while still in it, and keeps working with no connection.
   Money and percentages are compared in whole hundredths, so 900 of 1000 is exactly 90 %, not
   90.00000000000001 %. */

const DEFAULT_CAP = 50;
const DEFAULT_BANDS = [
  { name: "excellent", min: 90 },
  { name: "good", min: 75 },
  { name: "needs improvement", min: 60 },
  { name: "poor", min: 0 },
];
const SCORED = new Set(["yes_no", "rating", "number", "price", "signage_text"]);

/* A decimal string ("12.50", "7", "1,5") as a Number, or null when it is not one. */
export function parseDecimal(value) {
  if (value === null || value === undefined) return null;
  const text = String(value).trim().replace(",", ".");
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/* Whole hundredths of a decimal string, exactly (the API keeps 2 decimals). */
function hundredths(value) {
  const text = String(value).trim().replace(",", ".");
  const [whole, part = ""] = text.split(".");
  return Number(whole) * 100 + Math.sign(Number(whole) || 1) * Number((part + "00").slice(0, 2));
}

export function applies(item, outletType) {
  return item.applies_to.includes(outletType);
}

/* Why an answer cannot be sent as it is (the server would refuse it), or null. Mirrors
   scoring.answer_issue, so a bad value stays on the tablet, marked, instead of failing a sync. */
export function answerIssue(item, answer) {
  if (!answer) return "not answered";
  if (answer.kind === "na") return item.na_allowed ? null : "N/A is not allowed for this item";
  if (answer.kind === "cannot_check") {
    return item.cannot_check_allowed ? null : "“cannot check” is not allowed for this item";
  }
  const type = item.answer_type;
  const tooPrecise = (v) => v !== null && v !== undefined && /\.\d{3,}$/.test(String(v).trim());
  if (type === "yes_no" && (answer.yes === null || answer.yes === undefined)) return "answer yes or no";
  if (type === "rating") {
    const r = parseDecimal(answer.number);
    if (r === null || !Number.isInteger(r) || r < 1 || r > 5) return "choose a rating from 1 to 5";
  }
  if (type === "number") {
    const n = parseDecimal(answer.number);
    if (n === null) return "give a number";
    if (n < 0) return "a number cannot be negative";
    if (tooPrecise(answer.number)) return "at most 2 decimals";
  }
  if (type === "price") {
    const observed = parseDecimal(answer.number);
    const listed = parseDecimal(answer.list_price);
    if (observed === null || listed === null) return "give the observed price and the list price";
    if (listed <= 0) return "the list price must be more than 0";
    if (observed < 0) return "the observed price cannot be negative";
    if (tooPrecise(answer.number) || tooPrecise(answer.list_price)) return "at most 2 decimals";
  }
  if (type === "signage_text" && !(answer.text || "").trim()) return "write down the sign text as shown";
  return null;
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

/* NFKC, case-folded, whitespace collapsed: "ＳＴＯＲＥ" finds "Store". */
export function normalise(text) {
  return (text || "").normalize("NFKC").toLowerCase().normalize("NFKC").split(/\s+/).filter(Boolean).join(" ");
}

const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const isWordChar = (ch) => !!ch && /[\p{L}\p{N}\p{M}]/u.test(ch) && !CJK.test(ch);

/* CJK terms match anywhere; other terms only as whole words (no letter or digit either side). */
export function hasTerm(text, term) {
  const haystack = normalise(text);
  const needle = normalise(term);
  if (!needle) return false;
  if (CJK.test(needle)) return haystack.includes(needle);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = [...haystack.slice(0, at)].pop();
    const after = [...haystack.slice(at + needle.length)][0];
    if (!isWordChar(before) && !isWordChar(after)) return true;
  }
  return false;
}

/* The fraction of its weight an answered item earns, or null when it is not scored. */
export function itemFraction(item, answer, outletType) {
  if (!answer || answer.kind !== "value" || !SCORED.has(item.answer_type)) return null;
  if (answerIssue(item, answer)) return null;
  switch (item.answer_type) {
    case "yes_no":
      return answer.yes ? 1 : 0;
    case "rating":
      return (parseDecimal(answer.number) - 1) / 4;
    case "number": {
      const target = item.targets?.[outletType];
      if (target === undefined || target === null) return null;
      const t = parseDecimal(target);
      const v = parseDecimal(answer.number);
      if (t === 0) return 1;
      if (item.pass_fail) return hundredths(answer.number) >= hundredths(target) ? 1 : 0;
      return Math.min(v / t, 1);
    }
    case "price": {
      const band = item.price_bands?.[outletType];
      if (!band) return null;
      // low% × list ≤ observed × 100 ≤ high% × list, in hundredths on every side: exact.
      const observed = hundredths(answer.number) * 10000;
      const list = hundredths(answer.list_price);
      return hundredths(band[0]) * list <= observed && observed <= hundredths(band[1]) * list ? 1 : 0;
    }
    case "signage_text": {
      const text = answer.text || "";
      const forbidden = (item.forbidden_terms || []).some((term) => hasTerm(text, term));
      const required = (item.required_terms || []).every((term) => hasTerm(text, term));
      return !forbidden && required ? 1 : 0;
    }
    default:
      return null;
  }
}

export function bandFor(score, bands) {
  let best = null;
  for (const band of bands) if (band.min <= score && (!best || band.min > best.min)) best = band;
  return best ? best.name : "";
}

const round2 = (x) => Math.round((x + Number.EPSILON) * 100) / 100;

/* The whole audit: per section, overall (section weights), the critical cap and the band.
   answers: {code: answer}; photoCounts: {code: n}; policy: {critical_cap, bands} if the brand's
   are known, else the defaults of docs/scoring.md. */
export function scoreAudit({ framework, outletType, answers, photoCounts = {}, policy = {} }) {
  // The brand's policy from the bootstrap: {critical_cap: "50.00", bands: [{name, min_score}, …]}.
  const cap = policy?.critical_cap !== undefined && policy?.critical_cap !== null ? Number(policy.critical_cap) : DEFAULT_CAP;
  const bands = (policy?.bands?.length ? policy.bands : DEFAULT_BANDS).map((b) => ({ name: b.name, min: Number(b.min ?? b.min_score) }));
  const sections = {};
  for (const section of framework.sections) {
    sections[section.code] = { earned: 0, possible: 0, score: null, answered: 0, applicable: 0, weight: Number(section.weight) };
  }
  const missing = [];
  let criticalFailed = false;
  for (const item of framework.items) {
    if (!applies(item, outletType)) continue;
    const section = sections[item.section];
    const answer = answers[item.code];
    const problem = completenessProblem(item, answer || null, photoCounts[item.code] || 0);
    section.applicable += 1;
    if (problem) missing.push({ item: item.code, reason: problem });
    else section.answered += 1;
    const fraction = itemFraction(item, answer, outletType);
    if (fraction === null) continue;
    const weight = Number(item.weight);
    section.earned += weight * fraction;
    section.possible += weight;
    if (item.critical && fraction < 1) criticalFailed = true;
  }
  let weighted = 0;
  let weights = 0;
  for (const section of Object.values(sections)) {
    if (section.possible > 0) {
      section.score = (100 * section.earned) / section.possible;
      if (section.weight > 0) {
        weighted += section.weight * section.score;
        weights += section.weight;
      }
    }
  }
  const raw = weights > 0 ? round2(weighted / weights) : null;
  const score = raw === null ? null : criticalFailed ? Math.min(raw, cap) : raw;
  return {
    sections,
    raw,
    score,
    criticalFailed,
    band: score === null ? "" : bandFor(score, bands),
    missing,
    answered: Object.values(sections).reduce((n, s) => n + s.answered, 0),
    applicable: Object.values(sections).reduce((n, s) => n + s.applicable, 0),
  };
}
