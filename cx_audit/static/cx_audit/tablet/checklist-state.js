/* Where a checklist stands, in words, without the DOM: which items and sections it shows, the
   state of each item, the progress line and the notes by the submit button. checklist.js draws
   these; keeping them apart lets them be tested without a browser (tests/js/checklist.test.mjs). */

import { answerIssue, applies, completenessProblem, isBlank } from "./score.js";
import { plural, scoreText } from "./ui.js";

/* The items of the framework that apply to this outlet type, in the framework's order. */
export function applicableItems(framework, outletType) {
  return framework.items.filter((item) => applies(item, outletType));
}

/* The sections in their order, those with at least one of these items. */
export function sectionsOf(framework, items) {
  return [...framework.sections].sort((a, b) => a.order - b.order).filter((section) => items.some((item) => item.section === section.code));
}

/* Photos per item that count towards completeness: a refused one does not. */
export function photoCounts(photos) {
  const counts = {};
  for (const photo of photos) if (photo.state !== "refused") counts[photo.item] = (counts[photo.item] || 0) + 1;
  return counts;
}

/* One item as the auditor sees it: a label, a state for styling (error, missing, waiting,
   synced), what stops submission (null when nothing), the message under the item, and whether
   there is an answer to take back. A cleared answer (or a photo's placeholder) is no answer,
   until it is complete (a photo item). The problem is said once the auditor gave something, or
   asked to see what is missing. */
export function itemState(item, answer, { photos = 0, waiting = false, showMissing = false } = {}) {
  const problem = completenessProblem(item, answer || null, photos);
  const given = answer && (!isBlank(answer) || answer.error) ? answer : null;
  const issue = given ? given.error || given.issue || (answerIssue(item, given) ?? "") : "";
  let label = "Not answered";
  if (given && given.error) label = "Refused by the server";
  else if (!problem) label = waiting ? "Saved · waiting to sync" : "Saved";
  else if (given) label = "Incomplete";
  return {
    label,
    state: answer?.error ? "error" : problem ? "missing" : waiting ? "waiting" : "synced",
    problem,
    message: problem && (given || showMissing) ? `Missing: ${issue || problem}` : "",
    clearable: !isBlank(answer),
  };
}

/* The texts of the progress line and the submit area for a provisional score (score.js). */
export function progressTexts(result, status) {
  const missing = result.missing.length;
  let submitNote;
  if (status === "queued") submitNote = "Submitted on this tablet; waiting to sync.";
  else if (status !== "draft") submitNote = "Submitted.";
  else submitNote = missing ? `${plural(missing, "item")} still missing before you can submit.` : "Everything is answered.";
  const critical = result.criticalFailed ? " (critical failure)" : "";
  return {
    progress: `${result.answered} of ${result.applicable} answered`,
    missingButton: `Missing (${missing})`,
    score: result.score === null ? "Provisional score —" : `Provisional score ${scoreText(result.score)}${critical}`,
    submitNote,
  };
}

export function sectionScoreText(section) {
  return section.score === null ? "" : `· section score ${scoreText(section.score)} (provisional)`;
}

export function photoStateText(photo) {
  if (photo.state === "synced") return "sent";
  return photo.state === "refused" ? `refused: ${photo.error}` : "waiting to sync";
}

/* The price band of an item for the outlet type, as a hint under the price fields ("" if none). */
export function priceHintText(band) {
  if (!band) return "";
  const [low, high] = band.map(Number);
  return low === high ? `Must be ${low}% of list.` : `Allowed: ${low}–${high}% of list.`;
}

export function termsHintText(item) {
  const quoted = (terms) => terms.map((t) => `“${t}”`).join(", ");
  const parts = [];
  if (item.required_terms?.length) parts.push(`Must show: ${quoted(item.required_terms)}.`);
  if (item.forbidden_terms?.length) parts.push(`Must not show: ${quoted(item.forbidden_terms)}.`);
  return parts.join(" ");
}

/* An answer as a person reads it, for the conflict panel. */
export function valueText(item, answer) {
  if (isBlank(answer)) return "no answer";
  if (answer.kind === "na") return "N/A";
  if (answer.kind === "cannot_check") return "cannot check";
  switch (item?.answer_type) {
    case "yes_no":
      return answer.yes === true ? "Yes" : answer.yes === false ? "No" : "—";
    case "rating":
      return `${Number(answer.number)} of 5`;
    case "price":
      return `${answer.number ?? "—"} (list ${answer.list_price ?? "—"})`;
    case "number":
      return String(answer.number ?? "—");
    default:
      return answer.text ? `“${answer.text}”` : "—";
  }
}
