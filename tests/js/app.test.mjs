// The app as a whole (app.js and its views), started in a root element of a DOM from linkedom,
// over fake-indexeddb and the FakeServer: the bootstrap is drawn, an audit started, an answer
// queued. The browser tests (tests/e2e/test_auditor_day.py) walk the same path in Chromium.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { parseHTML } from "linkedom";

import { FRAMEWORK } from "./harness.mjs";
import { FakeServer } from "./fake-server.mjs";

// Imported before there is any DOM: app.js and its modules look nothing up when imported.
const { start } = await import("../../cx_audit/static/cx_audit/tablet/app.js");

const PAGE = `<!doctype html><html><body>
<div id="tablet-app" data-ready="false">
  <div id="tablet-alerts"></div>
  <div id="tablet-view"></div>
  <div class="sync-bar">
    <span id="net-state"></span><span id="sync-text"></span><span id="sync-activity"></span>
    <button id="sync-now" type="button">Sync now</button>
    <span id="offline-ready"></span><span id="storage-state"></span>
  </div>
</div></body></html>`;

const BOOTSTRAP = {
  user: { id: 1, username: "auditor", is_superuser: false, roles: { 1: "auditor" } },
  brands: [{ id: 1, name: "Aurora", geofence_m: 300, policy: { critical_cap: "50.00", bands: [{ name: "Good", min_score: 75 }, { name: "Poor", min_score: 0 }] } }],
  locations: [
    {
      id: 11, code: "TJ-002", name: "Aurora Tianjin", brand: 1, outlet_type: "direct", address: "1 Nanjing Rd", city: "Tianjin",
      latitude: "39.100000", longitude: "117.200000", due_date: "2026-05-01", overdue_days: 3, never_audited: false,
      last_audit_at: null, distance_km: null,
    },
  ],
  frameworks: [FRAMEWORK],
  drafts: [],
};

let app;
let server;
let restoreFetch;
let root;

/* The window's location: setting the fragment fires "hashchange", as in a browser. */
function fakeLocation(window) {
  let hash = "";
  return {
    get hash() {
      return hash;
    },
    set hash(value) {
      hash = value.startsWith("#") ? value : `#${value}`;
      window.dispatchEvent(new window.Event("hashchange"));
    },
  };
}

async function until(check, what) {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`timed out waiting for ${what}`);
}

before(async () => {
  const { document, window } = parseHTML(PAGE);
  Object.defineProperty(window, "location", { value: fakeLocation(window) });
  window.scrollTo = () => {};
  Object.assign(globalThis, { document, window, Node: window.Node });
  globalThis.indexedDB = new IDBFactory();
  server = new FakeServer();
  server.bootstrap = BOOTSTRAP;
  restoreFetch = server.install();
  root = document.getElementById("tablet-app");
  app = await start(root, { userId: 1, api: "/api/", serviceWorker: "/tablet/sw.js", scope: "/tablet/", loginUrl: "/accounts/login/?next=/tablet/" });
});

after(async () => {
  // Let the last sync and the redraws it started finish before the database closes.
  await app.sync.running;
  await new Promise((resolve) => setTimeout(resolve, 50));
  app.stop();
  restoreFetch();
});

const view = () => root.querySelector("#tablet-view");

test("the app starts in its root element and draws My audits from the bootstrap", async () => {
  assert.equal(root.dataset.ready, "true");
  await until(() => view().querySelector(".due-card"), "the due location");
  assert.equal(view().querySelector("h1").textContent, "My audits");
  const card = view().querySelector('.due-card[data-location="TJ-002"]');
  assert.match(card.textContent, /3 days overdue/);
  assert.match(card.textContent, /never audited/);
  assert.equal(root.dataset.offlineReady, "false", "no service worker here");
  assert.deepEqual((await app.store.getMeta("bootstrap")).data.locations.length, 1, "kept for offline use");
});

test("starting an audit checks in and opens its checklist; an answer waits in the outbox", async () => {
  await until(() => view().querySelector(".due-card button"), "the start button");
  view().querySelector('.due-card option[value="unannounced"]').setAttribute("selected", "");
  view().querySelector(".due-card button").dispatchEvent(new window.Event("click"));
  await until(() => view().querySelector("article.cl-item"), "the checklist");
  assert.match(window.location.hash, /^#\/audit\/[0-9a-f-]{36}$/);
  assert.equal(view().querySelector("h1").textContent, "Aurora Tianjin TJ-002");
  assert.match(view().querySelector(".checkin").textContent, /No check-in position/);
  view().querySelector('[data-item="YN1"] [data-key="yes"]').dispatchEvent(new window.Event("click"));
  await until(() => view().querySelector('[data-item="YN1"] .item-state').textContent === "Saved · waiting to sync", "the saved answer");
  const ops = await app.store.all("outbox");
  assert.deepEqual(ops.map((op) => op.type), ["create", "answers"]);
  assert.equal(ops[0].body.kind, "unannounced");
  await until(() => root.querySelector("#sync-text").textContent === "2 changes waiting to sync", "the sync bar");
  assert.equal(root.querySelector("#net-state").textContent, "Offline");
});

test("Sync now sends the outbox", async () => {
  root.querySelector("#sync-now").dispatchEvent(new window.Event("click"));
  await until(() => root.querySelector("#sync-text").textContent === "All changes synced", "the outbox to empty");
  assert.deepEqual(server.calls("POST").map(([, path]) => path.replace(/[0-9a-f-]{36}/, "A")), ["/api/audits/", "/api/audits/A/answers/"]);
});
