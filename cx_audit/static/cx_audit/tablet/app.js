/* The auditor's tablet app: My audits → check-in → checklist → score, drawn in the browser from
   the API's bootstrap (kept in IndexedDB) and the tablet's own copy of every audit, so it works
   the same with no connection. Views are addressed by the URL fragment (#/, #/audit/<uuid>,
   #/audit/<uuid>/score): the page itself is one URL, which the service worker keeps. */

import { ApiError, request } from "./api.js";
import { Checklist } from "./checklist.js";
import { currentPosition, haversineKm, visitingOrder } from "./geo.js";
import { scoreAudit } from "./score.js";
import { Store } from "./store.js";
import { OP_LABELS, Sync, newId } from "./sync.js";
import { dateText, distanceText, h, KIND_LABELS, metresText, OUTLET_LABELS, plural, replace, scoreText } from "./ui.js";

const config = JSON.parse(document.getElementById("tablet-config").textContent);
const app = document.getElementById("tablet-app");
const view = document.getElementById("tablet-view");
const alerts = document.getElementById("tablet-alerts");
const bar = {
  net: document.getElementById("net-state"),
  text: document.getElementById("sync-text"),
  activity: document.getElementById("sync-activity"),
  button: document.getElementById("sync-now"),
  storage: document.getElementById("storage-state"),
};
const LOW_SPACE_BYTES = 200 * 1024 * 1024;

const state = {
  boot: null, // the bootstrap: user, brands, locations, frameworks, drafts
  bootAt: null,
  bootError: "",
  position: null,
  audits: new Map(), // uuid → the audit as kept on the tablet
  pendingCount: 0,
  current: null, // {name, uuid, checklist}
  photoUrls: new Map(),
};
let store;
let sync;

// --- data on the tablet -----------------------------------------------------------------------

function brandOf(id) {
  return state.boot?.brands.find((b) => b.id === id) || null;
}

function frameworkOf(audit) {
  if (audit.frameworkData) return audit.frameworkData;
  const frameworks = state.boot?.frameworks || [];
  return frameworks.find((f) => f.id === audit.framework) || frameworks.find((f) => f.brand === audit.brand) || null;
}

function locationOf(audit) {
  return (
    audit.locationData ||
    state.boot?.locations.find((l) => l.id === audit.location) || {
      id: audit.location,
      name: audit.server?.location_name || "Location",
      code: audit.server?.location_code || "",
      outlet_type: audit.server?.outlet_type || "direct",
    }
  );
}

function itemRule(auditUuid, code) {
  const audit = state.audits.get(auditUuid);
  return audit ? frameworkOf(audit)?.items.find((item) => item.code === code) || null : null;
}

async function loadAudits() {
  state.audits = new Map((await store.all("audits")).map((audit) => [audit.uuid, audit]));
}

/* Which kinds of audit the user may start in a brand (the server decides in the end): a
   superuser audits anywhere (and has no roles); a franchisee only assesses its own outlets. */
function kindsFor(brandId) {
  const user = state.boot?.user;
  if (user?.is_superuser) return ["scheduled", "unannounced"];
  const role = user?.roles?.[String(brandId)];
  if (role === "franchisee") return ["self_assessment"];
  if (role === "hq_analyst") return [];
  return ["scheduled", "unannounced"];
}

// --- the status bar ---------------------------------------------------------------------------

let statusQueued = false;
function refreshStatus() {
  if (statusQueued) return;
  statusQueued = true;
  queueMicrotask(async () => {
    statusQueued = false;
    const { changes, errors } = await sync.pending();
    state.pendingCount = changes + errors.length;
    const online = navigator.onLine;
    bar.net.textContent = online ? "Online" : "Offline";
    bar.net.dataset.online = String(online);
    bar.text.textContent = changes === 0 ? "All changes synced" : `${plural(changes, "change")} waiting to sync`;
    app.dataset.pending = String(changes);
    const notes = [];
    if (sync.status.sending) notes.push("Syncing…");
    if (!online && changes) notes.push("They will be sent when the connection is back.");
    if (online && sync.status.lastError) notes.push(sync.status.lastError);
    bar.activity.textContent = notes.join(" ");
    renderAlerts(errors);
  });
}

