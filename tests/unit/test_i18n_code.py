"""Languages, second part: the Code panel's errors and the gradient check, As Python's comments,
the math panel's notes, the diagram's labels, a teacher's lesson file problems, nn's checks of
its inputs and the loading note speak German and Spanish (and are marked in en-XA), while
English stays as it was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from core import i18n, lesson_files
from core.codetext import parse_code
from core.controller import Lab, trace
from core.diagram import diagram_svg
from core.gradcheck import check_gradients
from core.lessons import read_lesson, read_lesson_text
from core.mathpanel import neuron_math
from core.scripts import python_snippet, run_script
from core.settings import Settings
from core.usercode import NOTEBOOK_SOURCE, CodeError, LoadedCode, load_learner_code

from nn import Network, encode_bits, get_activation
from nn.i18n import LANGUAGES, is_pseudo, read_catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english_afterwards():
    """The language is the page's one global: every test leaves it English."""
    yield
    i18n.use("en")


def notebook_report():
    """The gradient check of the notebook's code (its two slips), in the language in use."""
    loaded = load_learner_code(NOTEBOOK_SOURCE)
    assert isinstance(loaded, LoadedCode)
    return check_gradients(loaded.learner_class)


def test_the_gradient_check_s_verdict_and_rows_speak_german_and_spanish() -> None:
    english = notebook_report().diagnosis
    assert english.startswith("dC/dx uses the weights after the update")
    i18n.use("de")
    report = notebook_report()
    assert not report.passed
    assert report.diagnosis == (
        "dC/dx verwendet die Gewichte nach dem Update: Berechne es, bevor du die Gewichte "
        "änderst. backward verwendet die Ableitung der Sigmoid-Funktion auch dann, wenn "
        "forward mit activate=False aufgerufen wurde; dort ist dy/dz gleich 1."
    )
    from core.gradcheck import row_label

    assert row_label("b at η = 0.5") == "dC/db (−Δb / η bei η = 0,5)"
    assert row_label("w1") == "dC/dw₁ (−Δw₁ bei η = 1)"
    i18n.use("es")
    assert notebook_report().diagnosis.startswith(
        "dC/dx usa los pesos después de la actualización: calcúlalo antes de cambiar los pesos."
    )
    i18n.use("en-XA")
    marked = notebook_report().diagnosis  # each sentence marked, nothing else
    assert is_pseudo(marked) and not re.sub(r"\[[^\[\]]* ~+\]", "", marked).strip()


def test_a_factor_in_a_sentence_is_written_with_the_language_s_decimal_mark() -> None:
    slipped = NOTEBOOK_SOURCE.replace("y * (1 - y)", "2.5 * y * (1 - y)")
    i18n.use("de")
    loaded = load_learner_code(slipped)
    assert isinstance(loaded, LoadedCode)
    diagnosis = check_gradients(loaded.learner_class).diagnosis
    assert "um den Faktor 2,5 daneben" in diagnosis, diagnosis


def test_the_learner_s_code_errors_speak_german_and_spanish() -> None:
    i18n.use("de")
    assert CodeError("NameError: name 'x' is not defined", 3).text == (
        "Zeile 3: NameError: name 'x' is not defined"
    )
    problem = load_learner_code("x = 1\n")
    assert isinstance(problem, CodeError)
    assert problem.text == (
        "Dein Code definiert keine Klasse Neuron: Das Labor baut seine Neuronen daraus."
    )
    i18n.use("es")
    problem = load_learner_code("class Neuron:\n    def __init__(self, isize):\n        pass\n")
    assert isinstance(problem, CodeError)
    assert "Tu clase Neuron no tiene el método forward" in problem.text
    with pytest.raises(ValueError, match=r"El código tiene 20\.001 caracteres, más de los 20\.000"):
        parse_code("#" * 20_001)
    i18n.use("en")
    with pytest.raises(
        ValueError, match="The code is 20,001 characters long, more than the 20,000"
    ):
        parse_code("#" * 20_001)


def test_nn_s_checks_of_its_inputs_speak_spanish_and_german() -> None:
    i18n.use("es")
    with pytest.raises(ValueError) as error:
        Network([3, 1], activations=["sigmoide"])
    assert str(error.value) == (
        "activación 'sigmoide': no existe; las opciones son "
        + ", ".join(name for name in _activation_names())
    )
    network = Network([3, 1], seed=1)
    with pytest.raises(ValueError, match=r"^se esperaba: 3 entradas; se recibió: 2$"):
        network.forward([1, 0])
    with pytest.raises(
        ValueError, match=r"^9 no cabe en 3 bits: se espera un número entero de 0 a 7$"
    ):
        encode_bits(9, 3)
    with pytest.raises(ValueError, match=r"^l2 debe estar entre 0 y 1; se recibió: 2$"):
        Network([3, 1], l2=2)
    i18n.use("de")
    with pytest.raises(ValueError, match=r"^Schicht 0 Neuron 0: Bias muss eine endliche Zahl"):
        network.set_parameters([0.1, 0.2, 0.3, float("nan")])
    data = network.to_dict()
    del data["layers"]
    with pytest.raises(ValueError, match=r"^Netzdaten: es fehlt layers$"):
        Network.from_dict(data)
    i18n.use("en")  # English as it always was
    with pytest.raises(ValueError, match=r"^expected 3 inputs, got 2$"):
        network.forward([1, 0])


