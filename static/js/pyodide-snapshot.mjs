// The page's interpreter: the vendored Pyodide, started from a memory snapshot of the lab's
// Python when there is a good one (tests/memory_snapshot.py makes it), else as usual.
//
// pyscript.toml names this module as its `interpreter`: PyScript imports it and calls its
// `loadPyodide` and `version`, as it would Pyodide's own pyodide.mjs. PyScript is unchanged.
//
// The snapshot, static/build/snapshot.bin.gz, is a started interpreter that has already
// imported the lab's pure modules: loading it skips most of Python's start-up. It is only a
// speed-up. The usual start-up is used, with a console.info saying why, when
//   - the archive (static/build/python.zip.gz) names no snapshot in its zip comment: none was
//     made for these modules (then the snapshot is never asked for);
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
// The page's Python, static/build/python.zip.gz (a zip archive gzipped whole, made by
// tests/python_archive.py), is unpacked here too, into Python's working directory before
// PyScript runs anything: fetched once and decompressed by the browser (DecompressionStream)
// while the interpreter loads. Unpacked by Pyodide's own unpackArchive, through PyScript's
// [files], it was fetched a second time once the interpreter had loaded, then took ~0.1 s of
// Python.
//
// <html data-python-start="snapshot"> or "fresh" says which start-up ran (for the tests and
// `make bench`), and data-snapshot-kept="true" that the snapshot is kept for the next visit
// (once kept, or read from where it was kept).

