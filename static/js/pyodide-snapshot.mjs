// The page's interpreter: the vendored Pyodide, started from a memory snapshot of the lab's
// Python when there is a good one (tests/memory_snapshot.py makes it), else as usual.
//
// pyscript.toml names this module as its `interpreter`: PyScript imports it and calls its
// `loadPyodide` and `version`, as it would Pyodide's own pyodide.mjs. PyScript is unchanged.
//
// The snapshot, static/build/snapshot.bin.gz, is a started interpreter that has already
// imported the lab's pure modules: loading it skips most of Python's start-up. It is only a
// speed-up. The usual start-up is used, with a console.info saying why, when
//   - the archive (static/build/python.zip) names no snapshot in its zip comment: none was made
//     for these modules (then the snapshot is never asked for);
//   - the snapshot cannot be fetched, or is partly downloaded or damaged (gzip checks its
//     length and CRC), or its gzip comment names another Pyodide or another archive;
//   - Pyodide refuses it (it checks its own build id) or fails to start from it.
// After a start from the snapshot, `random` is reseeded from crypto.getRandomValues: the
// snapshot froze its state, which every visitor would otherwise share.
//
// Once the page is ready, the decompressed snapshot is kept in Cache Storage (under its key,
// any other dropped): decompressing 31 MB took ~0.25 s, reading it back ~0.06 s, so a second
// visit starts sooner. Where Cache Storage is missing or denied, each visit decompresses.
//
// <html data-python-start="snapshot"> or "fresh" says which start-up ran (for the tests and
// `make bench`), and data-snapshot-kept="true" that the snapshot is kept for the next visit
// (once kept, or read from where it was kept).

