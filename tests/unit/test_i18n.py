"""Languages: tags fall back region → language → English, every catalogue has every key with
the same placeholders, numbers are written and typed the language's way, the pseudo-locale
marks every message, and nn's learner messages speak German and Spanish."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from core import i18n
from core.names import english_names
from core.settings import Settings, decode_query, encode_query

from nn import i18n as nn_i18n
from nn import read_bits
from nn.i18n import (
    LANGUAGES,
    is_pseudo,
    placeholders,
    preferred,
    pseudo,
    read_catalogue,
    resolve,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english_afterwards():
    """The language is the page's one global: every test leaves it English."""
    yield
    i18n.use("en")


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("de_CH", "de"),
        ("es-419", "es"),
        ("ES-mx", "es"),
        ("en-GB", "en"),
        ("en-XA", "en-XA"),
        ("EN-xa", "en-XA"),
        ("xx-YY", "en"),
        ("fr", "en"),
        ("", "en"),
    ],
)
def test_a_tag_falls_back_from_region_to_language_to_english(tag: str, language: str) -> None:
    assert i18n.use(tag) == language
    assert i18n.language() == nn_i18n.MESSAGES.language == language


def test_the_browser_s_first_language_the_lab_speaks_is_used() -> None:
    assert preferred(["fr-FR", "de-CH", "en"]) == "de"
    assert preferred(["pt-BR"]) == "en"
    assert preferred([]) == "en"
    assert i18n.choose("", ["es-ES", "en"]) == "es"
    assert i18n.choose("xx-YY", ["de"]) == "en"  # the link's tag comes first, even unknown
    assert resolve("xx") is None


@pytest.mark.parametrize("package", ["nn", "core"])
def test_every_key_is_in_every_language_with_the_same_placeholders(package: str) -> None:
    english = read_catalogue(package, "en")
    assert english
    if package == "core":  # and the names written in English where they are defined
        english |= {key: text for key, text in english_names().items() if key not in english}
    for language in LANGUAGES[1:]:
        messages = read_catalogue(package, language)
        assert set(messages) == set(english), (language, set(messages) ^ set(english))
        for key, message in messages.items():
            assert placeholders(message) == placeholders(english[key]), (language, key)
            if not isinstance(message, str):
                assert set(message) == set(english[key]) == {"one", "other"}, (language, key)
            for text in [message] if isinstance(message, str) else message.values():
                assert text.strip(), (language, key)
                text.format_map({name: "x" for name in placeholders(message)})  # well formed


def test_markup_in_a_message_is_the_same_in_every_language() -> None:
    """index.html's messages with markup keep its tags (a translator moves them, never drops
    or adds one)."""
    english = read_catalogue("core", "en")
    for language in LANGUAGES:
        messages = read_catalogue("core", language)
        for key, text in english.items():
            if isinstance(text, str) and "<" in text:
                tags = sorted(re.findall(r"<[^>]*>", text))
                assert sorted(re.findall(r"<[^>]*>", messages[key])) == tags, (language, key)


def _index_texts() -> dict[str, str]:
    """{key: the English text or markup index.html holds for it}, whitespace collapsed."""
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r'<(\w+)[^>]*?data-i18n(?:-html)?="([^"]+)"[^>]*>', html):
        tag, key = match.groups()
        end = html.index(f"</{tag}>", match.end())
        found[key] = re.sub(r"\s+", " ", html[match.end() : end]).strip()
    for match in re.finditer(r'aria-label="([^"]*)" data-i18n-aria="([^"]+)"', html):
        found[match.group(2)] = match.group(1)
    return found


def test_index_html_names_messages_whose_english_is_its_own_text() -> None:
    """The page in English is index.html as it is: each element naming a message holds that
    message's English (so English is never rewritten, and nothing is left untranslated)."""
    import html as html_module

    english = read_catalogue("core", "en")
    texts = _index_texts()
    assert len(texts) > 100
    for key, text in texts.items():
        assert key in english, key
        expected = english[key]
        assert text == expected or html_module.unescape(text) == expected, key


def test_language_js_knows_the_same_languages() -> None:
    script = (ROOT / "static" / "js" / "language.js").read_text()
    listed = re.search(r"const LANGUAGES = \[([^\]]*)\]", script).group(1)
    assert tuple(json.loads(f"[{listed}]")) == LANGUAGES


def test_the_pseudo_locale_accents_pads_and_brackets_every_message() -> None:
    assert pseudo("Train") == "[Ŧřȧīƞ ~~]"
    text = "Type a binary number of {bits}, like {example}."
    marked = pseudo(text)
    assert marked.startswith("[") and marked.endswith("]") and is_pseudo(marked)
    assert "{bits}" in marked and "{example}" in marked  # placeholders kept
    assert len(marked) >= 1.3 * len(text)
    assert not re.search(r"[A-Za-z]{3}", marked.replace("{bits}", "").replace("{example}", ""))
    assert pseudo("press <strong>Train</strong>") == "[ƥřḗşş <strong>Ŧřȧīƞ</strong> ~~]"
    assert not is_pseudo("Train")
    i18n.use("en-XA")
    for key, message in read_catalogue("core", "en").items():
        assert is_pseudo(i18n.t(key, **dict.fromkeys(placeholders(message), "x"))), key