function renderAlerts(errors) {
  const items = [];
  if (sync.status.signedOut) {
    items.push(h("li", {}, "Your session has ended. ", h("a", { href: config.loginUrl }, "Sign in again"), " to sync; everything stays on this tablet."));
  }
  for (const op of errors) {
    const audit = state.audits.get(op.audit);
    const where = audit ? locationOf(audit).name : "an audit";
    const what = OP_LABELS[op.type] || op.type;
    items.push(
      h("li", {},
        h("span", {}, `${what} (${where}) was refused: ${op.error} `),
        h("button", { type: "button", class: "button", onclick: () => sync.retry(op.seq) }, "Retry"),
        " ",
        h("button", { type: "button", class: "button", onclick: () => confirmDiscard(op) }, "Discard")),
    );
  }
  replace(alerts, items.length ? h("div", { class: "error-summary", role: "alert" }, h("p", {}, plural(items.length, "problem"), " to look at:"), h("ul", {}, items)) : null);
}

function confirmDiscard(op) {
  // Discarding only stops sending; what was entered stays visible on the tablet.
  if (window.confirm("Stop sending this change to the server? It stays on this tablet.")) sync.discard(op.seq);
}

/* Asks once for storage the browser will not clear on its own, and warns when space runs low. */
async function checkStorage() {
  if (!navigator.storage) {
    bar.storage.textContent = "Storage: unknown";
    return;
  }
  let persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
  if (!persisted && navigator.storage.persist && !(await store.getMeta("persistAsked"))) {
    persisted = await navigator.storage.persist();
    await store.setMeta("persistAsked", true);
  }
  const parts = [persisted ? "Storage: kept on this tablet" : "Storage: not guaranteed, sync often"];
  if (navigator.storage.estimate) {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    if (quota && quota - usage < LOW_SPACE_BYTES) parts.push(`· only ${Math.round((quota - usage) / 1e6)} MB left: sync and free space`);
  }
  bar.storage.textContent = parts.join(" ");
  bar.storage.dataset.persisted = String(persisted);
}

// --- the bootstrap ----------------------------------------------------------------------------

async function refreshBootstrap() {
  const position = await currentPosition({ timeoutMs: 6000 });
  if (!position.error) {
    state.position = { ...position, at: Date.now() };
    await store.setMeta("position", state.position);
  } else if (!state.position) {
    state.position = { error: position.error };
  }
  const here = position.error ? "" : `?position=${position.latitude.toFixed(6)},${position.longitude.toFixed(6)}`;
  try {
    const { data, fromCache } = await request("GET", `${config.api}tablet/bootstrap/${here}`);
    if (!fromCache) {
      state.boot = data;
      state.bootAt = new Date().toISOString();
      state.bootError = "";
      await store.setMeta("bootstrap", { data, at: state.bootAt });
      await sync.mergeDrafts(data.drafts);
      await loadAudits();
      warmExamplePhotos(data);
    } else if (!state.boot) {
      state.boot = data;
    }
  } catch (error) {
    state.bootError = error instanceof ApiError && error.status === 401 ? "signed out" : error.message.replace(/\.$/, "");
    if (error instanceof ApiError && error.status === 401) sync.status.signedOut = true;
  }
  refreshStatus();
  if (!state.current || state.current.name === "home" || !state.current.ready) route();
}

/* Example photos are shown offline too: the service worker keeps what it is asked to fetch. */
function warmExamplePhotos(data) {
  const urls = data.frameworks.flatMap((f) => f.items.map((i) => i.example_photo_url).filter(Boolean));
  if (urls.length && navigator.serviceWorker?.controller) navigator.serviceWorker.controller.postMessage({ type: "warm", urls });
}

// --- views ------------------------------------------------------------------------------------

function leaveView() {
  for (const url of state.photoUrls.values()) URL.revokeObjectURL(url);
  state.photoUrls.clear();
  state.current = null;
}

