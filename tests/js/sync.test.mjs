// Sending the outbox (sync.js, senders.js): in order, one operation at a time; a lost connection
// or a server in trouble keeps everything for later; a refusal holds back only its own audit; a
// conflict waits for the auditor; and every request can be sent again without harm.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";

import { jpeg, newAudit, openTablet } from "./harness.mjs";

let tablet;
let audit;
beforeEach(async () => {
  tablet = await openTablet();
  audit = newAudit();
  await tablet.sync.startAudit(audit);
});
afterEach(() => tablet.close());

const sent = () => tablet.server.requests.map(([method, path]) => `${method} ${path.replace(audit.uuid, "A")}`);
const answer = (code, patch) => tablet.sync.saveAnswer(audit.uuid, code, { kind: "value", ...patch });
const row = (code) => tablet.store.get("answers", [audit.uuid, code]);

describe("sending in order", () => {
  test("a day's work made offline goes out in the order it was made, then the outbox is empty", async () => {
    await answer("YN1", { yes: true });
    await answer("R1", { number: "4" });
    const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    await answer("YN2", { yes: false });
    await tablet.sync.submit(audit.uuid);
    await tablet.sync.syncNow();
    assert.deepEqual(sent(), [
      "POST /api/audits/",
      "POST /api/audits/A/answers/",
      "POST /api/audits/A/evidence/",
      "POST /api/audits/A/answers/",
      "POST /api/audits/A/submit/",
    ]);
    assert.deepEqual(await tablet.outbox(), []);
    assert.equal((await tablet.journal()).length, 5);
    const stored = await tablet.store.get("audits", audit.uuid);
    assert.equal(stored.status, "submitted");
    assert.equal(stored.score.audit.score, "100.00");
    assert.equal((await tablet.store.get("photos", photo.id)).state, "synced");
    assert.equal((await row("R1")).revision, 1, "the server's revision is kept for the next edit");
    assert.equal(tablet.sync.status.lastError, "");
  });

  test("an answer made while the previous one is in flight goes in a new operation, sent after it", async () => {
    await tablet.sync.syncNow();
    await answer("YN1", { yes: true });
    let release;
    tablet.server.failNext("POST", "/answers/", { hold: new Promise((resolve) => (release = resolve)) });
    const syncing = tablet.sync.syncNow();
    while (tablet.sync.inflight === null) await new Promise((resolve) => setTimeout(resolve, 1));
    await answer("YN2", { yes: true });
    const ops = await tablet.outbox();
    assert.deepEqual(ops.map((op) => Object.keys(op.answers)), [["YN1"], ["YN2"]]);
    release();
    await syncing;
    assert.deepEqual(tablet.server.calls("POST", "/answers/").map(([, , body]) => body.answers.map((a) => a.item)), [["YN1"], ["YN2"]]);
    assert.deepEqual(await tablet.outbox(), []);
  });

  test("the base revision is read when the answer is sent, so two quick edits never conflict", async () => {
    await answer("YN1", { yes: true });
    await tablet.sync.syncNow();
    await answer("YN1", { yes: false });
    await answer("YN2", { yes: true });
    await tablet.sync.syncNow();
    const last = tablet.server.calls("POST", "/answers/").at(-1)[2].answers;
    assert.deepEqual(last.map((a) => [a.item, a.base_revision]), [["YN1", 1], ["YN2", 0]]);
    assert.deepEqual(await tablet.outbox(), []);
  });
});

