"""Tasks: which target t each binary number gets."""

from __future__ import annotations

import pytest

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
def test_every_task_has_a_label_a_one_sentence_description_and_a_kind(name: str) -> None:
    task = TASKS[name]
    assert task.name == name
    assert task.label
    assert task.description.endswith(".")
    assert task.description.count(". ") == 0
    if task.is_classification:
        assert set(targets(name, threshold=3)) == {0.0, 1.0}
    elif task.rule is not None:
        assert len(set(targets(name))) > 2


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
