// The service worker of the dist/ build: once the page has loaded, it works offline.
//
// This is a template: `make dist` writes dist/sw.js from it, replacing the precache list
// placeholder with every file of the bundle (paths relative to this file) and the version
// placeholder with a hash of the bundle. It is never served from the repository itself.
//
// install:  precache every file of the bundle in a cache named after the scope and version.
// activate: delete the older caches of this scope, take control of the open pages.
// fetch:    same-origin GETs of a precached file (the folder itself, index.html and any
//           ?query of them included) are answered from the cache; anything else goes to
//           the network as usual.

const VERSION = "__VERSION__";
const PRECACHE = /*__PRECACHE__*/[];

const SCOPE = self.registration.scope; // e.g. https://host/courses/ml/nn/
// Several builds can live on one origin (one per sub-path): each has its own caches.
const CACHE_PREFIX = "nn-lab " + SCOPE + " ";
const CACHE = CACHE_PREFIX + VERSION;
const PRECACHED = new Set(PRECACHE);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(
          PRECACHE.map((path) => new Request(new URL(path, SCOPE), { cache: "no-cache" })),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The bundle path of a request ("index.html", "static/css/lab.css"), or null when the request
// is not for a precached file. The query string is ignored: "./?width=5" is "index.html".
function precachedPath(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return null;
  // `make dist` checks that bundle paths need no %-encoding, so the raw path compares.
  let path = url.pathname.slice(new URL(SCOPE).pathname.length);
  if (path === "") path = "index.html";
  return PRECACHED.has(path) ? path : null;
}

self.addEventListener("fetch", (event) => {
  const path = precachedPath(event.request);
  if (path === null) return; // not ours: the browser fetches it as if there were no worker
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(new URL(path, SCOPE).href))
      .then((cached) => cached || fetch(event.request)),
  );
});
