// The phone app's service worker (served as /v/sw.js, for the pages under /v/): keeps the page and the script bundle
// so that reloading while offline, or while the server is down, still opens the app, with the votes waiting on the
// phone (they are in localStorage, not here). Nothing else is kept: no API answer, no voter token; requests other than
// the page and the bundle are not touched. The cache is named after the bundle (its name holds its content hash): a
// new build is a new service worker, which fills its own cache and drops the older ones.

const BUNDLE = "%JS%";
const PAGE = "/v/"; // the same page as /v/{any code}
const CACHE = `amv-voter-${BUNDLE.slice(BUNDLE.lastIndexOf("/") + 1)}`;

// Filled from what the page has just downloaded (the browser's HTTP cache: "force-cache" takes it as it is, without
// asking the server again), so installing costs the phone nothing more; from the server only when that is gone.
self.addEventListener("install", (event) => {
  const keep = (cache, url, key) =>
    fetch(url, { cache: "force-cache" }).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return cache.put(key, response);
    });
  event.waitUntil(
    Promise.all([caches.open(CACHE), self.clients.matchAll({ type: "window", includeUncontrolled: true })])
      .then(([cache, pages]) => {
        const page = pages.map((client) => new URL(client.url)).find((url) => url.pathname.startsWith(PAGE));
        return Promise.all([keep(cache, page ? page.pathname : PAGE, PAGE), keep(cache, BUNDLE, BUNDLE)]);
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("amv-voter-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

const kept = (path) => caches.open(CACHE).then((cache) => cache.match(path));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(PAGE)) {
    // The network first (a new build reaches the phone at once); the kept page when there is no answer or the server
    // is failing.
    event.respondWith(
      fetch(request)
        .then((response) => (response.status >= 500 ? kept(PAGE).then((page) => page || response) : response))
        .catch(() => kept(PAGE).then((page) => page || Response.error())),
    );
  } else if (url.pathname === BUNDLE) {
    event.respondWith(kept(BUNDLE).then((bundle) => bundle || fetch(request)));
  }
});