function photoUrl(photo) {
  if (photo.blob) {
    if (!state.photoUrls.has(photo.id)) state.photoUrls.set(photo.id, URL.createObjectURL(photo.blob));
    return state.photoUrls.get(photo.id);
  }
  return photo.server?.thumb_url || photo.server?.url || "";
}

function route() {
  const hash = window.location.hash;
  if (hash && !hash.startsWith("#/")) return; // an in-page link (skip to content), not a view
  const match = /^#\/audit\/([0-9a-fA-F-]{36})(\/score)?$/.exec(hash);
  leaveView();
  if (match && match[2]) showScore(match[1]);
  else if (match) showAudit(match[1]);
  else showMyAudits();
}

function focusHeading() {
  const heading = view.querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
  window.scrollTo(0, 0);
}

function showMyAudits() {
  state.current = { name: "home", ready: !!state.boot };
  const boot = state.boot;
  const position = state.position;
  let positionLine;
  if (position && !position.error) {
    positionLine = `Nearest first from where you are (±${Math.round(position.accuracy || 0)} m).`;
  } else {
    positionLine = `Position unknown${position?.error ? `: ${position.error}` : ""}. Ordered by due date.`;
  }
  if (!boot) {
    replace(view, h("h1", {}, "My audits"),
      h("p", { role: "status" }, state.bootError ? `Could not load your audits: ${state.bootError}. Open this page once with a connection.` : "Loading your audits…"));
    return;
  }
  // Online, the server ordered by geodesic distance; offline (or from an old copy), order here.
  const fresh = navigator.onLine && !state.bootError;
  const locations = fresh ? boot.locations : visitingOrder(boot.locations, position);
  const mine = [...state.audits.values()]
    .filter((a) => a.status !== "submitted" || Date.now() - Date.parse(a.submittedAt || a.startedAt) < 7 * 864e5)
    .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)));
  const draftAt = new Map(mine.filter((a) => a.status === "draft").map((a) => [a.location, a]));
  replace(
    view,
    h("h1", {}, "My audits"),
    h("p", { class: "muted position-line", role: "status" }, positionLine, state.bootAt ? ` Updated ${new Date(state.bootAt).toLocaleTimeString()}.` : ""),
    mine.length
      ? h("section", { "aria-labelledby": "mine-title" },
          h("h2", { id: "mine-title" }, "On this tablet"),
          h("ul", { class: "audit-cards" }, mine.map((audit) => myAuditCard(audit))))
      : null,
    h("section", { "aria-labelledby": "due-title" },
      h("h2", { id: "due-title" }, "Due for audit ", h("small", {}, `(${locations.length})`)),
      locations.length
        ? h("ol", { class: "audit-cards due-list" }, locations.map((location) => dueCard(location, draftAt.get(location.id))))
        : h("p", {}, "Nothing is due in your area.")),
  );
}

function myAuditCard(audit) {
  const location = locationOf(audit);
  const status = {
    draft: "In progress",
    queued: "Submitted on this tablet · waiting to sync",
    submitted: `Submitted · score ${scoreText(audit.score?.audit?.score)}`,
  }[audit.status];
  const target = audit.status === "draft" ? `#/audit/${audit.uuid}` : `#/audit/${audit.uuid}/score`;
  return h("li", { class: "audit-card", dataset: { audit: audit.uuid } },
    h("h3", {}, location.name, " ", h("small", {}, location.code)),
    h("p", { class: "muted" }, `${KIND_LABELS[audit.kind] || audit.kind} · started ${dateText(audit.startedAt)} · ${status}`),
    h("a", { class: "button primary", href: target, "aria-label": `${audit.status === "draft" ? "Continue" : "Score"}: ${location.name}` },
      audit.status === "draft" ? "Continue audit" : "View score"));
}

