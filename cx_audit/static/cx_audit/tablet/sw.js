/* The tablet's service worker (scope /tablet/). Django serves this file at /tablet/sw.js and puts
   `const SHELL = {version, shell: [urls]}` in front of it: the page and its scripts and styles,
   with a version that changes whenever any of them does, or one is added, removed or renamed
   (cx_audit/tablet/pages.py, shell_version). The caches are named after the version, so a new
   release is fetched whole and never mixed with modules of the one before.

   - install: precache the shell, so the app opens with no connection;
   - activate: delete the caches of older versions and take over open pages at once;
   - the page (/tablet/): network first, so a signed-out user meets the sign-in page and a new
     deployment is seen at once; the cached copy when there is no connection;
   - static files: from the cache, fetched and kept when missing;
   - GET API (the bootstrap, photos): network first, the last good answer when offline, marked
     with X-CX-Cache: hit so the app knows it is looking at an old copy;
   - anything else (POST…) is never touched: the app's outbox owns writes. */

/* global SHELL */
const PREFIX = "cx-tablet-";
const SHELL_CACHE = `${PREFIX}shell-${SHELL.version}`;
const DATA_CACHE = `${PREFIX}data-${SHELL.version}`;
const PAGE = SHELL.shell[0];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL.shell.map((url) => new Request(url, { credentials: "same-origin", cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(PREFIX) && ![SHELL_CACHE, DATA_CACHE].includes(name)).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

/* The app asks to keep some files for offline use (e.g. example photos). */
self.addEventListener("message", (event) => {
  if (event.data?.type === "warm" && Array.isArray(event.data.urls)) {
    event.waitUntil(
      caches.open(DATA_CACHE).then((cache) =>
        Promise.all(
          event.data.urls.map(async (url) => {
            if (await cache.match(url)) return;
            try {
              const response = await fetch(url, { credentials: "same-origin" });
              if (response.ok) await cache.put(url, response);
            } catch {
              /* offline: try again next time */
            }
          }),
        ),
      ),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === new URL(PAGE, self.location.origin).pathname) {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (url.pathname.startsWith("/api/")) {
    event.respondWith(networkFirst(request));
  } else if (SHELL.shell.includes(url.pathname) || url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  }
});

async function pageFirstFromNetwork(request) {
  try {
    const response = await fetch(request);
    // Only a real page is kept: a redirect to sign-in must not replace the app.
    if (response.ok && !response.redirected) {
      const cache = await caches.open(SHELL_CACHE);
      await cache.put(PAGE, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(PAGE);
    if (cached) return cached;
    throw error;
  }
}

async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // The bootstrap is asked for with the tablet's position: any copy will do offline.
    const cached = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (!cached) throw error;
    const headers = new Headers(cached.headers);
    headers.set("X-CX-Cache", "hit");
    return new Response(await cached.blob(), { status: cached.status, statusText: cached.statusText, headers });
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}