def test_numbers_are_shown_and_typed_the_language_s_way() -> None:
    i18n.use("de-AT")
    assert i18n.shown_number("0.5") == "0,5"
    assert i18n.shown_number("1e-08") == "1e-08"
    assert i18n.typed_number("0,5") == i18n.typed_number("0.5") == "0.5"
    i18n.use("es")
    assert i18n.shown_number("0.25") == "0,25"
    i18n.use("en")
    assert i18n.shown_number("0.5") == "0.5"
    assert i18n.typed_number("0,5") == "0,5"  # refused by the parser, as before


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "'0012' is not a binary number: character '2' at position 4 is not 0 or 1."),
        ("de", "'0012' ist keine Binärzahl: Das Zeichen '2' an Stelle 4 ist weder 0 noch 1."),
        ("es", "'0012' no es un número binario: el carácter '2' en la posición 4 no es 0 ni 1."),
    ],
)
def test_nn_tells_a_learner_what_is_wrong_in_their_language(language: str, expected: str) -> None:
    i18n.use(language)
    with pytest.raises(ValueError) as error:
        read_bits("0012", 4)
    assert str(error.value) == expected


def test_nn_counts_bits_in_each_language() -> None:
    i18n.use("de")
    with pytest.raises(ValueError, match="'001' hat 3 Bits; dieser Datensatz verwendet 1 Bit"):
        read_bits("001", 1)


def test_lang_in_a_link_falls_back_and_only_a_non_tag_is_refused() -> None:
    assert decode_query("lang=de-AT") == (Settings(lang="de"), [])
    assert decode_query("lang=xx-YY") == (Settings(lang="en"), [])  # English, no warning
    settings, warnings = decode_query("lang=%3Cb%3E")
    assert settings.lang == "" and len(warnings) == 1 and "lang" in warnings[0]
    assert i18n.lang_in("?width=5&lang=es-MX") == "es-MX"
    assert i18n.lang_in("?lang=<b>") == ""


def test_a_german_link_opened_in_english_is_the_same_lab() -> None:
    """Links stay language-neutral: numbers with ".", whatever the page's language."""
    i18n.use("de")
    german = "width=5&examples=00101,00110&bits=00101&lr=0.25&l2=0.01&noise=0&seed=3&lang=de"
    settings, warnings = decode_query(german)
    assert warnings == [] and settings.learning_rate == 0.25
    link = encode_query(settings)
    assert "lr=0.25" in link and "," not in link.replace("examples=00101,00110", "")
    i18n.use("en")
    english, _ = decode_query(link.replace("lang=de", "lang=en"))
    assert english == Settings(**{**settings.__dict__, "lang": "en"})


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_built_in_lesson_is_translated_whole(language: str) -> None:
    """Every text of the built-in lesson has a translation (numbers aside), and nothing in the
    translation is left over from a text the lesson no longer has."""
    from core.course import NOTEBOOK, in_languages, translations

    table = translations(language)
    texts: list[str] = []
    marked = in_languages(NOTEBOOK, language, {"": ""})

    def collect(data: object) -> None:
        if isinstance(data, dict) and set(data) == {"en", language}:
            texts.append(data["en"])
        elif isinstance(data, dict):
            for value in data.values():
                collect(value)
        elif isinstance(data, list):
            for item in data:
                collect(item)

    collect(marked)
    wanted = {text for text in texts if not text.strip().isdigit()}
    assert wanted == set(table)
    assert all(table[text] != text for text in wanted)


def test_the_built_in_lesson_speaks_the_page_s_language() -> None:
    from core.course import builtin_challenges, builtin_lessons

    i18n.use("de-AT")
    lesson = builtin_lessons()["notebook"]
    assert lesson.title == "Das Neuron des Notebooks, Schritt für Schritt"
    assert builtin_challenges()["five-by-hand"].title == "5 von Hand"
    i18n.use("en-XA")
    assert is_pseudo(builtin_lessons()["notebook"].steps[0].text)
    i18n.use("en")
    assert builtin_lessons()["notebook"].title == "The notebook's neuron, step by step"


def test_a_teacher_s_lesson_may_give_its_texts_per_language() -> None:
    from core.lessons import read_lesson

    data = {
        "id": "mine",
        "title": {"en": "My lesson", "de": "Meine Lektion", "es": "Mi lección"},
        "steps": [{"title": {"en": "One", "de": "Eins"}, "text": "Only English here."}],
    }
    i18n.use("es-MX")
    lesson, problems = read_lesson(data)
    assert problems == [] and lesson.title == "Mi lección" and lesson.steps[0].title == "One"
    i18n.use("de")
    lesson, _ = read_lesson(data)
    assert (lesson.title, lesson.steps[0].title) == ("Meine Lektion", "Eins")
    i18n.use("fr")
    assert read_lesson(data)[0].title == "My lesson"