function dueCard(location, draft) {
  const kinds = kindsFor(location.brand);
  const framework = state.boot.frameworks.find((f) => f.brand === location.brand);
  const due = location.overdue_days > 0
    ? h("span", { class: "tag bad" }, `${plural(location.overdue_days, "day")} overdue`)
    : h("span", { class: "tag" }, location.due_date ? `due ${dateText(location.due_date)}` : "no due date");
  const selectId = `kind-${location.id}`;
  let action;
  if (draft) {
    action = h("a", { class: "button primary", href: `#/audit/${draft.uuid}`, "aria-label": `Continue audit at ${location.name}` }, "Continue audit");
  } else if (!framework) {
    action = h("p", { class: "muted" }, "No published framework for this brand yet.");
  } else if (kinds.length) {
    const select = kinds.length > 1
      ? h("span", { class: "field kind-field" },
          h("label", { for: selectId }, "Visit"),
          h("select", { id: selectId }, kinds.map((kind) => h("option", { value: kind }, KIND_LABELS[kind]))))
      : h("span", { class: "muted" }, KIND_LABELS[kinds[0]]);
    action = h("div", { class: "start-line" }, select,
      h("button", { type: "button", class: "button primary", "aria-label": `Start audit at ${location.name}`,
        onclick: () => startAudit(location, kinds.length > 1 ? document.getElementById(selectId).value : kinds[0]) }, "Start audit"));
  }
  return h("li", { class: "audit-card due-card", dataset: { location: location.code } },
    h("h3", {}, location.name, " ", h("small", {}, location.code)),
    h("p", { class: "due-facts" },
      due, " ",
      h("span", { class: `tag ${location.outlet_type}` }, OUTLET_LABELS[location.outlet_type] || location.outlet_type), " ",
      h("span", { class: "distance" }, distanceText(location.distance_km))),
    h("p", { class: "muted" }, [location.address, location.city].filter(Boolean).join(", "),
      location.last_audit_at ? ` · last audited ${dateText(location.last_audit_at)}` : " · never audited"),
    action);
}

/* Check-in: the tablet's position, its distance to the store, the brand's geofence. The audit
   starts either way; a missing position or a far one is said, not blocking. */
async function startAudit(location, kind) {
  const brand = brandOf(location.brand);
  const framework = state.boot.frameworks.find((f) => f.brand === location.brand);
  leaveView();
  state.current = { name: "checkin", ready: true };
  replace(view, h("h1", {}, "Check-in · ", location.name), h("p", { role: "status" }, "Finding where you are…"));
  const position = await currentPosition({ timeoutMs: 8000 });
  let checkin;
  if (position.error) {
    checkin = { error: position.error };
  } else {
    const known = location.latitude !== null && location.longitude !== null;
    const distanceM = known ? Math.round(1000 * haversineKm(position.latitude, position.longitude, Number(location.latitude), Number(location.longitude))) : null;
    checkin = { latitude: position.latitude, longitude: position.longitude, accuracy: position.accuracy, distanceM, outside: distanceM !== null && distanceM > (brand?.geofence_m ?? 300) };
  }
  const audit = {
    uuid: newId(),
    location: location.id,
    brand: location.brand,
    framework: framework.id,
    frameworkData: framework,
    locationData: location,
    kind,
    status: "draft",
    startedAt: new Date().toISOString(),
    checkin,
    missing: [],
    conflicts: [],
  };
  await sync.startAudit(audit);
  state.audits.set(audit.uuid, audit);
  navigate(`#/audit/${audit.uuid}`);
}

async function auditContext(uuid) {
  await loadAudits();
  const audit = state.audits.get(uuid);
  if (!audit) return null;
  const answers = Object.fromEntries((await store.byAudit("answers", uuid)).map((a) => [a.item, a]));
  // A removed photo is gone from the audit at once, while its removal waits for the server.
  const photos = (await store.byAudit("photos", uuid)).filter((p) => !p.removed).sort((a, b) => a.createdAt - b.createdAt);
  return { audit, answers, photos, pending: await sync.pendingFor(uuid) };
}