import { loadPyodide as loadVendored, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const ARCHIVE_URL = new URL("../build/python.zip.gz", import.meta.url).href;
const SNAPSHOT_URL = new URL("../build/snapshot.bin.gz", import.meta.url).href;
const KEY_PREFIX = "nn-snapshot ";
const CACHE = "nn-lab snapshot";

// What the start needs, begun once: by index.html as the page starts (begin()), else by
// PyScript's call of loadPyodide. Kept on the global object (with where Python's output goes),
// in case the page's URL for this module and PyScript's differ and it is imported twice.
const BEGUN = Symbol.for("nn-lab python start");

// Starts fetching the archive, unpacking it, and loading Python (from the snapshot when there
// is a good one), before PyScript asks: PyScript first loads and runs its own code, reads its
// configuration and opens its package cache, ~0.1-0.3 s on a warm visit. Python's output goes
// to the console until PyScript's loadPyodide hands over its own. Without the archive the page
// cannot start: no Python is loaded then (loadPyodide says why).
export function begin() {
  if (!globalThis[BEGUN]) {
    const begun = { output: { stdout: console.log, stderr: console.error } };
    const archive = fetchArchive();
    const settings = {
      indexURL: INDEX_URL,
      stdout: (...text) => begun.output.stdout(...text),
      stderr: (...text) => begun.output.stderr(...text),
    };
    begun.files = archive.then(unzip);
    begun.python = archive.then(() => startPython(settings, chooseSnapshot(archive)));
    begun.files.catch(() => {}); // said by loadPyodide, which PyScript awaits
    begun.python.catch(() => {});
    globalThis[BEGUN] = begun;
  }
  return globalThis[BEGUN];
}

// PyScript's loadPyodide: the Python begun above, with PyScript's output, and the page's
// Python unpacked. PyScript gives only its output and this module's folder as indexURL (Pyodide
// needs its own), for this page's pyscript.toml; were a configuration to ask for more
// (packages), a Python is started as usual with them, since the snapshot holds none (the one
// begun early is then left unused).
export async function loadPyodide(options = {}) {
  const { stdout, stderr, indexURL, ...more } = options;
  const begun = begin();
  begun.output = { stdout: stdout ?? begun.output.stdout, stderr: stderr ?? begun.output.stderr };
  let files;
  try {
    files = await begun.files;
  } catch (error) {
    const problem = `the page's Python (${ARCHIVE_URL}) could not be unpacked: ${error}`;
    dispatchEvent(new CustomEvent("nn:python-failed", { detail: problem })); // loading.js
    throw new Error(`nn: ${problem}`);
  }
  let pyodide;
  if (Object.keys(more).length) {
    console.info(`nn: Python starts as usual: PyScript asks for ${Object.keys(more).join(", ")}.`);
    pyodide = await startPython({ ...options, indexURL: INDEX_URL }, { reason: null });
  } else {
    pyodide = await begun.python;
  }
  writeFiles(pyodide.FS, files);
  return pyodide;
}

// Pyodide, from the snapshot when `snapshot` gives its bytes, else as usual (saying why).
async function startPython(settings, snapshot) {
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
  } else if (reason) {
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

// The archive's bytes, decompressed (rejects if it cannot be fetched or is damaged). A host
// that sends the file with `Content-Encoding: gzip` has the browser decompress it already: a
// zip file then, used as it comes.
export async function fetchArchive() {
  const response = await fetch(ARCHIVE_URL);
  if (!response.ok) throw new Error(`${ARCHIVE_URL} answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return bytes; // "PK": a zip file
  if (typeof DecompressionStream !== "function") {
    throw new Error("this browser has no DecompressionStream");
  }
  const archive = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(archive).arrayBuffer());
}

// {bytes} of the snapshot (its memory, decompressed), or {reason} why there is none: never
// throws. Exported for tests/unit/test_snapshot_loader.py, which runs it under Node.
export function chooseSnapshot(archive = fetchArchive()) {
  return findSnapshot(archive).catch((error) => ({ reason: String(error) }));
}

async function findSnapshot(archive) {
  const named = zipComment(await archive);
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

// The files of a zip archive, [{name, bytes}]. The archive is ours (tests/python_archive.py:
// stored files, as it is compressed whole, no folders, no zip64); anything else is refused,
// never half read. Exported for tests/unit/test_snapshot_loader.py.
export function unzip(zip) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = endOfCentralDirectory(zip);
  if (end < 0) throw new Error("not a zip archive");
  const files = [];
  const directory = view.getUint32(end + 16, true); // the central directory's first record
  let at = directory;
  try {
    for (let count = view.getUint16(end + 10, true); count > 0; count--) {
      if (view.getUint32(at, true) !== 0x02014b50) throw new Error("a damaged zip directory");
      const method = view.getUint16(at + 10, true);
      const [packed, size] = [view.getUint32(at + 20, true), view.getUint32(at + 24, true)];
      const nameLength = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
      const header = view.getUint32(at + 42, true); // the file's local header
      at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
      if (!/^[\w.-]+(\/[\w.-]+)*$/.test(name) || name.split("/").includes("..")) {
        throw new Error(`an unexpected name in the archive: ${JSON.stringify(name)}`);
      }
      if (view.getUint32(header, true) !== 0x04034b50) {
        throw new Error(`a damaged zip archive (at ${name})`);
      }
      const start =
        header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
      if (method !== 0 || packed !== size || start + size > directory) {
        throw new Error(`${name} is not stored whole in the archive`);
      }
      files.push({ name, bytes: zip.slice(start, start + size) });
    }
  } catch (error) {
    if (error instanceof RangeError) throw new Error("a damaged zip archive (cut short)");
    throw error;
  }
  return files;
}

// Each file written under Python's working directory (where PyScript's [files] unpacked them).
function writeFiles(FS, files) {
  const home = FS.cwd();
  for (const { name, bytes } of files) {
    const path = `${home}/${name}`;
    const folder = path.slice(0, path.lastIndexOf("/"));
    if (!FS.analyzePath(folder).exists) FS.mkdirTree(folder);
    FS.writeFile(path, bytes, { canOwn: true });
  }
}

function concat(a, b) {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

// Where a zip file's end of central directory record starts (signature 50 4b 05 06; the
// count of files at offset 10, the directory's start at 16, the comment's length at 20, the
// comment at 22), -1 if none.
function endOfCentralDirectory(zip) {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65535); at--) {
    if (zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 5 && zip[at + 3] === 6) {
      return at;
    }
  }
  return -1;
}

// The comment of a zip file, "" if none.
function zipComment(zip) {
  const at = endOfCentralDirectory(zip);
  if (at < 0) return "";
  const length = zip[at + 20] | (zip[at + 21] << 8);
  return new TextDecoder().decode(zip.subarray(at + 22, at + 22 + length));
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
