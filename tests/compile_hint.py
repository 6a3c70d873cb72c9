"""Mark vendored JavaScript files for V8 to compile whole as they load, off the page's thread.

``//# allFunctionsCalledOnLoad`` on a file's first line is V8's explicit compile hint (Chrome
136 and later; other engines read a comment): its functions are compiled as the file streams
in, not one by one the first time each is called, on the page's thread. The chart's making
and the code editor's modules cost 40-60 ms less that way, the tasks that were long after
``data-ready`` (README, "Long tasks"). `make vendor` runs it on the copy of Chart.js in
static/vendor/ (and tests/codemirror_entry.py on CodeMirror's chunks, which it lists):

    python3 tests/compile_hint.py static/vendor/chart.js/chart.umd.min.js
"""

from __future__ import annotations

import sys
from pathlib import Path

HINT = "//# allFunctionsCalledOnLoad\n"


def hinted(text: str) -> str:
    """``text`` with the hint on its first line (once)."""
    return text if text.startswith(HINT) else HINT + text


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(hinted(path.read_text(encoding="utf-8")), encoding="utf-8")