async function showAudit(uuid) {
  state.current = { name: "audit", uuid };
  const data = await auditContext(uuid);
  if (state.current?.uuid !== uuid) return;
  if (!data) {
    replace(view, h("h1", {}, "Audit not found"), h("p", {}, "This audit is not on this tablet."), h("a", { class: "button", href: "#/" }, "My audits"));
    return;
  }
  const { audit } = data;
  if (audit.status !== "draft") {
    navigate(`#/audit/${uuid}/score`);
    return;
  }
  const framework = frameworkOf(audit);
  if (!framework) {
    replace(view, h("h1", {}, "Checklist unavailable"), h("p", {}, "Open this page once with a connection to load the framework."));
    return;
  }
  const ctx = {
    ...data,
    location: locationOf(audit),
    framework,
    brand: brandOf(audit.brand),
    photoUrl,
    save: async (code, patch, { quiet = false } = {}) => {
      ctx.answers[code] = await sync.saveAnswer(uuid, code, patch);
      ctx.pending = await sync.pendingFor(uuid);
      checklist.itemChanged(code, { redraw: !quiet });
    },
    addPhotos: async (code, files) => {
      const added = await sync.addPhotos(uuid, code, files);
      // A sync may already have reloaded the photos while they were being saved.
      ctx.photos.push(...added.filter((photo) => !ctx.photos.some((p) => p.id === photo.id)));
      const answer = await store.get("answers", [uuid, code]);
      if (answer) ctx.answers[code] = answer;
      ctx.pending = await sync.pendingFor(uuid);
      checklist.itemChanged(code);
    },
    clear: async (code) => {
      ctx.answers[code] = await sync.clearAnswer(uuid, code);
      ctx.pending = await sync.pendingFor(uuid);
      checklist.itemChanged(code);
    },
    removePhoto: async (photo) => {
      await sync.removePhoto(uuid, photo.id);
      const at = ctx.photos.findIndex((p) => p.id === photo.id);
      if (at !== -1) ctx.photos.splice(at, 1);
      ctx.pending = await sync.pendingFor(uuid);
      checklist.itemChanged(photo.item);
      if (state.photoUrls.has(photo.id)) {
        URL.revokeObjectURL(state.photoUrls.get(photo.id));
        state.photoUrls.delete(photo.id);
      }
    },
    submit: async () => {
      await sync.submit(uuid);
      navigate(`#/audit/${uuid}/score`);
    },
    choose: async (code, keepMine) => {
      await sync.chooseConflict(uuid, code, keepMine);
      route();
    },
  };
  const checklist = new Checklist(view, ctx);
  state.current = { name: "audit", uuid, checklist, ctx, ready: true, conflicts: (audit.conflicts || []).length };
  checklist.render();
  focusHeading();
}

/* After the queue moved: the checklist shows what is now on the server; a conflict or a refused
   submission redraws the view. */
async function auditSynced(uuid) {
  const current = state.current;
  const previous = state.audits.get(uuid);
  const audit = await store.get("audits", uuid);
  if (!audit) return;
  state.audits.set(uuid, audit);
  if (current?.name === "home" && previous?.status !== audit.status) {
    route(); // "waiting to sync" became "submitted · score …"
    return;
  }
  if (!current || current.uuid !== uuid) return;
  if (current.name === "audit" && current.checklist) {
    if ((audit.conflicts || []).length !== current.conflicts || audit.status !== "draft") {
      route();
      return;
    }
    const { ctx, checklist } = current;
    ctx.pending = await sync.pendingFor(uuid);
    const fresh = await auditContext(uuid);
    ctx.photos.splice(0, ctx.photos.length, ...fresh.photos);
    for (const [code, answer] of Object.entries(fresh.answers)) ctx.answers[code] = { ...ctx.answers[code], error: answer.error, revision: answer.revision };
    for (const item of checklist.items) checklist.updateItemState(item);
    for (const item of checklist.items) {
      const node = checklist.nodes.get(item.code);
      node.querySelectorAll(".thumb").forEach((thumb, index) => {
        const photo = ctx.photos.filter((p) => p.item === item.code)[index];
        if (photo) thumb.querySelector(".thumb-state").textContent = photo.state === "synced" ? "sent" : photo.state === "refused" ? `refused: ${photo.error}` : "waiting to sync";
      });
    }
    checklist.refresh();
  } else if (current.name === "score") {
    if (audit.status === "draft") navigate(`#/audit/${uuid}`);
    else route();
  }
}

