{% autoescape off %}// Field pages' service worker (Workbox, served by the platform: no CDN).
// Version {{ version }}: a new version drops the caches of the old one.
importScripts("{{ workbox }}");
const MODULES = {{ modules_json }};
workbox.setConfig({ debug: false, modulePathCb: (name) => MODULES[name] });
const { registerRoute } = workbox.routing;
const { NetworkFirst, CacheFirst } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;
const { CacheableResponsePlugin } = workbox.cacheableResponse;
workbox.core.clientsClaim();

const PAGES_CACHE = "field-pages-{{ version }}";
const STATIC_CACHE = "field-static-{{ version }}";
const PAGES = {{ pages_json }};
const ASSETS = {{ assets_json }};
const QUERIES = {{ queries_json }};
const onlyOk = new CacheableResponsePlugin({ statuses: [200] });

// A page asked for with only the query parameters field.js applies itself
// (the household chosen for the log, the visit list's filters): its copy
// without them is shown when there is no connection, and the copies with
// them are not kept.
function appliedByScript(url) {
  const keys = QUERIES[url.pathname];
  return !!(url.search && keys && [...url.searchParams.keys()].every((key) => keys.includes(key)));
}
const keptWithoutQuery = {
  cacheKeyWillBeUsed: async ({ request, mode }) => {
    const url = new URL(request.url);
    return mode === "read" && appliedByScript(url) ? url.origin + url.pathname : request;
  },
  cacheWillUpdate: async ({ request, response }) =>
    appliedByScript(new URL(request.url)) ? null : response,
};

// Pages: the network first, the copy kept here when there is none.
registerRoute(
  ({ request, url }) =>
    url.origin === self.location.origin &&
    (request.mode === "navigate" || PAGES.includes(url.pathname)),
  new NetworkFirst({ cacheName: PAGES_CACHE, networkTimeoutSeconds: 6, plugins: [keptWithoutQuery, onlyOk] })
);
// Static files have content-hashed names: once cached, good for ever.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("{{ static_prefix }}"),
  new CacheFirst({
    cacheName: STATIC_CACHE,
    plugins: [onlyOk, new ExpirationPlugin({ maxEntries: 60 })],
  })
);

async function keep(cacheName, urls) {
  const cache = await caches.open(cacheName);
  await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        // A redirect means the sign-in page: never keep it as a field page.
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (error) {
        /* offline during install: the page is kept on its next visit */
      }
    })
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    Promise.all([keep(PAGES_CACHE, PAGES), keep(STATIC_CACHE, ASSETS)]).then(() =>
      self.skipWaiting()
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith("field-") && !name.endsWith("{{ version }}"))
          .map((name) => caches.delete(name))
      )
    )
  );
});

// Signing out forgets the pages kept for this account.
self.addEventListener("message", (event) => {
  if (event.data === "forget") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});
{% endautoescape %}
