"""The page's language: chosen at start-up, index.html's own text put into it, and the
language menu (``data-testid="language"``).

index.html is written in English; each element whose text a person reads names its message in
the catalogue (``core/locales/``): ``data-i18n`` (its text), ``data-i18n-html`` (its markup,
our own), ``data-i18n-aria`` (its aria-label). In English nothing is rewritten. The menu
reloads the page in the language chosen, with the lab kept (the autosave and the link).
"""

from __future__ import annotations

from core import i18n
from core.i18n import LANGUAGE_NAMES, LANGUAGES, t
from pyscript import document, window

from page.app import App, on
from page.dom import fill_select


def browser_languages() -> list[str]:
    """``navigator.languages`` (or ``navigator.language``), as the browser orders them."""
    navigator = window.navigator
    tags = list(getattr(navigator, "languages", None) or [])
    return [str(tag) for tag in tags] or [str(getattr(navigator, "language", "") or "")]


def start(query: str) -> str:
    """Speak the link's language (else the browser's): the catalogues, ``<html lang>`` and
    index.html's own text. Before anything else is said, so that every message is in it."""
    language = i18n.use(i18n.choose(i18n.lang_in(query), browser_languages()))
    root = document.documentElement
    root.lang = language
    if language != i18n.ENGLISH:
        translate_page()
    root.classList.remove("lang-pending")  # static/js/language.js: shown now, in its language
    return language


def translate_page() -> None:
    """index.html's text, headings, buttons and screen-reader labels in the language in use."""
    for node in document.querySelectorAll("[data-i18n]"):
        node.textContent = t(node.getAttribute("data-i18n"))
    for node in document.querySelectorAll("[data-i18n-html]"):
        node.innerHTML = t(node.getAttribute("data-i18n-html"))  # our own catalogue's markup
    for node in document.querySelectorAll("[data-i18n-aria]"):
        node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria")))


def fill_menu() -> None:
    """The language menu: each language named in itself, the one in use chosen."""
    language = i18n.language()
    shown = [*LANGUAGES, language] if language not in LANGUAGES else list(LANGUAGES)
    fill_select("language", [(tag, LANGUAGE_NAMES[tag]) for tag in shown])
    document.getElementById("language").value = language


@on("#language", "change", redraw=False)
def on_language(app: App, event) -> None:
    """The page again in the language chosen: the lab is saved with it (the link names it),
    then the page reloads and restores the same lab."""
    tag = event.target.value
    if tag == i18n.language():
        return
    from page.field_events import change

    change(app, lang=tag)
    app.save(app)
    window.location.reload()
