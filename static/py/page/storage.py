"""The browser's side of keeping and sharing: localStorage, the address bar, files, clipboard.

What is written is made by ``savestate`` (pure). Storage may be denied (a cross-site iframe,
a private window) or full: the lab then works without autosave and says so once.
"""

from __future__ import annotations

import asyncio
import contextlib

from core.i18n import t
from core.savestate import AUTOSAVE_KEY, UNREADABLE_KEY, address_query, autosave_text
from pyodide.ffi import create_proxy
from pyscript import document, window

from page.app import App
from page.dom import js_object, set_notice


def local_storage():
    """Where the lab is kept: window.localStorage, or where the browser denies that (it may
    throw on access) but allows sessionStorage, that (kept while the tab is open, reloads
    included); None where it denies both. ``storage_kind`` says which."""
    return _storage()[0]


def storage_kind() -> str | None:
    """Which storage keeps the lab: "local", "session" or None (see ``local_storage``)."""
    return _storage()[1]


def _storage():
    for kind in ("local", "session"):
        try:
            storage = getattr(window, f"{kind}Storage")
            storage.length  # noqa: B018 -- some browsers throw only on use
        except Exception:
            continue
        if storage:
            return storage, kind
    return None, None


def read_autosave() -> str | None:
    storage = local_storage()
    if storage is None:
        return None
    try:
        text = storage.getItem(AUTOSAVE_KEY)
    except Exception:
        return None
    return text if isinstance(text, str) else None


def keep_aside(text: str) -> None:
    """Keep an autosave that could not be read under another key, and clear the autosave."""
    storage = local_storage()
    if storage is None:
        return
    try:
        storage.setItem(UNREADABLE_KEY, text)
        storage.removeItem(AUTOSAVE_KEY)
    except Exception:  # no room even for the copy: leave the autosave where it is
        return


def forget_autosave() -> None:
    """Remove the autosave (and any unreadable copy kept aside) from this browser."""
    storage = local_storage()
    if storage is not None:
        with contextlib.suppress(Exception):
            storage.removeItem(AUTOSAVE_KEY)
            storage.removeItem(UNREADABLE_KEY)


def save(app: App, later: bool = False, held: bool = False) -> None:
    """Keep the settings in the address bar (without weights) and everything in localStorage,
    and tell the course platform that keeps the lab, if any (``platforms``).

    With ``later``, localStorage is written in a task of its own just after this one (once,
    however many saves ask meanwhile): a big lab's record (65,536 numbers, 16-16-16-1) takes
    10-20 ms to write, and with the redraw after a change it made one long task (over 50 ms).
    With ``held`` too, it is written when the caller says (``write_held_autosave``: a run's
    end, once its view is drawn), not by a ``later`` save's task meanwhile. Either way, the
    page hidden or left first writes it (``write_before_leaving``)."""
    query, left_out = address_query(app.lab.settings)
    url = window.location.pathname + ("?" + query if query else "")
    # e.g. a sandboxed frame: the address bar is not ours to keep
    with contextlib.suppress(Exception):
        window.history.replaceState(None, "", url)
    if left_out and "data set" not in app.notes:
        app.notes.append("data set")
        set_notice(t("storage.link_without_data"))
    if app.platform is not None:  # after the link's notice: the platform's, if any, is the one
        app.platform.changed()
    if not later:
        write_autosave(app)
        return
    app.autosave_held = app.autosave_held or held
    if not app.autosave_pending:
        app.autosave_pending = True
        asyncio.get_event_loop().call_soon(write_unless_held, app)
        write_before_leaving(app)


def write_pending_autosave(app: App) -> None:
    """A ``later`` autosave, unless a save since has written it already."""
    if app.autosave_pending:
        write_autosave(app)


def write_unless_held(app: App) -> None:
    """A ``later`` save's task: its autosave, unless a run's end holds it (a field changed in
    the run's last slice: written in the view's turns, the history's rows all at once)."""
    if not app.autosave_held:
        write_pending_autosave(app)


def write_held_autosave(app: App) -> None:
    """What a ``held`` save (a run's end) left to write, now."""
    app.autosave_held = False
    write_pending_autosave(app)


_LEAVING: list = []  # the listeners, once added (write_before_leaving)


def write_before_leaving(app: App) -> None:
    """Write a ``later`` autosave still to come when the page is left (a reload, a link, the
    tab closed: ``pagehide``) or hidden (``visibilitychange``: a phone may end a hidden page
    without ``pagehide``) before its task has come: a field's change just made, a run's end."""
    if _LEAVING:
        return

    def hidden(_event) -> None:
        if document.visibilityState == "hidden":
            write_pending_autosave(app)

    _LEAVING.append(create_proxy(lambda _event: write_pending_autosave(app)))
    _LEAVING.append(create_proxy(hidden))
    window.addEventListener("pagehide", _LEAVING[0])
    document.addEventListener("visibilitychange", _LEAVING[1])


def write_autosave(app: App) -> None:
    """The lab's record in localStorage (``savestate.autosave_text``), without the history if
    that does not fit; where storage is full or denied, the lab goes on without autosave."""
    app.autosave_pending = False
    if not app.autosave:
        return
    storage = local_storage()
    if storage is None:  # said at start-up
        app.autosave = False
        return
    try:
        try:
            storage.setItem(AUTOSAVE_KEY, autosave_text(app.lab))
        except Exception:  # no room for the history here: the record without it
            storage.setItem(AUTOSAVE_KEY, autosave_text(app.lab, with_history=False))
    except Exception as error:  # full, or denied since
        app.autosave = False
        reason = getattr(error, "name", "") or type(error).__name__
        set_notice(t("storage.autosave_failed", reason=reason))


def download(filename: str, text: str, mime: str) -> None:
    blob = window.Blob.new([text], js_object({"type": mime}))
    url = window.URL.createObjectURL(blob)
    link = document.createElement("a")
    link.href = url
    link.download = filename
    document.body.appendChild(link)
    link.click()
    link.remove()
    window.URL.revokeObjectURL(url)


def copy_text(text: str, what: str) -> None:
    """Copy to the clipboard; where that is not allowed (e.g. some iframes), say where it is.
    ``what``: "link", "embed", "python_run" or "python_code" (the messages ``copy.*.<what>``)."""

    def failed(_error=None) -> None:
        set_notice(t(f"copy.denied.{what}", text=text))

    try:
        promise = window.navigator.clipboard.writeText(text)
        promise.then(
            create_proxy(lambda _: set_notice(t(f"copy.done.{what}"))), create_proxy(failed)
        )
    except Exception:  # no clipboard API in this context
        failed()


# Lessons loaded from a file or an address are kept for offline use in a cache of their own, by
# their absolute URL: where the network fails, the lab opens the copy last loaded. (The dist's
# service worker keeps the page; where the browser denies caches, nothing is kept.)
LESSON_CACHE = "nn-lab lessons"


async def keep_lesson(url: str, response) -> None:
    """Keep a fetched lesson's response (a clone: the caller still reads its own)."""
    with contextlib.suppress(Exception):
        cache = await window.caches.open(LESSON_CACHE)
        await cache.put(url, response.clone())


async def kept_lesson(url: str) -> str | None:
    """The text of the lesson last loaded from ``url``, or None."""
    try:
        cache = await window.caches.open(LESSON_CACHE)
        response = await cache.match(url)
        return (await response.text()) if response else None
    except Exception:
        return None
