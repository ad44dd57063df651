// The checklist: where it stands in words (checklist-state.js), and the Checklist view itself
// (checklist.js) drawn into a DOM from linkedom, tapped the way an auditor taps it.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { parseHTML } from "linkedom";

import {
  applicableItems,
  itemState,
  photoCounts,
  photoStateText,
  priceHintText,
  progressTexts,
  sectionsOf,
  termsHintText,
  valueText,
} from "../../cx_audit/static/cx_audit/tablet/checklist-state.js";
import { FRAMEWORK, item } from "./harness.mjs";

const { document, window } = parseHTML('<!doctype html><html><body><main id="tablet-view"></main></body></html>');
Object.assign(globalThis, { document, window, Node: window.Node });
window.HTMLElement.prototype.scrollIntoView = function scrollIntoView() {};
const { Checklist } = await import("../../cx_audit/static/cx_audit/tablet/checklist.js");

const value = (patch) => ({ kind: "value", yes: null, number: null, list_price: null, text: "", comment: "", ...patch });
const byCode = (code) => FRAMEWORK.items.find((i) => i.code === code);

describe("where the checklist stands", () => {
  test("only the items for the outlet type, in sections of their order", () => {
    const items = applicableItems(FRAMEWORK, "direct");
    assert.deepEqual(items.map((i) => i.code), ["YN1", "YN2", "SIG", "R1", "NUM", "PR", "PH"]);
    const framework = { ...FRAMEWORK, sections: [...FRAMEWORK.sections].reverse() };
    assert.deepEqual(sectionsOf(framework, items).map((s) => s.code), ["s1", "s2"]);
    assert.deepEqual(sectionsOf(FRAMEWORK, items.filter((i) => i.section === "s2")).map((s) => s.code), ["s2"]);
  });

  test("refused photos do not count", () => {
    const photos = [{ item: "PH", state: "synced" }, { item: "PH", state: "refused" }, { item: "YN1", state: "pending" }];
    assert.deepEqual(photoCounts(photos), { PH: 1, YN1: 1 });
  });

  test("an item's label, state and message", () => {
    const yn = byCode("YN1");
    const cases = [
      [undefined, {}, ["Not answered", "missing", ""]],
      [undefined, { showMissing: true }, ["Not answered", "missing", "Missing: not answered"]],
      [value({ yes: true }), {}, ["Saved", "synced", ""]],
      [value({ yes: true }), { waiting: true }, ["Saved · waiting to sync", "waiting", ""]],
      [value({ comment: "dusty" }), {}, ["Incomplete", "missing", "Missing: answer yes or no"]],
      [value({ yes: true, error: "number: too long" }), {}, ["Refused by the server", "error", ""]],
      [value({}), { showMissing: true }, ["Not answered", "missing", "Missing: answer yes or no"]],
    ];
    for (const [answer, options, expected] of cases) {
      const state = itemState(yn, answer, options);
      assert.deepEqual([state.label, state.state, state.message], expected, JSON.stringify([answer, options]));
    }
    const rating = itemState(byCode("R1"), value({ number: "9", issue: "a rating is a whole number from 1 to 5" }));
    assert.equal(rating.message, "Missing: a rating is a whole number from 1 to 5");
    assert.equal(itemState(yn, value({})).clearable, false, "a cleared answer has nothing to take back");
  });

  test("a photo item is complete with a photo, a photo-required item needs one", () => {
    const photo = byCode("PH");
    assert.equal(itemState(photo, value({}), { photos: 0 }).problem, "take at least one photo");
    assert.equal(itemState(photo, value({}), { photos: 1 }).label, "Saved");
    const required = item("P", "s1", "yes_no", { photo_required: true });
    assert.equal(itemState(required, value({ yes: true }), { photos: 0 }).message, "Missing: a photo is required for this item");
  });

  test("the progress line and the note by the submit button", () => {
    const result = { answered: 3, applicable: 7, missing: [{}, {}, {}, {}], score: 62.5, criticalFailed: true };
    assert.deepEqual(progressTexts(result, "draft"), {
      progress: "3 of 7 answered",
      missingButton: "Missing (4)",
      score: "Provisional score 62.50 (critical failure)",
      submitNote: "4 items still missing before you can submit.",
    });
    const done = { answered: 7, applicable: 7, missing: [], score: null, criticalFailed: false };
    assert.equal(progressTexts(done, "draft").submitNote, "Everything is answered.");
    assert.equal(progressTexts(done, "draft").score, "Provisional score —");
    assert.equal(progressTexts(done, "queued").submitNote, "Submitted on this tablet; waiting to sync.");
    assert.equal(progressTexts(done, "submitted").submitNote, "Submitted.");
  });

  test("hints and values in words", () => {
    assert.equal(priceHintText(["100.00", "100.00"]), "Must be 100% of list.");
    assert.equal(priceHintText(["90", "100"]), "Allowed: 90–100% of list.");
    assert.equal(priceHintText(undefined), "");
    assert.equal(termsHintText(byCode("SIG")), "Must show: “Aurora”. Must not show: “Dealer”.");
    assert.equal(photoStateText({ state: "refused", error: "Not an image." }), "refused: Not an image.");
    assert.equal(photoStateText({ state: "pending" }), "waiting to sync");
    assert.equal(valueText(byCode("YN1"), value({ yes: false })), "No");
    assert.equal(valueText(byCode("R1"), value({ number: "4.00" })), "4 of 5");
    assert.equal(valueText(byCode("PR"), value({ number: "10", list_price: "12" })), "10 (list 12)");
    assert.equal(valueText(byCode("SIG"), value({ text: "Aurora" })), "“Aurora”");
    assert.equal(valueText(byCode("YN2"), value({ kind: "na" })), "N/A");
    assert.equal(valueText(byCode("YN1"), undefined), "no answer");
  });
});

