"""Keeping and sharing the lab: autosave records, exported files, links and snippets.

Everything here is pure (no browser): the page's ``storage`` module moves these strings in and
out of localStorage, files and the clipboard. Reading is total: any saved value, of any type,
size or depth, either loads or is dropped with a note saying what and from where; nothing
read here can stop the lab from starting. What the page looks like (embedded, hidden
controls) comes only from the current link: it is never saved, exported or imported.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from html import escape
from itertools import accumulate
from typing import Any

from core.codetext import MAX_LINK_CODE, code_fits_a_link, pack_code
from core.controller import Lab, RejectedInput
from core.history_store import history_text, read_history
from core.i18n import ENGLISH, language, shown_count, shown_number, t
from core.optimizer_fields import optimizer_options
from core.rewind import restart
from core.run import replays_exactly
from core.settings import (
    MAX_JSON_LENGTH,
    Settings,
    decode_query,
    encode_query,
    from_json,
    network_activation_names,
    to_json,
)
from nn import Network

AUTOSAVE_KEY = "nn-lab:v1"
UNREADABLE_KEY = "nn-lab:unreadable"  # where an autosave that could not be read is kept aside
EXPORT_FORMAT = "nn-lab"  # the "format" of an exported JSON file
MAX_SAVED_LOSSES = 20_000  # epochs of loss history kept by the autosave
MAX_EPOCH = 10**9  # a saved or imported epoch count above this is refused
MAX_DEPTH = 20  # nesting of [ and { in a saved or imported file: ours need 6
MAX_LINK_LENGTH = 8_000  # characters: every URL the page writes stays below this
# How the page looks and whom it tells: from the current link only, never saved or imported.
PAGE_OPTIONS = {
    "embed": False,
    "hide": (),
    "rewind": False,
    "lesson": "",
    "challenge": "",
    "report": "",
    "splice": False,
    "scorm": False,
    "lang": "",
}
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def read_json(text: object, what: str, max_length: int = MAX_JSON_LENGTH) -> Any:
    """The JSON value in ``text``; ValueError saying why not, checked for size and depth
    before parsing (a deeply nested text would exhaust the interpreter's stack)."""
    if not isinstance(text, str):
        raise ValueError(t("json.not_text", what=what))
    if len(text) > max_length:
        n, most = shown_count(len(text)), shown_count(max_length)
        raise ValueError(t("json.too_long", what=what, n=n, max=most))
    brackets = re.sub(r"[^\[\]{}]", "", _STRINGS.sub("", text))
    steps = (1 if c in "[{" else -1 for c in brackets)
    if max(accumulate(steps, initial=0)) > MAX_DEPTH:
        raise ValueError(t("json.too_deep", what=what, max=MAX_DEPTH))
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValueError(t("json.not_json", what=what, error=_json_error(error))) from None


def _json_error(error: Exception) -> str:
    """Where JSON text went wrong, for a message: Python's own words in English ("Expecting
    value: line 1 column 1 (char 0)"), the line and column in another language."""
    if language() == ENGLISH:
        return str(error)
    if isinstance(error, json.JSONDecodeError):
        return t("json.at", line=error.lineno, column=error.colno)
    return t("json.too_deep_to_read")


def without_page_options(settings: Settings) -> Settings:
    return replace(settings, **PAGE_OPTIONS)


def fresh_query(settings: Settings) -> str:
    """The query Start fresh reopens: the lab's defaults, with what the link asked of the page
    kept (its lesson and challenge, embed, hide, rewind, report), so that Start fresh inside a
    lesson starts the lesson over and stays in it."""
    kept = {key: getattr(settings, key) for key in PAGE_OPTIONS}
    return encode_query(replace(Settings(), **kept))


# --- links ----------------------------------------------------------------------------------


def address_query(settings: Settings) -> tuple[str, bool]:
    """The query the page keeps in its address bar, and whether the data set was left out
    because the link would be longer than MAX_LINK_LENGTH (the autosave keeps it)."""
    code = settings.code if code_fits_a_link(settings.code) else ""  # the autosave keeps it
    query = encode_query(replace(settings, weights=None, code=code))
    if len(query) < MAX_LINK_LENGTH - 200:
        return query, False
    return encode_query(replace(settings, weights=None, examples=(), test=(), code=code)), True


def share_query(settings: Settings, weights: list[float] | None) -> str:
    """The query of a shared link: the settings, with the weights if given; RejectedInput
    if it does not fit in a link."""
    if not code_fits_a_link(settings.code):
        n = shown_count(len(pack_code(settings.code)))
        raise RejectedInput(t("share.code_too_long", n=n, max=shown_count(MAX_LINK_CODE)))
    query = encode_query(replace(settings, weights=None if weights is None else tuple(weights)))
    if len(query) >= MAX_LINK_LENGTH - 200:
        key = "share.too_long" if weights is None else "share.too_long_weights"
        n, most = shown_count(len(query)), shown_count(MAX_LINK_LENGTH)
        raise RejectedInput(t(key, n=n, max=most))
    return query


EMBED_SIZES = {  # name: (label, max width in px or None for the page's width, height in px)
    "compact": ("compact: 700 × 500", 700, 500),
    "full": ("full: the page's width × 900", None, 900),
    "phone": ("phone: 390 × 640", 390, 640),
}


EMBED_PLATFORMS = {  # where the lab goes: the Embed dialog's first choice
    "page": "a web page (the iframe; progress events with report=)",
    "splice": "Runestone or PreTeXt (SPLICE: keeps the learner's work and score)",
    "lms": "an LMS (SCORM): Moodle, Canvas, Blackboard, Brightspace",
}


def scorm_instructions(lesson: str) -> str:
    """What the Embed dialog says for an LMS: how to build the SCORM package of ``lesson``
    (a built-in lesson's name, or "" for the built-in notebook lesson)."""
    command = "make scorm"
    if lesson and lesson != "notebook":
        command += f" LESSON={lesson.split('/')[-1]}"
        note = t("scorm.note.file")
    else:
        note = t("scorm.note.builtin")
    return "\n".join(
        (
            t("scorm.intro"),
            t("scorm.step1", command=command, note=note),
            t("scorm.step2"),
            t("scorm.step3"),
        )
    )


def embed_snippet(url: str, size: str = "compact", host_script: str = "") -> str:
    """The iframe to paste into a course page: as wide as the page allows, up to the size's
    width (``url`` is escaped for an HTML attribute); with ``host_script``, the script that
    sizes it to the lab's height."""
    _label, width, height = EMBED_SIZES[size]
    style = "width:100%;" + (f"max-width:{width}px;" if width else "") + f"height:{height}px;"
    snippet = (
        f'<iframe src="{escape(url)}" data-nn-lab title="{escape(t("embed.frame_title"))}" '
        f'style="{style}border:0" loading="lazy"></iframe>'
    )
    if host_script:
        snippet += f'\n<script src="{escape(host_script)}" defer></script>'
    return snippet


# --- the autosave ---------------------------------------------------------------------------


def saved_settings(lab: Lab) -> Settings:
    """The settings with the current weights, so hand-edited ones survive a reload too."""
    weights = tuple(lab.network.parameters()) if lab.network.is_finite() else None
    return replace(without_page_options(lab.settings), weights=weights)


def autosave_text(lab: Lab, with_history: bool = True) -> str:
    """The autosave's record; with the history (``history_store``) if it fits the budget."""
    packed = sum(len(moment.state) for moment in lab.history.moments) * 32 // 3  # base64
    fits = with_history and len(lab.history) > 1 and packed < MAX_JSON_LENGTH
    history = history_text(lab.history) if fits else None
    train, test = lab.train_losses, lab.test_losses
    if lab.history.in_past:  # saved without the history: the losses up to the epoch shown
        train, test = (
            values[:count]
            for values, count in zip((train, test), lab.history.shown.losses, strict=True)
        )
    record = {
        "settings": to_json(saved_settings(lab)),
        "epoch": lab.epoch,
        "train_losses": train[-MAX_SAVED_LOSSES:],
        "test_losses": test[-MAX_SAVED_LOSSES:],
        "shuffle_state": lab.shuffle_rng.getstate(),
        "replayable": replays_exactly(lab),
        "lesson_progress": lab.lesson_progress,  # read back by lessons.Progress.from_json
        # the optimizer's step count, velocities and moments (None: not finite, not saved)
        "optimizer_state": lab.network.optimizer_state if lab.network.is_finite() else None,
    }
    if history is not None and len(lab.train_losses) <= MAX_SAVED_LOSSES:
        whole = json.dumps(
            {**record, "train_losses": lab.train_losses, "test_losses": lab.test_losses}
        )
        whole = f'{whole[:-1]}, "history": {history}}}'  # the history's text, written once
        if len(whole) <= MAX_JSON_LENGTH:
            return whole
    return json.dumps(record)


@dataclass
class Restored:
    """What the page starts from: settings, and notes on what could not be used."""

    settings: Settings
    link_warnings: list[str] = field(default_factory=list)  # about the link
    saved_notes: list[str] = field(default_factory=list)  # about "your saved lab"
    run: Mapping[str, Any] | None = None  # epoch, losses, shuffle state to restore
    keep_aside: bool = False  # the autosave could not be read: keep it under UNREADABLE_KEY


def restore(query: str, saved_text: str | None) -> Restored:
    """Settings from the link, else from the autosave, else the defaults. Never raises.

    A reload keeps the link, so when the link says what the autosave says, the autosave's
    weights, epoch count and loss history come back too. Embedding and hidden controls come
    only from the link.
    """
    saved, notes, record, unreadable = parse_autosave(saved_text)
    if query.strip("?"):
        settings, warnings = decode_query(query)
        options = {key: getattr(settings, key) for key in PAGE_OPTIONS}
        if saved is not None and settings.weights is None and _same_lab(saved, settings):
            return Restored(replace(saved, **options), warnings, notes, record, unreadable)
        return Restored(settings, warnings, notes if unreadable else [], None, unreadable)
    if saved is not None:
        return Restored(saved, [], notes, record, unreadable)
    return Restored(Settings(), [], notes, None, unreadable)


def _same_lab(saved: Settings, linked: Settings) -> bool:
    """Whether the link is the one the page wrote for ``saved`` (weights and looks aside)."""
    ours, _ = address_query(without_page_options(saved))
    theirs, _ = address_query(without_page_options(linked))
    return ours == theirs


def parse_autosave(
    text: str | None, what: str = "", then: str = ""
) -> tuple[Settings | None, list[str], dict | None, bool]:
    """(settings, notes, record, unreadable) from the autosave's text; None if absent. The
    notes call it ``what`` ("Your saved lab") and end an unreadable one's with ``then`` (the
    copy kept aside in this browser); a platform's state names itself and its own ending."""
    if text is None:
        return None, [], None, False
    what = what or t("saved.what")
    try:
        record = read_json(text, what)
        if not isinstance(record, dict):
            raise ValueError(t("saved.not_a_lab", what=what, type=type(record).__name__))
        settings, warnings = from_json(record.get("settings"))
    except (ValueError, TypeError, RecursionError) as error:
        message = str(error) if isinstance(error, ValueError) else t("saved.damaged", what=what)
        note = t("saved.not_restored", problem=message, then=then or t("saved.kept_aside"))
        return None, [note], None, True
    notes = [t("saved.note", what=what, note=warning) for warning in warnings]
    return without_page_options(settings), notes, record, bool(warnings)


def restore_run(lab: Lab, run: Mapping[str, Any]) -> list[str]:
    """Epoch count, loss history and shuffle state from an autosave; notes on what was
    dropped. Total: any value of any type either loads or is dropped."""
    notes: list[str] = []
    epoch = run.get("epoch", 0)
    if isinstance(epoch, int) and not isinstance(epoch, bool) and 0 <= epoch <= MAX_EPOCH:
        lab.epoch = epoch
    else:
        notes.append(_saved("saved.epoch"))
    histories = []
    for key in ("train_losses", "test_losses"):
        values = run.get(key, [])
        ok = isinstance(values, list) and len(values) <= MAX_SAVED_LOSSES
        ok = ok and all(_is_finite_number(v) for v in values)
        histories.append([float(v) for v in values] if ok else [])
        if not ok:
            notes.append(_saved(f"saved.{key}"))
    lab.train_losses, lab.test_losses = histories
    lab.replayable = run.get("replayable") is True
    progress = run.get("lesson_progress")  # checked by lessons.Progress.from_json
    lab.lesson_progress = progress if isinstance(progress, dict) else None
    network, state = lab.network, run.get("optimizer_state")
    try:  # checked as Network.from_dict checks it: it loads whole or not at all
        network.use_optimizer(network.optimizer.name, network.optimizer_options, state)
    except (ValueError, TypeError):
        notes.append(_saved("saved.optimizer_state"))
    try:  # absent: left out by a platform's budget (platform_state); it starts again quietly
        if "shuffle_state" in run:
            version, state, gauss = run["shuffle_state"]
            if not (isinstance(state, list) and len(state) == 625 and gauss is None):
                raise ValueError("not a shuffle state")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in state):
                raise ValueError("not a shuffle state")
            if not all(0 <= v < 2**32 for v in state[:-1]) or not 0 <= state[-1] <= 624:
                raise ValueError("not a shuffle state")
            lab.shuffle_rng.setstate((version, tuple(state), gauss))
    except Exception:  # any malformed state: the shuffle starts again from the seed
        notes.append(_saved("saved.shuffle_state"))
    restart(lab)  # the history starts from the lab restored, or is the one saved
    if "history" in run:
        try:
            lab.history = read_history(run["history"], lab)
        except (ValueError, TypeError):
            notes.append(_saved("saved.history"))
    return notes


