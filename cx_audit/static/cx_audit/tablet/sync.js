/* The outbox: every change is applied to the tablet's own copy at once and queued as an operation
   with a client-generated id; the queue is sent to the server in order, one operation at a time,
   whenever there is a connection.

   Rules that keep data safe:
   - an operation leaves the outbox only after the server accepted it (2xx), or after a 4xx that
     says it can never succeed, and then what it carried stays on the tablet, marked, for the
     auditor to see (a rejected photo, an answer the server refused, the missing items);
   - a network failure or a 5xx stops the queue, keeps everything, and retries later;
   - every request can be replayed: audits are created by client uuid, answers are upserted by
     item code, photos are deduplicated by hash, clearing an answer or removing a photo twice is
     harmless, and submitting twice answers the same score;
   - a photo removed before its upload was ever attempted is dropped on the tablet and never sent;
     once an upload may have reached the server, the removal is queued after it;
   - the base revision sent with an answer is read when the operation is sent, not when it was
     queued, so two quick edits of one item never conflict with each other.
   Consecutive answers of one audit are merged into one operation (never into the one in flight),
   so sixty taps made offline go out as one request, still in their order among the others.

   The pieces: answers.js (an answer's values), senders.js (the request of each kind of operation
   and what its answer changes here), drafts.js (drafts the server has), store.js (IndexedDB). */

import { ApiError, NetworkError, describe } from "./api.js";
import { answerValues } from "./answers.js";
import { mergeDrafts } from "./drafts.js";
import { answerIssue } from "./score.js";
import { send } from "./senders.js";
import { req } from "./store.js";

const RETRY_MS = [3000, 6000, 15000, 30000, 60000];

export const newId = () => crypto.randomUUID();

/* What each kind of operation is called when the server refuses it. */
export const OP_LABELS = {
  create: "Starting the audit",
  answers: "Answers",
  clear_answer: "Clearing an answer",
  photo: "A photo",
  remove_photo: "Removing a photo",
  submit: "Submitting",
};

/* How many changes an operation carries: each answer counts, as the auditor made them. */
export function changesIn(op) {
  return op.type === "answers" ? Object.keys(op.answers).length : 1;
}

export class Sync {
  constructor(store, apiRoot, { onChange = () => {}, itemRule = () => null } = {}) {
    this.store = store;
    this.api = apiRoot;
    this.onChange = onChange;
    this.itemRule = itemRule; // (audit uuid, item code) → the framework item, to check answers
    this.inflight = null;
    this.running = null;
    this.again = false;
    this.retryTimer = null;
    this.retryIndex = 0;
    this.status = { lastError: "", signedOut: false, lastSyncAt: null, sending: false };
  }

  changed(detail = {}) {
    this.onChange(detail);
  }

  // --- local changes, each with its operation, in one transaction ---------------------------

  async startAudit(audit) {
    const body = { uuid: audit.uuid, location: audit.location, kind: audit.kind };
    // The version the checklist was drawn from: the audit stays on it even if HQ publishes a new
    // one before this request reaches the server.
    if (audit.framework !== undefined && audit.framework !== null) body.framework = audit.framework;
    if (audit.checkin?.latitude !== undefined && audit.checkin?.latitude !== null) {
      body.checkin_latitude = audit.checkin.latitude.toFixed(6);
      body.checkin_longitude = audit.checkin.longitude.toFixed(6);
    }
    await this.store.run(["audits", "outbox"], "readwrite", async (s) => {
      await req(s.audits.put(audit));
      await req(s.outbox.add(this.op("create", audit.uuid, { body })));
    });
    this.changed({ audit: audit.uuid });
    this.soon();
  }

  op(type, audit, fields) {
    return { id: newId(), type, audit, state: "pending", createdAt: new Date().toISOString(), ...fields };
  }

