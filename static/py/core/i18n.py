"""The page's words in the learner's language: ``t(key, **values)``, and numbers as they write them.

The page's messages are one JSON file per language, ``core/locales/<language>.json`` (plain
data: a translator edits them without reading Python; see ``nn.i18n`` for the format), beside
``nn``'s own (``nn/locales/``). ``use(tag)`` chooses the language of both, falling back from
region to language to English (``de-AT`` → German, ``xx-YY`` → English). The lab's state stays
language-neutral: links, saved state and exported files write numbers with ".", and the page
turns them into the language's way (0,5 in German and Spanish) only where a person reads or
types them (``shown_number``, ``typed_number``). No browser imports: tested in CPython.
"""

from __future__ import annotations

from typing import Any

from nn import i18n
from nn.i18n import ENGLISH, LANGUAGES, PSEUDO, TAGS, Catalogue, decimal_separator, pseudo

PAGE = Catalogue("core")
_decimal = ["."]  # the language's decimal separator, kept as it is read on every readout

# Each language named in itself, for the language menu (en-XA only while it is in use).
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español", PSEUDO: "en-XA"}


def use(tag: str) -> str:
    """Speak the language ``tag`` falls back to, on the page and in ``nn``'s messages."""
    i18n.use_language(tag)
    language = PAGE.use(tag)
    _decimal[0] = decimal_separator(language)
    return language


def language() -> str:
    """The language in use: "en", "de", "es" or "en-XA"."""
    return PAGE.language


def t(key: str, /, **values: Any) -> str:
    """The page's message ``key`` in the language in use, with ``values`` filled in."""
    return PAGE.text(key, **values)


def named(key: str, english: str) -> str:
    """A name whose English is written where it is defined (a task's label in ``nn``, a
    preset's), in the language in use: the catalogue's ``key``, else ``english``."""
    if PAGE.language == ENGLISH:
        return english
    if PAGE.language == PSEUDO:
        return pseudo(english)
    found = PAGE.messages().get(key)
    return found if isinstance(found, str) else english


i18n.set_names(named)  # nn's messages name its registries' entries as the page does


def choose(linked: str, browser: list[str] | tuple[str, ...]) -> str:
    """The page's language: the link's ``lang`` if it has one (an unknown tag is English),
    else the first of the browser's languages that the lab speaks, else English."""
    if linked:
        return i18n.language_of(linked)
    return i18n.preferred(browser)


def lang_in(query: str) -> str:
    """The ``lang`` a URL query asks for ("" if none, or if it is not a tag): read before the
    rest of the link, so that what is said about the link is said in that language."""
    from urllib.parse import parse_qsl  # as settings.decode_query does

    try:
        pairs = parse_qsl(query.removeprefix("?"), keep_blank_values=True)
    except ValueError:
        return ""
    tags = [value.strip() for key, value in pairs if key == "lang"]
    return tags[-1] if tags and i18n.is_tag(tags[-1]) else ""


def decimal() -> str:
    """The language's decimal separator: "," in German and Spanish, else "."."""
    return _decimal[0]


def shown_number(text: str) -> str:
    """A number as written in the lab's state ("0.5", "1e-08") as the language writes it:
    "0,5" in German and Spanish."""
    return text if _decimal[0] == "." else text.replace(".", _decimal[0])


def typed_number(text: str) -> str:
    """What a person typed in a number field, in the lab's own notation: where the language
    writes a decimal comma, "0,5" and "0.5" are both one half."""
    return text.replace(",", ".") if _decimal[0] == "," else text


def shown_count(n: int) -> str:
    """A whole number grouped by thousands as the language writes it: 200,000 in English,
    200.000 in German and Spanish (Spanish groups from five digits on: 4000, 40.000)."""
    text = f"{n:,}"
    if _decimal[0] == ".":
        return text
    if PAGE.language == "es" and abs(n) < 10_000:
        return str(n)
    return text.replace(",", ".")


__all__ = [
    "ENGLISH",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "TAGS",
    "choose",
    "decimal",
    "lang_in",
    "language",
    "named",
    "shown_count",
    "shown_number",
    "t",
    "typed_number",
    "use",
]
