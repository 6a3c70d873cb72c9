"""Tasks: which target t each binary number gets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from nn.tasks import TASKS

BITS3 = [nn.parse_bits(nn.encode_bits(v, 3)) for v in range(8)]


def targets(task: str, threshold: int = 0) -> list[float]:
    return [nn.target_for(task, bits, threshold) for bits in BITS3]


def test_parity_of_3_bits_is_1_for_an_odd_count_of_ones() -> None:
    #                 000  001  010  011  100  101  110  111
    assert targets("parity") == [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]


def test_odd_is_1_for_odd_numbers() -> None:
    assert targets("odd") == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]


def test_majority_is_1_for_more_ones_than_zeros_and_0_on_a_tie() -> None:
    assert targets("majority") == [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    assert nn.target_for("majority", [1, 1, 0, 0]) == 0.0
    assert nn.target_for("majority", [1, 1, 1, 0]) == 1.0


def test_greater_is_1_for_values_above_the_threshold() -> None:
    assert targets("greater", threshold=5) == [0.0] * 6 + [1.0] * 2
    assert targets("greater") == [0.0] + [1.0] * 7


def test_value_is_the_notebooks_value_over_2_to_the_width_minus_1() -> None:
    assert targets("value") == [v / 7 for v in range(8)]
    assert nn.target_for("value", [0, 0, 1, 0, 1]) == 5 / 31


def test_custom_has_no_rule_and_says_the_learner_gives_the_targets() -> None:
    assert TASKS["custom"].rule is None
    with pytest.raises(ValueError, match="has no rule: type a target"):
        nn.target_for("custom", [1, 0])
    with pytest.raises(ValueError, match="has no rule"):
        nn.all_examples("custom", 3)


@pytest.mark.parametrize("bad", ["xor", "", None])
def test_unknown_task_is_a_value_error_listing_the_known_ones(bad: object) -> None:
    with pytest.raises(ValueError, match="unknown task") as error:
        nn.target_for(bad, [1, 0])  # type: ignore[arg-type]
    for name in TASKS:
        assert name in str(error.value)


@pytest.mark.parametrize("bits", [[], [0, 2], [1, -1]])
def test_bits_must_be_one_or_more_zeros_and_ones(bits: list[int]) -> None:
    with pytest.raises(ValueError, match="0 or 1"):
        nn.target_for("parity", bits)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_every_task_has_a_label_a_help_sentence_about_its_target_and_a_kind(name: str) -> None:
    task = TASKS[name]
    assert task.name == name
    assert task.label
    assert task.description.endswith(".")
    assert "target" in task.description.split(". ")[0]
    if task.is_classification:
        assert set(targets(name, threshold=3)) == {0.0, 1.0}
    elif task.rule is not None:
        assert len(set(targets(name))) > 2


def test_the_labels_are_the_pages_option_texts() -> None:
    assert {name: task.label for name, task in TASKS.items()} == {
        "value": "its value (the notebook)",
        "odd": "is it odd?",
        "majority": "more ones than zeros?",
        "greater": "greater than a threshold?",
        "parity": "odd number of ones? (parity)",
        "custom": "targets I type",
    }
    assert TASKS["parity"].description.endswith("a network with a hidden layer can.")


@pytest.mark.parametrize("name", sorted(TASKS))
def test_only_greater_uses_the_threshold(name: str) -> None:
    assert TASKS[name].uses_threshold == (name == "greater")
    if TASKS[name].rule is not None and name != "greater":
        assert targets(name, threshold=0) == targets(name, threshold=5)


def test_a_task_can_still_be_made_with_its_first_five_fields_in_order() -> None:
    task = nn.Task("copy", "the last bit", "The target is the last bit.", True, lambda b, _t: b[-1])
    assert task.uses_threshold is False


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(set(TASKS) - {"custom"})),
    st.text(alphabet="01", min_size=1, max_size=20),
    st.integers(min_value=0, max_value=2**20),
)
def test_target_of_text_gives_the_same_float_as_target_for_on_the_parsed_bits(
    name: str, text: str, threshold: int
) -> None:
    assert nn.target_of_text(name, text, threshold) == nn.target_for(
        name, nn.parse_bits(text), threshold
    )
    assert nn.target_of_text(name, f" {text}\n", threshold) == nn.target_of_text(
        name, text, threshold
    )


def test_target_of_text_refuses_what_target_for_refuses() -> None:
    assert nn.target_of_text("value", "00101") == 5 / 31
    with pytest.raises(ValueError, match="character '2' at position 2"):
        nn.target_of_text("value", "0201")
    with pytest.raises(ValueError, match="Type a binary number"):
        nn.target_of_text("odd", "")
    with pytest.raises(ValueError, match="has no rule"):
        nn.target_of_text("custom", "01")
    with pytest.raises(ValueError, match="unknown task"):
        nn.target_of_text("xor", "01")


@pytest.mark.parametrize("name", sorted(set(TASKS) - {"custom"}))
def test_every_rule_gives_targets_in_0_1(name: str) -> None:
    for width in (1, 4, 6):
        for bits, target in nn.all_examples(name, width, threshold=2):
            assert len(bits) == width
            assert len(target) == 1
            assert 0.0 <= target[0] <= 1.0


def test_all_examples_lists_every_number_in_order_with_its_target() -> None:
    examples = nn.all_examples("greater", 2, threshold=1)
    assert examples == [([0, 0], [0.0]), ([0, 1], [0.0]), ([1, 0], [1.0]), ([1, 1], [1.0])]


def test_the_class_tasks_are_the_pages_vocabulary_with_a_class_count() -> None:
    assert {name: task.label for name, task in nn.CLASS_TASKS.items()} == {
        "ones": "how many ones?",
        "mod": "its value mod k",
        "highest": "where is the highest 1?",
    }
    for name, task in nn.CLASS_TASKS.items():
        assert nn.get_task(name) is task and task.is_classification and task.rule is None
        assert task.description.endswith(".") and "target" in task.description.split(". ")[0]
        assert task.uses_k == (name == "mod") and not task.uses_threshold
    assert [nn.get_task(n).classes(4, k=5) for n in ("ones", "mod", "highest")] == [5, 5, 5]
    assert all(task.classes(4) is None for task in TASKS.values())


@pytest.mark.parametrize("width", range(1, 7))
def test_class_task_targets_are_one_hot_for_every_number_of_every_width(width: int) -> None:
    for value in range(2**width):
        bits = nn.parse_bits(nn.encode_bits(value, width))
        ones, highest = bin(value).count("1"), value.bit_length()
        assert nn.class_for("ones", bits) == ones
        assert nn.class_for("highest", bits) == highest
        assert nn.targets_for("ones", bits) == nn.one_hot(ones, width + 1)
        assert nn.targets_for("highest", bits) == nn.one_hot(highest, width + 1)
        for k in range(2, 9):
            assert nn.targets_for("mod", bits, k=k) == nn.one_hot(value % k, k)
    examples = nn.all_examples("mod", width, k=3)
    assert [t.index(1.0) for _, t in examples] == [v % 3 for v in range(2**width)]


def test_highest_counts_positions_from_1_at_the_last_bit_and_0_means_no_1() -> None:
    assert [nn.class_for("highest", nn.parse_bits(b)) for b in ("000", "001", "011", "100")] == [
        0,
        1,
        2,
        3,
    ]


def test_class_tasks_and_one_output_tasks_refuse_each_others_functions() -> None:
    with pytest.raises(ValueError, match="one output per class: use targets_for"):
        nn.target_for("ones", [1, 0])
    with pytest.raises(ValueError, match="has one output: use target_for"):
        nn.class_for("parity", [1, 0])
    assert nn.targets_for("parity", [1, 0]) == [1.0]
    for k in (1, 9, 2.5, True):
        with pytest.raises(ValueError, match="k must be a whole number from 2 to 8"):
            nn.class_for("mod", [1, 0], k=k)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0 or 1"):
        nn.class_for("ones", [1, 2])
    with pytest.raises(ValueError, match="class 3 is not one of 0 to 2"):
        nn.one_hot(3, 3)
