/* The score of a submitted audit (#/audit/<uuid>/score): the server's, once the submission went
   through; until then the provisional one (score.js), said to be provisional. */

import { photoCounts } from "./checklist-state.js";
import { auditContext } from "./audit-view.js";
import { brandOf, frameworkOf, locationOf } from "./data.js";
import { scoreAudit } from "./score.js";
import { h, metresText, plural, replace, scoreText } from "./ui.js";

export async function showScore(app, uuid) {
  app.current = { name: "score", uuid };
  const data = await auditContext(app, uuid);
  if (app.current?.uuid !== uuid) return;
  if (!data) {
    app.navigate("#/");
    return;
  }
  const { audit } = data;
  if (audit.status === "draft") {
    app.navigate(`#/audit/${uuid}`);
    return;
  }
  app.current = { name: "score", uuid, ready: true };
  const location = locationOf(app, audit);
  const back = h("a", { class: "button", href: "#/" }, "Back to my audits");
  if (audit.status === "submitted" && audit.score) {
    replace(app.view, h("h1", {}, "Score · ", location.name, " ", h("small", {}, location.code)), serverScore(audit), h("p", {}, back));
  } else {
    replace(app.view, h("h1", {}, "Submitted · ", location.name, " ", h("small", {}, location.code)), provisionalScore(app, audit, data), h("p", {}, back));
  }
  app.focusHeading();
}

/* Submitted on the tablet, not yet on the server: the tablet's own score, under the brand's policy. */
function provisionalScore(app, audit, data) {
  const result = scoreAudit({
    framework: frameworkOf(app, audit),
    outletType: locationOf(app, audit).outlet_type,
    answers: data.answers,
    photoCounts: photoCounts(data.photos),
    policy: brandOf(app, audit.brand)?.policy || {},
  });
  return h("div", { class: "score-card queued", "aria-live": "polite" },
    h("p", { class: "queued-note" }, navigator.onLine ? "Sending to the server…" : "Queued — will submit when back online."),
    h("p", { class: "big-number provisional" }, scoreText(result.score)),
    h("p", {}, `Provisional score${result.band ? ` · ${result.band}` : ""}${result.criticalFailed ? " · critical failure" : ""}. `,
      "The server's score replaces it as soon as the audit is synced."));
}

function serverScore(audit) {
  const { score } = audit;
  const result = score.audit;
  const failed = score.items.filter((i) => i.outcome === "fail" || i.outcome === "partial");
  const critical = score.items.filter((i) => i.critical && (i.critical_failed || i.outcome === "fail" || i.outcome === "partial"));
  const repeats = score.items.filter((i) => i.repeat);
  const sectionRows = score.sections.map((s) =>
    h("tr", {},
      h("th", { scope: "row" }, s.name || s.section_code),
      h("td", { class: "num" }, scoreText(s.score)),
      h("td", { class: "num" }, String(s.passed)),
      h("td", { class: "num" }, String(s.failed)),
      h("td", { class: "num" }, `${s.na} / ${s.cannot_check}`)));
  const itemLine = (i) =>
    h("li", { class: "finding" },
      h("strong", {}, i.item_code), " ", i.question, " ",
      i.critical ? h("span", { class: "tag critical" }, "critical") : null, " ",
      i.repeat ? h("span", { class: "tag warn" }, "repeat") : null,
      h("span", { class: "reason" }, i.reason));
  return h("div", { class: "server-score" },
    h("div", { class: "score-card", "aria-live": "polite", "aria-atomic": "true" },
      h("p", { class: "muted" }, "Score"),
      h("p", { class: "big-number", dataset: { score: result.score ?? "" } }, scoreText(result.score)),
      h("p", { class: "band" }, result.band ? `Band: ${result.band}` : ""),
      result.critical_failure
        ? h("p", { class: "notice warn critical-note" }, `Critical failure: capped at ${scoreText(result.score)}; raw score ${scoreText(result.raw_score)}.`)
        : null,
      h("p", { class: "muted" },
        `${plural(result.failed_count, "failed item")} · ${plural(result.repeat_count, "repeat finding")} · ${result.na_count} N/A · ${result.cannot_check_count} cannot check`,
        result.checkin_distance_m !== null && result.checkin_distance_m !== undefined ? ` · checked in ${metresText(result.checkin_distance_m)} from the store` : "",
        result.outside_geofence ? " (outside the geofence: flagged for HQ)" : "")),
    h("h2", {}, "Sections"),
    h("div", { class: "table-wrap" },
      h("table", { class: "data sections" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Section"), h("th", { scope: "col", class: "num" }, "Score"), h("th", { scope: "col", class: "num" }, "Passed"), h("th", { scope: "col", class: "num" }, "Failed"), h("th", { scope: "col", class: "num" }, "N/A / cannot check"))),
        h("tbody", {}, sectionRows))),
    h("h2", {}, `Failed items (${failed.length})`),
    failed.length ? h("ul", { class: "findings" }, failed.map(itemLine)) : h("p", {}, "None."),
    h("h2", {}, `Critical items (${critical.length})`),
    critical.length ? h("ul", { class: "findings" }, critical.map(itemLine)) : h("p", {}, "No critical standard failed."),
    h("h2", {}, `Repeat findings (${repeats.length})`),
    repeats.length ? h("ul", { class: "findings" }, repeats.map(itemLine)) : h("p", {}, "None: nothing failed here last time failed again."),
    result.id ? h("p", {}, h("a", { class: "button", href: `/audits/${result.id}/` }, "Full scorecard")) : null);
}
