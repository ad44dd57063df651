/* One audit's checklist (#/audit/<uuid>): the Checklist (checklist.js) with the actions it needs,
   each saved on the tablet and queued by the outbox (sync.js); and what changes on screen when
   the queue moves. */

import { Checklist } from "./checklist.js";
import { photoStateText } from "./checklist-state.js";
import { brandOf, frameworkOf, loadAudits, locationOf } from "./data.js";
import { h, replace } from "./ui.js";

/* The audit as the tablet holds it: answers by item code, photos in the order taken, and what
   still waits for the server. */
export async function auditContext(app, uuid) {
  await loadAudits(app);
  const audit = app.audits.get(uuid);
  if (!audit) return null;
  const answers = Object.fromEntries((await app.store.byAudit("answers", uuid)).map((a) => [a.item, a]));
  // A removed photo is gone from the audit at once, while its removal waits for the server.
  const photos = (await app.store.byAudit("photos", uuid)).filter((p) => !p.removed).sort((a, b) => a.createdAt - b.createdAt);
  return { audit, answers, photos, pending: await app.sync.pendingFor(uuid) };
}

/* What the checklist may do: every change goes through the outbox, then redraws its item. */
function actions(app, uuid, ctx, checklist) {
  const { sync, store } = app;
  const changed = async (code, options) => {
    ctx.pending = await sync.pendingFor(uuid);
    checklist().itemChanged(code, options);
  };
  return {
    save: async (code, patch, { quiet = false } = {}) => {
      ctx.answers[code] = await sync.saveAnswer(uuid, code, patch);
      await changed(code, { redraw: !quiet });
    },
    addPhotos: async (code, files) => {
      const added = await sync.addPhotos(uuid, code, files);
      // A sync may already have reloaded the photos while they were being saved.
      ctx.photos.push(...added.filter((photo) => !ctx.photos.some((p) => p.id === photo.id)));
      const answer = await store.get("answers", [uuid, code]);
      if (answer) ctx.answers[code] = answer;
      await changed(code);
    },
    clear: async (code) => {
      ctx.answers[code] = await sync.clearAnswer(uuid, code);
      await changed(code);
    },
    removePhoto: async (photo) => {
      await sync.removePhoto(uuid, photo.id);
      const at = ctx.photos.findIndex((p) => p.id === photo.id);
      if (at !== -1) ctx.photos.splice(at, 1);
      await changed(photo.item);
      app.forgetPhotoUrl(photo.id);
    },
    submit: async () => {
      await sync.submit(uuid);
      app.navigate(`#/audit/${uuid}/score`);
    },
    choose: async (code, keepMine) => {
      await sync.chooseConflict(uuid, code, keepMine);
      app.route();
    },
  };
}

export async function showAudit(app, uuid) {
  app.current = { name: "audit", uuid };
  const data = await auditContext(app, uuid);
  if (app.current?.uuid !== uuid) return;
  const { view } = app;
  if (!data) {
    replace(view, h("h1", {}, "Audit not found"), h("p", {}, "This audit is not on this tablet."), h("a", { class: "button", href: "#/" }, "My audits"));
    return;
  }
  const { audit } = data;
  if (audit.status !== "draft") {
    app.navigate(`#/audit/${uuid}/score`);
    return;
  }
  const framework = frameworkOf(app, audit);
  if (!framework) {
    replace(view, h("h1", {}, "Checklist unavailable"), h("p", {}, "Open this page once with a connection to load the framework."));
    return;
  }
  const ctx = { ...data, location: locationOf(app, audit), framework, brand: brandOf(app, audit.brand), photoUrl: (photo) => app.photoUrl(photo) };
  let checklist = null;
  Object.assign(ctx, actions(app, uuid, ctx, () => checklist));
  checklist = new Checklist(view, ctx);
  app.current = { name: "audit", uuid, checklist, ctx, ready: true, conflicts: (audit.conflicts || []).length };
  checklist.render();
  app.focusHeading();
}

/* After the queue moved: the checklist shows what is now on the server; a conflict or a refused
   submission redraws the view. */
export async function auditSynced(app, uuid) {
  const current = app.current;
  const previous = app.audits.get(uuid);
  const audit = await app.store.get("audits", uuid);
  if (!audit) return;
  app.audits.set(uuid, audit);
  if (current?.name === "home" && previous?.status !== audit.status) {
    app.route(); // "waiting to sync" became "submitted · score …"
    return;
  }
  if (!current || current.uuid !== uuid) return;
  if (current.name === "audit" && current.checklist) {
    if ((audit.conflicts || []).length !== current.conflicts || audit.status !== "draft") {
      app.route();
      return;
    }
    await refreshChecklist(app, uuid, current);
  } else if (current.name === "score") {
    if (audit.status === "draft") app.navigate(`#/audit/${uuid}`);
    else app.route();
  }
}

/* The server's revisions, refusals and photo states, without redrawing what the auditor types in. */
async function refreshChecklist(app, uuid, { ctx, checklist }) {
  ctx.pending = await app.sync.pendingFor(uuid);
  const fresh = await auditContext(app, uuid);
  ctx.photos.splice(0, ctx.photos.length, ...fresh.photos);
  for (const [code, answer] of Object.entries(fresh.answers)) ctx.answers[code] = { ...ctx.answers[code], error: answer.error, revision: answer.revision };
  for (const item of checklist.items) checklist.updateItemState(item);
  for (const item of checklist.items) {
    const node = checklist.nodes.get(item.code);
    node.querySelectorAll(".thumb").forEach((thumb, index) => {
      const photo = ctx.photos.filter((p) => p.item === item.code)[index];
      if (photo) thumb.querySelector(".thumb-state").textContent = photoStateText(photo);
    });
  }
  checklist.refresh();
}
