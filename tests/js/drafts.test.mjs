// Drafts from the bootstrap (drafts.js): taken in whole when new to the tablet; the server's newer
// answers taken unless the tablet has its own edit of that item waiting or kept.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { newAudit, openTablet } from "./harness.mjs";

let tablet;
beforeEach(async () => {
  tablet = await openTablet();
});
afterEach(() => tablet.close());

function draft(uuid, answers) {
  return {
    uuid,
    location: 11,
    brand: 1,
    framework: 7,
    kind: "unannounced",
    started_at: "2026-05-01T09:00:00Z",
    checkin_distance_m: 35,
    outside_geofence: false,
    answers,
  };
}

const serverAnswer = (item, revision, values = {}) => ({
  item,
  revision,
  kind: "value",
  yes: null,
  number: null,
  list_price: null,
  text: "",
  comment: "",
  photos: [],
  ...values,
});

test("a draft started on another device is taken in whole, with its answers and photos", async () => {
  const uuid = crypto.randomUUID();
  const photo = { id: 41, url: "/media/a.jpg", thumb_url: "/media/a-thumb.jpg" };
  await tablet.sync.mergeDrafts([draft(uuid, [serverAnswer("YN1", 2, { yes: true }), serverAnswer("PH", 1, { photos: [photo] })])]);
  const audit = await tablet.store.get("audits", uuid);
  assert.deepEqual([audit.status, audit.kind, audit.startedAt, audit.checkin.distanceM], ["draft", "unannounced", "2026-05-01T09:00:00Z", 35]);
  const yn = await tablet.store.get("answers", [uuid, "YN1"]);
  assert.deepEqual([yn.yes, yn.revision], [true, 2]);
  const photos = await tablet.store.byAudit("photos", uuid);
  assert.deepEqual(photos.map((p) => [p.id, p.state, p.server.id]), [["server-41", "synced", 41]]);
  await tablet.sync.mergeDrafts([draft(uuid, [serverAnswer("PH", 1, { photos: [photo] })])]);
  assert.equal((await tablet.store.byAudit("photos", uuid)).length, 1, "a known photo is not added twice");
  assert.deepEqual(await tablet.outbox(), [], "nothing to send: the server has it all");
});

test("a newer server answer replaces the tablet's, unless the tablet's own edit is waiting", async () => {
  const audit = newAudit();
  await tablet.sync.startAudit(audit);
  await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
  await tablet.sync.saveAnswer(audit.uuid, "YN2", { kind: "value", yes: true });
  await tablet.sync.syncNow();
  await tablet.sync.saveAnswer(audit.uuid, "YN2", { kind: "value", yes: false }); // waiting
  await tablet.sync.mergeDrafts([draft(audit.uuid, [serverAnswer("YN1", 5, { yes: false }), serverAnswer("YN2", 5, { yes: true })])]);
  assert.equal((await tablet.store.get("answers", [audit.uuid, "YN1"])).yes, false, "taken from the server");
  assert.equal((await tablet.store.get("answers", [audit.uuid, "YN2"])).yes, false, "the waiting edit is kept");
});

test("an incomplete answer kept on the tablet is never overwritten, nor an older server answer taken", async () => {
  const audit = newAudit();
  await tablet.sync.startAudit(audit);
  await tablet.sync.saveAnswer(audit.uuid, "R1", { kind: "value", number: "7" }); // kept: not a rating
  await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
  await tablet.sync.syncNow();
  await tablet.sync.mergeDrafts([draft(audit.uuid, [serverAnswer("R1", 3, { number: "2.00" }), serverAnswer("YN1", 0, { yes: false })])]);
  assert.equal((await tablet.store.get("answers", [audit.uuid, "R1"])).number, "7");
  assert.equal((await tablet.store.get("answers", [audit.uuid, "YN1"])).yes, true);
});

test("a submitted audit is left as it is", async () => {
  const audit = newAudit({ status: "submitted" });
  await tablet.store.put("audits", audit);
  await tablet.sync.mergeDrafts([draft(audit.uuid, [serverAnswer("YN1", 4, { yes: true })])]);
  assert.equal(await tablet.store.get("answers", [audit.uuid, "YN1"]), undefined);
});
