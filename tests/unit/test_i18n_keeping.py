"""Languages, for keeping and sharing the lab: what is wrong with a saved lab, an imported file
or a platform's state, a link's value that is not one of a select's, the history slider's words
and the presets' descriptions, in German and Spanish; English exactly as before; the en-XA
pseudo-locale marks them all."""

from __future__ import annotations

import json

import pytest
from core import i18n
from core.controller import Lab, RejectedInput
from core.names import name
from core.platform_state import (
    ALL_LOSSES,
    CODE,
    DATA_SET,
    LEFT_OUT,
    LOSSES,
    OPTIMIZER,
    SHUFFLE,
    left_out_notice,
    restore_platform,
    unpack,
)
from core.presets import PRESETS
from core.savestate import (
    export_text,
    parse_autosave,
    read_import,
    read_json,
    restore_run,
    storage_notice,
)
from core.settings import Settings, decode_query, from_json

from nn import LAB_TASKS
from nn.i18n import is_pseudo
from tests.unit.test_history import run_history
from tests.unit.test_i18n import english_afterwards  # noqa: F401 -- every test ends in English


def refused(text: str) -> str:
    """Why ``read_import`` refuses ``text``."""
    with pytest.raises(RejectedInput) as error:
        read_import(text)
    return str(error.value)


def exported(**changes) -> dict:
    """An exported file's record, with ``changes`` to its top level."""
    return {**json.loads(export_text(Lab(Settings()))), **changes}


def test_a_damaged_imported_file_is_refused_in_german_and_spanish() -> None:
    i18n.use("de")
    assert refused("{") == "Diese Datei ist kein JSON (Zeile 1, Spalte 2)."
    assert refused("[" * 30) == "Diese Datei ist mehr als 20 Ebenen tief verschachtelt."
    assert refused("[1]") == (
        'Diese Datei ist kein exportiertes nn-Labor: Sie braucht "format": "nn-lab".'
    )
    assert refused(json.dumps(exported(epoch=-1))) == (
        "Die Zahl der Epochen in dieser Datei muss eine ganze Zahl von 0 bis 1.000.000.000 sein."
    )
    damaged = exported()
    damaged["settings"]["lr"] = "schnell"
    assert refused(json.dumps(damaged)).startswith(
        "Die Einstellungen dieser Datei sind nicht gültig: lr: Die Lernrate muss eine Zahl"
    )
    damaged = exported()
    damaged["network"]["l2"] = 0.5
    assert refused(json.dumps(damaged)) == (
        "Das Netz dieser Datei verwendet die Kostenfunktion squared mit L2 0,5, aber seine "
        "Einstellungen nennen squared mit L2 0,0."
    )
    with pytest.raises(ValueError, match=r"^Diese Datei ist 12 Zeichen lang; höchstens 10 "):
        read_json("[1, 2, 3, 4]", i18n.t("import.what"), 10)
    i18n.use("es")
    assert refused("{") == "Ese archivo no es JSON (línea 1, columna 2)."
    assert refused("[1]").startswith("Ese archivo no es un laboratorio nn exportado")


def test_a_damaged_imported_file_is_refused_in_english_as_before() -> None:
    assert refused("{") == (
        "That file is not JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))."
    )
    assert refused(json.dumps(exported(epoch=-1))) == (
        "That file's epoch count must be a whole number from 0 to 1,000,000,000."
    )
    damaged = exported()
    damaged["network"]["l2"] = 0.5
    assert refused(json.dumps(damaged)) == (
        "That file's network uses the cost squared with L2 0.5, but its settings say squared "
        "with L2 0.0."
    )
    with pytest.raises(ValueError, match=r"^That file is 12 characters long; at most 10 fit\.$"):
        read_json("[1, 2, 3, 4]", i18n.t("import.what"), 10)


def test_a_bad_task_in_a_link_is_said_in_german_and_spanish() -> None:
    i18n.use("de")
    settings, warnings = decode_query("task=katzen&speed=turbo&embed=vielleicht")
    assert settings.task == "value" and settings.speed == "fast" and not settings.embed
    tasks = ", ".join(LAB_TASKS)
    assert warnings == [
        f"task: Die Aufgabe muss eine von diesen sein: {tasks}; du hast 'katzen' eingegeben. "
        "Es bleibt bei 'value'.",
        "speed: Die Geschwindigkeit muss eine von diesen sein: watch, steady, fast; du hast "
        "'turbo' eingegeben. Es bleibt bei 'fast'.",
        "embed: Verwende 1 für an oder 0 für aus; du hast 'vielleicht' eingegeben. "
        "Es bleibt bei '0'.",
    ]
    i18n.use("es")
    _, warnings = decode_query("task=gatos&hide=foo,bar&optimizer=turbo")
    assert warnings[0].startswith("task: La tarea debe ser una de estas: value, odd")
    assert "escribiste 'gatos'" in warnings[0]
    assert any(w.startswith("hide: Se ignoraron los controles desconocidos") for w in warnings)
    assert any("El optimizador debe ser uno de estos: sgd" in w for w in warnings)
    i18n.use("en")
    _, warnings = decode_query("task=cats")
    assert warnings[0].startswith("task: The task must be one of value, odd, majority")
    assert warnings[0].endswith("; you typed 'cats'. Kept 'value'.")


