// The outbox's local side (sync.js): every change lands on the tablet and in the queue in one
// transaction, in the order it was made, before anything is sent.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";

import { changesIn } from "../../cx_audit/static/cx_audit/tablet/sync.js";
import { jpeg, newAudit, openTablet } from "./harness.mjs";

let tablet;
let audit;
beforeEach(async () => {
  tablet = await openTablet();
  audit = newAudit();
  await tablet.sync.startAudit(audit);
});
afterEach(() => tablet.close());

const types = async () => (await tablet.outbox()).map((op) => op.type);

describe("queueing changes", () => {
  test("starting an audit keeps it and queues its creation with the check-in and framework", async () => {
    const [op] = await tablet.outbox();
    assert.equal(op.type, "create");
    assert.deepEqual(op.body, {
      uuid: audit.uuid,
      location: 11,
      kind: "scheduled",
      framework: 7,
      checkin_latitude: "39.100000",
      checkin_longitude: "117.200000",
    });
    assert.equal((await tablet.store.get("audits", audit.uuid)).status, "draft");
    assert.deepEqual(tablet.changes.at(-1), { audit: audit.uuid });
  });

  test("consecutive answers of one audit go out as one operation, in the order given", async () => {
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.saveAnswer(audit.uuid, "R1", { kind: "value", number: "4" });
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: false });
    const ops = await tablet.outbox();
    assert.deepEqual(ops.map((op) => op.type), ["create", "answers"]);
    assert.deepEqual(Object.keys(ops[1].answers), ["YN1", "R1"]);
    assert.equal(ops[1].answers.YN1.yes, false, "the last value of an item wins");
    assert.equal(changesIn(ops[1]), 2);
    assert.deepEqual((await tablet.sync.pending()).changes, 3);
  });

  test("an answer after another kind of operation starts a new one: the order among them stays", async () => {
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    await tablet.sync.saveAnswer(audit.uuid, "R1", { kind: "value", number: "5" });
    assert.deepEqual(await types(), ["create", "answers", "photo", "answers"]);
    const ops = await tablet.outbox();
    assert.deepEqual(Object.keys(ops[1].answers), ["YN1", "PH"], "a photo item gets its (empty) answer first");
    assert.deepEqual(Object.keys(ops[3].answers), ["R1"]);
  });

  test("answers of two audits are never merged", async () => {
    const other = newAudit();
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.startAudit(other);
    await tablet.sync.saveAnswer(other.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.saveAnswer(audit.uuid, "YN2", { kind: "value", yes: true });
    const ops = await tablet.outbox();
    assert.deepEqual(ops.map((op) => [op.type, op.audit === audit.uuid]), [
      ["create", true],
      ["answers", true],
      ["create", false],
      ["answers", false],
      ["answers", true],
    ]);
  });

  test("an answer the server would refuse stays on the tablet, marked, and is not queued", async () => {
    const answer = await tablet.sync.saveAnswer(audit.uuid, "R1", { kind: "value", number: "9" });
    assert.equal(answer.issue, "a rating is a whole number from 1 to 5");
    assert.deepEqual(await types(), ["create"]);
    const fixed = await tablet.sync.saveAnswer(audit.uuid, "R1", { number: "3" });
    assert.equal(fixed.issue, "");
    assert.deepEqual(await types(), ["create", "answers"]);
  });

  test("clearing an answer drops its waiting value and queues the clearing", async () => {
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.saveAnswer(audit.uuid, "YN2", { kind: "value", yes: true });
    const cleared = await tablet.sync.clearAnswer(audit.uuid, "YN1");
    assert.equal(cleared.yes, null);
    const ops = await tablet.outbox();
    assert.deepEqual(ops.map((op) => op.type), ["create", "answers", "clear_answer"]);
    assert.deepEqual(Object.keys(ops[1].answers), ["YN2"]);
    await tablet.sync.clearAnswer(audit.uuid, "YN2");
    assert.deepEqual(await types(), ["create", "clear_answer", "clear_answer"], "an emptied operation goes");
  });

  test("a photo removed before its upload was tried is dropped and never sent", async () => {
    const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    assert.equal(await tablet.sync.removePhoto(audit.uuid, photo.id), "dropped");
    assert.deepEqual(await types(), ["create", "answers"]);
    assert.equal(await tablet.store.get("photos", photo.id), undefined);
    assert.equal(await tablet.sync.removePhoto(audit.uuid, photo.id), "gone");
  });

  test("submitting marks the audit queued and puts the submission last", async () => {
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.submit(audit.uuid);
    assert.deepEqual(await types(), ["create", "answers", "submit"]);
    assert.equal((await tablet.store.get("audits", audit.uuid)).status, "queued");
  });

  test("what waits for one audit: its items and photos, and whether the server has it yet", async () => {
    await tablet.sync.saveAnswer(audit.uuid, "YN1", { kind: "value", yes: true });
    const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    await tablet.sync.clearAnswer(audit.uuid, "R1");
    const pending = await tablet.sync.pendingFor(audit.uuid);
    assert.deepEqual([...pending.items].sort(), ["PH", "R1", "YN1"]);
    assert.deepEqual([...pending.photos], [photo.id]);
    assert.equal(pending.created, false);
  });
});
