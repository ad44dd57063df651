/* The auditor's tablet app: My audits → check-in → checklist → score, drawn in the browser from
   the API's bootstrap (kept in IndexedDB) and the tablet's own copy of every audit, so it works
   the same with no connection. Views are addressed by the URL fragment (#/, #/audit/<uuid>,
   #/audit/<uuid>/score): the page itself is one URL, which the service worker keeps.

   `start(root, config)` runs the app in `root` (the page's #tablet-app, see main.js): everything
   it draws or reads is found inside it, nothing is looked up when a module is imported. The views
   are in home-view.js, audit-view.js and score-view.js, the sync bar in status-bar.js. */

import { ApiError, request } from "./api.js";
import { auditSynced, showAudit } from "./audit-view.js";
import { itemRule, loadAudits } from "./data.js";
import { currentPosition } from "./geo.js";
import { showMyAudits } from "./home-view.js";
import { showScore } from "./score-view.js";
import { checkStorage, findBar, refreshStatus } from "./status-bar.js";
import { Store } from "./store.js";
import { Sync } from "./sync.js";
import { h, replace } from "./ui.js";

const RESYNC_MS = 30000;

/* The running app: its elements, its data, and what the views call back (route, navigate…). */
class App {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.view = root.querySelector("#tablet-view");
    this.alerts = root.querySelector("#tablet-alerts");
    this.bar = findBar(root);
    this.store = null;
    this.sync = null;
    this.boot = null; // the bootstrap: user, brands, locations, frameworks, drafts
    this.bootAt = null;
    this.bootError = "";
    this.position = null;
    this.audits = new Map(); // uuid → the audit as kept on the tablet
    this.pendingCount = 0;
    this.statusQueued = false; // a redraw of the sync bar is on its way
    this.current = null; // {name, uuid, checklist, ctx, ready}
    this.photoUrls = new Map();
  }

  refreshStatus() {
    refreshStatus(this);
  }

  // --- views ----------------------------------------------------------------------------------

  route() {
    const hash = window.location.hash;
    if (hash && !hash.startsWith("#/")) return; // an in-page link (skip to content), not a view
    const match = /^#\/audit\/([0-9a-fA-F-]{36})(\/score)?$/.exec(hash);
    this.leaveView();
    if (match && match[2]) showScore(this, match[1]);
    else if (match) showAudit(this, match[1]);
    else showMyAudits(this);
  }

  navigate(hash) {
    if (window.location.hash === hash) this.route();
    else window.location.hash = hash;
    window.scrollTo(0, 0);
  }

  leaveView() {
    for (const url of this.photoUrls.values()) URL.revokeObjectURL(url);
    this.photoUrls.clear();
    this.current = null;
  }

  focusHeading() {
    const heading = this.view.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  /* A photo kept on the tablet is shown from its Blob (one object URL each, freed with the view). */
  photoUrl(photo) {
    if (photo.blob) {
      if (!this.photoUrls.has(photo.id)) this.photoUrls.set(photo.id, URL.createObjectURL(photo.blob));
      return this.photoUrls.get(photo.id);
    }
    return photo.server?.thumb_url || photo.server?.url || "";
  }

  forgetPhotoUrl(id) {
    if (!this.photoUrls.has(id)) return;
    URL.revokeObjectURL(this.photoUrls.get(id));
    this.photoUrls.delete(id);
  }

  // --- the bootstrap --------------------------------------------------------------------------

  async refreshBootstrap() {
    const position = await currentPosition({ timeoutMs: 6000 });
    if (!position.error) {
      this.position = { ...position, at: Date.now() };
      await this.store.setMeta("position", this.position);
    } else if (!this.position) {
      this.position = { error: position.error };
    }
    const query = new URLSearchParams();
    if (!position.error) query.set("position", `${position.latitude.toFixed(6)},${position.longitude.toFixed(6)}`);
    // Frameworks already on the tablet are not sent again (once per version).
    const have = (this.boot?.frameworks || []).map((f) => `${f.id}:${f.version}`).join(",");
    if (have) query.set("have", have);
    const search = query.toString();
    const here = search ? `?${search}` : "";
    try {
      const { data, fromCache } = await request("GET", `${this.config.api}tablet/bootstrap/${here}`);
      if (!fromCache) await this.tookBootstrap(withCachedFrameworks(data, this.boot));
      else if (!this.boot) this.boot = data;
    } catch (error) {
      const signedOut = error instanceof ApiError && error.status === 401;
      this.bootError = signedOut ? "signed out" : error.message.replace(/\.$/, "");
      if (signedOut) this.sync.status.signedOut = true;
    }
    this.refreshStatus();
    if (!this.current || this.current.name === "home" || !this.current.ready) this.route();
  }

  async tookBootstrap(data) {
    this.boot = data;
    this.bootAt = new Date().toISOString();
    this.bootError = "";
    await this.store.setMeta("bootstrap", { data, at: this.bootAt });
    await this.sync.mergeDrafts(data.drafts);
    await loadAudits(this);
    warmExamplePhotos(data);
  }

  // --- start ----------------------------------------------------------------------------------

  async registerServiceWorker() {
    const ready = (yes, text) => {
      this.root.dataset.offlineReady = String(yes);
      if (text) this.bar.offlineReady.textContent = text;
    };
    if (!("serviceWorker" in navigator)) {
      ready(false);
      return;
    }
    try {
      await navigator.serviceWorker.register(this.config.serviceWorker, { scope: this.config.scope });
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
      }
      ready(true, "Ready to work offline");
    } catch (error) {
      ready(false, `Offline use unavailable: ${error.message}`);
    }
  }

  async open() {
    this.registerServiceWorker();
    this.store = await Store.open(this.config.userId);
    this.sync = new Sync(this.store, this.config.api, {
      itemRule: (uuid, code) => itemRule(this, uuid, code),
      onChange: (detail = {}) => {
        this.refreshStatus();
        if (detail.audit && !detail.item) auditSynced(this, detail.audit);
      },
    });
    const cached = await this.store.getMeta("bootstrap");
    if (cached) {
      this.boot = cached.data;
      this.bootAt = cached.at;
    }
    this.position = await this.store.getMeta("position");
    await loadAudits(this);
  }

  listen() {
    const { sync, bar } = this;
    window.addEventListener("hashchange", () => this.route());
    bar.button.addEventListener("click", async () => {
      bar.activity.textContent = "Syncing…";
      await sync.syncNow();
      this.refreshStatus();
    });
    window.addEventListener("online", () => {
      this.refreshStatus();
      sync.syncNow();
      this.refreshBootstrap();
    });
    window.addEventListener("offline", () => this.refreshStatus());
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && navigator.onLine && sync.syncNow());
    // Leaving the page is safe (everything is in IndexedDB), but say so while changes wait.
    window.addEventListener("beforeunload", (event) => {
      if (this.pendingCount > 0) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    this.resyncTimer = setInterval(() => this.pendingCount && navigator.onLine && sync.syncNow(), RESYNC_MS);
  }

  /* Stop the timers and close the database: the app is taken down (a test, or a new page). */
  stop() {
    clearInterval(this.resyncTimer);
    this.sync?.stop();
    this.store?.db.close();
  }
}

