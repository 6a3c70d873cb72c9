"""Lessons, challenges and progress events under CPython: the schema reads the built-in lesson
and the teacher's example and names every problem of a bad file by its place; each check
passes and fails where it should; every built-in step and challenge is played to a pass the
way a student would (settings changed as the page changes them, Train, Step one example,
weights edited by hand), so each is known to be solvable; the events and the host's
messages are exactly the documented ones."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from core import course, edits, lesson_files
from core.checks import CHECKS, Check, evaluate, sign_of_delta_w
from core.controller import Lab, Selection
from core.course import NOTEBOOK, builtin_lessons, pick, read_message, setup_settings, update
from core.lessons import Lesson, Progress, read_check, read_lesson, read_lesson_text
from core.settings import Settings, decode_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "my-lesson.json"
NOW = datetime(2026, 11, 28, 10, 15, 0, tzinfo=UTC)
NOTEBOOK_LESSON = builtin_lessons()["notebook"]


# --- a student at the page ------------------------------------------------------------------


def open_lab(setup: Settings | None, current: Settings | None = None) -> Lab:
    """The lab as the page sets it up for a step or challenge."""
    current = current or Settings()
    return Lab(current if setup is None else setup_settings(setup, current))


def go_to(lab: Lab, setup: Settings | None) -> None:
    """What the page does on entering a step or challenge with a setup."""
    if setup is not None:
        lab.change(setup_settings(setup, lab.settings), rebuild=True)


def press_train(lab: Lab) -> None:
    """Train: the epochs of the Epochs field, in slices, as the page runs them."""
    run = lab.start_run(lab.settings.epochs)
    while not run.finished:
        run.advance(0.05)


def type_setting(lab: Lab, rebuild: bool = False, **changes: object) -> None:
    """A field typed into: learning rate and epochs keep the network; seed and shape rebuild."""
    lab.change(replace(lab.settings, **changes), rebuild=rebuild)


def check(kind: str, **params: object) -> Check:
    found, problems = read_check({"kind": kind, **params}, "check")
    assert found is not None, problems
    return found


def passes(kind: str, lab: Lab, answers: dict | None = None, **params: object) -> bool:
    return evaluate(check(kind, **params), lab, answers).passed


def lab_from(query: str) -> Lab:
    s, warnings = decode_query(query)
    assert warnings == []
    return Lab(s)


def all_pass(checks, lab: Lab, answers: dict | None = None) -> bool:
    return all(evaluate(c, lab, answers).passed for c in checks)


# --- the schema -----------------------------------------------------------------------------


def test_the_built_in_lesson_retells_the_notebook_in_8_to_10_steps_with_5_challenges() -> None:
    lesson, problems = read_lesson(NOTEBOOK)
    assert problems == [] and lesson == NOTEBOOK_LESSON
    assert 8 <= len(lesson.steps) <= 10 and len(lesson.challenges) >= 5
    assert all(step.checks for step in lesson.steps)  # each step asks for something
    assert set(course.builtin_challenges()) == {c.id for c in lesson.challenges}


def test_the_teachers_example_file_is_a_valid_lesson() -> None:
    lesson, problems = read_lesson_text(EXAMPLE.read_text())
    assert problems == [] and lesson is not None
    assert 3 <= len(lesson.steps) <= 4 and len(lesson.challenges) == 1
    assert lesson.steps[0].hide == ("seed", "init", "dataset-tools")
    assert lesson.steps[2].setup == decode_query("preset=majority&seed=7")[0]  # a dict setup


def _bad(path: str, value: object) -> dict:
    """The example lesson with the item at ``path`` (like "steps.1.setup") set to ``value``."""
    data = json.loads(EXAMPLE.read_text())
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("id", "Majority Vote", "id: 'Majority Vote' is not an id; use 1 to 40 lowercase"),
        ("title", "", "title: expected text of 1 to 100 characters"),
        ("format", "nn-lab", "format: expected 'nn-lesson'"),
        ("colour", "red", "colour: a lesson has no such field; its fields are format, id,"),
        ("steps", [], "steps: expected a list of 1 to 30 steps."),
        ("steps.1", "read this", "steps[1]: expected an object"),
        ("steps.0.text", None, "steps[0].text: missing"),
        ("steps.0.checks.0.kind", "los_below", "steps[0].checks[0].kind: 'los_below' is not a "
         "check (did you mean 'loss_below'?); the checks are loss_below, "),
        ("steps.0.checks.0.value", 1.5, "steps[0].checks[0].value: out of range; it must be "
         "from 0 to 1."),
        ("steps.0.checks.0.value", "1", "steps[0].checks[0].value: expected a number"),
        ("steps.0.checks.0.colour", 1, "steps[0].checks[0].colour: accuracy_at_least takes no "
         "such parameter; it takes value, set, label."),
        ("steps.0.checks.0", {"kind": "loss_below"}, "steps[0].checks[0].value: missing"),
        ("steps.0.checks.0", {"value": 1}, "steps[0].checks[0].kind: missing; the checks are"),
        ("steps.0.checks.0", [], "steps[0].checks[0]: expected a check like"),
        ("steps.0.checks.0", {"kind": "accuracy_at_least", "value": 1, "set": "dev"},
         "steps[0].checks[0].set: 'dev' is not one of train, test."),
        ("steps.1.setup", "lr=fast", "steps[1].setup.lr: The learning rate must be a number"),
        ("steps.1.setup", "preset=notebok", "steps[1].setup.preset: there is no preset called"),
        ("steps.1.setup", "colour=red", "steps[1].setup: Ignored unknown setting 'colour'."),
        ("steps.1.setup", "preset=odd&hide=seed", "steps[1].setup.hide: comes from the link"),
        ("steps.1.setup", 3, "steps[1].setup: expected a link's settings"),
        ("steps.2.setup", {"preset": "majority", "width": 40}, "steps[2].setup.width: "),
        ("steps.0.lock", ["seed", "sede"], "steps[0].lock[1]: 'sede' is not a control: width,"),
        ("steps.0.hide", "seed", "steps[0].hide: expected a list of control names"),
        ("steps.0.checks", [{"kind": "diverged"}] * 9, "steps[0].checks: expected a list of at "
         "most 8 checks."),
        ("steps.2.checks.1.expected", 3, "steps[2].checks[1].expected: 3 is not a choice; they "
         "are 0 to 2."),
        ("steps.2.checks.1.expected", 6, "steps[2].checks[1].expected: out of range; it must be "
         "from 0 to 5."),
        ("steps.2.checks.1.expected", 2.0, "steps[2].checks[1].expected: expected a whole number"),
        ("steps.2.checks.1.choices", ["only one"], "steps[2].checks[1].choices: expected a list "
         "of 2 to 6 answers"),
        ("steps.2.checks.1.compute", "sign_of_delta_w", "steps[2].checks[1]: give either expected"),
        ("steps.0.checks.0", {"kind": "answer", "id": "what-it-counts", "question": "Again?",
                              "choices": ["a", "b"], "expected": 0},
         "steps[2].checks[1].id: 'what-it-counts' is used by another answer"),
        ("steps.0.checks.0", {"kind": "answer", "id": "s", "question": "Sign?",
                              "compute": "sign_of_delta_w"}, "steps[0].checks[0].weight: missing"),
        ("steps.0.checks.0", {"kind": "setting_is", "field": "colour", "value": "red"},
         "steps[0].checks[0].field: 'colour' is not one of width, "),
        ("challenges.0.id", "by_hand", "challenges[0].id: 'by_hand' is not an id"),
        ("challenges.0.checks", [], "challenges[0].checks: a challenge needs a list of 1 or more"),
        ("challenges.0.goal", "x" * 1001, "challenges[0].goal: expected text of 1 to 1000"),
        ("challenges", {"id": "x"}, "challenges: expected a list of 0 to 20 challenges."),
    ],
)  # fmt: skip
def test_a_bad_lesson_is_refused_with_a_message_naming_the_place(
    path: str, value: object, message: str
) -> None:
    lesson, problems = read_lesson(_bad(path, value))
    assert lesson is None
    assert any(problem.startswith(message) for problem in problems), problems


def test_two_challenges_with_one_id_and_many_problems_are_all_reported_then_counted() -> None:
    data = _bad("challenges", [json.loads(EXAMPLE.read_text())["challenges"][0]] * 2)
    assert (
        "challenges[1].id: 'majority-by-hand' is the id of another challenge."
        in (read_lesson(data)[1])
    )
    data["steps"] = [{"title": "", "text": ""}] * 30
    problems = read_lesson(data)[1]
    assert len(problems) == 21 and problems[-1] == "… and 41 more."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The lesson file is not JSON"),
        ("{", "The lesson file is not JSON"),
        ("[" * 30 + "]" * 30, "The lesson file is nested more than 20 levels deep."),
        (" " * 200_001, "The lesson file is 200,001 characters long; at most 200,000 fit."),
        ("[1, 2]", "The lesson is not a JSON object"),
        (None, "The lesson file is not text."),
    ],
)
def test_a_lesson_file_that_is_not_a_lesson_says_why(text: object, message: str) -> None:
    lesson, problems = read_lesson_text(text)
    assert lesson is None and problems[0].startswith(message)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)
PATHS = [
    "id", "title", "steps", "steps.0", "steps.0.checks", "steps.0.checks.0", "steps.0.setup",
    "steps.0.checks.0.value", "steps.2.checks.1", "steps.2.checks.1.choices", "steps.0.lock",
    "challenges", "challenges.0", "challenges.0.checks.2", "steps.2.setup",
]  # fmt: skip


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_value_is_read_without_raising(data: object) -> None:
    lesson, problems = read_lesson(data)
    assert (lesson is None) == bool(problems)
    assert read_lesson_text(json.dumps(data))[1] == problems or not isinstance(data, dict)
    progress, _ = Progress.from_json(data, NOTEBOOK_LESSON)
    assert progress.lesson == "notebook"
    message = read_message(data, NOTEBOOK_LESSON)
    assert message is None or (isinstance(data, dict) and data["source"] == "nn-host")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), JSON)
def test_any_part_of_a_valid_lesson_replaced_by_any_json_is_read_without_raising(
    path: str, value: object
) -> None:
    lesson, problems = read_lesson(_bad(path, value))
    assert (lesson is None) == bool(problems)
    assert all(isinstance(problem, str) for problem in problems)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_as_a_lesson_file_without_raising(text: str) -> None:
    lesson, problems = read_lesson_text(text)
    assert lesson is None and problems


def test_the_complete_example_in_the_docs_is_the_example_file() -> None:
    docs = (ROOT / "README.md").read_text()
    block = docs.split("### A complete example", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == json.loads(EXAMPLE.read_text())


def test_every_check_kind_is_documented_in_the_readme() -> None:
    docs = (ROOT / "README.md").read_text()
    for name, kind in CHECKS.items():
        assert f"`{name}`" in docs, name
        assert kind.description and all(param.help for param in kind.params)
        for param in kind.params:
            assert f"`{param.name}`" in docs, (name, param.name)


# --- each check -----------------------------------------------------------------------------


def test_prediction_near_reads_the_decoded_prediction_of_the_number_shown() -> None:
    lab = lab_from("preset=notebook")  # 18.69 at the seed's weights
    assert passes("prediction_near", lab, value=18.7, tolerance=0.05)
    result = evaluate(check("prediction_near", value=5), lab)
    assert not result.passed
    assert result.detail == "the prediction for 00101 is 18.69; the goal is 5 ± 0.5"
    odd = lab_from("preset=odd")  # a 0/1 task: the output y itself
    y = odd.network.forward([0, 1, 0, 1])[0]
    assert passes("prediction_near", odd, value=y, tolerance=1e-9)


def test_loss_and_accuracy_checks_read_the_training_or_the_test_set() -> None:
    lab = lab_from("preset=odd")
    assert not passes("accuracy_at_least", lab, value=1, set="test")
    press_train(lab)
    assert passes("accuracy_at_least", lab, value=1) and passes("loss_below", lab, value=0.001)
    assert passes("accuracy_at_least", lab, value=1, set="test")
    assert passes("loss_below", lab, value=0.001, set="test")
    result = evaluate(check("loss_below", value=1e-6), lab)
    assert not result.passed
    assert result.detail == f"the loss is {lab.stats().loss:.3g}; the goal is below 1e-06"
    assert evaluate(check("loss_below", value=0.01), lab).detail.endswith(", below 0.01")
    notebook = lab_from("preset=notebook")
    no_test = evaluate(check("loss_below", value=1, set="test"), notebook)
    assert not no_test.passed and "no test set" in no_test.detail
    no_accuracy = evaluate(check("accuracy_at_least", value=0.5), notebook)
    assert not no_accuracy.passed and "value task has no accuracy" in no_accuracy.detail
    empty = Lab(edits.clear_examples(notebook.settings))
    assert evaluate(check("loss_below", value=1), empty).detail == "the training set is empty"


def test_the_counting_checks_count_epochs_steps_neurons_and_examples() -> None:
    lab = lab_from("preset=parity3")
    assert passes("hidden_neurons_at_most", lab, value=4)
    assert not passes("hidden_neurons_at_most", lab, value=3)
    assert passes("examples_at_most", lab, value=8) and not passes("examples_at_most", lab, value=7)
    assert passes("epochs_at_most", lab, value=0) and not passes("epoch_at_least", lab, value=1)
    assert passes("no_training", lab) and not passes("steps_at_least", lab, value=1)
    lab.step_epoch()
    assert passes("epoch_at_least", lab, value=1) and not passes("epochs_at_most", lab, value=0)
    assert evaluate(check("no_training"), lab).detail.startswith("the network was trained (1 ep")
    lab.reset()
    lab.step_example()
    assert passes("steps_at_least", lab, value=1) and not passes("no_training", lab)
    lab.reset()
    lab.set_parameter(Selection(0, 0, 0), 3.0)  # editing a weight is not training
    assert passes("no_training", lab)


def test_diverged_passes_once_a_run_has_diverged() -> None:
    lab = lab_from("preset=notebook&activate=0&lr=10")
    assert not passes("diverged", lab)
    press_train(lab)
    assert lab.run is not None and lab.run.diverged
    assert passes("diverged", lab)
    assert evaluate(check("diverged"), lab).detail == f"training diverged at epoch {lab.epoch + 1}"


def test_setting_is_reads_the_value_as_a_link_does() -> None:
    lab = lab_from("preset=parity3")
    assert passes("setting_is", lab, field="task", value="parity")
    assert passes("setting_is", lab, field="layers", value="4,1")
    assert passes("setting_is", lab, field="lr", value="1.0")
    assert passes("setting_is", lab, field="learning_rate", value="1")
    assert passes("setting_is", lab, field="examples", value="all")
    result = evaluate(check("setting_is", field="task", value="odd"), lab)
    assert not result.passed and result.detail == "task is 'parity'; the goal is 'odd'"
    assert not passes("setting_is", lab, field="width", value="many")


def test_answer_with_an_expected_choice() -> None:
    answer = check("answer", id="q", question="2 + 2?", choices=["3", "4"], expected=1)
    lab = lab_from("preset=notebook")
    assert evaluate(answer, lab).detail == "choose an answer"
    assert not evaluate(answer, lab, {"q": 0}).passed
    assert evaluate(answer, lab, {"q": 1}) == evaluate(answer, lab, {"q": 1})
    assert evaluate(answer, lab, {"q": 1}).detail == "right: 4"
    assert not evaluate(answer, lab, {"q": True}).passed  # a bool is not a choice


@pytest.mark.parametrize(
    "query",
    [
        "preset=notebook",
        "preset=notebook&bits=00111&examples=00101,00111",
        "width=5&examples=00101&bits=00101&seed=3&task=value",
        "preset=odd",
        "preset=parity3",
        "preset=majority&seed=4&lr=0.5",
        "width=4&examples=0110:0.9&task=custom&bits=0110",
    ],
)
def test_sign_of_delta_w_is_what_step_one_example_then_does(query: str) -> None:
    lab = lab_from(query)
    for _ in range(3):
        output = len(lab.network.layers)
        predicted = {
            (layer, neuron, weight): sign_of_delta_w(lab, weight, neuron, layer)
            for layer in range(1, output + 1)
            for neuron in range(1, len(lab.network.layers[layer - 1].neurons) + 1)
            for weight in range(1, lab.network.layers[layer - 1].neurons[neuron - 1].isize + 1)
        }
        before = lab.network.parameters()
        assert lab.network.parameters() == before  # predicting changed nothing
        old = copy.deepcopy(lab.network)
        lab.step_example()
        for (layer, neuron, weight), sign in predicted.items():
            w0 = old.layers[layer - 1].neurons[neuron - 1].weight[weight - 1]
            w1 = lab.network.layers[layer - 1].neurons[neuron - 1].weight[weight - 1]
            assert (w1 > w0) - (w1 < w0) == sign, (layer, neuron, weight)
        answer = check("answer", id="s", question="?", compute="sign_of_delta_w", weight=1)
        assert answer.params["choices"] == ("negative", "zero", "positive")


def test_sign_of_delta_w_outside_the_network_fails_with_a_sentence() -> None:
    lab = lab_from("preset=notebook")
    far = check("answer", id="s", question="?", compute="sign_of_delta_w", weight=9)
    result = evaluate(far, lab, {"s": 0})
    assert (
        not result.passed
        and result.detail == "cannot check this now: this network has no w₉ on neuron 1"
    )


# --- the notebook lesson, played step by step ---------------------------------------------


def test_every_step_of_the_notebook_lesson_passes_by_doing_what_it_says() -> None:
    lesson = NOTEBOOK_LESSON
    progress, lab = Progress("notebook"), open_lab(None)
    all_events = []

    def enter(index: int) -> None:
        nonlocal progress
        progress = progress.go_to(lesson, index)
        go_to(lab, lesson.steps[index].setup)
        progress, events = update(progress, lesson, lab, NOW)
        assert events == [], f"step {index + 1} passed before the learner did anything"

    def done(index: int) -> None:
        nonlocal progress
        progress, events = update(progress, lesson, lab, NOW)
        assert [e["type"] for e in events][:1] == ["step-done"], index
        assert events[0]["step"] == index + 1
        all_events.extend(events)

    enter(0)  # click the lines: 5 weights
    assert len(lab.network.layers[0].neurons[0].weight) == 5
    progress = pick(progress, lesson, lab, "weights", 1)
    done(0)
    enter(1)  # which weights count in z for 00101: those whose x is 1
    assert [i + 1 for i, bit in enumerate(lab.settings.bits) if bit == "1"] == [3, 5]
    progress = pick(progress, lesson, lab, "forward", 1)
    done(1)
    enter(2)  # C falls as y nears t
    progress = pick(progress, lesson, lab, "cost", 0)
    done(2)
    enter(3)  # predict the sign of Δw₃ from the numbers: y > t, so dC/dw₃ > 0 and Δw₃ < 0
    y = lab.network.forward([0, 0, 1, 0, 1])[0]
    assert y > 5 / 31
    progress = pick(progress, lesson, lab, "sign-dw3", 0)  # "negative"
    w3 = lab.network.layers[0].neurons[0].weight[2]
    lab.step_example()
    assert lab.network.layers[0].neurons[0].weight[2] < w3
    done(3)
    enter(4)  # Train: about 5.3 after 200 epochs
    press_train(lab)
    assert lab.epoch == 200 and 5.2 < lab.network.forward([0, 0, 1, 0, 1])[0] * 31 < 5.4
    done(4)
    enter(5)  # learning rate 10 with y = z diverges
    type_setting(lab, learning_rate=10.0)
    press_train(lab)
    done(5)
    enter(6)  # the odd task: 100 % on the numbers it never saw
    press_train(lab)
    done(6)
    enter(7)  # parity, one neuron: stuck below 100 %
    press_train(lab)
    assert lab.stats().accuracy < 1
    progress = pick(progress, lesson, lab, "parity", 1)
    done(7)
    enter(8)  # the 3-4-1 network learns it
    press_train(lab)
    assert lab.stats().accuracy == 1
    done(8)
    assert progress.finished(lesson) and all_events[-1]["type"] == "lesson-finished"
    assert [e["type"] for e in all_events].count("step-done") == len(lesson.steps)


def test_a_wrong_answer_does_not_pass_the_step() -> None:
    lab = open_lab(NOTEBOOK_LESSON.steps[3].setup)
    progress = Progress("notebook", step=3).answer("sign-dw3", 2, right=False)  # "positive"
    lab.step_example()
    progress, events = update(progress, NOTEBOOK_LESSON, lab, NOW)
    assert events == [] and progress.done == ()


# --- every built-in challenge, played to a pass ---------------------------------------------


def _challenge(challenge_id: str) -> tuple[Lab, list]:
    challenge = course.builtin_challenges()[challenge_id]
    lab = open_lab(challenge.setup)
    assert not all_pass(challenge.checks, lab), f"{challenge_id} passes before any work"
    return lab, list(challenge.checks)


def test_challenge_five_by_hand_set_the_bias_so_that_sigma_z_is_5_31() -> None:
    lab, checks = _challenge("five-by-hand")
    press_train(lab)  # training gets near 5 but is not allowed
    assert not all_pass(checks, lab)
    lab.reset()
    w = lab.network.layers[0].neurons[0].weight
    z = math.log(5 / 26)  # σ(z) = 5/31
    lab.set_parameter(Selection(0, 0, None), round(z - w[2] - w[4], 3))  # typed with 3 decimals
    assert all_pass(checks, lab)


def test_challenge_fast_loss_a_larger_learning_rate() -> None:
    lab, checks = _challenge("fast-loss")
    press_train(lab)  # the notebook's 0.1: 0.0015 after 100 epochs
    assert not all_pass(checks, lab)
    type_setting(lab, learning_rate=1.0)
    press_train(lab)  # 200 epochs now: too many
    assert not all_pass(checks, lab)
    lab.reset()
    press_train(lab)
    assert all_pass(checks, lab)


def test_challenge_odd_by_hand_weigh_only_the_last_bit() -> None:
    lab, checks = _challenge("odd-by-hand")
    for i in range(3):
        lab.set_parameter(Selection(0, 0, i), 0.0)
    lab.set_parameter(Selection(0, 0, 3), 10.0)
    lab.set_parameter(Selection(0, 0, None), -5.0)
    assert all_pass(checks, lab)


def test_challenge_odd_from_four_keep_two_odd_and_two_even_numbers() -> None:
    lab, checks = _challenge("odd-from-four")
    settings_ = lab.settings
    for bits in ("1110", "1101", "1011", "1000"):  # remove four of the eight, one by one
        index = [e.bits for e in settings_.examples].index(bits)
        settings_ = edits.remove_example(settings_, index)
    lab.change(settings_)
    press_train(lab)
    assert [e.bits for e in lab.settings.examples] == ["0001", "0010", "0100", "0111"]
    assert all_pass(checks, lab)


def test_challenge_parity4_small_tanh_in_the_hidden_layer() -> None:
    lab, checks = _challenge("parity4-small")
    type_setting(lab, rebuild=True, layer_activations=("tanh", "sigmoid"), seed=2)
    type_setting(lab, learning_rate=2.0)
    press_train(lab)
    assert all_pass(checks, lab)


def test_challenge_greater_quick_a_larger_learning_rate() -> None:
    lab, checks = _challenge("greater-quick")
    press_train(lab)
    assert not all_pass(checks, lab)
    type_setting(lab, learning_rate=1.0)
    lab.reset()
    press_train(lab)
    assert all_pass(checks, lab)


def test_challenge_perceptron_limit_parity_is_never_learnt() -> None:
    lab, checks = _challenge("perceptron-limit")
    press_train(lab)  # odd: 100% by epoch 4, and no weight moves after
    assert lab.stats().accuracy == 1 and not all_pass(checks, lab)
    type_setting(lab, task="majority")  # one line splits it too
    lab.reset()
    press_train(lab)
    assert not all_pass(checks, lab)
    type_setting(lab, task="parity")  # no line splits the odd counts of ones
    lab.reset()
    press_train(lab)
    assert lab.stats().accuracy < 1 and all_pass(checks, lab)


def test_every_built_in_challenge_has_a_test_that_plays_it() -> None:
    played = {
        "five-by-hand": test_challenge_five_by_hand_set_the_bias_so_that_sigma_z_is_5_31,
        "fast-loss": test_challenge_fast_loss_a_larger_learning_rate,
        "odd-by-hand": test_challenge_odd_by_hand_weigh_only_the_last_bit,
        "odd-from-four": test_challenge_odd_from_four_keep_two_odd_and_two_even_numbers,
        "parity4-small": test_challenge_parity4_small_tanh_in_the_hidden_layer,
        "greater-quick": test_challenge_greater_quick_a_larger_learning_rate,
        "perceptron-limit": test_challenge_perceptron_limit_parity_is_never_learnt,
    }
    assert set(played) == set(course.builtin_challenges())


def test_the_example_lesson_plays_to_the_end_and_its_challenge_by_hand() -> None:
    lesson, _ = read_lesson_text(EXAMPLE.read_text())
    assert lesson is not None
    lab = open_lab(lesson.steps[0].setup)
    press_train(lab)
    assert all_pass(lesson.steps[0].checks, lab) and all_pass(lesson.steps[1].checks, lab)
    go_to(lab, lesson.steps[2].setup)
    press_train(lab)
    weights = lab.network.layers[0].neurons[0].weight
    bias = lab.network.layers[0].neurons[0].bias
    assert max(weights) < 1.5 * min(weights) and -3 < bias / (sum(weights) / 5) < -2
    assert all_pass(lesson.steps[2].checks, lab, {"what-it-counts": 0})
    challenge = lesson.challenges[0]
    lab = open_lab(challenge.setup)
    assert not all_pass(challenge.checks, lab)
    for i in range(5):
        lab.set_parameter(Selection(0, 0, i), 1.0)
    lab.set_parameter(Selection(0, 0, None), -2.5)
    assert all_pass(challenge.checks, lab)


# --- progress, events and messages ----------------------------------------------------------


def test_a_challenge_is_reported_once_when_it_passes() -> None:
    lesson = NOTEBOOK_LESSON
    progress = Progress("notebook").open_challenge(lesson, "odd-by-hand")
    lab = open_lab(lesson.challenge("odd-by-hand").setup)
    for i in range(3):
        lab.set_parameter(Selection(0, 0, i), 0.0)
    lab.set_parameter(Selection(0, 0, 3), 10.0)
    lab.set_parameter(Selection(0, 0, None), -5.0)
    progress, events = update(progress, lesson, lab, NOW)
    assert progress.passed == ("odd-by-hand",)
    assert events == [
        {
            "source": "nn-lab",
            "type": "challenge-passed",
            "lesson": "notebook",
            "step": 1,
            "challenge": "odd-by-hand",
            "time": "2026-11-28T10:15:00Z",
            "state": {
                "epoch": 0,
                "loss": lab.stats().loss,
                "accuracy": 1.0,
                "task": "odd",
                "width": 4,
                "layers": [1],
            },
        }
    ]
    assert update(progress, lesson, lab, NOW)[1] == []  # passed once, reported once
    json.dumps(events, allow_nan=False)


def test_event_times_are_utc_and_a_step_without_checks_is_done_by_next() -> None:
    lesson = Lesson("read", "Read", (replace(NOTEBOOK_LESSON.steps[0], checks=()),))
    lab = open_lab(None)
    local = datetime(2026, 11, 28, 11, 15, tzinfo=timezone(timedelta(hours=1)))
    progress, events = course.next_step(Progress("read"), lesson, lab, local)
    assert [e["type"] for e in events] == ["step-done", "lesson-finished"]
    assert events[0]["time"] == "2026-11-28T10:15:00Z" and progress.step == 0


def test_a_hello_is_answered_with_a_ready_event_with_or_without_a_lesson() -> None:
    lab = open_lab(NOTEBOOK_LESSON.steps[4].setup)
    ready = course.event("ready", NOTEBOOK_LESSON, Progress("notebook", 4), lab, NOW)
    assert (ready["type"], ready["lesson"], ready["step"], ready["challenge"]) == (
        "ready",
        "notebook",
        5,
        None,
    )
    assert ready["state"] == {
        "epoch": 0,
        "loss": lab.stats().loss,
        "accuracy": None,
        "task": "value",
        "width": 5,
        "layers": [1],
    }
    bare = course.event("ready", None, None, lab, NOW)
    assert (bare["lesson"], bare["step"]) == (None, None)
    with pytest.raises(ValueError, match="'done' is not an event type"):
        course.event("done", None, None, lab, NOW)


def test_progress_round_trips_through_json_and_bad_progress_starts_fresh_with_a_note() -> None:
    lesson = NOTEBOOK_LESSON
    progress = Progress("notebook", 4, (0, 1, 2), "fast-loss", ("five-by-hand",), {"cost": 0})
    text = json.dumps(progress.to_json())
    assert Progress.from_json(json.loads(text), lesson) == (progress, [])
    assert Progress.from_json(None, lesson) == (Progress("notebook"), [])
    for bad in (
        {**progress.to_json(), "step": 9},
        {**progress.to_json(), "done": [0, True]},
        {**progress.to_json(), "passed": ["no-such"]},
        {**progress.to_json(), "answers": {"cost": 7}},
        {**progress.to_json(), "challenge": 3},
        "text",
    ):
        fresh, notes = Progress.from_json(bad, lesson)
        assert fresh == Progress("notebook") and len(notes) == 1
    assert Progress.from_json([1], lesson)[1] == [
        "The saved lesson progress could not be read; starting at step 1."
    ]
    other = Progress.from_json({**progress.to_json(), "lesson": "other"}, lesson)
    assert other[1] == ["The saved lesson progress is for another lesson; starting at step 1."]


def test_only_the_documented_host_messages_are_accepted() -> None:
    lesson = NOTEBOOK_LESSON
    assert read_message({"source": "nn-host", "type": "hello"}, None) == ("hello", None)
    assert read_message({"source": "nn-host", "type": "go-to-step", "step": 3}, lesson) == (
        "go-to-step",
        2,
    )
    for message in (
        {"source": "nn-host", "type": "go-to-step", "step": 0},
        {"source": "nn-host", "type": "go-to-step", "step": 10},
        {"source": "nn-host", "type": "go-to-step", "step": True},
        {"source": "nn-host", "type": "go-to-step", "step": "2"},
        {"source": "nn-host", "type": "go-to-step", "step": 2, "extra": 1},
        {"source": "nn-lab", "type": "hello"},
        {"source": "nn-host", "type": "hello", "step": 1},
        {"source": "nn-host", "type": "reset"},
        {"type": "hello"},
        "hello",
        None,
    ):
        assert read_message(message, lesson) is None, message
    assert read_message({"source": "nn-host", "type": "go-to-step", "step": 2}, None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("notebook", ("builtin", "notebook")),
        ("./my-lesson.json", ("file", "./my-lesson.json")),
        ("lessons/week-2.json", ("file", "lessons/week-2.json")),
        ("https://course.example.edu/l/x.json", ("url", "https://course.example.edu/l/x.json")),
        ("http://localhost:8730/lessons/a.json", ("url", "http://localhost:8730/lessons/a.json")),
    ],
)
def test_lesson_request_names_a_built_in_lesson_a_relative_file_or_an_address(
    text, expected
) -> None:
    assert lesson_files.lesson_request(text) == expected


@pytest.mark.parametrize(
    "text",
    ["http://evil.example/x.json", "//evil.example/x.json", "https://a:b@evil.example/x.json",
     "../x.json", "/x.json", "a/../x.json", "x.txt", "javascript:alert(1)", "nosuch", ".//x.json"],
)  # fmt: skip
def test_lesson_request_refuses_http_off_localhost_and_bad_names_with_a_sentence(text: str) -> None:
    answer = lesson_files.lesson_request(text)
    assert isinstance(answer, str) and answer.startswith("lesson: ")


def test_a_step_setup_keeps_how_the_page_looks() -> None:
    current = replace(Settings(), embed=True, hide=("seed",), speed="watch")
    s = setup_settings(NOTEBOOK_LESSON.steps[0].setup, current)
    assert (s.embed, s.hide, s.speed, s.width, s.bits) == (True, ("seed",), "watch", 5, "00101")


# --- predict, then reveal; a reply per choice; the score ------------------------------------


def test_each_wrong_choice_gets_its_own_reply_from_the_lesson_file() -> None:
    """Every wrong answer once got the same reply, so guessing was the fastest way through."""
    lab = open_lab(NOTEBOOK_LESSON.steps[0].setup)
    question = NOTEBOOK_LESSON.steps[0].checks[0]
    replies = {evaluate(question, lab, {"weights": c}).detail for c in (0, 2)}
    assert len(replies) == 2 and all(r.startswith("not this one: ") for r in replies)
    assert "count the lines" in evaluate(question, lab, {"weights": 0}).detail
    for step in NOTEBOOK_LESSON.steps:  # every built-in question explains its wrong choices
        for asked in step.questions():
            explain = asked.params["explain"]
            assert explain and len(explain) == len(asked.params["choices"]), step.title
    plain = check("answer", id="a", question="?", choices=["x", "y"], expected=1)
    assert evaluate(plain, lab, {"a": 0}).detail.startswith("not this one: look at the numbers")


def test_explain_needs_one_text_per_choice() -> None:
    base = {"kind": "answer", "id": "a", "question": "?", "choices": ["x", "y"], "expected": 0}
    _, problems = read_check({**base, "explain": ["only one"]}, "steps[0].checks[0]")
    assert problems == [
        'steps[0].checks[0].explain: expected a list of 2 to 6 texts, one per choice ("" for none).'
    ]
    _, problems = read_check({**base, "explain": ["a", "b", "c"]}, "steps[0].checks[0]")
    assert problems == ['steps[0].checks[0].explain: 3 texts for 2 choices; give one per choice '
                        '(the reply to that choice, "" for the default).']  # fmt: skip
    found, problems = read_check({**base, "explain": ["", "no: x is right"]}, "c")
    assert not problems and found.params["explain"] == ("", "no: x is right")


def test_a_step_conceals_what_would_give_its_answer_away_until_it_is_answered() -> None:
    step4, step8 = NOTEBOOK_LESSON.steps[3], NOTEBOOK_LESSON.steps[7]
    assert step4.conceal == ("math",)  # the math panel showed Δw before the prediction
    assert "no line" not in step8.text.lower() and "no line" in step8.reveal.lower()
    bad = {
        "id": "x",
        "title": "X",
        "steps": [
            {"title": "S", "text": "T", "reveal": "R", "conceal": ["maths"], "show": "nowhere"}
        ],
    }
    _, problems = read_lesson(bad)
    assert any(p.startswith("steps[0].conceal[0]: 'maths' is not a control") for p in problems)
    assert any(p.startswith("steps[0].show: 'nowhere' is not a control") for p in problems)
    wait = "steps[0].reveal: reveal and conceal wait for a question: add an answer check."
    assert wait in problems


def test_the_score_counts_only_first_tries_and_says_which_steps() -> None:
    from core.lesson_score import first_try_text, lesson_score

    lesson, lab = NOTEBOOK_LESSON, open_lab(NOTEBOOK_LESSON.steps[0].setup)
    progress = pick(Progress("notebook"), lesson, lab, "weights", 0)  # wrong first
    progress = pick(progress, lesson, lab, "weights", 1)
    assert progress.first == {"weights": False} and progress.answers == {"weights": 1}
    progress, _ = update(progress, lesson, lab, NOW)
    assert progress.done == (0,)
    progress = pick(progress.go_to(lesson, 1), lesson, lab, "forward", 1)  # right first
    progress, _ = update(progress, lesson, lab, NOW)
    score = lesson_score(progress, lesson)
    assert (score.earned, score.possible, score.first_try, score.later) == (1, 9, (1,), (0,))
    assert first_try_text(progress, "weights") == "not on the first try: not counted"
    assert first_try_text(progress, "forward") == "first try"
    assert first_try_text(progress, "sign-dw3") == ""  # not picked yet
    assert [score.steps_text(steps) for steps in [(3,), (3, 7), (1, 2, 4)]] == [
        "4",
        "4 and 8",
        "2, 3 and 5",
    ]
    again, notes = Progress.from_json(json.loads(json.dumps(progress.to_json())), lesson)
    assert again == progress and not notes
    older = {k: v for k, v in progress.to_json().items() if k != "first"}  # saved before scores
    assert Progress.from_json(older, lesson)[0].first == {}


def test_the_lesson_points_to_the_code_panel_and_the_notebooks_version() -> None:
    texts = " ".join(step.text for step in NOTEBOOK_LESSON.steps)
    assert "Code panel" in texts and "Load the notebook's version" in texts


def test_checks_say_their_goals_in_words_not_link_keys() -> None:
    """ "test accuracy at least 100%" and "examples = all" read as settings, not sentences."""
    assert check("accuracy_at_least", value=1, set="test").text == "100% test accuracy"
    assert check("accuracy_at_least", value=0.9).text == "accuracy at least 90%"
    assert check("setting_is", field="examples", value="all").text == (
        "training set: all the numbers"
    )
    test = check("setting_is", field="test", value="0000,0011,0101,0110")
    assert test.text == "test set: 4 numbers (0000, 0011, …)"
    assert check("setting_is", field="task", value="parity").text == "What to learn: parity"


def test_check_lesson_says_what_is_wrong_in_each_file_and_fails_if_any_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make check-lesson FILE=…` (python -m core.lesson_files): a line per good file with its
    counts, the page's own messages for a bad one, exit 1 if any is bad, 2 without a file."""
    good = ROOT / "examples" / "my-lesson.json"
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "title": "X", "steps": []}', encoding="utf-8")
    missing = tmp_path / "missing.json"
    assert lesson_files.main([str(good)]) == 0
    lesson = read_lesson_text(good.read_text(encoding="utf-8"), "")[0]
    assert lesson is not None
    steps, challenges = len(lesson.steps), len(lesson.challenges)
    out = capsys.readouterr().out
    assert out.startswith(f"{good}: a valid lesson, {lesson.id!r} ({steps} steps, ")
    assert f"{challenges} challenge" in out
    assert lesson_files.main([str(good), str(bad), str(missing)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"The lesson file {bad} has problems:"
    assert out[2].startswith("  ") and "steps" in out[2]
    assert out[-1].startswith(f"The lesson file {missing} could not be read (")
    assert lesson_files.main([]) == 2
    assert "usage: python -m core.lesson_files" in capsys.readouterr().err
