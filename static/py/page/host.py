"""The course page around an embedded lab: the lab's height, for the host script that sizes
the iframe (static/js/embed-host.js) and, as ``lti.frameResize``, for Canvas, Moodle and SPLICE
platforms; and progress events, for ``report=ORIGIN``.

Messages go to the parent window for one origin only, never "*": the report origin from the
link, or the origin of a parent that said hello. The only messages read are the documented
ones ({"source": "nn-host", "type": "hello"}), from the parent window itself, and with
``report=`` from that origin alone; anything else is ignored (static/js/guard.js already
keeps other windows' messages from the rest of the page).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.lab_events import height_message
from pyodide.ffi import create_proxy
from pyscript import window

from page.autoheight import watch_height

if TYPE_CHECKING:
    from core.course import HostMessage

MAX_MESSAGE = 2_000  # characters of JSON: a documented message is far smaller


class Host:
    """The page that embeds the lab, if any, and what the lab tells it."""

    def __init__(self, report: str, frame_resize: bool = False) -> None:
        self.report = report or None  # the origin that receives progress events
        self.origin = self.report  # the origin heights go to (a hello sets it without report)
        # also post the height as lti.frameResize (Canvas, Moodle): with splice=1, or once a
        # page with embed-host.js said hello (auto-height)
        self.frame_resize = frame_resize
        self.height = 0  # the lab's height, as last measured (autoheight.watch_height)
        self.embedded = not window.Object.is_(window.parent, window)
        self._proxies: list = []

    def start(self, command: Callable[[HostMessage], None], app) -> None:
        """Listen to the parent (``command`` gets each documented lesson message) and keep it
        told of the lab's height, taller or shorter."""
        self.command, self.app = command, app
        if not self.embedded:
            return
        listener = create_proxy(self.on_message)
        window.addEventListener("message", listener)
        self._proxies += [listener, *watch_height(self.send_height)]

    def on_message(self, event) -> None:
        if not window.Object.is_(event.source, window.parent):
            return
        if self.report is not None and event.origin != self.report:
            return
        from core.course import read_message as read_lesson_message  # not needed at start-up

        lesson = getattr(getattr(self.app, "lesson", None), "lesson", None)
        message = read_lesson_message(read_message(event.data), lesson)
        if message is None:
            return
        if message.type == "hello":
            self.origin = event.origin
            self.frame_resize = True
            self.send_height(self.height)  # say it again, to this origin
        if self.report is not None:  # lesson messages only with report=ORIGIN, from it
            self.command(message)

    def post(self, message: dict, origin: str | None) -> None:
        """Post ``message`` as its JSON says (None is null, not undefined, when it arrives)."""
        if self.embedded and origin:
            window.parent.postMessage(window.JSON.parse(json.dumps(message)), origin)

    def send_height(self, height: int) -> None:
        """Tell the course page the lab's height (``lab_events.height_message``)."""
        self.height = height
        if self.origin:
            self.post(height_message(height), self.origin)
        if self.frame_resize:  # read by any origin: a height tells nothing of the learner
            self.post({"subject": "lti.frameResize", "height": height}, "*")

    def report_event(self, payload: dict) -> None:
        """A documented progress event, to the report origin only."""
        self.post(payload, self.report)


def read_message(data) -> object:
    """A message's data as plain Python (None if it is too large or not JSON-like)."""
    try:
        text = window.JSON.stringify(data)
        if not isinstance(text, str) or len(text) > MAX_MESSAGE:
            return None
        return json.loads(text)
    except Exception:  # cyclic, or not serialisable: not one of ours
        return None
