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
   so sixty taps made offline go out as one request, still in their order among the others. */

import { ApiError, NetworkError, request } from "./api.js";
import { answerIssue } from "./score.js";
import { JOURNAL_LIMIT, req } from "./store.js";

const VALUE_FIELDS = ["kind", "yes", "number", "list_price", "text", "comment"];
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

export function answerValues(answer) {
  return Object.fromEntries(VALUE_FIELDS.map((name) => [name, answer[name] ?? (name === "yes" ? null : defaultOf(name))]));
}

function defaultOf(name) {
  return ["number", "list_price"].includes(name) ? null : name === "kind" ? "value" : "";
}

const sameNumber = (a, b) => (a === null || a === undefined || a === "" ? null : Number(a)) === (b === null || b === undefined || b === "" ? null : Number(b));

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
function emptyAnswer(answer) {
  return (
    (answer.revision ?? 0) === 0 ||
    (answer.kind === "value" && answer.yes === null && answer.number === null && answer.list_price === null && !answer.text && !answer.comment)
  );
}

/* "SIG-01: text: write down…" → {"SIG-01": "text: write down…"} */
function errorsByItem(body) {
  const found = {};
  for (const line of body?.answers || []) {
    const match = /^([^:]+):\s*(.*)$/s.exec(String(line));
    if (match) found[match[1].trim()] = match[2];
  }
  return found;
}