def _saved(key: str) -> str:
    """A note on what of the autosave's run was dropped: "Your saved lab: its history …"."""
    return t("saved.note", what=t("saved.what"), note=t(key))


def _is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- files ----------------------------------------------------------------------------------


def export_text(lab: Lab) -> str:
    """The lab as a JSON file: settings and data set, the network, the run so far."""
    if not lab.network.is_finite():
        raise RejectedInput(t("export.not_finite"))
    record = {
        "format": EXPORT_FORMAT,
        "version": 1,
        "settings": to_json(replace(without_page_options(lab.settings), weights=None)),
        "network": lab.network.to_dict(),
        "epoch": lab.epoch,
    }
    return json.dumps(record, indent=1)


def read_import(text: str) -> tuple[Settings, Network, int]:
    """Validate an exported file completely; RejectedInput saying why it can't be used."""
    try:
        record = read_json(text, t("import.what"))
    except ValueError as error:
        raise RejectedInput(str(error)) from None
    if not isinstance(record, dict) or record.get("format") != EXPORT_FORMAT:
        raise RejectedInput(t("import.not_export", format=EXPORT_FORMAT))
    settings, warnings = from_json(record.get("settings"))
    if warnings:
        raise RejectedInput(t("import.settings", warnings=" ".join(warnings)))
    try:
        network = Network.from_dict(record.get("network"))
    except (ValueError, TypeError, AttributeError) as error:
        raise RejectedInput(t("import.network", error=error)) from None
    _check_agrees(settings, network)
    epoch = record.get("epoch", 0)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or not 0 <= epoch <= MAX_EPOCH:
        raise RejectedInput(t("import.epoch", max=shown_count(MAX_EPOCH)))
    return without_page_options(replace(settings, weights=None)), network, epoch