  /* Save what the auditor gave for an item; queue it when the server would accept it. Returns the
     local answer, with `issue` saying why it is kept on the tablet only, if it is. */
  async saveAnswer(auditUuid, code, patch) {
    const rule = this.itemRule(auditUuid, code);
    const answer = await this.store.run(["answers", "outbox"], "readwrite", async (s) => {
      const existing = await req(s.answers.get([auditUuid, code]));
      const next = { revision: null, ...existing, ...patch, audit: auditUuid, item: code, updatedAt: Date.now(), error: "" };
      next.issue = rule ? answerIssue(rule, next) || "" : "";
      await req(s.answers.put(next));
      if (!next.issue) await this.queueAnswer(s.outbox, auditUuid, code, answerValues(next));
      return next;
    });
    this.changed({ audit: auditUuid, item: code });
    this.soon();
    return answer;
  }

  async queueAnswer(outbox, auditUuid, code, values) {
    const cursor = await req(outbox.openCursor(null, "prev"));
    const last = cursor?.value;
    if (last && last.type === "answers" && last.audit === auditUuid && last.state === "pending" && last.seq !== this.inflight) {
      last.answers[code] = values;
      await req(outbox.put(last));
    } else {
      await req(outbox.add(this.op("answers", auditUuid, { answers: { [code]: values } })));
    }
  }

  /* Keep the photos themselves on the tablet (as Blobs, read now: a camera file handle may not
     outlive the page) and queue each upload. A photo item gets its (empty) answer queued first. */
  async addPhotos(auditUuid, code, files) {
    const rule = this.itemRule(auditUuid, code);
    const photos = [];
    for (const file of files) {
      const blob = new Blob([await file.arrayBuffer()], { type: file.type || "application/octet-stream" });
      photos.push({
        id: newId(),
        audit: auditUuid,
        item: code,
        blob,
        name: file.name || "photo.jpg",
        size: blob.size,
        state: "pending",
        createdAt: Date.now(),
      });
    }
    await this.store.run(["answers", "photos", "outbox"], "readwrite", async (s) => {
      const existing = await req(s.answers.get([auditUuid, code]));
      if (!existing && rule?.answer_type === "photo") {
        const answer = { revision: null, kind: "value", yes: null, number: null, list_price: null, text: "", comment: "", audit: auditUuid, item: code, updatedAt: Date.now(), error: "", issue: "" };
        await req(s.answers.put(answer));
        await this.queueAnswer(s.outbox, auditUuid, code, answerValues(answer));
      }
      for (const photo of photos) {
        await req(s.photos.put(photo));
        await req(s.outbox.add(this.op("photo", auditUuid, { photo: photo.id, item: code })));
      }
    });
    this.changed({ audit: auditUuid, item: code });
    this.soon();
    return photos;
  }

  /* Take an answer back: the item is unanswered again (its photos stay), here at once and on the
     server in its turn. The item's value still waiting in earlier operations is dropped from
     them: the clearing would undo it anyway. */
  async clearAnswer(auditUuid, code) {
    const answer = await this.store.run(["answers", "outbox"], "readwrite", async (s) => {
      const existing = (await req(s.answers.get([auditUuid, code]))) || { revision: null };
      const next = { ...existing, ...answerValues({}), audit: auditUuid, item: code, updatedAt: Date.now(), error: "", issue: "" };
      await req(s.answers.put(next));
      let cursor = await req(s.outbox.index("audit").openCursor(IDBKeyRange.only(auditUuid)));
      while (cursor) {
        const op = cursor.value;
        if (op.type === "answers" && op.state === "pending" && op.seq !== this.inflight && code in op.answers) {
          delete op.answers[code];
          await req(Object.keys(op.answers).length ? cursor.update(op) : cursor.delete());
        }
        cursor.continue();
        cursor = await req(cursor.request);
      }
      await req(s.outbox.add(this.op("clear_answer", auditUuid, { item: code })));
      return next;
    });
    this.changed({ audit: auditUuid, item: code });
    this.soon();
    return answer;
  }

