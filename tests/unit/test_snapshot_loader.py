"""When the page starts Python from the memory snapshot, and why not: the decision of
static/js/pyodide-snapshot.mjs (`chooseSnapshot`), run under Node with the real loader, the real
archive and snapshot, and `fetch` answering as a static host would, or failing as one can.

Each way a snapshot can be missing or wrong gives no bytes and a reason (the page then starts
as usual and says it in a console.info); a good one gives its memory, decompressed. The page's
side of it (the usual start, no console error, a lab that trains; a snapshot Pyodide itself
refuses) is tests/e2e/test_startup.py.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.memory_snapshot import SNAPSHOT, archive_key, gzip_comment, gzip_with_comment
from tests.python_archive import ARCHIVE, ROOT, gzipped

LOADER = ROOT / "static" / "js" / "pyodide-snapshot.mjs"

# Run by Node: argv[1] the loader, argv[2] the cases (JSON: name -> {archive, snapshot: a file
# to answer with, or a status, or "abort"; optional no_decompression, kept}). Prints, as JSON,
# name -> {bytes: the length of the memory given, or null; reason; kept: data-snapshot-kept}.
DECIDE_JS = """
import fs from "node:fs";
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const dataset = {};
globalThis.document = { documentElement: { dataset } };
globalThis.MutationObserver = class { observe() {} disconnect() {} };
let answers = {};
globalThis.fetch = async (url) => {
  const answer = answers[url.endsWith("python.zip.gz") ? "archive" : "snapshot"];
  if (answer === "abort") throw new TypeError("Failed to fetch");
  if (typeof answer === "number") return new Response(null, { status: answer });
  return new Response(fs.readFileSync(answer));
};
const { chooseSnapshot } = await import(process.argv[1]);
const decompression = globalThis.DecompressionStream;
const results = {};
for (const [name, given] of Object.entries(cases)) {
  answers = given;
  for (const key of Object.keys(dataset)) delete dataset[key];
  if (given.no_decompression) delete globalThis.DecompressionStream;
  globalThis.caches = given.kept ? {
    open: async () => ({ match: async () => new Response(fs.readFileSync(given.kept)) }),
  } : undefined;
  const { bytes, reason } = await chooseSnapshot();
  globalThis.DecompressionStream = decompression;
  results[name] = { bytes: bytes ? bytes.length : null, reason: reason ?? null,
                    kept: dataset.snapshotKept ?? null };
}
console.log(JSON.stringify(results));
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The archive and snapshot as `make` built them, and each way they can go wrong."""
    if not SNAPSHOT.is_file() or archive_key(ARCHIVE) is None:
        pytest.fail("no snapshot for the archive: run `make` (tests/memory_snapshot.py)")
    folder = tmp_path_factory.mktemp("snapshot")
    data = SNAPSHOT.read_bytes()
    memory = gzip.decompress(data)
    comment = gzip_comment(data[:1024]) or ""
    made = json.loads(comment)
    middle = len(data) // 2
    buffer = io.BytesIO(ARCHIVE.read_bytes())
    with zipfile.ZipFile(buffer, "a") as zipped:
        zipped.comment = b""  # as `make` or tests/serve.py leave it before a new snapshot
    variants = {
        "archive": gzipped(ARCHIVE).read_bytes(),
        "archive without a key": gzip.compress(buffer.getvalue()),
        "archive sent decompressed": ARCHIVE.read_bytes(),  # Content-Encoding: gzip
        "snapshot": data,
        "memory": memory,
        "partly downloaded": data[:middle],
        "damaged": data[:middle]
        + bytes(b ^ 0x55 for b in data[middle : middle + 64])
        + data[middle + 64 :],
        # gzip ends with the CRC-32 of the memory, then its length: only the CRC is wrong
        "wrong checksum": data[:-8] + bytes(b ^ 0xFF for b in data[-8:-4]) + data[-4:],
        "other modules": gzip_with_comment(memory, json.dumps({**made, "key": "0" * 32})),
        "another Pyodide": gzip_with_comment(memory, json.dumps({**made, "pyodide": "9.9.9"})),
        "no comment": gzip.compress(memory, compresslevel=1),
    }
    paths = {}
    for name, content in variants.items():
        paths[name] = folder / name.replace(" ", "-")
        paths[name].write_bytes(content)
    return paths


def decide(files: dict[str, Path], cases: dict[str, dict]) -> dict[str, dict]:
    """Each case's {bytes, reason, kept} from the loader under Node."""
    given = {
        name: {
            "archive": str(files["archive"]),
            **{
                key: str(files[value]) if isinstance(value, str) and value in files else value
                for key, value in case.items()
            },
        }
        for name, case in cases.items()
    }
    path = files["archive"].parent / "cases.json"
    path.write_text(json.dumps(given))
    done = subprocess.run(
        ["node", "--input-type=module", "--eval", DECIDE_JS, LOADER.as_uri(), str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_good_snapshot_is_used_and_each_bad_one_is_refused_with_its_reason(files) -> None:
    memory = len(gzip.decompress(SNAPSHOT.read_bytes()))
    found = decide(
        files,
        {
            "good": {"snapshot": "snapshot"},
            "kept by an earlier visit": {"snapshot": 404, "kept": "memory"},
            "archive sent decompressed": {
                "archive": "archive sent decompressed",
                "snapshot": "snapshot",
            },
            "no key in the archive": {"archive": "archive without a key", "snapshot": "snapshot"},
            "no archive": {"archive": 404, "snapshot": "snapshot"},
            "missing": {"snapshot": 404},
            "refused by the network": {"snapshot": "abort"},
            "partly downloaded": {"snapshot": "partly downloaded"},
            "damaged": {"snapshot": "damaged"},
            "wrong checksum": {"snapshot": "wrong checksum"},
            "made from other modules": {"snapshot": "other modules"},
            "made by another Pyodide": {"snapshot": "another Pyodide"},
            "says nothing of what it was made from": {"snapshot": "no comment"},
            "no DecompressionStream": {"snapshot": "snapshot", "no_decompression": True},
        },
    )
    assert found.pop("good") == {"bytes": memory, "reason": None, "kept": None}
    assert found.pop("archive sent decompressed") == {"bytes": memory, "reason": None, "kept": None}
    assert found.pop("kept by an earlier visit") == {
        "bytes": memory,
        "reason": None,
        "kept": "true",
    }
    reasons = {name: result["reason"] for name, result in found.items()}
    assert all(result["bytes"] is None for result in found.values()), found
    assert reasons["no key in the archive"].startswith("no snapshot was made")
    assert reasons["no archive"].endswith("python.zip.gz answered 404")
    assert reasons["missing"] == "the snapshot answered 404"
    assert "Failed to fetch" in reasons["refused by the network"]
    # gzip's own length and CRC checks, in DecompressionStream (Node's words; a browser's differ)
    assert reasons["partly downloaded"] == "Error: unexpected end of file", reasons
    # bytes changed mid-stream fail however the deflate data then reads (a bad Huffman table,
    # a distance too far back, or at the end the CRC): which one depends on the build's bytes
    assert reasons["damaged"].startswith("Error: "), reasons
    assert reasons["wrong checksum"] == "Error: incorrect data check", reasons
    assert (
        reasons["made from other modules"] == "the snapshot is of other modules (make rebuilds it)"
    )
    assert reasons["made by another Pyodide"].startswith("the snapshot is of Pyodide 9.9.9, not ")
    assert reasons["says nothing of what it was made from"] == (
        "the snapshot does not say what it was made from"
    )
    assert reasons["no DecompressionStream"] == "Error: this browser has no DecompressionStream"


# Run by Node: argv[1] the loader, argv[2] a zip file; prints, as JSON, {name: the file's bytes
# as latin-1} of `unzip`, or {error} where it refuses the archive.
UNZIP_JS = """
import fs from "node:fs";
const { unzip } = await import(process.argv[1]);
try {
  const files = unzip(new Uint8Array(fs.readFileSync(process.argv[2])));
  console.log(JSON.stringify(Object.fromEntries(
    files.map(({ name, bytes }) => [name, Buffer.from(bytes).toString("latin1")]))));
} catch (error) {
  console.log(JSON.stringify({ error: String(error) }));
}
"""


def unzipped_by_the_loader(archive: Path) -> dict[str, bytes] | str:
    """What the loader's `unzip` makes of ``archive``: its files, or why it refuses it."""
    done = subprocess.run(
        ["node", "--input-type=module", "--eval", UNZIP_JS, LOADER.as_uri(), str(archive)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    if "error" in found:
        return found["error"]
    return {name: text.encode("latin-1") for name, text in found.items()}


def test_the_loader_unpacks_every_file_of_the_archive_as_python_reads_them(tmp_path) -> None:
    if not ARCHIVE.is_file():
        pytest.fail("no archive: run `make` (tests/python_archive.py)")
    with zipfile.ZipFile(ARCHIVE) as zipped:
        expected = {name: zipped.read(name) for name in zipped.namelist()}
    assert any(name.startswith("pyscript/__pycache__/") for name in expected)
    assert unzipped_by_the_loader(ARCHIVE) == expected
    page_copy = tmp_path / "page.zip"
    page_copy.write_bytes(gzip.decompress(gzipped(ARCHIVE).read_bytes()))
    assert unzipped_by_the_loader(page_copy) == expected


def test_the_loader_refuses_an_archive_it_cannot_read_whole(tmp_path) -> None:
    deflated, outside, cut = tmp_path / "deflated.zip", tmp_path / "outside.zip", tmp_path / "cut"
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("nn/neuron.py", "x = 1\n" * 100)
    with zipfile.ZipFile(outside, "w") as zipped:
        zipped.writestr("../escape.py", "x = 1\n")
    cut.write_bytes(ARCHIVE.read_bytes()[: ARCHIVE.stat().st_size // 2])
    assert unzipped_by_the_loader(deflated) == (
        "Error: nn/neuron.py is not stored whole in the archive"
    )
    assert unzipped_by_the_loader(outside).startswith("Error: an unexpected name in the archive")
    assert unzipped_by_the_loader(cut) == "Error: not a zip archive"
