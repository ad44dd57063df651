/* What the server knows that the tablet does not: the user's drafts from the bootstrap.

   A draft started on another device (or before this tablet's data was cleared) is taken in whole;
   for one the tablet has, the server's newer answers are taken where the tablet has nothing
   waiting for that item (otherwise the conflict check decides when the queue is sent). */

import { answerValues } from "./answers.js";
import { req } from "./store.js";

function auditFromDraft(draft) {
  return {
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
}

/* Items of this audit with an answer or a clearing still in the outbox. */
function waitingItems(outbox, uuid) {
  return new Set(
    outbox
      .filter((op) => op.audit === uuid && (op.type === "answers" || op.type === "clear_answer"))
      .flatMap((op) => (op.type === "answers" ? Object.keys(op.answers) : [op.item])),
  );
}

async function mergeAnswers(s, draft, waiting) {
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

export async function mergeDrafts(store, drafts) {
  if (!drafts?.length) return;
  const outbox = await store.all("outbox");
  await store.run(["audits", "answers", "photos"], "readwrite", async (s) => {
    for (const draft of drafts) {
      let audit = await req(s.audits.get(draft.uuid));
      if (!audit) {
        audit = auditFromDraft(draft);
        await req(s.audits.put(audit));
      }
      if (audit.status === "draft") await mergeAnswers(s, draft, waitingItems(outbox, draft.uuid));
    }
  });
}
