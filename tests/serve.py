"""A static file server for the page: `python -m tests.serve [--port N] [--root D] [--prefix /p/]`.

Used by `make serve` and by the end-to-end tests. It differs from `python -m http.server` in
four ways the page needs: correct MIME types for `.mjs`, `.wasm` and `.toml`; an optional
URL prefix, so a folder can be served under a sub-path as on a course website;
`Cache-Control: no-cache`, so an edited file is picked up on reload (and with
`--rebuild`, as `make serve` runs it, the archive's bytecode and the memory snapshot are
rebuilt in the background once a module changed); and it serves only what
the page loads (see `page_file`), never the rest of the repository (`.git/`, `.venv/`,
`tests/`, ...), never a directory listing, never a path with a dot-segment.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote

from tests.python_archive import ARCHIVE, ROOT, gzipped, refresh_if_stale

MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".toml": "application/toml",
    ".py": "text/x-python",
    ".json": "application/json",
    ".zip": "application/zip",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}

ARCHIVE_PATH = ARCHIVE.relative_to(ROOT).as_posix()  # the page's Python (tests/python_archive.py)
PAGE_ARCHIVE_PATH = gzipped(ARCHIVE).relative_to(ROOT).as_posix()  # the copy the page fetches
ARCHIVE_LOCK = threading.Lock()
REBUILDING = threading.Lock()  # held while a rebuild runs: one at a time

# The page's top-level entries, in the repository and in dist/ alike (dist/ adds sw.js).
PAGE_TOP_FILES = frozenset({"index.html", "pyscript.toml", "sw.js"})


def page_file(parts: list[str]) -> bool:
    """Whether a file the page loads is at `parts` (a path relative to the served folder).

    Only index.html, pyscript.toml, sw.js, nn/*.py, anything below static/ and the lesson
    files of dist/lessons/ (`make dist LESSONS=dir`): not .venv/, node_modules/, tests/, bench/,
    examples/, dist/, README.md, ... of the repository.
    """
    if len(parts) == 1:
        return parts[0] in PAGE_TOP_FILES
    if parts[0] == "lessons":
        return len(parts) == 2 and parts[1].endswith(".json")
    if parts[0] == "nn":
        return len(parts) == 2 and parts[1].endswith(".py")
    return parts[0] == "static"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the page's files in `directory`, optionally only below `prefix` ("/courses/nn/").

    `extra_files` are further files to serve (paths relative to `directory`, e.g. a test's
    "host.html"). Everything else answers 404, as do directories other than the root (which
    serves its index.html) and paths with a segment starting with ".".
    """

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }
    prefix = "/"
    extra_files: frozenset[str] = frozenset()
    extra_headers: tuple[tuple[str, str], ...] = ()
    rebuild = False

    def __init__(
        self,
        *args,
        prefix: str = "/",
        extra_files: Iterable[str] = (),
        headers: Iterable[tuple[str, str]] = (),
        rebuild: bool = False,
        **kwargs,
    ) -> None:
        self.prefix = prefix
        self.rebuild = rebuild
        self.extra_files = frozenset(extra_files)
        self.extra_headers = tuple(headers)  # sent with every answer, e.g. a test's CSP
        super().__init__(*args, **kwargs)

    def send_head(self):
        if not self.path.startswith(self.prefix):
            if self.path.rstrip("/") == self.prefix.rstrip("/"):
                self.send_response(301)
                self.send_header("Location", self.prefix)
                self.end_headers()
                return None
            self.send_error(404, "Not under " + self.prefix)
            return None
        relative = self.path[len(self.prefix) :]
        if not self.allowed(relative):
            self.send_error(404, "Not found")
            return None
        self.path = "/" + relative
        if unquote(relative.split("?", 1)[0]) == PAGE_ARCHIVE_PATH:
            with ARCHIVE_LOCK:  # a module edited since the archive was made: served as it is
                root = Path(self.directory)
                if refresh_if_stale(root / ARCHIVE_PATH, root) and self.rebuild:
                    rebuild_in_background(root / ARCHIVE_PATH)
        return super().send_head()

    def allowed(self, relative: str) -> bool:
        """Whether `relative` (the URL path after the prefix, %-encoded, maybe with a query)
        names the root or a served file that exists inside the served directory."""
        path = unquote(relative.split("?", 1)[0].split("#", 1)[0])
        if path == "":
            return True  # the root: its index.html (no listing: see list_directory)
        if "\\" in path or "\0" in path:
            return False
        parts = path.split("/")
        if any(part == "" or part.startswith(".") for part in parts):
            return False  # "a//b", "a/", "..", ".git", ".venv", "%2e%2e", ...
        if not (page_file(parts) or "/".join(parts) in self.extra_files):
            return False
        root = os.path.realpath(self.directory)
        target = os.path.realpath(os.path.join(root, *parts))
        return target.startswith(root + os.sep) and os.path.isfile(target)

    def list_directory(self, path):
        self.send_error(404, "Not found")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def rebuild_in_background(archive: Path) -> None:
    """The archive with fresh bytecode, then its memory snapshot, made by the vendored Pyodide
    under Node in a background thread (some seconds): a reload after that starts from it."""
    if not REBUILDING.acquire(blocking=False):
        return  # one is running; the next request for the archive will see what it missed

    def work() -> None:
        from tests import memory_snapshot, python_archive

        try:
            with ARCHIVE_LOCK:
                files = python_archive.sources(archive.parents[2])
            bytecode = python_archive.compile_page(files)
            with ARCHIVE_LOCK:
                python_archive.write_archive(archive, files, bytecode, archive.parents[2])
            memory_snapshot.build(archive, archive.with_name("snapshot.bin.gz"))
            print("Rebuilt the page's Python and its memory snapshot", flush=True)
        except (Exception, SystemExit) as error:  # the page starts as usual meanwhile
            print(f"Could not rebuild the memory snapshot: {error}", flush=True)
        finally:
            REBUILDING.release()

    threading.Thread(target=work, daemon=True).start()


def make_server(
    root: Path | str = ".",
    port: int = 0,
    prefix: str = "/",
    host: str = "127.0.0.1",
    verbose: bool = False,
    extra_files: Iterable[str] = (),
    headers: Iterable[tuple[str, str]] = (),
    rebuild: bool = False,
) -> http.server.ThreadingHTTPServer:
    """A server for `root` on `host:port` (port 0: a free one; read it from `server_address`);
    `headers` are sent with every answer; `rebuild`: see `rebuild_in_background`."""
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError(f"prefix must start and end with '/', got {prefix!r}")
    handler = functools.partial(
        Handler,
        directory=str(root),
        prefix=prefix,
        extra_files=tuple(extra_files),
        headers=tuple(headers),
        rebuild=rebuild,
    )
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def serve_in_background(
    root: Path | str = ".",
    prefix: str = "/",
    extra_files: Iterable[str] = (),
    headers: Iterable[tuple[str, str]] = (),
) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Start a server on a free port in a daemon thread; returns (base URL, server)."""
    server = make_server(root, 0, prefix, extra_files=extra_files, headers=headers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{prefix}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", default=".")
    parser.add_argument("--prefix", default="/")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the memory snapshot when a module changes"
    )
    args = parser.parse_args()
    server = make_server(args.root, args.port, args.prefix, verbose=True, rebuild=args.rebuild)
    print(
        f"Serving {Path(args.root).resolve()} at http://127.0.0.1:{args.port}{args.prefix}"
        " (Ctrl+C stops)",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