describe("when sending fails", () => {
  test("no connection: the queue stops, keeps everything, and sends it all once back online", async () => {
    await answer("YN1", { yes: true });
    tablet.server.online = false;
    await tablet.sync.syncNow();
    assert.equal(tablet.sync.status.lastError, "No connection.");
    assert.deepEqual((await tablet.outbox()).map((op) => op.type), ["create", "answers"]);
    tablet.server.online = true;
    await tablet.sync.syncNow();
    assert.deepEqual(await tablet.outbox(), []);
    assert.equal(tablet.sync.status.lastError, "");
    assert.ok(tablet.sync.status.lastSyncAt);
  });

  test("a server error stops the queue at that operation and retries it later", async () => {
    await answer("YN1", { yes: true });
    tablet.server.failNext("POST", "/answers/", { respond: () => new Response("", { status: 503 }) });
    await tablet.sync.syncNow();
    assert.equal(tablet.sync.status.lastError, "The server is having trouble (503).");
    assert.deepEqual((await tablet.outbox()).map((op) => [op.type, op.state]), [["answers", "pending"]]);
    assert.ok(tablet.sync.retryTimer, "a retry is scheduled");
    await tablet.sync.syncNow();
    assert.deepEqual(await tablet.outbox(), []);
  });

  test("signed out: nothing is lost and the tablet says to sign in again", async () => {
    tablet.server.failNext("POST", "/api/audits/", {
      respond: () => new Response(JSON.stringify({ detail: "Authentication credentials were not provided." }), { status: 401, headers: { "Content-Type": "application/json" } }),
    });
    await tablet.sync.syncNow();
    assert.equal(tablet.sync.status.signedOut, true);
    assert.deepEqual((await tablet.outbox()).map((op) => op.state), ["pending"]);
  });

  test("a refused operation is kept with the server's reason and holds back only its own audit", async () => {
    const other = newAudit();
    tablet.server.failNext("POST", "/api/audits/", {
      respond: () => new Response(JSON.stringify({ location: ["Not a location you may audit."] }), { status: 400, headers: { "Content-Type": "application/json" } }),
    });
    await answer("YN1", { yes: true });
    await tablet.sync.startAudit(other);
    await tablet.sync.saveAnswer(other.uuid, "YN1", { kind: "value", yes: true });
    await tablet.sync.syncNow();
    const ops = await tablet.outbox();
    assert.deepEqual(ops.map((op) => [op.type, op.state, op.audit === audit.uuid]), [
      ["create", "error", true],
      ["answers", "pending", true],
    ]);
    assert.equal(ops[0].error, "location: Not a location you may audit.");
    assert.ok(tablet.server.audits.has(other.uuid), "the other audit went through");
    const { changes, errors } = await tablet.sync.pending();
    assert.deepEqual([changes, errors.length], [1, 1]);
    await tablet.sync.retry(ops[0].seq);
    assert.deepEqual(await tablet.outbox(), [], "retried at the auditor's request, then the rest followed");
  });

  test("a refused operation can be discarded; what it carried stays on the tablet", async () => {
    tablet.server.failNext("POST", "/api/audits/", {
      respond: () => new Response(JSON.stringify({ detail: "No." }), { status: 403, headers: { "Content-Type": "application/json" } }),
    });
    await tablet.sync.syncNow();
    const [op] = await tablet.outbox();
    assert.equal(op.error, "No.");
    await tablet.sync.discard(op.seq);
    assert.deepEqual(await tablet.outbox(), []);
    assert.ok(await tablet.store.get("audits", audit.uuid));
  });

  test("answers the server refuses for good are marked on the tablet; the others are sent", async () => {
    await answer("YN1", { yes: true });
    await answer("NUM", { number: "123456789012345" });
    await tablet.sync.syncNow();
    assert.deepEqual(await tablet.outbox(), []);
    assert.equal((await row("NUM")).error, "number: Ensure that there are no more than 14 digits in total.");
    assert.equal(tablet.server.audits.get(audit.uuid).answers.get("YN1").yes, true);
  });

  test("a photo that is not an image is kept, marked refused, and the queue goes on", async () => {
    const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [new File(["x"], "notes.txt", { type: "text/plain" })]);
    await answer("YN1", { yes: true });
    await tablet.sync.syncNow();
    const kept = await tablet.store.get("photos", photo.id);
    assert.deepEqual([kept.state, kept.error], ["refused", "Upload a valid image."]);
    assert.deepEqual(await tablet.outbox(), []);
  });

  test("a submission the server finds incomplete brings the audit back with what is missing", async () => {
    tablet.server.required.add("R1");
    await tablet.sync.submit(audit.uuid);
    await tablet.sync.syncNow();
    const back = await tablet.store.get("audits", audit.uuid);
    assert.equal(back.status, "draft");
    assert.deepEqual(back.missing, [{ item: "R1", reason: "not answered" }]);
    assert.equal(back.error, "Items are missing.");
  });
});

describe("photos", () => {
  test("a photo removed after its upload was tried is removed on the server, after the upload", async () => {
    const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    await tablet.sync.syncNow();
    assert.equal(await tablet.sync.removePhoto(audit.uuid, photo.id), "queued");
    await tablet.sync.syncNow();
    const serverId = (await tablet.store.get("photos", photo.id)).server.id;
    assert.ok(sent().includes(`DELETE /api/audits/A/evidence/${serverId}/`));
    assert.deepEqual(tablet.server.audits.get(audit.uuid).photos, []);
    const marker = await tablet.store.get("photos", photo.id);
    assert.deepEqual([marker.state, marker.removed, marker.blob], ["removed", true, undefined]);
  });

  test("a photo whose upload may have reached the server is removed through the server", async () => {
    const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    tablet.server.failNext("POST", "/evidence/", { lose: true });
    await tablet.sync.syncNow();
    assert.equal(await tablet.sync.removePhoto(audit.uuid, photo.id), "queued");
    await tablet.sync.syncNow();
    assert.deepEqual(tablet.server.audits.get(audit.uuid).photos, [], "sent again (same photo, same id), then removed");
    assert.deepEqual(await tablet.outbox(), []);
  });
});

