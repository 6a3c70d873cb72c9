// Loaded by index.html as a classic script BEFORE static/vendor/pyscript/core.js:
//   <script src="static/js/guard.js"></script>
// Two guards for the lab inside a course page's iframe (another site):
//
// 1. Messages. Pyodide's Emscripten runtime (pyodide.asm.mjs) polyfills setImmediate with a
//    capture-phase "message" listener on window that runs `__setImmediate_queue.shift()()` for
//    any message whose data is "_si", from whatever window sent it. A parent posting "_si" makes
//    it call undefined (TypeError), or run a queued callback too early. Pyodide's own messages are
//    posted by this window to itself (event.source === window), so we stop every message from
//    another window before any later listener sees it: a capture listener on window registered
//    first runs first.
//
// 2. Storage. When the browser denies storage to a third-party frame (Chromium with third-party
//    cookies blocked, incognito, Firefox with cookies blocked, sandboxed frames), PyScript's
//    start-up awaits an IndexedDB map (its packages cache, "IDBMap/<pyodide URL>@<version>") that
//    can then never open: indexedDB.open() fails ("The user denied permission to access the
//    database") or throws, and the lab never becomes ready. There we give PyScript an in-memory
//    indexedDB with what its IDBMap uses; nothing is kept after the page closes, which is all a
//    denied frame could have anyway. Where storage works, nothing is changed.
(() => {
  "use strict";

  // The course page's documented messages ({source: "nn-host", ...}, see static/py/host.py)
  // pass on to the lab's own listener, which checks their origin; Pyodide's scheduler only
  // acts on the string "_si", so an object cannot disturb it.
  // So do a SPLICE platform's answers ({subject: "SPLICE.getState.response", ...}, see
  // static/py/splice.py, which checks their message_id), from the parent window only.
  const fromParent = (event) =>
    event.source === window.parent && window.parent !== window &&
    event.data !== null && typeof event.data === "object";
  const fromHost = (event) => fromParent(event) && event.data.source === "nn-host";
  const fromSplice = (event) =>
    fromParent(event) && event.data.subject === "SPLICE.getState.response";
  addEventListener(
    "message",
    (event) => {
      if (event.source !== window && !fromHost(event) && !fromSplice(event)) {
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  const denied = (get) => {
    try {
      return !get();
    } catch {
      return true;
    }
  };
  if (!denied(() => window.localStorage && window.indexedDB)) return;

  // A request that succeeds with `result` once the caller has set its handlers.
  const request = (result) => {
    const req = { result, error: null, readyState: "pending", onsuccess: null, onerror: null };
    setTimeout(() => {
      req.readyState = "done";
      req.onsuccess?.({ type: "success", target: req });
    });
    return req;
  };
  const databases = new Map(); // name → Map(store name → Map(key → value))
  const database = (name) => {
    if (!databases.has(name)) databases.set(name, new Map());
    const stores = databases.get(name);
    const store = (storeName) => {
      if (!stores.has(storeName)) stores.set(storeName, new Map());
      const map = stores.get(storeName);
      return {
        name: storeName,
        count: () => request(map.size),
        get: (key) => request(structuredClone(map.get(key))),
        getKey: (key) => request(map.has(key) ? key : undefined),
        getAll: () => request([...map.values()].map((v) => structuredClone(v))),
        getAllKeys: () => request([...map.keys()]),
        put: (value, key) => (map.set(key, structuredClone(value)), request(key)),
        add: (value, key) => (map.set(key, structuredClone(value)), request(key)),
        delete: (key) => (map.delete(key), request(undefined)),
        clear: () => (map.clear(), request(undefined)),
      };
    };
    return {
      name,
      version: 1,
      get objectStoreNames() {
        const names = [...stores.keys()];
        return Object.assign(names, { contains: (n) => stores.has(n) });
      },
      createObjectStore: (storeName) => store(storeName),
      transaction: () => ({ objectStore: store, commit() {}, abort() {} }),
      close() {},
    };
  };
  const memoryIndexedDB = {
    open: (name) => request(database(String(name))),
    deleteDatabase: (name) => (databases.delete(String(name)), request(undefined)),
    databases: async () => [...databases.keys()].map((name) => ({ name, version: 1 })),
    cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  };
  Object.defineProperty(window, "indexedDB", {
    configurable: true,
    enumerable: true,
    get: () => memoryIndexedDB,
  });
})();
