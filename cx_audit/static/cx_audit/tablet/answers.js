/* An answer's values as the API takes them, and when two of them say the same thing. Shared by
   the outbox (what it queues), the senders (is a conflict real?) and the drafts merge. */

const VALUE_FIELDS = ["kind", "yes", "number", "list_price", "text", "comment"];

/* The values the API stores for an answer, with the API's defaults for what is not given. */
export function answerValues(answer) {
  return Object.fromEntries(VALUE_FIELDS.map((name) => [name, answer[name] ?? (name === "yes" ? null : defaultOf(name))]));
}

function defaultOf(name) {
  return ["number", "list_price"].includes(name) ? null : name === "kind" ? "value" : "";
}

const numberOrNull = (v) => (v === null || v === undefined || v === "" ? null : Number(v));
const sameNumber = (a, b) => numberOrNull(a) === numberOrNull(b);

/* The server holds the same answer (2 and "2.00" agree). */
export function sameAnswer(a, b) {
  return (
    a.kind === b.kind &&
    (a.yes ?? null) === (b.yes ?? null) &&
    sameNumber(a.number, b.number) &&
    sameNumber(a.list_price, b.list_price) &&
    (a.text || "") === (b.text || "") &&
    (a.comment || "") === (b.comment || "")
  );
}

/* Nothing the auditor typed: a placeholder the server made for a photo sent before its answer. */
export function emptyAnswer(answer) {
  return (
    (answer.revision ?? 0) === 0 ||
    (answer.kind === "value" && answer.yes === null && answer.number === null && answer.list_price === null && !answer.text && !answer.comment)
  );
}
