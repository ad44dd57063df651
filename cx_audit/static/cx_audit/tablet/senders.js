/* What each queued operation sends, and what the server's answer changes on the tablet. Called by
   the outbox (sync.js) one operation at a time, in order; each returns "ok" when the operation
   left the outbox, "blocked" when its audit must wait for the auditor, or throws to stop the
   queue (sync.js decides what a failure means). Every request here can be replayed: see sync.js. */

import { ApiError, describe, request } from "./api.js";
import { emptyAnswer, sameAnswer } from "./answers.js";
import { JOURNAL_LIMIT, req } from "./store.js";

/* "SIG-01: text: write down…" → {"SIG-01": "text: write down…"} */
function errorsByItem(body) {
  const found = {};
  for (const line of body?.answers || []) {
    const match = /^([^:]+):\s*(.*)$/s.exec(String(line));
    if (match) found[match[1].trim()] = match[2];
  }
  return found;
}

/* Remove the operation and remember it in the journal, in the transaction of its outcome. */
async function done(op, s, requestBody) {
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

async function sendCreate(sync, op) {
  const { data } = await request("POST", sync.url("audits/"), { json: op.body });
  await sync.store.run(["audits", "outbox", "journal"], "readwrite", async (s) => {
    const audit = await req(s.audits.get(op.audit));
    if (audit) {
      audit.server = data;
      await req(s.audits.put(audit));
    }
    await done(op, s, op.body);
  });
  return "ok";
}

/* Read each item's last seen revision now, and note what is being sent: if the answer is lost on
   the way back, the next attempt recognises its own earlier value on the server. */
async function baseRevisions(store, op, codes) {
  const local = await store.run(["answers"], "readwrite", async (s) => {
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
  return codes.map((code, i) => ({ item: code, ...op.answers[code], base_revision: local[i]?.revision ?? 0 }));
}

async function sendAnswers(sync, op) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (attempt > 0) {
      // Read the operation again: while the request was out, the auditor may have taken the
      // other device's answer, which takes the item out of it.
      const current = await sync.store.get("outbox", op.seq);
      if (!current) return "ok";
      op = current;
    }
    const codes = Object.keys(op.answers);
    if (!codes.length) {
      await sync.store.run(["outbox", "journal"], "readwrite", (s) => done(op, s));
      return "ok";
    }
    const answers = await baseRevisions(sync.store, op, codes);
    try {
      const { data } = await request("POST", sync.url(`audits/${op.audit}/answers/`), { json: { answers } });
      await answersAccepted(sync.store, op, codes, data, answers);
      return "ok";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409 && Array.isArray(error.body?.conflicts)) {
        const real = await resolveConflicts(sync.store, op, error.body.conflicts);
        if (real) return "blocked";
        continue; // only placeholders or agreeing values: resend with the server's revisions
      }
      if (error.status === 400 && error.body?.answers) {
        const refused = errorsByItem(error.body);
        if (Object.keys(refused).some((code) => code in op.answers)) {
          await refuseAnswers(sync.store, op, refused);
          return "ok";
        }
      }
      throw error;
    }
  }
  throw new ApiError(409, { detail: "The answers kept conflicting with the server's; open the audit to choose." });
}

async function answersAccepted(store, op, codes, data, answers) {
  const byCode = Object.fromEntries(data.map((a) => [a.item, a]));
  await store.run(["answers", "outbox", "journal"], "readwrite", async (s) => {
    for (const code of codes) {
      const row = await req(s.answers.get([op.audit, code]));
      if (row && byCode[code]) {
        row.revision = byCode[code].revision ?? row.revision;
        row.error = "";
        await req(s.answers.put(row));
      }
    }
    await done(op, s, { answers });
  });
}

/* Conflicts that are not real (a photo placeholder, or the same value on both sides) are taken
   over silently; real ones are kept on the audit for the auditor to choose. True if any is real. */