def _activation_names() -> list[str]:
    from nn import ACTIVATIONS

    get_activation("sigmoid")
    return list(ACTIVATIONS)


def test_as_python_s_comments_speak_german_and_the_python_stays_python() -> None:
    lab = Lab(Settings(examples=Settings().examples))
    english, _ = run_script(lab)
    i18n.use("de")
    german, note = run_script(lab)
    assert "# Installiere zuerst das Projekt nn mit pip install" in german
    assert "# damit mischt das Labor jede Epoche" in german
    assert note.startswith("Es ergibt für")

    def code(script: str) -> list[str]:  # each line without its comment
        return [line.split("#")[0] for line in script.splitlines()]

    assert code(german) == code(english)
    assert "# Die Trainingszahlen:" in python_snippet(lab)
    i18n.use("es")
    assert "# Instala primero el proyecto nn con pip install" in run_script(lab)[0]


def test_the_math_panel_s_notes_and_the_diagram_s_labels_speak_german_and_spanish() -> None:
    network = Network([3, 2, 1], seed=1)
    traced = trace(network, [1, 0, 1], [1.0])
    i18n.use("de")
    notes = [line.note for line in neuron_math(traced, 1, 0, [1.0], 0.1) if line.note]
    assert "Seine Eingänge a sind die Ausgaben von Schicht 1." in notes
    svg = diagram_svg(traced, [1, 0, 1], backward=True)
    assert 'aria-label="Das Netz: Eingänge links, Ausgabe rechts"' in svg
    assert "(Aktivierung: sigmoid)" in svg and "Drücke Enter, um es zu ändern." in svg
    i18n.use("es")
    svg = diagram_svg(traced, [1, 0, 1])
    assert "Neurona 1 de la capa 2" in svg and "y₁ de la capa 1" in svg
    no_target = neuron_math(trace(network, [1, 0, 1], None), 1, 0, None, 0.1)
    assert no_target[-1].note == "Este número no tiene objetivo, así que no hay coste que mostrar."
    faster = Network([3, 1], seed=1, cost="cross-entropy")
    notes = [line.note for line in neuron_math(trace(faster, [1, 0, 1], [1.0]), 0, 0, [1.0], 0.1)]
    assert any(note.startswith("Por qué esto aprende más rápido") for note in notes), notes


def test_a_teacher_s_lesson_file_problems_speak_german_and_spanish() -> None:
    bad = {"id": "Bad Id", "title": "T", "steps": [{"title": "S", "text": "x", "colour": 1}]}
    i18n.use("de")
    lesson, problems = read_lesson(bad)
    assert lesson is None
    assert problems == [
        "id: 'Bad Id' ist keine ID; verwende 1 bis 40 Kleinbuchstaben, Ziffern und "
        "Bindestriche, wie odd-4.",
        "steps[0].colour: ein Schritt hat kein solches Feld; seine Felder sind title, text, "
        "task, setup, lock, hide, checks, reveal, conceal, show.",
    ]
    assert read_lesson_text("[]")[1] == [
        'Die Lektion ist kein JSON-Objekt wie {"id": ..., "steps": [...]}.'
    ]
    i18n.use("es")
    problem = lesson_files.fetch_problem("https://x.example/l.json", "https://lab", 404)
    assert problem == (
        "No se pudo cargar la lección https://x.example/l.json: HTTP 404, no hay ningún "
        "archivo en esta dirección. Comprueba que la dirección se abre en una pestaña nueva."
    )
    i18n.use("en")
    assert read_lesson(bad)[1][0].startswith("id: 'Bad Id' is not an id; use 1 to 40")


def test_a_check_s_parameter_in_a_lesson_file_is_explained_in_the_page_s_language() -> None:
    """A bad parameter of a check says what the parameter is, from the check's own entry in
    English (``core.checks``) and from the catalogue in German; never a catalogue key."""
    step = {"title": "S", "text": "x", "checks": [{"kind": "epoch_at_least", "value": "ten"}]}
    bad = {"id": "l", "title": "T", "steps": [step]}
    where = "steps[0].checks[0].value: "
    i18n.use("en")
    assert read_lesson(bad)[1] == [where + "expected a whole number; the epochs wanted, 0 or more."]
    i18n.use("de")
    assert read_lesson(bad)[1] == [
        where + "erwartet wird eine ganze Zahl; die gewünschten Epochen, 0 oder mehr."
    ]
    i18n.use("es")
    step["checks"] = [{"kind": "loss_below"}]
    assert read_lesson(bad)[1] == [
        "steps[0].checks[0].value: falta; la pérdida por debajo de la que hay que llegar, "
        "p. ej. 0,001."
    ]
    i18n.use("en")


def test_the_loading_note_speaks_each_language_and_begins_as_index_html_does() -> None:
    script = (ROOT / "static" / "js" / "loading.js").read_text()
    block = re.search(r"const SENTENCES = (\{.*?\n  \});", script, re.DOTALL).group(1)
    sentences = json.loads(re.sub(r",(\s*[\]}])", r"\1", re.sub(r"(\w+): \[", r'"\1": [', block)))
    assert tuple(sentences) == LANGUAGES
    for language, said in sentences.items():
        assert len(said) == 4 and len(set(said)) == 4, language
        assert said[0] == read_catalogue("core", language)["html.span.loading-text"], language
    assert sentences["en"][1:3] == [
        "Starting Python (it takes a few seconds)…",
        "Starting the lab…",
    ]
