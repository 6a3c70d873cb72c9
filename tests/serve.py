"""A static file server for the page: `python -m tests.serve [--port N] [--root D] [--prefix /p/]`.

Used by `make serve` and by the end-to-end tests. It differs from `python -m http.server` in
three ways the page needs: correct MIME types for `.mjs`, `.wasm` and `.toml`; an optional
URL prefix, so a folder can be served under a sub-path as on a course website; and
`Cache-Control: no-cache`, so an edited file is picked up on reload.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import ClassVar

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


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory`, optionally only below `prefix` (e.g. "/courses/ml/nn/")."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }
    prefix = "/"

    def __init__(self, *args, prefix: str = "/", **kwargs) -> None:
        self.prefix = prefix
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
        self.path = "/" + self.path[len(self.prefix) :]
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(
    root: Path | str = ".",
    port: int = 0,
    prefix: str = "/",
    host: str = "127.0.0.1",
    verbose: bool = False,
) -> http.server.ThreadingHTTPServer:
    """A server for `root` on `host:port` (port 0: a free one; read it from `server_address`)."""
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError(f"prefix must start and end with '/', got {prefix!r}")
    handler = functools.partial(Handler, directory=str(root), prefix=prefix)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def serve_in_background(
    root: Path | str = ".", prefix: str = "/"
) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Start a server on a free port in a daemon thread; returns (base URL, server)."""
    server = make_server(root, 0, prefix)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{prefix}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", default=".")
    parser.add_argument("--prefix", default="/")
    args = parser.parse_args()
    server = make_server(args.root, args.port, args.prefix, verbose=True)
    print(
        f"Serving {Path(args.root).resolve()} at http://127.0.0.1:{args.port}{args.prefix}"
        " (Ctrl+C stops)",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
