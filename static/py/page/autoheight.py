"""The lab's own height, followed both ways, for a course page that sizes its frame to it.

``watch_height(on_change)`` calls ``on_change(height)`` at start and then whenever the height of
the lab's content changes, taller or shorter, in the same frame as the layout that changed it
(a ResizeObserver on <body>). It is the one place that measures: host.py posts each height as
{"source": "nn-lab", "type": "height", ...}; another message format for the same height (a
course platform's own, e.g. SPLICE's lti.frameResize) is one more ``on_change``.

The height is the content's, not the document's: document.documentElement.scrollHeight is never
less than the frame's own height, so a frame sized to it could grow but never shrink. <body> is a
block formatting context (lab.css: display: flow-root), so its box holds its children's margins.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from pyodide.ffi import create_proxy
from pyscript import document, window


def content_height() -> int:
    """The height of the lab's content in CSS pixels, rounded up."""
    return math.ceil(document.body.getBoundingClientRect().height)


def watch_height(on_change: Callable[[int], None]) -> list:
    """Call ``on_change(height)`` now and at every change of ``content_height()``; returns what
    must be kept alive (the observer and its callback's proxy)."""
    last = [content_height()]

    def observed(*_args) -> None:
        height = content_height()
        if height != last[0]:
            last[0] = height
            on_change(height)

    callback = create_proxy(observed)
    observer = window.ResizeObserver.new(callback)
    observer.observe(document.body)
    on_change(last[0])
    return [callback, observer]