def _check_agrees(settings: Settings, network: Network) -> None:
    """RejectedInput if the file's settings and network describe different models."""
    expected = [settings.width, *settings.layers]
    if network.sizes != expected:
        raise RejectedInput(t("import.sizes", sizes=network.sizes, expected=expected))
    names = network_activation_names(settings)
    if network.activations != names:
        raise RejectedInput(
            t(
                "import.activations",
                network=", ".join(network.activations),
                settings=", ".join(names),
            )
        )
    if (network.cost.name, network.l2) != (settings.cost, settings.l2):
        raise RejectedInput(
            t(
                "import.cost",
                cost=network.cost.name,
                l2=shown_number(str(network.l2)),
                settings_cost=settings.cost,
                settings_l2=shown_number(str(settings.l2)),
            )
        )
    options = optimizer_options(settings)
    if (network.optimizer.name, network.optimizer_options) != (settings.optimizer, options):
        raise RejectedInput(
            t(
                "import.optimizer",
                optimizer=network.optimizer.name,
                options=network.optimizer_options,
                settings_optimizer=settings.optimizer,
                settings_options=options,
            )
        )
    if network.activate_output != settings.activate_output:
        raise RejectedInput(t("import.activate_output"))
    if settings.weights is not None and list(settings.weights) != network.parameters():
        raise RejectedInput(t("import.weights"))


def storage_notice(kind: str | None, hidden: tuple[str, ...]) -> str:
    """The start-up notice about keeping the lab in this browser: ``kind`` is "local" (kept:
    no notice), "session" (only localStorage denied: kept for this tab) or None (no storage,
    e.g. a cross-site frame). It offers Export only when the link leaves it shown."""
    export = "share" not in hidden
    if kind == "local":
        return ""
    if kind == "session":
        return t("storage.session") + (" " + t("storage.session_export") if export else "")
    return t("storage.none") + (" " + t("storage.none_export") if export else "")
