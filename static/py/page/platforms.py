"""The course platform that keeps the lab, chosen from the link: ``?splice=1`` (a SPLICE
platform: Runestone, PreTeXt; ``splice``), ``?scorm=1`` (an LMS running the SCORM 1.2
package that ``make scorm`` writes; ``scorm``), or none.

Each platform gives the page the state it kept, as JSON text (``saved_state``: read by
``platform_state.restore_platform``, which takes it over this browser's autosave), and is told
of every change (``changed``): ``Reports`` sends at most one report a second, the last change
always included, and at once when the lesson's progress changed. Here, no browser imports:
the two platforms' modules are imported only when the link names one.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Any, Protocol

from core.settings import Settings, decode_query

EVERY_SECONDS = 1.0  # at most one report a second


class Platform(Protocol):
    name: str  # in notices: "the course platform", "the LMS"

    async def saved_state(self, notes: list[str]) -> str | None:
        """The state kept (JSON text; None: none, an ordinary start); notes on what failed."""
        ...

    def report(self, app: Any) -> None:
        """Tell the platform the lab's state and score now."""
        ...


def choose(settings: Settings) -> Platform | None:
    """The platform the link names (``splice`` before ``scorm``), or None."""
    if settings.splice:
        from page.splice import Splice

        return Splice()
    if settings.scorm:
        from page.scorm import Scorm

        return Scorm()
    return None


def from_link(query: str) -> Platform | None:
    """The platform the page's link names, or None."""
    return choose(decode_query(query)[0])


class Reports:
    """Calls ``send()`` after changes, at most once every ``every`` seconds: a change within
    that time is sent when it is over (one send for all of them); ``now=True`` sends at once
    (the lesson's progress changed)."""

    def __init__(
        self,
        send: Callable[[], None],
        every: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        later: Callable[[float, Callable[[], None]], Any] | None = None,
    ) -> None:
        self.send, self.every, self.clock = send, every, clock
        self.later = later or (lambda delay, then: asyncio.get_event_loop().call_later(delay, then))
        self.last = -math.inf  # when the last report was sent
        self.waiting = False  # a report is due once ``every`` is over

    def changed(self, now: bool = False) -> None:
        wait = self.last + self.every - self.clock()
        if now or wait <= 0:
            self._send()
        elif not self.waiting:
            self.waiting = True
            self.later(wait, self._due)

    def _due(self) -> None:
        if self.waiting:
            self._send()

    def _send(self) -> None:
        self.waiting = False
        self.last = self.clock()
        self.send()