  /* Remove a photo. Never tried to upload: dropped here, nothing is sent. Otherwise (sent, or
     perhaps sent) it is hidden at once and its removal queued after the upload, which tells the
     server's id of the photo. Returns what happened: "dropped", "queued" or "gone". */
  async removePhoto(auditUuid, photoId) {
    let item = null;
    const outcome = await this.store.run(["photos", "outbox"], "readwrite", async (s) => {
      const photo = await req(s.photos.get(photoId));
      if (!photo || photo.removed) return "gone";
      item = photo.item;
      let upload = null;
      let cursor = await req(s.outbox.index("audit").openCursor(IDBKeyRange.only(auditUuid)));
      while (cursor) {
        if (cursor.value.type === "photo" && cursor.value.photo === photoId) upload = cursor.value;
        cursor.continue();
        cursor = await req(cursor.request);
      }
      if (upload && !upload.tried && upload.seq !== this.inflight) {
        await req(s.outbox.delete(upload.seq));
        await req(s.photos.delete(photoId));
        return "dropped";
      }
      if (!upload && !photo.server?.id) {
        await req(s.photos.delete(photoId)); // refused by the server: it never held it
        return "dropped";
      }
      photo.removed = true;
      await req(s.photos.put(photo));
      await req(s.outbox.add(this.op("remove_photo", auditUuid, { photo: photoId, item: photo.item })));
      return "queued";
    });
    this.changed({ audit: auditUuid, item });
    if (outcome === "queued") this.soon();
    return outcome;
  }

  async submit(auditUuid) {
    await this.store.run(["audits", "outbox"], "readwrite", async (s) => {
      const audit = await req(s.audits.get(auditUuid));
      audit.status = "queued";
      audit.submittedAt = new Date().toISOString();
      audit.missing = [];
      audit.error = "";
      await req(s.audits.put(audit));
      await req(s.outbox.add(this.op("submit", auditUuid, {})));
    });
    this.changed({ audit: auditUuid });
    this.soon();
  }

  // --- what is waiting -------------------------------------------------------------------------

  async pending() {
    const ops = await this.store.all("outbox");
    const errors = ops.filter((op) => op.state === "error");
    return {
      ops,
      changes: ops.filter((op) => op.state !== "error").reduce((n, op) => n + changesIn(op), 0),
      errors,
    };
  }

  /* Items and photos of one audit still waiting for the server. */
  async pendingFor(auditUuid) {
    const ops = await this.store.byAudit("outbox", auditUuid);
    const items = new Set();
    const photos = new Set();
    for (const op of ops) {
      if (op.type === "answers") Object.keys(op.answers).forEach((code) => items.add(code));
      if (op.type === "clear_answer" || (op.type === "remove_photo" && op.item)) items.add(op.item);
      if (op.type === "photo" || op.type === "remove_photo") photos.add(op.photo);
    }
    return { ops, items, photos, created: !ops.some((op) => op.type === "create") };
  }

  // --- sending -----------------------------------------------------------------------------

  /* Sync in a moment: changes made in a burst of taps go out together. */
  soon(delayMs = 400) {
    clearTimeout(this.soonTimer);
    if (!navigator.onLine) return; // the "online" event will start it
    this.soonTimer = setTimeout(() => this.syncNow(), delayMs);
  }

