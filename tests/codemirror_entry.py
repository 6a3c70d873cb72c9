"""Write static/vendor/codemirror.js: the CodeMirror that @pyscript/core bundles, by name.

@pyscript/core ships CodeMirror 6 (for its own py-editor) as chunks whose file names carry a
content hash (codemirror-BDx3jn9j.js, ...). The Code panel imports the pieces it needs from
one stable module instead, written here by `make vendor` from the chunks that are there:

    python3 tests/codemirror_entry.py static/vendor
"""

from __future__ import annotations

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


def entry(pyscript: Path) -> str:
    """The module's text; SystemExit naming the chunk that is missing."""
    lines = ["// Written by `make vendor` (tests/codemirror_entry.py): do not edit."]
    for prefix, export in EXPORTS.items():
        found = sorted(p.name for p in pyscript.glob(f"{prefix}*.js"))  # "-" is not "_"
        if len(found) != 1:
            sys.exit(f"codemirror_entry: expected one {prefix}*.js in {pyscript}, found {found}")
        lines.append(f'{export} "./pyscript/{found[0]}";')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    vendor = Path(sys.argv[1])
    (vendor / "codemirror.js").write_text(entry(vendor / "pyscript"))