async function showScore(uuid) {
  state.current = { name: "score", uuid };
  const data = await auditContext(uuid);
  if (state.current?.uuid !== uuid) return;
  if (!data) {
    navigate("#/");
    return;
  }
  const { audit } = data;
  if (audit.status === "draft") {
    navigate(`#/audit/${uuid}`);
    return;
  }
  state.current = { name: "score", uuid, ready: true };
  const location = locationOf(audit);
  const back = h("a", { class: "button", href: "#/" }, "Back to my audits");
  if (audit.status === "submitted" && audit.score) {
    replace(view, h("h1", {}, "Score · ", location.name, " ", h("small", {}, location.code)), serverScore(audit), h("p", {}, back));
  } else {
    const photoCounts = {};
    for (const p of data.photos) if (p.state !== "refused") photoCounts[p.item] = (photoCounts[p.item] || 0) + 1;
    const framework = frameworkOf(audit);
    const result = scoreAudit({ framework, outletType: location.outlet_type, answers: data.answers, photoCounts, policy: brandOf(audit.brand)?.policy || {} });
    replace(
      view,
      h("h1", {}, "Submitted · ", location.name, " ", h("small", {}, location.code)),
      h("div", { class: "score-card queued", "aria-live": "polite" },
        h("p", { class: "queued-note" }, navigator.onLine ? "Sending to the server…" : "Queued — will submit when back online."),
        h("p", { class: "big-number provisional" }, scoreText(result.score)),
        h("p", {}, `Provisional score${result.band ? ` · ${result.band}` : ""}${result.criticalFailed ? " · critical failure" : ""}. `,
          "The server's score replaces it as soon as the audit is synced.")),
      h("p", {}, back),
    );
  }
  focusHeading();
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

// --- start ------------------------------------------------------------------------------------

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) {
    app.dataset.offlineReady = "false";
    return;
  }
  try {
    await navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope });
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    app.dataset.offlineReady = "true";
    document.getElementById("offline-ready").textContent = "Ready to work offline";
  } catch (error) {
    app.dataset.offlineReady = "false";
    document.getElementById("offline-ready").textContent = `Offline use unavailable: ${error.message}`;
  }
}

async function main() {
  registerServiceWorker();
  store = await Store.open(config.userId);
  sync = new Sync(store, config.api, {
    itemRule,
    onChange: (detail = {}) => {
      refreshStatus();
      if (detail.audit && !detail.item) auditSynced(detail.audit);
    },
  });
  const cached = await store.getMeta("bootstrap");
  if (cached) {
    state.boot = cached.data;
    state.bootAt = cached.at;
  }
  state.position = await store.getMeta("position");
  await loadAudits();
  window.addEventListener("hashchange", route);
  route();
  refreshStatus();
  checkStorage();
  bar.button.addEventListener("click", async () => {
    bar.activity.textContent = "Syncing…";
    await sync.syncNow();
    refreshStatus();
  });
  window.addEventListener("online", () => {
    refreshStatus();
    sync.syncNow();
    refreshBootstrap();
  });
  window.addEventListener("offline", refreshStatus);
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && navigator.onLine && sync.syncNow());
  // Leaving the page is safe (everything is in IndexedDB), but say so while changes wait.
  window.addEventListener("beforeunload", (event) => {
    if (state.pendingCount > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  setInterval(() => state.pendingCount && navigator.onLine && sync.syncNow(), 30000);
  app.dataset.ready = "true";
  sync.syncNow();
  refreshBootstrap();
}

main().catch((error) => {
  replace(view, h("h1", {}, "My audits"), h("p", { class: "error", role: "alert" }, `The app could not start: ${error.message}`));
  throw error;
});