  syncNow() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const work = async () => {
      do {
        this.again = false;
        await this.drain();
      } while (this.again);
    };
    // One tab at a time sends the queue (two tabs of the app would otherwise send each op twice).
    const locked = navigator.locks ? () => navigator.locks.request("cx-tablet-sync", work) : work;
    this.running = locked().finally(() => {
      this.running = null;
      this.status.sending = false;
      this.changed();
    });
    return this.running;
  }

  /* Retry/discard an operation the server refused, at the auditor's request. */
  async retry(seq) {
    const op = await this.store.get("outbox", seq);
    if (op) {
      op.state = "pending";
      op.error = "";
      await this.store.put("outbox", op);
    }
    this.changed();
    return this.syncNow();
  }

  async discard(seq) {
    await this.store.delete("outbox", seq);
    this.changed();
  }

  async nextOp(blocked) {
    return this.store.run(["outbox"], "readwrite", async (s) => {
      let cursor = await req(s.outbox.openCursor());
      while (cursor) {
        const op = cursor.value;
        if (op.state === "error") blocked.add(op.audit);
        else if (!blocked.has(op.audit)) {
          this.inflight = op.seq; // set in the reading transaction: no merge can slip in after
          if (op.type === "photo" && !op.tried) {
            // From now on the server may hold this photo: removing it must go through the server.
            op.tried = true;
            await req(cursor.update(op));
          }
          return op;
        }
        cursor.continue();
        cursor = await req(cursor.request);
      }
      return null;
    });
  }

  async drain() {
    const blocked = new Set();
    clearTimeout(this.retryTimer);
    for (;;) {
      const op = await this.nextOp(blocked);
      if (!op) break;
      this.status.sending = true;
      this.changed();
      let outcome;
      try {
        outcome = await this.send(op);
        this.status.lastError = "";
        this.status.signedOut = false;
        this.retryIndex = 0;
      } catch (error) {
        outcome = await this.failed(op, error);
      } finally {
        this.inflight = null;
      }
      this.changed({ audit: op.audit });
      if (outcome === "stop") return;
      if (outcome === "blocked") blocked.add(op.audit);
    }
    this.status.lastSyncAt = new Date().toISOString();
  }

  /* A failure: stop and retry later (connection, server trouble, signed out), or mark the
     operation as refused, keep it, and hold back the rest of its audit. */
  async failed(op, error) {
    if (error instanceof NetworkError || (error instanceof ApiError && (error.status >= 500 || [408, 429].includes(error.status)))) {
      this.status.lastError = error instanceof NetworkError ? error.message : `The server is having trouble (${error.status}).`;
      this.scheduleRetry();
      return "stop";
    }
    if (error instanceof ApiError && (error.status === 401 || (error.status === 403 && /csrf/i.test(describe(error))))) {
      this.status.signedOut = true;
      this.status.lastError = "Sign in again to sync; nothing is lost.";
      return "stop";
    }
    op.state = "error";
    op.error = describe(error);
    op.status = error.status || 0;
    await this.store.put("outbox", op);
    return "blocked";
  }

  scheduleRetry() {
    clearTimeout(this.retryTimer);
    const delay = RETRY_MS[Math.min(this.retryIndex, RETRY_MS.length - 1)];
    this.retryIndex += 1;
    this.retryTimer = setTimeout(() => navigator.onLine && this.syncNow(), delay);
  }

  url(path) {
    return `${this.api}${path}`;
  }

  send(op) {
    return send(this, op);
  }

  /* Stop the timers (a retry, a sync "in a moment"): the page is going away, or a test ended. */
  stop() {
    clearTimeout(this.soonTimer);
    clearTimeout(this.retryTimer);
  }

  /* The auditor's choice on a conflicting item: keep the tablet's answer (sent again over the
     server's revision) or take the server's. */
  async chooseConflict(auditUuid, code, keepMine) {
    await this.store.run(["audits", "answers", "outbox"], "readwrite", async (s) => {
      const audit = await req(s.audits.get(auditUuid));
      const conflict = (audit.conflicts || []).find((c) => c.item === code);
      if (!conflict) return;
      audit.conflicts = audit.conflicts.filter((c) => c.item !== code);
      await req(s.audits.put(audit));
      const row = (await req(s.answers.get([auditUuid, code]))) || { audit: auditUuid, item: code };
      row.revision = conflict.server.revision;
      if (!keepMine) Object.assign(row, answerValues(conflict.server), { issue: "", error: "" });
      await req(s.answers.put(row));
      if (!keepMine) {
        // Drop the tablet's value (or its clearing) for this item from every queued operation.
        let cursor = await req(s.outbox.index("audit").openCursor(IDBKeyRange.only(auditUuid)));
        while (cursor) {
          const op = cursor.value;
          if (op.type === "answers" && code in op.answers) {
            delete op.answers[code];
            await req(Object.keys(op.answers).length ? cursor.update(op) : cursor.delete());
          } else if (op.type === "clear_answer" && op.item === code && op.seq !== this.inflight) {
            await req(cursor.delete());
          }
          cursor.continue();
          cursor = await req(cursor.request);
        }
      }
    });
    this.changed({ audit: auditUuid, item: code });
    return this.syncNow();
  }

  /* Drafts from the bootstrap (drafts.js). */
  mergeDrafts(drafts) {
    return mergeDrafts(this.store, drafts);
  }
}
