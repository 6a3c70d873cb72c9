"""SPLICE's iframe protocol (cssplice.org/slcp/iframe-protocol-specification.html), the lab's
side: Runestone and PreTeXt books keep a learner's state and score through it.

At start the lab asks its parent for the state it kept (``SPLICE.getState`` with a fresh
``message_id``) and waits at most ANSWER_SECONDS for ``SPLICE.getState.response`` with that
``message_id``, from window.parent only (static/js/guard.js lets SPLICE messages from the parent
through and stops every other window's). The state is data: ``platform_state`` reads it as the
autosave is read. Then every change is reported (``SPLICE.reportScoreAndState``: the score 0 to 1
and the state, a JSON object of at most 64 KiB), and the lab's height is posted as Canvas and
Moodle read it, ``lti.frameResize`` (host.py, from the one height watcher, autoheight.py).

Messages go to the origin that answered getState; until one answers, to "*" (a SPLICE
platform's origin is not known from the link): they hold only the lab, no personal data.
"""

from __future__ import annotations

import asyncio
import json

from core.i18n import t
from core.platform_state import MAX_STATE_JSON, left_out_notice, score, splice_state
from core.savestate import read_json
from pyodide.ffi import create_proxy
from pyscript import window

from page.dom import set_notice

ANSWER_SECONDS = 3.0  # how long the lab waits for the platform's saved state
GET_STATE = "SPLICE.getState"
ANSWER = "SPLICE.getState.response"
REPORT = "SPLICE.reportScoreAndState"


class Splice:
    """The SPLICE platform around the lab (the parent window), if any."""

    @property
    def name(self) -> str:
        """The platform, as notices name it: "the course platform"."""
        return t("platform.course")

    def __init__(self) -> None:
        self.embedded = not window.Object.is_(window.parent, window)
        self.origin = "*"  # where messages go: the origin that answered getState, once known
        self.said: set[str] = set()  # notices given once
        self.count = 0  # messages sent, for their message_id

    def message_id(self) -> str:
        self.count += 1
        return f"nn-lab-{window.crypto.randomUUID()}-{self.count}"

    def post(self, message: dict) -> None:
        if self.embedded:
            window.parent.postMessage(window.JSON.parse(json.dumps(message)), self.origin)

    async def saved_state(self, notes: list[str]) -> str | None:
        """The state the platform kept, as JSON text; None when there is none (``undefined``),
        no answer came in time, or the lab is not in a frame. An answer that is not JSON, too
        large or too deep is refused with a note."""
        if not self.embedded:
            return None
        message_id = self.message_id()
        answered: asyncio.Future = asyncio.get_event_loop().create_future()

        def on_message(event) -> None:
            if not window.Object.is_(event.source, window.parent) or answered.done():
                return
            try:  # a structured clone: plain data, but of any size and shape
                text = window.JSON.stringify(event.data)
            except Exception:
                return
            if not isinstance(text, str) or ANSWER not in text or message_id not in text:
                return
            answered.set_result((text, event.origin))

        listener = create_proxy(on_message)
        window.addEventListener("message", listener)
        try:
            self.post({"subject": GET_STATE, "message_id": message_id})
            text, origin = await asyncio.wait_for(answered, ANSWER_SECONDS)
        except TimeoutError:
            return None  # no SPLICE platform answered: an ordinary start
        finally:
            window.removeEventListener("message", listener)
            listener.destroy()
        try:
            data = read_json(text, t("platform.sent"), MAX_STATE_JSON + 200)
        except ValueError as error:
            notes.append(t("platform.unusable", problem=error))
            return None
        if not (
            isinstance(data, dict)
            and data.get("subject") == ANSWER
            and data.get("message_id") == message_id
        ):
            return None  # not the answer (e.g. our id quoted in another message)
        self.origin = origin if isinstance(origin, str) and origin != "null" else "*"
        state = data.get("state")  # undefined (left out by JSON) or null: none kept
        return None if state is None else json.dumps(state)

    def report(self, app) -> None:
        """``SPLICE.reportScoreAndState``: the lesson's score and the lab's state."""
        state, left_out = splice_state(app.lab)
        lesson = getattr(app, "lesson", None)
        value = score(*((lesson.lesson, lesson.progress) if lesson else (None, None)))
        message = {
            "subject": REPORT,
            "message_id": self.message_id(),
            "score": value,
            "state": state,
        }
        self.post(message)
        notice = left_out_notice(self.name, left_out)
        if notice and notice not in self.said:
            self.said.add(notice)
            set_notice(notice)