def test_a_saved_lab_that_cannot_be_used_is_said_in_german() -> None:
    i18n.use("de")
    assert parse_autosave("[1]")[1] == [
        "Dein gespeichertes Labor ist kein gespeichertes Labor (gefunden: list). Es konnte "
        "nicht wiederhergestellt werden; eine Kopie wird in diesem Browser beiseitegelegt."
    ]
    _, notes, _, _ = parse_autosave(json.dumps({"settings": {"width": [5]}}))
    assert notes == ["Dein gespeichertes Labor: 'width': Text erwartet, gefunden: list; ignoriert."]
    assert from_json({3: "x"})[1] == [
        "Eine Einstellung, deren Name kein Text ist, wurde ignoriert: 3."
    ]
    assert from_json([])[1] == [
        "Die gespeicherten Einstellungen sind keine Menge benannter Werte (gefunden: list); "
        "es gelten die Standardwerte."
    ]
    notes = restore_run(Lab(Settings()), {"epoch": -1, "test_losses": "x", "history": 1})
    assert notes == [
        "Dein gespeichertes Labor: Die Zahl der Epochen war keine ganze Zahl; sie beginnt bei 0.",
        "Dein gespeichertes Labor: Die Verluste im Test waren keine Zahlen; verworfen.",
        "Dein gespeichertes Labor: Der Verlauf konnte nicht wiederhergestellt werden; er "
        "beginnt hier.",
    ]
    assert storage_notice(None, ("share",)) == (
        "Dieser Browser behält hier nichts für das Labor: Die automatische Speicherung ist "
        "aus, daher beginnt ein Neuladen von vorn."
    )


def test_a_platform_s_state_is_said_in_spanish_and_what_it_left_out_in_german() -> None:
    i18n.use("es")
    restored = restore_platform("", "[1]", None, i18n.t("platform.course"))
    assert restored.saved_notes == [
        "El laboratorio que guardó la plataforma del curso no es un laboratorio guardado (se "
        "encontró: list). No se pudo restaurar; el laboratorio empieza como dice el enlace."
    ]
    with pytest.raises(ValueError, match="El estado que guardó el LMS está dañado"):
        unpack("nn1:!!")
    i18n.use("de")
    assert left_out_notice(i18n.t("platform.lms"), [LOSSES[0], "something older"]) == (
        "Dieses Labor ist zu groß für das, was das LMS speichert, deshalb lässt sein "
        "gespeicherter Zustand den frühen Verlauf des Verlusts (das Diagramm beginnt später); "
        "something older weg. Die automatische Speicherung dieses Browsers behält alles."
    )


def test_every_step_a_platform_s_state_leaves_out_is_in_the_catalogue() -> None:
    """The state keeps what it left out in English (``fit``); the page says it from the
    catalogue, whose English must be those very words."""
    steps = (LOSSES, ALL_LOSSES, OPTIMIZER, SHUFFLE, DATA_SET, CODE)
    assert set(LEFT_OUT) == {step[0] for step in steps}
    assert all(i18n.t(key) == english for english, key in LEFT_OUT.items())


def test_the_history_slider_and_the_presets_speak_german() -> None:
    from core.history import kept_every

    history = run_history(1_000, 100, 300 * (100 + 12))
    english = kept_every(history)
    assert english.startswith(f"To stay within memory, the history keeps every {history.stride}th")
    i18n.use("de")
    assert kept_every(history).startswith(
        "Um im Speicher zu bleiben, behält der Verlauf vor Epoche "
    ) and f"jede {history.stride}. Epoche" in kept_every(history)
    assert i18n.t("history.looking_back", moment=i18n.t("history.epoch", epoch=5)) == (
        "Rückblick auf Epoche 5."
    )
    assert name("preset.parity3.description").startswith("Ist die Anzahl der Einsen ungerade?")
    i18n.use("en")
    assert all(name(f"preset.{key}.description") == p.description for key, p in PRESETS.items())


@pytest.mark.parametrize(("language", "text"), [("en", "200,000"), ("de", "200.000")])
def test_large_counts_are_grouped_the_language_s_way(language: str, text: str) -> None:
    i18n.use(language)
    assert i18n.shown_count(200_000) == text


def test_spanish_groups_counts_from_five_digits_on() -> None:
    i18n.use("es")
    assert (i18n.shown_count(4000), i18n.shown_count(40_000)) == ("4000", "40.000")


def test_the_pseudo_locale_marks_every_message_here() -> None:
    i18n.use("en-XA")
    assert is_pseudo(refused("{")) and is_pseudo(refused("[1]"))
    assert all(is_pseudo(w) for w in decode_query("task=cats&hide=x")[1])
    assert is_pseudo(parse_autosave("[1]")[1][0])
    assert is_pseudo(name("preset.odd.description"))


def test_the_embed_snippet_and_the_lms_steps_speak_the_teacher_s_language() -> None:
    from core.savestate import embed_snippet, scorm_instructions

    english = scorm_instructions("")
    i18n.use("es")
    assert 'title="nn: entrena una neurona en tu navegador"' in embed_snippet("u")
    steps = scorm_instructions("lessons/mine.json").splitlines()
    assert steps[1] == (
        "1. En una copia de este proyecto, ejecuta: make scorm LESSON=mine.json (el archivo "
        "de la lección junto al Makefile, o su ruta)."
    )
    i18n.use("en")
    assert scorm_instructions("") == english and english.count("\n") == 3
