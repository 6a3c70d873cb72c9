"""The history slider under the loss chart: look back at the network as it was at any epoch
(``rewind.look_back``), and Back after continuing from the past (``rewind.back``).

The slider is a native range input: dragging it, the arrow keys (one moment, an epoch when
every epoch is kept), Home and End move through the history's moments.
"""

from __future__ import annotations

from core.history import slider_words
from core.i18n import t
from core.rewind import back, look_back

from page.app import App, on
from page.dom import element, set_status, set_text


def render_history(app: App) -> None:
    """The slider, its label, the Back button and the readouts of a past moment."""
    lab = app.lab
    history = lab.history
    slider = element("history")
    slider.max = str(len(history) - 1)
    slider.value = str(history.index)
    slider.disabled = len(history) < 2
    beside, note, past = slider_words(history)
    set_text("history-epoch", beside)
    slider.setAttribute("aria-valuetext", beside)
    set_text("history-note", note)
    element("history-back").hidden = history.dropped is None
    element("history-past").hidden = not past
    set_text("history-past", past)
    tag = element("prediction-past")
    tag.hidden = not history.in_past
    words = " " + t("history.prediction_past", epoch=history.shown.epoch) if past else ""
    set_text("prediction-past", words)


@on("#history", "input", redraw=False)  # looking back changes nothing, so nothing to save
def on_history(app: App, event) -> None:
    moment = look_back(app.lab, int(event.target.value))
    past = app.lab.history.in_past
    set_status(t("history.looking_back" if past else "history.back_at", moment=moment.label()))
    app.redraw_after_change(app)  # a big network's in turns: dragging never holds the page


@on("#history-back", "click")
def on_history_back(app: App, event) -> None:
    moment = back(app.lab)
    set_status(t("history.restored", moment=moment.label()))