describe("replays", () => {
  test("every accepted operation sent a second time changes nothing on the server", async () => {
    await answer("YN1", { yes: true });
    await answer("R1", { number: "4" });
    await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg()]);
    await tablet.sync.clearAnswer(audit.uuid, "R1");
    await tablet.sync.submit(audit.uuid);
    await tablet.sync.syncNow();
    const before = structuredClone([...tablet.server.audits.get(audit.uuid).answers.values()]);
    const photos = structuredClone(tablet.server.audits.get(audit.uuid).photos);
    // As tests/e2e/test_auditor_day.py does in the browser: the journal's operations, queued again.
    for (const entry of await tablet.journal()) await tablet.store.put("outbox", entry.op);
    const count = tablet.server.requests.length;
    await tablet.sync.syncNow();
    assert.equal(tablet.server.requests.length, count * 2, "every one was sent again");
    assert.deepEqual(await tablet.outbox(), []);
    assert.deepEqual([...tablet.server.audits.get(audit.uuid).answers.values()], before);
    assert.deepEqual(tablet.server.audits.get(audit.uuid).photos, photos);
    assert.equal((await tablet.store.get("audits", audit.uuid)).status, "submitted");
  });

  test("answers whose reply was lost are recognised as the tablet's own when sent again", async () => {
    await answer("YN1", { yes: true });
    await tablet.sync.syncNow();
    tablet.server.failNext("POST", "/answers/", { lose: true });
    await answer("YN1", { yes: false });
    await tablet.sync.syncNow(); // the server took it; the tablet never heard
    await answer("YN1", { yes: true }); // a new edit over a revision the tablet has not seen
    await tablet.sync.syncNow();
    assert.deepEqual(await tablet.outbox(), []);
    assert.deepEqual((await tablet.store.get("audits", audit.uuid)).conflicts, []);
    assert.equal(tablet.server.audits.get(audit.uuid).answers.get("YN1").yes, true);
  });
});

describe("conflicts", () => {
  async function changedElsewhere(code, values) {
    await answer(code, { yes: true });
    await tablet.sync.syncNow();
    tablet.server.setAnswer(audit.uuid, code, { kind: "value", ...values }, 2); // another device
    await answer(code, { yes: false });
    await tablet.sync.syncNow();
  }

  test("an item changed on another device waits for the auditor; other audits go on", async () => {
    await changedElsewhere("YN1", { yes: true, comment: "from the phone" });
    const stored = await tablet.store.get("audits", audit.uuid);
    assert.deepEqual(stored.conflicts.map((c) => [c.item, c.server.comment]), [["YN1", "from the phone"]]);
    const ops = await tablet.outbox();
    assert.deepEqual(ops.map((op) => [op.type, op.state]), [["answers", "pending"]], "kept, not refused");
  });

  test("keep mine: sent again over the other device's revision", async () => {
    await changedElsewhere("YN1", { yes: true, comment: "from the phone" });
    await tablet.sync.chooseConflict(audit.uuid, "YN1", true);
    assert.deepEqual(await tablet.outbox(), []);
    const server = tablet.server.audits.get(audit.uuid).answers.get("YN1");
    assert.deepEqual([server.yes, server.revision], [false, 3]);
    assert.deepEqual((await tablet.store.get("audits", audit.uuid)).conflicts, []);
  });

  test("take theirs: the tablet takes the other device's answer and drops its own", async () => {
    await changedElsewhere("YN1", { yes: true, comment: "from the phone" });
    await tablet.sync.chooseConflict(audit.uuid, "YN1", false);
    assert.deepEqual(await tablet.outbox(), []);
    const mine = await row("YN1");
    assert.deepEqual([mine.yes, mine.comment, mine.revision], [true, "from the phone", 2]);
  });

  test("a photo's empty placeholder on the server is no conflict", async () => {
    await tablet.sync.syncNow();
    tablet.server.setAnswer(audit.uuid, "YN1", {}, 1); // the server made it for a photo
    await answer("YN1", { yes: true });
    await tablet.sync.syncNow();
    assert.deepEqual(await tablet.outbox(), []);
    assert.deepEqual((await tablet.store.get("audits", audit.uuid)).conflicts, []);
    assert.equal(tablet.server.audits.get(audit.uuid).answers.get("YN1").yes, true);
  });

  test("the same value on both devices is no conflict", async () => {
    await changedElsewhere("YN1", { yes: false });
    assert.deepEqual(await tablet.outbox(), []);
    assert.deepEqual((await tablet.store.get("audits", audit.uuid)).conflicts, []);
  });
});

test("the photos of a submitted audit stay on the tablet until sent", async () => {
  const [photo] = await tablet.sync.addPhotos(audit.uuid, "PH", [jpeg("counter")]);
  await tablet.sync.submit(audit.uuid);
  assert.equal(await (await tablet.store.get("photos", photo.id)).blob.text(), "counter");
});