function describe(error) {
  if (error instanceof ApiError) {
    const body = error.body || {};
    if (typeof body.detail === "string") return body.detail;
    const parts = Object.entries(body).map(([field, value]) => `${field}: ${[].concat(value).join(" ")}`);
    return parts.join("; ") || error.message;
  }
  return error.message;
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

  async send(op) {
    switch (op.type) {
      case "create":
        return this.sendCreate(op);
      case "answers":
        return this.sendAnswers(op);
      case "clear_answer":
        return this.sendClearAnswer(op);
      case "photo":
        return this.sendPhoto(op);
      case "remove_photo":
        return this.sendRemovePhoto(op);
      case "submit":
        return this.sendSubmit(op);
      default:
        throw new ApiError(400, { detail: `Unknown operation ${op.type}` });
    }
  }

  /* Remove the operation and remember it in the journal, in the transaction of its outcome. */
  async done(op, s, requestBody) {
    await req(s.outbox.delete(op.seq));
    const journal = s.journal;
    const { seq: _seq, ...replayable } = op;
    await req(journal.add({ op: { ...replayable, state: "pending", error: "" }, sent: requestBody ?? null, at: new Date().toISOString() }));
    const count = await req(journal.count());
    if (count > JOURNAL_LIMIT) {
      const cursor = await req(journal.openCursor());
      if (cursor) await req(journal.delete(cursor.primaryKey));
    }
  }

  async sendCreate(op) {
    const { data } = await request("POST", this.url("audits/"), { json: op.body });
    await this.store.run(["audits", "outbox", "journal"], "readwrite", async (s) => {
      const audit = await req(s.audits.get(op.audit));
      if (audit) {
        audit.server = data;
        await req(s.audits.put(audit));
      }
      await this.done(op, s, op.body);
    });
    return "ok";
  }

  async sendAnswers(op) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (attempt > 0) {
        // Read the operation again: while the request was out, the auditor may have taken the
        // other device's answer, which takes the item out of it.
        const current = await this.store.get("outbox", op.seq);
        if (!current) return "ok";
        op = current;
      }
      const codes = Object.keys(op.answers);
      if (!codes.length) {
        await this.store.run(["outbox", "journal"], "readwrite", (s) => this.done(op, s));
        return "ok";
      }
      // Read each item's last seen revision now, and note what is being sent: if the answer is
      // lost on the way back, the next attempt recognises its own earlier value on the server.
      const local = await this.store.run(["answers"], "readwrite", async (s) => {
        const rows = [];
        for (const code of codes) {
          const row = await req(s.answers.get([op.audit, code]));
          if (row) {
            row.sent = [...(row.sent || []).slice(-4), op.answers[code]];
            await req(s.answers.put(row));
          }
          rows.push(row);
        }
        return rows;
      });
      const answers = codes.map((code, i) => ({ item: code, ...op.answers[code], base_revision: local[i]?.revision ?? 0 }));
      try {
        const { data } = await request("POST", this.url(`audits/${op.audit}/answers/`), { json: { answers } });
        const byCode = Object.fromEntries(data.map((a) => [a.item, a]));
        await this.store.run(["answers", "outbox", "journal"], "readwrite", async (s) => {
          for (const code of codes) {
            const row = await req(s.answers.get([op.audit, code]));
            if (row && byCode[code]) {
              row.revision = byCode[code].revision ?? row.revision;
              row.error = "";
              await req(s.answers.put(row));
            }
          }
          await this.done(op, s, { answers });
        });
        return "ok";
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 409 && Array.isArray(error.body?.conflicts)) {
          const real = await this.resolveConflicts(op, error.body.conflicts);
          if (real) return "blocked";
          continue; // only placeholders or agreeing values: resend with the server's revisions
        }
        if (error.status === 400 && error.body?.answers) {
          const refused = errorsByItem(error.body);
          if (Object.keys(refused).some((code) => code in op.answers)) {
            await this.refuseAnswers(op, refused);
            return "ok";
          }
        }
        throw error;
      }
    }
    throw new ApiError(409, { detail: "The answers kept conflicting with the server's; open the audit to choose." });
  }

  /* Conflicts that are not real (a photo placeholder, or the same value on both sides) are taken
     over silently; real ones are kept on the audit for the auditor to choose. True if any is real. */
  async resolveConflicts(op, conflicts) {
    return this.store.run(["audits", "answers"], "readwrite", async (s) => {
      const real = [];
      for (const { item, server } of conflicts) {
        const row = await req(s.answers.get([op.audit, item]));
        if (!row) continue;
        const ours = [op.answers[item] || row, ...(row.sent || [])];
        // Already seen: the auditor chose while this request was out (its base was older).
        const seen = row.revision !== null && row.revision !== undefined && row.revision >= server.revision;
        if (seen || emptyAnswer(server) || ours.some((values) => sameAnswer(server, values))) {
          row.revision = Math.max(row.revision ?? 0, server.revision);
          await req(s.answers.put(row));
        } else {
          real.push({ item, server });
        }
      }
      if (real.length) {
        const audit = await req(s.audits.get(op.audit));
        audit.conflicts = real;
        await req(s.audits.put(audit));
      }
      return real.length > 0;
    });
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

  /* The server refused some answers for good: keep them on the tablet, marked with its reason,
     and send the rest. */
  async refuseAnswers(op, refused) {
    await this.store.run(["answers", "outbox"], "readwrite", async (s) => {
      const current = await req(s.outbox.get(op.seq));
      for (const [code, message] of Object.entries(refused)) {
        const row = await req(s.answers.get([op.audit, code]));
        if (row) {
          row.error = message;
          await req(s.answers.put(row));
        }
        if (current) delete current.answers[code];
      }
      if (current) await req(Object.keys(current.answers).length ? s.outbox.put(current) : s.outbox.delete(op.seq));
    });
  }

  async sendClearAnswer(op) {
    const url = this.url(`audits/${op.audit}/answers/${encodeURIComponent(op.item)}/`);
    await request("DELETE", url);
    await this.store.run(["outbox", "journal"], "readwrite", (s) => this.done(op, s, { item: op.item }));
    return "ok";
  }

  /* The photo's server id is known once its upload went through (the upload comes first in the
     queue); a photo the server refused or never got is only forgotten here. What is left on the
     tablet is a marker without the image, so a bootstrap read before the removal cannot bring the
     photo back. */
  async sendRemovePhoto(op) {
    const photo = await this.store.get("photos", op.photo);
    const serverId = photo?.server?.id;
    if (serverId !== undefined && serverId !== null) {
      await request("DELETE", this.url(`audits/${op.audit}/evidence/${serverId}/`));
    }
    await this.store.run(["photos", "outbox", "journal"], "readwrite", async (s) => {
      const row = await req(s.photos.get(op.photo));
      if (row) await req(s.photos.put({ id: row.id, audit: row.audit, item: row.item, server: row.server ? { id: row.server.id } : null, state: "removed", removed: true, createdAt: row.createdAt }));
      await this.done(op, s, { item: op.item, photo: op.photo, evidence: serverId ?? null });
    });
    return "ok";
  }

  async sendPhoto(op) {
    const photo = await this.store.get("photos", op.photo);
    if (!photo || !photo.blob) {
      await this.store.run(["outbox", "journal"], "readwrite", (s) => this.done(op, s));
      return "ok";
    }
    const form = new FormData();
    form.append("item", op.item);
    form.append("file", photo.blob, photo.name);
    let data;
    try {
      ({ data } = await request("POST", this.url(`audits/${op.audit}/evidence/`), { form, timeoutMs: 120000 }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.body?.file) {
        // Not an image, or too large: it never will be accepted; keep it, shown with the reason.
        await this.store.run(["photos", "outbox", "journal"], "readwrite", async (s) => {
          const row = await req(s.photos.get(op.photo));
          row.state = "refused";
          row.error = [].concat(error.body.file).join(" ");
          await req(s.photos.put(row));
          await this.done(op, s, { item: op.item, photo: op.photo });
        });
        return "ok";
      }
      throw error;
    }
    await this.store.run(["photos", "outbox", "journal"], "readwrite", async (s) => {
      const row = await req(s.photos.get(op.photo));
      if (row) {
        row.state = "synced";
        row.server = data;
        await req(s.photos.put(row));
      }
      await this.done(op, s, { item: op.item, photo: op.photo, sha256: data.sha256 });
    });
    return "ok";
  }

  async sendSubmit(op) {
    let data;
    try {
      ({ data } = await request("POST", this.url(`audits/${op.audit}/submit/`), { json: {} }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Array.isArray(error.body?.missing)) {
        // Not complete on the server: back to the checklist with exactly what is missing.
        await this.store.run(["audits", "outbox", "journal"], "readwrite", async (s) => {
          const audit = await req(s.audits.get(op.audit));
          audit.status = "draft";
          audit.missing = error.body.missing;
          audit.error = describe(error);
          await req(s.audits.put(audit));
          await this.done(op, s);
        });
        return "ok";
      }
      throw error;
    }
    await this.store.run(["audits", "outbox", "journal"], "readwrite", async (s) => {
      const audit = await req(s.audits.get(op.audit));
      audit.status = "submitted";
      audit.score = data;
      audit.server = data.audit;
      audit.missing = [];
      audit.error = "";
      await req(s.audits.put(audit));
      await this.done(op, s);
    });
    return "ok";
  }

  // --- what the server knows that the tablet does not ------------------------------------------

  /* Drafts from the bootstrap: one started on another device (or before this tablet's data was
     cleared) is taken in whole; for one the tablet has, the server's newer answers are taken
     where the tablet has nothing waiting for that item (otherwise the conflict check decides). */
  async mergeDrafts(drafts) {
    if (!drafts?.length) return;
    const outbox = await this.store.all("outbox");
    await this.store.run(["audits", "answers", "photos"], "readwrite", async (s) => {
      for (const draft of drafts) {
        let audit = await req(s.audits.get(draft.uuid));
        if (!audit) {
          audit = {
            uuid: draft.uuid,
            location: draft.location,
            brand: draft.brand,
            framework: draft.framework,
            kind: draft.kind,
            status: "draft",
            startedAt: draft.started_at,
            checkin: { distanceM: draft.checkin_distance_m, outside: draft.outside_geofence, fromServer: true },
            server: draft,
            missing: [],
            conflicts: [],
          };
          await req(s.audits.put(audit));
        }
        if (audit.status !== "draft") continue;
        const waiting = new Set(
          outbox
            .filter((op) => op.audit === draft.uuid && (op.type === "answers" || op.type === "clear_answer"))
            .flatMap((op) => (op.type === "answers" ? Object.keys(op.answers) : [op.item])),
        );
        const known = new Set((await req(s.photos.index("audit").getAll(draft.uuid))).map((p) => p.server?.id).filter(Boolean));
        for (const answer of draft.answers || []) {
          const row = await req(s.answers.get([draft.uuid, answer.item]));
          // An edit still on the tablet (queued, or incomplete and kept here) is never overwritten.
          const mine = waiting.has(answer.item) || !!row?.issue;
          const newer = !row || (!mine && (answer.revision ?? 0) > (row.revision ?? 0));
          if (newer && (answer.revision ?? 0) > 0) {
            await req(s.answers.put({ ...answerValues(answer), audit: draft.uuid, item: answer.item, revision: answer.revision, updatedAt: Date.now(), error: "", issue: "" }));
          }
          for (const photo of answer.photos || []) {
            if (known.has(photo.id)) continue;
            await req(s.photos.put({ id: `server-${photo.id}`, audit: draft.uuid, item: answer.item, state: "synced", server: photo, createdAt: Date.now() }));
          }
        }
      }
    });
  }
}