describe("the checklist view", () => {
  let root;
  let ctx;
  let calls;

  /* A ctx as audit-view.js builds it, with the actions recorded and applied to the answers. */
  function context(audit = {}) {
    calls = [];
    ctx = {
      audit: { uuid: "u", status: "draft", kind: "scheduled", checkin: {}, missing: [], conflicts: [], ...audit },
      location: { name: "Aurora Tianjin", code: "TJ-002", city: "Tianjin", outlet_type: "direct" },
      framework: FRAMEWORK,
      brand: { id: 1, geofence_m: 300, policy: { critical_cap: "50.00", bands: [{ name: "Good", min_score: 75 }, { name: "Poor", min_score: 0 }] } },
      answers: {},
      photos: [],
      pending: { items: new Set(), photos: new Set() },
      photoUrl: () => "blob:photo",
      save: async (code, patch, options) => {
        calls.push(["save", code, patch, options]);
        ctx.answers[code] = value({ ...ctx.answers[code], ...patch });
        ctx.pending.items.add(code);
        checklist.itemChanged(code, { redraw: !options?.quiet });
      },
      clear: async (code) => calls.push(["clear", code]),
      submit: async () => calls.push(["submit"]),
      choose: async (code, keepMine) => calls.push(["choose", code, keepMine]),
      addPhotos: async (code, files) => calls.push(["addPhotos", code, files.length]),
      removePhoto: async (photo) => calls.push(["removePhoto", photo.id]),
    };
    const checklist = new Checklist(root, ctx);
    return checklist;
  }

  const $ = (selector) => root.querySelector(selector);
  const tap = async (selector) => {
    const target = $(selector);
    assert.ok(target, `nothing matches ${selector}`);
    target.dispatchEvent(new window.Event("click"));
    await new Promise((resolve) => setImmediate(resolve));
  };
  const text = (selector) => $(selector).textContent;

  beforeEach(() => {
    root = document.getElementById("tablet-view");
  });

  test("draws every applicable item, section by section, with the progress", () => {
    context().render();
    assert.equal(text("h1"), "Aurora Tianjin TJ-002");
    assert.deepEqual([...root.querySelectorAll("article.cl-item")].map((n) => n.dataset.item), ["YN1", "YN2", "SIG", "R1", "NUM", "PR", "PH"]);
    assert.deepEqual([...root.querySelectorAll(".cl-section h2")].map((n) => n.textContent.trim()), ["1. Outside", "2. Inside"]);
    assert.equal(text("#progress-text"), "0 of 7 answered");
    assert.equal(text(".missing-button"), "Missing (7)");
    assert.equal(text(".provisional-total"), "Provisional score —");
    assert.equal(text(".submit-note"), "7 items still missing before you can submit.");
    assert.equal(text('[data-item="NUM"] label'), "Count (target 12)");
    assert.equal(text('[data-item="PR"] .help'), "Must be 100% of list.");
  });

  test("one tap answers: saved, redrawn, counted and scored", async () => {
    context().render();
    await tap('[data-item="YN1"] [data-key="yes"]');
    assert.deepEqual(calls, [["save", "YN1", { kind: "value", yes: true }, undefined]]);
    assert.equal(text('[data-item="YN1"] .item-state'), "Saved · waiting to sync");
    assert.equal($('[data-item="YN1"] [data-key="yes"]').getAttribute("aria-pressed"), "true");
    assert.equal($('[data-item="YN1"] .clear-answer').hidden, false);
    assert.equal(text("#progress-text"), "1 of 7 answered");
    assert.equal(text(".provisional-total"), "Provisional score 100.00");
    await tap('[data-item="R1"] [data-key="rate-2"]');
    assert.equal(text(".provisional-total"), "Provisional score 50.00", "s1 100 × 1, s2 25 × 2: 50");
    assert.match(text("#sec-s2 .section-score"), /section score 25\.00/);
  });

  test("a failed critical item caps the score at the brand's ceiling", async () => {
    context().render();
    await tap('[data-item="YN1"] [data-key="no"]');
    await tap('[data-item="YN2"] [data-key="yes"]');
    assert.equal(text(".provisional-total"), "Provisional score 50.00 (critical failure)");
  });

  test("typing is saved quietly when the field is left, and a bad value is said at once", async () => {
    context().render();
    const field = $("#number-NUM");
    field.value = "-3";
    field.dispatchEvent(new window.Event("change"));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls.at(-1), ["save", "NUM", { kind: "value", number: "-3" }, { quiet: true }]);
    assert.equal(text('[data-item="NUM"] .item-problem'), "Missing: a number cannot be negative");
    assert.equal(text('[data-item="NUM"] .item-state'), "Incomplete");
  });

  test("submitting with items missing shows them and does not submit", async () => {
    context().render();
    await tap(".submit-audit");
    assert.deepEqual(calls, []);
    assert.equal(text(".submit-note"), "7 items still missing: YN1, YN2, SIG, R1, NUM, PR, PH.");
    assert.equal(text('[data-item="YN1"] .item-problem'), "Missing: not answered");
    assert.ok($('[data-item="YN1"]').classList.contains("show-missing"));
  });

  test("a complete audit is submitted", async () => {
    const checklist = context();
    Object.assign(ctx.answers, {
      YN1: value({ yes: true }),
      YN2: value({ kind: "na" }),
      SIG: value({ text: "AURORA 体验店" }),
      R1: value({ number: "5" }),
      NUM: value({ number: "12" }),
      PR: value({ number: "5599", list_price: "5599" }),
      PH: value({}),
    });
    ctx.photos.push({ id: "p1", item: "PH", state: "synced", server: { id: 3 } });
    checklist.render();
    assert.equal(text(".submit-note"), "Everything is answered.");
    assert.equal(text(".provisional-total"), "Provisional score 100.00");
    await tap(".submit-audit");
    assert.deepEqual(calls, [["submit"]]);
  });

  test("an answer changed on another device: keep mine or take theirs", async () => {
    const checklist = context({ conflicts: [{ item: "YN1", server: value({ yes: false, revision: 2 }) }] });
    ctx.answers.YN1 = value({ yes: true });
    checklist.render();
    assert.match(text(".conflicts"), /Other device: No · This tablet: Yes/);
    await tap('.conflicts button[class="button"]');
    const buttons = [...root.querySelectorAll(".conflicts button")];
    buttons[1].dispatchEvent(new window.Event("click"));
    assert.deepEqual(calls, [["choose", "YN1", true], ["choose", "YN1", false]]);
  });

  test("a submitted audit is shown read-only", () => {
    context({ status: "queued" }).render();
    assert.equal($(".submit-audit").hidden, true);
    assert.equal(text(".submit-note"), "Submitted on this tablet; waiting to sync.");
    assert.ok($('[data-item="YN1"] [data-key="yes"]').hasAttribute("disabled"));
    assert.equal($('[data-item="YN1"] .clear-answer'), null);
  });

  test("the check-in banner says how far the auditor was from the store", () => {
    context({ checkin: { latitude: 1, distanceM: 950, outside: true } }).render();
    assert.match(text(".checkin"), /You checked in 950 m from the store, beyond the brand's 300 m geofence/);
    context({ checkin: { error: "Location permission was refused." } }).render();
    assert.match(text(".checkin"), /No check-in position: Location permission was refused/);
  });
});