def test_a_refused_field_says_why_in_the_page_s_language_with_its_numbers() -> None:
    from core.inputs import parse_learning_rate, parse_width

    i18n.use("de")
    with pytest.raises(ValueError) as error:
        parse_learning_rate("schnell")
    assert str(error.value) == (
        "Die Lernrate muss eine Zahl größer als 0 und höchstens 100 sein, etwa 0,1; "
        "du hast 'schnell' eingegeben."
    )
    i18n.use("es")
    with pytest.raises(ValueError, match="El ancho debe ser un número entero de bits de 1 a 16"):
        parse_width("")
    i18n.use("en-XA")
    with pytest.raises(ValueError) as error:
        parse_width("20")
    assert is_pseudo(str(error.value)) and "'20'" in str(error.value)


def test_a_setting_that_does_not_fit_says_what_would_in_the_page_s_language() -> None:
    """nn's fit messages (cost, optimizer) name its registries' entries as the page does."""
    from core.inputs import parse_layers
    from core.optimizer_fields import hyperparameter_parser
    from core.values import outputs_reason

    from nn import OPTIMIZERS, get_cost

    english = get_cost("cross-entropy").fit_problem(3, "linear")
    assert english == (
        "Cross-entropy needs 1 output, a yes or no, but this network has 3 outputs: choose "
        "squared error (the notebook) or softmax cross-entropy (one output per class)."
    )
    i18n.use("de")
    assert get_cost("cross-entropy").fit_problem(3, "linear") == (
        "Kreuzentropie braucht 1 Ausgabe, ein Ja oder Nein, aber dieses Netz hat 3 Ausgaben: "
        "wähle „quadratischer Fehler (das Notebook)“ oder "
        "„Softmax-Kreuzentropie (eine Ausgabe pro Klasse)“."
    )
    with pytest.raises(ValueError, match="Die Perzeptron-Regel trainiert eine einzige Schicht"):
        OPTIMIZERS["perceptron"].fit(["sigmoid", "step"], True, 1)
    with pytest.raises(ValueError, match=r"muss eine Zahl von 0 bis unter 1 sein, etwa 0,9"):
        hyperparameter_parser("beta1")("2")
    with pytest.raises(ValueError, match="Die Aufgabe „ihr Wert mod k“ hat 3 Klassen bei 4 Bits"):
        parse_layers("4,1", 3, outputs_reason("mod", 4, 3))
    i18n.use("es")
    assert (
        OPTIMIZERS["adam"]
        .fit(["step"], True, 1)[0]
        .startswith("La pendiente dy/dz de la activación escalón es 0")
    )
    assert "«error cuadrático (el cuaderno)»" in get_cost("softmax-cross-entropy").fit_problem(
        1, "sigmoid"
    )
    i18n.use("en-XA")
    assert is_pseudo(get_cost("cross-entropy").fit_problem(1, "linear") or "")
    i18n.use("en")
    assert get_cost("cross-entropy").fit_problem(3, "linear") == english


def test_what_a_change_did_to_other_settings_is_said_in_the_page_s_language() -> None:
    from core.edits import add_example, with_task_noted, with_width

    i18n.use("de")
    settings = add_example(add_example(Settings(), "11111111"), "11110000")
    _, note = with_width(settings, 3)
    assert note is not None and note.startswith(
        "2 Trainingszahlen entfernt, die nicht in 3 Bits passen."
    )
    _, note = with_task_noted(Settings(), "ones")
    assert note == (
        "Die Ausgabeschicht hat jetzt 9 Neuronen, eines pro Klasse. Die Kostenfunktion ist "
        "jetzt „Softmax-Kreuzentropie (eine Ausgabe pro Klasse)“."
    )


def test_what_a_link_could_not_use_is_said_in_the_page_s_language() -> None:
    i18n.use("de")
    _, warnings = decode_query("width=4&examples=0001,0001&test=0001&foo=1&lr=x&lr=0.5x")
    assert warnings == [
        "Unbekannte Einstellung 'foo' ignoriert.",
        "lr: 2-mal angegeben; die letzte Angabe gilt.",
        "examples: 0001 steht mehrmals in der Liste; die erste wurde behalten.",
        "test: 0001 verworfen: Die Zahl ist in der Trainingsmenge, und eine Zahl kann nicht "
        "in beiden sein.",
        "lr: Die Lernrate muss eine Zahl größer als 0 und höchstens 100 sein, etwa 0,1; "
        "du hast '0.5x' eingegeben. Es bleibt bei '0.1'.",
    ]
    i18n.use("en")
    _, warnings = decode_query("foo=1&lr=0.5x")
    assert warnings == [
        "Ignored unknown setting 'foo'.",
        "lr: The learning rate must be a number greater than 0 and at most 100, like 0.1; "
        "you typed '0.5x'. Kept '0.1'.",
    ]
