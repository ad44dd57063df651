/* The sync bar at the foot of the app: online or not, how many changes wait, what the server
   refused (with Retry and Discard), and whether the browser will keep the tablet's data. */

import { locationOf } from "./data.js";
import { OP_LABELS } from "./sync.js";
import { h, plural, replace } from "./ui.js";

const LOW_SPACE_BYTES = 200 * 1024 * 1024;

/* The bar's elements, found in the app's root. */
export function findBar(root) {
  const find = (id) => root.querySelector(`#${id}`);
  return {
    net: find("net-state"),
    text: find("sync-text"),
    activity: find("sync-activity"),
    button: find("sync-now"),
    storage: find("storage-state"),
    offlineReady: find("offline-ready"),
  };
}

/* Redraw the bar once per burst of changes (a sync moves many operations in a row). */
export function refreshStatus(app) {
  if (app.statusQueued) return;
  app.statusQueued = true;
  queueMicrotask(async () => {
    app.statusQueued = false;
    const { bar, sync } = app;
    const { changes, errors } = await sync.pending();
    app.pendingCount = changes + errors.length;
    const online = navigator.onLine;
    bar.net.textContent = online ? "Online" : "Offline";
    bar.net.dataset.online = String(online);
    bar.text.textContent = changes === 0 ? "All changes synced" : `${plural(changes, "change")} waiting to sync`;
    app.root.dataset.pending = String(changes);
    const notes = [];
    if (sync.status.sending) notes.push("Syncing…");
    if (!online && changes) notes.push("They will be sent when the connection is back.");
    if (online && sync.status.lastError) notes.push(sync.status.lastError);
    bar.activity.textContent = notes.join(" ");
    renderAlerts(app, errors);
  });
}

function renderAlerts(app, errors) {
  const { sync } = app;
  const items = [];
  if (sync.status.signedOut) {
    items.push(h("li", {}, "Your session has ended. ", h("a", { href: app.config.loginUrl }, "Sign in again"), " to sync; everything stays on this tablet."));
  }
  for (const op of errors) {
    const audit = app.audits.get(op.audit);
    const where = audit ? locationOf(app, audit).name : "an audit";
    const what = OP_LABELS[op.type] || op.type;
    items.push(
      h("li", {},
        h("span", {}, `${what} (${where}) was refused: ${op.error} `),
        h("button", { type: "button", class: "button", onclick: () => sync.retry(op.seq) }, "Retry"),
        " ",
        h("button", { type: "button", class: "button", onclick: () => confirmDiscard(sync, op) }, "Discard")),
    );
  }
  replace(app.alerts, items.length ? h("div", { class: "error-summary", role: "alert" }, h("p", {}, plural(items.length, "problem"), " to look at:"), h("ul", {}, items)) : null);
}

function confirmDiscard(sync, op) {
  // Discarding only stops sending; what was entered stays visible on the tablet.
  if (window.confirm("Stop sending this change to the server? It stays on this tablet.")) sync.discard(op.seq);
}

/* Asks once for storage the browser will not clear on its own, and warns when space runs low. */
export async function checkStorage(app) {
  const { bar, store } = app;
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
