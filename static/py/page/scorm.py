"""SCORM 1.2, the lab's side: the package ``make scorm`` writes launches the lab with
``?scorm=1``, and an LMS (Moodle, Canvas, Blackboard, Brightspace, Open edX) records the
learner's score and keeps their work through its ``API`` object.

``find_api`` looks for it as the standard's discovery does: up the parent chain (at most
MAX_TRIES frames), then the opener's. The lab then calls ``LMSInitialize("")``, restores from
``cmi.suspend_data`` (``platform_state.unpack``: read as the autosave is read), marks a first
attempt ``incomplete``, and on every change sets ``cmi.core.score.raw`` (0 to 100, of 0 to 100),
``cmi.core.lesson_status`` (``completed``, then ``passed``; never ``failed``, never lowered) and
``cmi.suspend_data`` (compressed to 4,096 characters), then ``LMSCommit("")``. On ``pagehide``:
the lab reported once more (changes are reported a second apart at most), ``cmi.core.exit`` =
``suspend``, ``cmi.core.session_time``, ``LMSFinish("")``. Without an LMS
the lesson works as ever, with a quiet note.
"""

from __future__ import annotations

import contextlib
import time

from core.i18n import t
from core.platform_state import left_out_notice, lesson_status, score, suspend_data, unpack
from pyodide.ffi import create_proxy
from pyscript import window

from page.dom import set_notice

MAX_TRIES = 7  # frames up a chain, as the standard's discovery algorithm
STATUS_RANK = {"incomplete": 1, "completed": 2, "passed": 3}  # a status is never lowered


def _api_of(win):
    """``win.API`` if it is there and readable (another origin's frame throws), else None."""
    try:
        api = win.API
        return api if api else None
    except Exception:
        return None


def find_api(win):
    """The LMS's API object in ``win``'s parent chain, or None."""
    tries = 0
    while _api_of(win) is None:
        try:
            parent = win.parent
            if not parent or window.Object.is_(parent, win) or tries >= MAX_TRIES:
                return None
        except Exception:
            return None
        tries += 1
        win = parent
    return _api_of(win)


def get_api():
    """The API from this window's chain, else from its opener's chain (a pop-up launch)."""
    api = find_api(window)
    if api is None:
        with contextlib.suppress(Exception):
            if window.opener:
                api = find_api(window.opener)
    return api


def session_time(seconds: float) -> str:
    """SCORM 1.2's CMITimespan: HHHH:MM:SS.SS."""
    hundredths = round(max(seconds, 0) * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    return f"{min(hours, 9999):04d}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"


class Scorm:
    """The LMS around the lab, through its SCORM 1.2 API (None outside an LMS)."""

    @property
    def name(self) -> str:
        """The platform, as notices name it: "the LMS"."""
        return t("platform.lms")

    def __init__(self) -> None:
        self.api = get_api()
        self.started = time.monotonic()
        self.status = ""  # the lesson_status set last (or found)
        self.live = False  # initialized and not finished
        self.said: set[str] = set()
        self._proxies: list = []
        self.app = None  # the lab's page, once reported: leaving reports it once more

    def call(self, name: str, *args: str) -> str:
        """``API.name(*args)`` as text ("" if the LMS threw)."""
        try:
            return str(getattr(self.api, name)(*args))
        except Exception:
            return ""

    async def saved_state(self, notes: list[str]) -> str | None:
        """Initialize; the state kept in cmi.suspend_data as JSON text, or None."""
        if self.api is None:
            notes.append(t("platform.no_lms"))
            return None
        if self.call("LMSInitialize", "") != "true":
            notes.append(t("platform.lms_not_started"))
            self.api = None
            return None
        self.live = True
        listener = create_proxy(lambda _event: self.finish())
        window.addEventListener("pagehide", listener)
        self._proxies.append(listener)
        self.status = self.call("LMSGetValue", "cmi.core.lesson_status")
        if self.status in ("", "not attempted", "browsed", "failed", "unknown"):
            self.set_status("incomplete")
        self.call("LMSSetValue", "cmi.core.exit", "suspend")
        kept = self.call("LMSGetValue", "cmi.suspend_data")
        if not kept:
            return None
        try:
            return unpack(kept)
        except ValueError as error:
            notes.append(f"{error} The lesson starts as the link says.")
            return None

    def set_status(self, status: str) -> None:
        higher = STATUS_RANK.get(status, 0) > STATUS_RANK.get(self.status, 0)
        if higher and self.call("LMSSetValue", "cmi.core.lesson_status", status) == "true":
            self.status = status

    def report(self, app) -> None:
        """Score, status and state to the LMS, then LMSCommit."""
        if not self.live:
            return
        self.app = app
        state = getattr(app, "lesson", None)
        lesson, progress = (state.lesson, state.progress) if state else (None, None)
        self.call("LMSSetValue", "cmi.core.score.min", "0")
        self.call("LMSSetValue", "cmi.core.score.max", "100")
        self.call("LMSSetValue", "cmi.core.score.raw", str(round(100 * score(lesson, progress))))
        self.set_status(lesson_status(lesson, progress))
        data, left_out = suspend_data(app.lab)
        self.call("LMSSetValue", "cmi.suspend_data", data)
        self.call("LMSCommit", "")
        notice = left_out_notice(self.name, left_out)
        if notice and notice not in self.said:
            self.said.add(notice)
            set_notice(notice)

    def finish(self) -> None:
        """Leaving: the lab reported as it is now (a change of the last second is still held
        back: ``platforms.Reports``), suspend, the session's time, LMSFinish (once)."""
        if not self.live:
            return
        if self.app is not None:
            self.report(self.app)
        self.live = False
        self.call("LMSSetValue", "cmi.core.exit", "suspend")
        self.call(
            "LMSSetValue", "cmi.core.session_time", session_time(time.monotonic() - self.started)
        )
        self.call("LMSFinish", "")