import { loadPyodide as loadVendored, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const ARCHIVE_URL = new URL("../build/python.zip", import.meta.url).href;
const SNAPSHOT_URL = new URL("../build/snapshot.bin.gz", import.meta.url).href;
const KEY_PREFIX = "nn-snapshot ";
const CACHE = "nn-lab snapshot";

// Asked for as soon as PyScript imports this module, while it reads its configuration.
const snapshot = chooseSnapshot();

// PyScript's loadPyodide: its options, with Pyodide's own folder as indexURL (PyScript gives
// this module's folder) and the snapshot when it is a good one.
export async function loadPyodide(options = {}) {
  const settings = { ...options, indexURL: INDEX_URL };
  const { bytes, reason } = await snapshot;
  if (bytes) {
    try {
      const pyodide = await loadVendored({ ...settings, _loadSnapshot: bytes });
      reseed(pyodide);
      started("snapshot");
      return pyodide;
    } catch (error) {
      console.info("nn: Python starts as usual (it could not start from the snapshot):", error);
      globalThis.caches?.delete(CACHE).catch(() => {}); // in case the kept copy was the cause
    }
  } else {
    console.info(`nn: Python starts as usual: ${reason}.`);
  }
  started("fresh");
  return loadVendored(settings);
}

function started(how) {
  document.documentElement.dataset.pythonStart = how;
}

// A fresh seed for `random` (256 bits from the browser's CSPRNG), as Python seeds it at start.
function reseed(pyodide) {
  const words = crypto.getRandomValues(new Uint32Array(8));
  const hex = Array.from(words, (word) => word.toString(16).padStart(8, "0")).join("");
  pyodide.runPython(`import random\nrandom.seed(0x${hex})`);
}

// {bytes} of the snapshot (its memory, decompressed), or {reason} why there is none: never
// throws. Exported for tests/unit/test_snapshot_loader.py, which runs it under Node.
export function chooseSnapshot() {
  return findSnapshot().catch((error) => ({ reason: String(error) }));
}

async function findSnapshot() {
  const archive = await fetch(ARCHIVE_URL);
  if (!archive.ok) return { reason: `${ARCHIVE_URL} answered ${archive.status}` };
  const named = zipComment(new Uint8Array(await archive.arrayBuffer()));
  if (!named.startsWith(KEY_PREFIX)) {
    return { reason: "no snapshot was made for the page's modules (make builds one)" };
  }
  const key = named.slice(KEY_PREFIX.length);
  const kept = await keptSnapshot(key);
  if (kept) {
    document.documentElement.dataset.snapshotKept = "true";
    return { bytes: kept };
  }
  if (typeof DecompressionStream !== "function") {
    return { reason: "this browser has no DecompressionStream" };
  }
  const response = await fetch(SNAPSHOT_URL);
  if (!response.ok || !response.body) {
    return { reason: `the snapshot answered ${response.status}` };
  }
  let head = new Uint8Array(0);
  const sniff = new TransformStream({
    transform(chunk, controller) {
      if (head.length < 1024) head = concat(head, chunk.subarray(0, 1024));
      controller.enqueue(chunk);
    },
  });
  const memory = response.body.pipeThrough(sniff).pipeThrough(new DecompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(memory).arrayBuffer());
  let made = null;
  try {
    made = JSON.parse(gzipComment(head));
  } catch {
    return { reason: "the snapshot does not say what it was made from" };
  }
  if (made.pyodide !== version) {
    return { reason: `the snapshot is of Pyodide ${made.pyodide}, not ${version}` };
  }
  if (made.key !== key) return { reason: "the snapshot is of other modules (make rebuilds it)" };
  keepOnceReady(key, bytes);
  return { bytes };
}

// The address a decompressed snapshot is kept under in Cache Storage.
function keptUrl(key) {
  return `${SNAPSHOT_URL}?memory=${encodeURIComponent(key)}`;
}

// The decompressed snapshot of `key` kept by an earlier visit, else null.
async function keptSnapshot(key) {
  try {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(keptUrl(key));
    return kept ? new Uint8Array(await kept.arrayBuffer()) : null;
  } catch {
    return null; // no Cache Storage here (or denied): the snapshot is fetched
  }
}

// Once the page is ready (not to slow its start), keep `bytes` under `key` and drop the
// snapshots of other keys.
function keepOnceReady(key, bytes) {
  const root = document.documentElement;
  const keep = async () => {
    try {
      const cache = await caches.open(CACHE);
      for (const request of await cache.keys()) {
        if (request.url.startsWith(`${SNAPSHOT_URL}?`)) await cache.delete(request);
      }
      await cache.put(keptUrl(key), new Response(inPieces(bytes)));
      root.dataset.snapshotKept = "true";
    } catch {
      // no Cache Storage here, or no room: the next visit decompresses again
    }
  };
  new MutationObserver((changes, observer) => {
    if (root.dataset.ready === "true") {
      observer.disconnect();
      setTimeout(keep, 1000);
    }
  }).observe(root, { attributes: true, attributeFilter: ["data-ready"] });
}

// `bytes` as a stream of 1 MB pieces, one per turn of the browser: handed to Cache Storage
// whole, the 31 MB were copied in one task of 60-90 ms, which a learner's first click met.
function inPieces(bytes, size = 1 << 20) {
  let start = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0)); // a turn of its own
      controller.enqueue(bytes.subarray(start, start + size));
      start += size;
      if (start >= bytes.length) controller.close();
    },
  });
}

function concat(a, b) {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

// The comment of a zip file (its end of central directory record: signature 50 4b 05 06, the
// comment's length at offset 20, the comment at 22), "" if none.
function zipComment(zip) {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65535); at--) {
    if (zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 5 && zip[at + 3] === 6) {
      const length = zip[at + 20] | (zip[at + 21] << 8);
      return new TextDecoder().decode(zip.subarray(at + 22, at + 22 + length));
    }
  }
  return "";
}

// The FCOMMENT of a gzip header (RFC 1952): after the 10 fixed bytes, the optional extra
// field and file name; "" if none.
function gzipComment(head) {
  if (head[0] !== 0x1f || head[1] !== 0x8b) return "";
  const flags = head[3];
  let at = 10;
  if (flags & 4) at += 2 + (head[at] | (head[at + 1] << 8));
  if (flags & 8) at = head.indexOf(0, at) + 1;
  if (!(flags & 16)) return "";
  return new TextDecoder("latin1").decode(head.subarray(at, head.indexOf(0, at)));
}
