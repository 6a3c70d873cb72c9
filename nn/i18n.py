"""Messages in the learner's language: a catalogue per language, and the language chosen.

A catalogue is plain data a translator edits without reading Python: one JSON file per
language beside the package that speaks it (``nn/locales/de.json`` for this package's own
messages), each key naming one message, its text with named placeholders (``{bits}``) that
the code fills in. A message about a count is ``{"one": …, "other": …}``, chosen by the count
``n`` (English, German and Spanish all say "1 bit", "2 bits").

A language is a BCP 47 tag (``de``, ``de-AT``, ``es-419``), resolved by falling back from region
to language to English: ``de-AT`` → ``de``, ``xx-YY`` → ``en``, never an error. ``en-XA`` is the
pseudo-locale: English with every message accented, padded about 30% and bracketed
("[Ŧřȧīƞ ~~~]"), made from English as it loads, so that any text that does not come from a
catalogue stands out on the page.

Only the chosen language is read (English too when a key is missing from it, which the tests
make sure never happens in the languages shipped). Pure standard library.
"""

from __future__ import annotations

import json
import math
import pkgutil
import re
from collections.abc import Iterable, Mapping
from typing import Any

ENGLISH = "en"
PSEUDO = "en-XA"  # the pseudo-locale, generated from English
LANGUAGES = ("en", "de", "es")  # the languages with a catalogue
TAGS = (*LANGUAGES, PSEUDO)  # every tag a page may be in
DECIMAL_COMMA = frozenset({"de", "es"})  # languages writing 0,5 for one half
MAX_TAG_LENGTH = 35  # BCP 47 tags are short; anything longer is not one
TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")

Message = str | Mapping[str, str]  # a text, or {"one": …, "other": …} for a count n


def is_tag(text: str) -> bool:
    """Whether ``text`` is written like a BCP 47 tag: letters, then subtags after hyphens."""
    return len(text) <= MAX_TAG_LENGTH and TAG.fullmatch(text) is not None


def resolve(tag: str, available: Iterable[str] = TAGS) -> str | None:
    """The tag in ``available`` that ``tag`` falls back to, region before language:
    ``de-AT`` → ``de``, ``EN-xa`` → ``en-XA``; None if none does (the caller says English)."""
    known = {name.lower(): name for name in available}
    parts = tag.strip().replace("_", "-").lower().split("-")
    for count in range(len(parts), 0, -1):
        found = known.get("-".join(parts[:count]))
        if found is not None:
            return found
    return None


def language_of(tag: str) -> str:
    """The language a page in ``tag`` speaks: ``resolve``, else English, never an error."""
    return resolve(tag) or ENGLISH


def preferred(tags: Iterable[str]) -> str:
    """The first of a browser's languages (``navigator.languages``) that the lab speaks,
    else English: ["fr-FR", "de-CH", "en"] → "de"."""
    for tag in tags:
        found = resolve(str(tag))
        if found is not None:
            return found
    return ENGLISH


def decimal_separator(tag: str) -> str:
    """ "," where the language writes one half as 0,5; "." elsewhere (English, en-XA)."""
    return "," if language_of(tag) in DECIMAL_COMMA else "."


# ---------------------------------------------------------------- the pseudo-locale

# Each ASCII letter as an accented look-alike, so that it still reads as English.
ACCENTED = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "ȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑ",
)
# What the accents leave alone: placeholders, markup, entities and TeX between $…$.
UNTOUCHED = re.compile(r"\{[^{}]*\}|<[^<>]*>|&[#\w]+;|\$[^$]*\$")


def pseudo(text: str) -> str:
    """``text`` as the pseudo-locale shows it: accented, padded ~30% and bracketed,
    ``Train`` → ``[Ŧřȧīƞ ~~]``; placeholders (``{bits}``), markup and ``$…$`` kept as they are."""
    if not text.strip():
        return text
    pieces, start = [], 0
    for match in UNTOUCHED.finditer(text):
        pieces += [text[start : match.start()].translate(ACCENTED), match.group()]
        start = match.end()
    pieces.append(text[start:].translate(ACCENTED))
    visible = re.sub(r"<[^<>]*>", "", text)  # markup takes no room on the page
    padding = "~" * max(2, math.ceil(0.3 * len(visible)) - 3)  # with "[", " " and "]": ~30%
    return f"[{''.join(pieces)} {padding}]"