async function resolveConflicts(store, op, conflicts) {
  return store.run(["audits", "answers"], "readwrite", async (s) => {
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

/* The server refused some answers for good: keep them on the tablet, marked with its reason,
   and send the rest. */
async function refuseAnswers(store, op, refused) {
  await store.run(["answers", "outbox"], "readwrite", async (s) => {
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

async function sendClearAnswer(sync, op) {
  const url = sync.url(`audits/${op.audit}/answers/${encodeURIComponent(op.item)}/`);
  await request("DELETE", url);
  await sync.store.run(["outbox", "journal"], "readwrite", (s) => done(op, s, { item: op.item }));
  return "ok";
}

/* The photo's server id is known once its upload went through (the upload comes first in the
   queue); a photo the server refused or never got is only forgotten here. What is left on the
   tablet is a marker without the image, so a bootstrap read before the removal cannot bring the
   photo back. */
async function sendRemovePhoto(sync, op) {
  const photo = await sync.store.get("photos", op.photo);
  const serverId = photo?.server?.id;
  if (serverId !== undefined && serverId !== null) {
    await request("DELETE", sync.url(`audits/${op.audit}/evidence/${serverId}/`));
  }
  await sync.store.run(["photos", "outbox", "journal"], "readwrite", async (s) => {
    const row = await req(s.photos.get(op.photo));
    if (row) await req(s.photos.put({ id: row.id, audit: row.audit, item: row.item, server: row.server ? { id: row.server.id } : null, state: "removed", removed: true, createdAt: row.createdAt }));
    await done(op, s, { item: op.item, photo: op.photo, evidence: serverId ?? null });
  });
  return "ok";
}

async function sendPhoto(sync, op) {
  const photo = await sync.store.get("photos", op.photo);
  if (!photo || !photo.blob) {
    await sync.store.run(["outbox", "journal"], "readwrite", (s) => done(op, s));
    return "ok";
  }
  const form = new FormData();
  form.append("item", op.item);
  form.append("file", photo.blob, photo.name);
  let data;
  try {
    ({ data } = await request("POST", sync.url(`audits/${op.audit}/evidence/`), { form, timeoutMs: 120000 }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && error.body?.file) {
      // Not an image, or too large: it never will be accepted; keep it, shown with the reason.
      await sync.store.run(["photos", "outbox", "journal"], "readwrite", async (s) => {
        const row = await req(s.photos.get(op.photo));
        row.state = "refused";
        row.error = [].concat(error.body.file).join(" ");
        await req(s.photos.put(row));
        await done(op, s, { item: op.item, photo: op.photo });
      });
      return "ok";
    }
    throw error;
  }
  await sync.store.run(["photos", "outbox", "journal"], "readwrite", async (s) => {
    const row = await req(s.photos.get(op.photo));
    if (row) {
      row.state = "synced";
      row.server = data;
      await req(s.photos.put(row));
    }
    await done(op, s, { item: op.item, photo: op.photo, sha256: data.sha256 });
  });
  return "ok";
}

async function sendSubmit(sync, op) {
  let data;
  try {
    ({ data } = await request("POST", sync.url(`audits/${op.audit}/submit/`), { json: {} }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && Array.isArray(error.body?.missing)) {
      // Not complete on the server: back to the checklist with exactly what is missing.
      await sync.store.run(["audits", "outbox", "journal"], "readwrite", async (s) => {
        const audit = await req(s.audits.get(op.audit));
        audit.status = "draft";
        audit.missing = error.body.missing;
        audit.error = describe(error);
        await req(s.audits.put(audit));
        await done(op, s);
      });
      return "ok";
    }
    throw error;
  }
  await sync.store.run(["audits", "outbox", "journal"], "readwrite", async (s) => {
    const audit = await req(s.audits.get(op.audit));
    audit.status = "submitted";
    audit.score = data;
    audit.server = data.audit;
    audit.missing = [];
    audit.error = "";
    await req(s.audits.put(audit));
    await done(op, s);
  });
  return "ok";
}

const SENDERS = {
  create: sendCreate,
  answers: sendAnswers,
  clear_answer: sendClearAnswer,
  photo: sendPhoto,
  remove_photo: sendRemovePhoto,
  submit: sendSubmit,
};

/* Send one operation for `sync` (its store, and its API root through sync.url). */
export async function send(sync, op) {
  const sender = SENDERS[op.type];
  if (!sender) throw new ApiError(400, { detail: `Unknown operation ${op.type}` });
  return sender(sync, op);
}