/* The server leaves out the frameworks the tablet said it has: take those from the previous
   bootstrap, keeping only the current versions it lists. */
export function withCachedFrameworks(data, previous) {
  if (!data.framework_versions) return data;
  const sent = new Map(data.frameworks.map((f) => [f.id, f]));
  const cached = new Map((previous?.frameworks || []).map((f) => [`${f.id}:${f.version}`, f]));
  const frameworks = data.framework_versions
    .map((v) => sent.get(v.id) || cached.get(`${v.id}:${v.version}`))
    .filter(Boolean);
  return { ...data, frameworks };
}

/* Example photos are shown offline too: the service worker keeps what it is asked to fetch. */
function warmExamplePhotos(data) {
  const urls = data.frameworks.flatMap((f) => f.items.map((i) => i.example_photo_url).filter(Boolean));
  if (urls.length && navigator.serviceWorker?.controller) navigator.serviceWorker.controller.postMessage({ type: "warm", urls });
}

/* Run the app in `root`, with the page's configuration ({userId, api, serviceWorker, scope,
   loginUrl}, see cx_audit/tablet/pages.py). Resolves with the running app. */
export async function start(root, config) {
  const app = new App(root, config);
  try {
    await app.open();
    app.listen();
    app.route();
    app.refreshStatus();
    checkStorage(app);
    root.dataset.ready = "true";
    app.sync.syncNow();
    app.refreshBootstrap();
  } catch (error) {
    replace(app.view, h("h1", {}, "My audits"), h("p", { class: "error", role: "alert" }, `The app could not start: ${error.message}`));
    throw error;
  }
  return app;
}