def is_pseudo(text: str) -> bool:
    """Whether ``text`` holds a message of the pseudo-locale (a bracketed, padded one)."""
    return re.search(r"\[[^\[\]]* ~+\]", text) is not None


def pseudo_messages(messages: Mapping[str, Message]) -> dict[str, Message]:
    """A whole catalogue (English) in the pseudo-locale."""
    return {
        key: pseudo(value)
        if isinstance(value, str)
        else {form: pseudo(text) for form, text in value.items()}
        for key, value in messages.items()
    }


# ---------------------------------------------------------------- catalogues


def read_catalogue(package: str, language: str) -> dict[str, Message]:
    """``<package>/locales/<language>.json`` (read as package data: it works from a zip
    too); {} if there is none. ``en-XA`` is made from English."""
    if language == PSEUDO:
        return pseudo_messages(read_catalogue(package, ENGLISH))
    data = pkgutil.get_data(package, f"locales/{language}.json")
    if data is None:
        return {}
    messages = json.loads(data.decode("utf-8"))
    messages.pop("_comment", None)
    return messages


def placeholders(message: Message) -> set[str]:
    """The placeholder names a message uses, over all its forms: {"bits", "n"}."""
    texts = [message] if isinstance(message, str) else list(message.values())
    return {name for text in texts for name in re.findall(r"\{(\w+)\}", text)}


class Catalogue:
    """The messages of one package in the page's language: ``text(key, **values)``.

    Reads ``<package>/locales/<language>.json`` when first asked for a message, and
    English's only if the language lacks a key.
    """

    def __init__(self, package: str) -> None:
        self.package = package
        self.language = ENGLISH
        self._messages: dict[str, Message] | None = None
        self._english: dict[str, Message] | None = None

    def use(self, tag: str) -> str:
        """Speak the language ``tag`` falls back to (English for an unknown one): its name."""
        language = language_of(tag)
        if language != self.language:
            self.language, self._messages = language, None
        return language

    def messages(self) -> dict[str, Message]:
        """Every message of the language, read when first needed."""
        if self._messages is None:
            self._messages = read_catalogue(self.package, self.language)
        return self._messages

    def message(self, key: str) -> Message:
        """The message ``key`` (English's if the language lacks it; the key if both do)."""
        found = self.messages().get(key)
        if found is None:
            if self._english is None:
                self._english = read_catalogue(self.package, ENGLISH)
            found = self._english.get(key, key)
        return found

    def text(self, key: str, /, **values: Any) -> str:
        """The message ``key`` with its placeholders filled in; a count's form chosen by
        ``n``: ``text("count.bit", n=5)`` → "5 bits"."""
        message = self.message(key)
        if not isinstance(message, str):
            message = message["one" if values.get("n") == 1 else "other"]
        return message.format_map(values)


MESSAGES = Catalogue("nn")  # nn's own learner messages (bit parsing, validation)


def _english_name(key: str, english: str) -> str:
    """A name in nn's language when no page gives its names: English (accented in en-XA)."""
    return pseudo(english) if MESSAGES.language == PSEUDO else english


_names = [_english_name]  # how a registry's name is said; the page gives its own (set_names)


def set_names(lookup: Any) -> None:
    """Say a registry's names (a cost's label, an optimizer's) with ``lookup(key, english)``:
    the page passes its own, whose catalogue holds them (``core.i18n.named``)."""
    _names[0] = lookup


def named(key: str, english: str) -> str:
    """A name written in English in nn's registries (``cost.squared.label``), in the
    language in use where the page's catalogue has it, else ``english``."""
    return _names[0](key, english)


def use_language(tag: str) -> str:
    """Speak the language ``tag`` falls back to in nn's messages; its name."""
    return MESSAGES.use(tag)


def text(key: str, /, **values: Any) -> str:
    """nn's message ``key`` in the language in use, with ``values`` filled in."""
    return MESSAGES.text(key, **values)
