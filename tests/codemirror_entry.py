"""Write static/vendor/codemirror.js: the CodeMirror that @pyscript/core bundles, by name.

@pyscript/core ships CodeMirror 6 (for its own py-editor) as chunks whose file names carry a
content hash (codemirror-BDx3jn9j.js, ...). The Code panel imports the pieces it needs from
one stable module instead, written here by `make vendor` from the chunks that are there:

    python3 tests/codemirror_entry.py static/vendor

It also writes static/vendor/codemirror-chunks.js: those chunks and the ones they import, each
after what it imports. The Code panel imports them in that order, one a turn of the browser:
all at once, their code took 50-55 ms to run, a long task (README). And it heads each of them
with V8's compile hint (tests/compile_hint.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# chunk prefix -> what the Code panel takes from it
EXPORTS = {
    "codemirror-": "export { EditorView, basicSetup } from",
    "codemirror_state-": "export { EditorState, StateEffect, StateField, Transaction } from",
    "codemirror_lang-python-": "export { python } from",
    "codemirror_view-": "export * as view from",
    "codemirror_language-": "export * as language from",
}


HEADER = "// Written by `make vendor` (tests/codemirror_entry.py): do not edit."
IMPORTED = re.compile(r"""(?:from|import)\s*["']\./([^"']+\.js)["']""")  # a chunk's imports


def chunks(pyscript: Path) -> dict[str, str]:
    """The chunk of each prefix of ``EXPORTS``, by prefix; SystemExit naming one missing."""
    named = {}
    for prefix in EXPORTS:
        found = sorted(p.name for p in pyscript.glob(f"{prefix}*.js"))  # "-" is not "_"
        if len(found) != 1:
            sys.exit(f"codemirror_entry: expected one {prefix}*.js in {pyscript}, found {found}")
        named[prefix] = found[0]
    return named


def entry(pyscript: Path) -> str:
    """The module's text; SystemExit naming the chunk that is missing."""
    lines = [HEADER]
    for prefix, chunk in chunks(pyscript).items():
        lines.append(f'{EXPORTS[prefix]} "./pyscript/{chunk}";')
    return "\n".join(lines) + "\n"


def load_order(pyscript: Path, roots: list[str]) -> list[str]:
    """``roots`` and every chunk they import (static imports, ./ in the same folder), each
    after the chunks it imports."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order or name in path:  # done, or a cycle (then the order is as found)
            return
        for imported in IMPORTED.findall((pyscript / name).read_text(encoding="utf-8")):
            visit(imported, (*path, name))
        order.append(name)

    for root in roots:
        visit(root, ())
    return order


def chunks_module(names: list[str]) -> str:
    """static/vendor/codemirror-chunks.js: the addresses of the chunks ``names``, in order."""
    listed = ",\n".join(f'  "./pyscript/{name}"' for name in names)
    return (
        f"{HEADER}\n// CodeMirror's chunks, each after those it imports (the Code panel's order).\n"
        f"export default [\n{listed},\n].map((path) => new URL(path, import.meta.url).href);\n"
    )


if __name__ == "__main__":
    from compile_hint import hinted  # beside this file (run as a script by `make vendor`)

    vendor = Path(sys.argv[1])
    pyscript = vendor / "pyscript"
    (vendor / "codemirror.js").write_text(entry(pyscript), encoding="utf-8")
    names = load_order(pyscript, list(chunks(pyscript).values()))
    (vendor / "codemirror-chunks.js").write_text(chunks_module(names), encoding="utf-8")
    for name in names:
        text = (pyscript / name).read_text(encoding="utf-8")
        (pyscript / name).write_text(hinted(text), encoding="utf-8")
