"""Tests of the page's settings: validation messages (inputs), the table (fields), URL and JSON
codecs (settings), presets and edits."""

from __future__ import annotations

import json
import random
from dataclasses import fields, replace

import pytest
from core import inputs
from core import settings as settings_module
from core.edits import (
    add_all_examples,
    add_example,
    add_random_examples,
    add_test_example,
    clear_examples,
    clear_test_examples,
    example_target,
    is_classification,
    remove_example,
    remove_test_example,
    set_example_target,
    with_layers,
    with_task,
    with_width,
)
from core.fields import FIELDS
from core.presets import PRESETS
from core.settings import (
    Settings,
    apply_preset,
    decode_query,
    encode_query,
    from_json,
    to_json,
)
from core.values import HIDEABLE, TrainingNumber, parameter_count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn

ACTIVATIONS = tuple(nn.ACTIVATIONS)
INITS = tuple(nn.INITIALIZERS)
TASKS = tuple(nn.TASKS)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def numbers(width: int, *values: int) -> tuple[str, ...]:
    """The given values written with ``width`` bits."""
    return tuple(format(v, f"0{width}b") for v in values)


def training_numbers(width: int, *values: int) -> tuple[TrainingNumber, ...]:
    """Training numbers without targets for the given values."""
    return tuple(TrainingNumber(bits) for bits in numbers(width, *values))


def five_bits(**changes: object) -> Settings:
    """A valid 5-bit Settings with some changes."""
    return replace(Settings(width=5, bits="00101", threshold=15), **changes)


# ---------------------------------------------------------------- a strategy for valid Settings


@st.composite
def valid_settings(draw: st.DrawFn) -> Settings:
    """Any valid Settings, including custom targets and arbitrary finite weights."""
    width = draw(st.integers(1, 16))
    top = 2**width
    task = draw(st.sampled_from(TASKS))
    values = draw(st.lists(st.integers(0, top - 1), unique=True, max_size=12))
    every = width <= 4 and draw(st.booleans())
    if every:
        values = list(range(top))
    split = len(values) if every else draw(st.integers(0, len(values)))
    target = st.floats(0, 1) if task == "custom" else st.none()
    hidden = draw(st.lists(st.integers(1, 16), max_size=4))
    layers = (*hidden, 1)
    count = parameter_count(width, layers)
    finite = st.floats(allow_nan=False, allow_infinity=False)
    weights = st.none()
    if count <= 120:
        weights |= st.lists(finite, min_size=count, max_size=count).map(tuple)
    per_layer = st.lists(st.sampled_from(ACTIVATIONS), min_size=len(layers), max_size=len(layers))
    return Settings(
        width=width,
        bits=format(draw(st.integers(0, top - 1)), f"0{width}b"),
        task=task,
        threshold=draw(st.integers(0, top - 1)),
        examples=tuple(
            TrainingNumber(format(v, f"0{width}b"), draw(target)) for v in values[:split]
        ),
        test=numbers(width, *values[split:]),
        learning_rate=draw(st.floats(0, 100, exclude_min=True)),
        epochs=draw(st.integers(1, 100_000)),
        batch_size=draw(st.integers(1, 65_536)),
        seed=draw(st.integers(0, 2**32 - 1)),
        activation=draw(st.sampled_from(ACTIVATIONS)),
        activate_output=draw(st.booleans()),
        layers=layers,
        layer_activations=draw(st.just(()) | per_layer.map(tuple)),
        init=draw(st.sampled_from(INITS)),
        log_scale=draw(st.booleans()),
        embed=draw(st.booleans()),
        hide=tuple(draw(st.lists(st.sampled_from(HIDEABLE), unique=True))),
        weights=draw(weights),
    )


# ---------------------------------------------------------------- round trips


@FAST
@given(valid_settings())
def test_decode_of_encode_gives_back_the_settings_without_warnings(s: Settings) -> None:
    assert decode_query(encode_query(s)) == (s, [])
    assert decode_query("?" + encode_query(s)) == (s, [])


@FAST
@given(valid_settings())
def test_from_json_of_to_json_gives_back_the_settings_through_real_json(s: Settings) -> None:
    assert from_json(json.loads(json.dumps(to_json(s)))) == (s, [])


def test_the_table_covers_every_settings_field_once_with_distinct_keys() -> None:
    assert [f.name for f in FIELDS] == [f.name for f in fields(Settings)]
    keys = [f.key for f in FIELDS]
    assert len(set(keys)) == len(keys)
    assert settings_module.PRESET_KEY not in keys
    assert all(f.help for f in FIELDS)


@pytest.mark.parametrize(
    ("value", "text"), [(0.1, "0.1"), (1.0, "1"), (100, "100"), (1e16, "1e+16"), (-0.0, "-0")]
)
def test_format_float_writes_the_shortest_text_that_reads_back_exactly(
    value: float, text: str
) -> None:
    assert inputs.format_float(value) == text
    assert float(text) == value


def test_every_task_has_help_and_every_control_name_is_distinct() -> None:
    assert len(set(HIDEABLE)) == len(HIDEABLE)


def test_to_json_writes_every_field_as_text_under_its_url_key() -> None:
    data = to_json(Settings())
    assert list(data) == [f.key for f in FIELDS]
    assert all(isinstance(v, str) for v in data.values())
    assert data["lr"] == "0.1" and data["layers"] == "1" and data["weights"] == ""


# ---------------------------------------------------------------- encoding


def test_encode_omits_every_field_equal_to_its_default() -> None:
    assert encode_query(Settings()) == ""
    assert encode_query(replace(Settings(), seed=2)) == "seed=2"


def test_encode_omits_bits_and_threshold_equal_to_the_width_defaults() -> None:
    # 5 bits: the default number is 00101 and the default threshold 15 (the middle).
    assert encode_query(five_bits()) == "width=5"
    assert decode_query("width=5") == (five_bits(), [])


def test_encode_writes_keys_in_table_order_and_never_writes_preset() -> None:
    s = replace(apply_preset(Settings(), "parity3"), embed=True, seed=7)
    query = encode_query(s)
    keys = [part.split("=")[0] for part in query.split("&")]
    order = [f.key for f in FIELDS]
    assert keys == sorted(keys, key=order.index)
    assert "preset" not in keys


def test_encode_writes_examples_all_only_for_every_number_in_order_without_targets() -> None:
    s = add_all_examples(replace(Settings(width=3, bits="101", threshold=3)))
    assert "examples=all" in encode_query(s)
    assert decode_query("width=3&examples=all")[0].examples == training_numbers(3, *range(8))
    reversed_order = replace(s, examples=s.examples[::-1])
    assert "examples=111,110," in encode_query(reversed_order)
    custom = add_all_examples(with_task(Settings(width=2, bits="01", threshold=1), "custom"))
    assert "examples=00:0,01:0,10:0,11:0" in encode_query(custom)


def test_encode_keeps_commas_and_colons_literal_and_escapes_plus() -> None:
    s = with_task(five_bits(examples=training_numbers(5, 1, 2)), "custom")
    s = set_example_target(s, 0, "0.25")
    s = replace(s, weights=(1e16, -0.5, 0.0, 2.5e-300, 1.0, -3.0))
    query = encode_query(s)
    assert "examples=00001:0.25,00010:" in query
    assert "weights=1e%2B16,-0.5,0,2.5e-300,1,-3" in query
    assert decode_query(query) == (s, [])


# ---------------------------------------------------------------- decoding hostile links


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_decode_of_any_text_never_raises_and_gives_valid_settings(query: str) -> None:
    s, warnings = decode_query(query)
    assert isinstance(s, Settings)
    assert all(isinstance(w, str) and w for w in warnings)
    assert settings_module.t("link.bug") not in warnings
    assert decode_query(encode_query(s)) == (s, [])


KEYS = [f.key for f in FIELDS] + ["preset", "foo"]
VALUE_BITS = ["", "0", "1", "5", "all", "00101", "00101:0.5", "4,1", "0,2", "nan", "-1", "1e3", "x"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KEYS), st.lists(st.sampled_from(VALUE_BITS) | st.text(), max_size=4)
        )
    )
)
def test_decode_of_any_known_keys_with_junk_values_never_raises(
    pairs: list[tuple[str, list[str]]],
) -> None:
    query = "&".join(f"{key}={','.join(items)}" for key, items in pairs)
    s, warnings = decode_query(query)
    assert settings_module.t("link.bug") not in warnings
    assert decode_query(encode_query(s)) == (s, [])


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=10,
    )
)
def test_from_json_of_any_json_value_never_raises(data: object) -> None:
    s, warnings = from_json(data)
    assert isinstance(s, Settings)
    assert settings_module.t("link.bug") not in warnings


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.text() | st.integers() | st.floats()))
def test_from_json_of_known_keys_with_junk_values_never_raises(data: dict[str, object]) -> None:
    s, warnings = from_json(data)
    assert settings_module.t("link.bug") not in warnings
    assert from_json(to_json(s)) == (s, [])


def test_from_json_reports_what_it_ignored() -> None:
    s, warnings = from_json({"width": 5, "seed": [1], 3: "x", "lr": 0.5, "embed": True})
    assert (s.width, s.learning_rate, s.embed, s.seed) == (5, 0.5, True, 1)
    assert any("'seed': expected text, got list" in w for w in warnings)
    assert any("name is not text" in w for w in warnings)
    assert from_json(["width", 5]) == (Settings(), [from_json(["width", 5])[1][0]])
    assert "not a set of named values" in from_json(None)[1][0]


def test_from_json_refuses_absurdly_long_saved_settings() -> None:
    s, warnings = from_json({"examples": "0," * 2_100_000})
    assert s == Settings()
    assert "more than the 4000000 allowed" in warnings[0]


def test_decode_refuses_a_link_over_the_length_limit() -> None:
    s, warnings = decode_query("examples=" + "0" * 300_000)
    assert s == Settings()
    assert "more than the 200000 allowed" in warnings[0]


def test_decode_refuses_more_than_65536_examples() -> None:
    s, warnings = decode_query("width=1&examples=" + "0," * 70_000)
    assert s.examples == ()
    assert any("70000 examples is too many" in w for w in warnings)


def test_decode_reports_unknown_keys_and_null_bytes() -> None:
    s, warnings = decode_query("foo=1&%00=2&width=%00")
    assert s == Settings()
    assert "Ignored unknown setting 'foo'." in warnings
    assert "Ignored unknown setting '?'." in warnings
    assert any(w.startswith("width: Width must be") for w in warnings)


def test_decode_lists_at_most_a_few_unknown_keys() -> None:
    _, warnings = decode_query("&".join(f"k{i}=1" for i in range(50)))
    assert len(warnings) == 6
    assert warnings[-1] == "Ignored 45 more unknown settings."


def test_decode_uses_the_last_of_repeated_keys_and_says_so() -> None:
    s, warnings = decode_query("seed=3&seed=4")
    assert s.seed == 4
    assert warnings == ["seed: given 2 times; used the last one."]


def test_decode_keeps_the_default_for_a_bad_value_and_says_what_it_kept() -> None:
    s, warnings = decode_query("lr=abc")
    assert s.learning_rate == 0.1
    assert warnings == [
        "lr: The learning rate must be a number greater than 0 and at most 100, like 0.1; "
        "you typed 'abc'. Kept '0.1'."
    ]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("width=99", "width: Width must be a whole number of bits from 1 to 16; you typed '99'"),
        ("layers=0,2", "layers: Layer sizes must be whole numbers of neurons from 1 to 16"),
        ("layers=4,2", "must have exactly 1 neuron (one target per example), like 4,2,1"),
        ("weights=nan", "weights: Weights must be finite numbers, but 'nan' is not"),
        ("weights=1,2", "has 9 weights and biases, but 2 were given"),
        ("activations=relu,relu", "Give one activation per layer"),
        ("epochs=2.5", "Epochs must be a whole number from 1 to 100000; you typed '2.5'"),
        ("task=cats", "The task must be one of value, odd, majority"),
        ("embed=maybe", "Use 1 for on or 0 for off; you typed 'maybe'"),
        ("preset=nope", "there is no preset called 'nope'; the presets are notebook, parity3"),
        ("task=custom&examples=all", "'all' can't be used with the custom task"),
    ],
)
def test_decode_falls_back_with_a_warning_for_each_bad_value(query: str, fragment: str) -> None:
    s, warnings = decode_query(query)
    assert any(fragment in w for w in warnings), warnings
    assert decode_query(encode_query(s)) == (s, [])


def test_decode_keeps_the_good_examples_and_reports_each_bad_one() -> None:
    s, warnings = decode_query("width=5&examples=00101,00201,,x,00101,101,00110:0.5, 00111 ")
    assert s.examples == training_numbers(5, 5, 6, 7)
    assert warnings == [
        "examples: Dropped '00201'. '00201' is not a binary number: "
        "character '2' at position 3 is not 0 or 1.",
        "examples: Dropped 'x'. 'x' is not a binary number: character 'x' at position 1 "
        "is not 0 or 1.",
        "examples: 00101 is listed more than once; kept the first.",
        "examples: Dropped '101'. '101' has 3 bits; this data set uses 5 bits (the width). "
        "Pad it with zeros on the left, like 00101.",
        "examples: Ignored the target in '00110:0.5': only the custom task uses targets.",
    ]


def test_decode_reads_custom_targets_and_drops_examples_without_one() -> None:
    s, warnings = decode_query("width=3&task=custom&examples=001:0.25,010,011:1.5,100:1")
    assert s.examples == (TrainingNumber("001", 0.25), TrainingNumber("100", 1.0))
    assert (
        "'010' has no target: the custom task needs one for each number, like 010:0.25."
        in (warnings[0])
    )
    assert "A target must be a number from 0 to 1, like 0.25; you typed '1.5'." in warnings[1]


def test_decode_lists_a_few_bad_items_then_counts_the_rest() -> None:
    _, warnings = decode_query("width=2&examples=" + ",".join(["x"] * 20))
    assert len(warnings) == 6
    assert warnings[-1] == "examples: …and 15 more like these."


def test_decode_drops_test_numbers_that_are_training_examples() -> None:
    s, warnings = decode_query("width=3&examples=001,010&test=010,011,011")
    assert s.test == ("011",)
    assert "test: Dropped 010: it is in the training set, and a number can't be in both." in (
        warnings
    )
    assert "test: 011 is listed more than once; kept the first." in warnings


def test_decode_checks_dependent_fields_against_the_final_width() -> None:
    s, warnings = decode_query("width=3&bits=00101&threshold=20")
    assert (s.bits, s.threshold) == ("101", 3)
    assert warnings == [
        "bits: '00101' has 5 bits; this data set uses 3 bits (the width). "
        "To use 5-bit numbers, change the width. Kept '101'.",
        "threshold: The threshold must be a whole number from 0 to 7 (the largest 3-bit number); "
        "you typed '20'. Kept '3'.",
    ]


def test_decode_gives_width_defaults_silently_when_the_width_alone_changes() -> None:
    assert decode_query("width=2") == (Settings(width=2, bits="01", threshold=1), [])
    assert decode_query("width=16")[0].threshold == 127


def test_decode_drops_unknown_hidden_controls_and_a_bare_key_switches_on() -> None:
    s, warnings = decode_query("embed&hide=chart,FOO,math,chart")
    assert s.embed is True
    assert s.hide == ("chart", "math")
    assert warnings[0].startswith("hide: Ignored unknown control 'FOO'; the controls that can")


# ---------------------------------------------------------------- presets


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_applies_without_warnings_and_round_trips(name: str) -> None:
    s = apply_preset(Settings(), name)
    assert decode_query(f"?preset={name}") == (s, [])
    assert decode_query(encode_query(s)) == (s, [])
    label, description, overrides = PRESETS[name]
    assert label and description
    assert all(getattr(s, key) == value for key, value in overrides.items())


def test_the_notebook_preset_is_the_notebooks_neuron() -> None:
    s = apply_preset(Settings(), "notebook")
    assert PRESETS["notebook"].label == "The notebook's neuron"
    assert (s.width, s.bits, s.task, s.examples) == (
        5,
        "00101",
        "value",
        (TrainingNumber("00101"),),
    )
    assert (s.learning_rate, s.epochs, s.seed, s.layers) == (0.1, 200, 1, (1,))
    assert example_target(s, s.examples[0]) == 5 / 31


def test_the_parity3_preset_has_every_3_bit_number_and_a_hidden_layer() -> None:
    s = apply_preset(Settings(), "parity3")
    assert PRESETS["parity3"].label == "Parity of 3 bits"
    assert (s.width, s.task, s.examples) == (3, "parity", training_numbers(3, *range(8)))
    assert s.layers == (4, 1)


def test_the_parity3_preset_network_learns_parity_where_one_neuron_cannot() -> None:
    """Trained as the page trains (Lab.run_epoch: seeded shuffle, batch size, lr), the preset's
    3-4-1 network reaches 100 % accuracy within the preset's epochs; one neuron does not."""
    import random

    from nn import Network, parse_bits

    s = apply_preset(Settings(), "parity3")
    data = [(parse_bits(e.bits), [example_target(s, e)]) for e in s.examples]

    def train(layers: tuple[int, ...]) -> float:
        network = Network([s.width, *layers], activation=s.activation, seed=s.seed, init=s.init)
        rng = random.Random(f"shuffle-{s.seed}")
        for _ in range(s.epochs):
            network.train_epoch(data, s.learning_rate, s.batch_size, rng)
        return network.accuracy(data)

    assert train(s.layers) == 1.0
    assert train((1,)) < 1.0


def test_the_query_overrides_the_preset() -> None:
    s, warnings = decode_query("preset=parity3&seed=9&width=4&bits=0110")
    assert warnings == []
    assert (s.seed, s.width, s.task, s.layers) == (9, 4, "parity", (4, 1))
    assert s.examples == training_numbers(4, *range(16))  # the preset's "all", in the new width


def test_preset_values_that_no_longer_fit_are_reported() -> None:
    s, warnings = decode_query("preset=odd&width=5")
    assert s.examples == () and s.test == ()
    assert any(w.startswith("examples: the preset's value does not fit") for w in warnings)


def test_apply_preset_keeps_how_the_page_looks() -> None:
    looks = replace(Settings(), embed=True, hide=("chart",), log_scale=True, seed=5)
    s = apply_preset(looks, "odd")
    assert (s.embed, s.hide, s.log_scale, s.seed) == (True, ("chart",), True, 1)
    with pytest.raises(ValueError, match="no preset called 'nope'; the presets are notebook"):
        apply_preset(looks, "nope")


# ---------------------------------------------------------------- parse functions

ACCEPTED = [
    (inputs.parse_width, (" 5 ",), 5),
    (inputs.parse_width, ("16",), 16),
    (inputs.parse_bits, (" 00101\n", 5), "00101"),
    (inputs.parse_learning_rate, (" 0.1 ",), 0.1),
    (inputs.parse_learning_rate, ("100",), 100.0),
    (inputs.parse_learning_rate, ("1e-3",), 0.001),
    (inputs.parse_epochs, (" 200 ",), 200),
    (inputs.parse_seed, ("0",), 0),
    (inputs.parse_seed, ("4294967295",), 2**32 - 1),
    (inputs.parse_threshold, (" 31 ", 5), 31),
    (inputs.parse_target, (" 0 ",), 0.0),
    (inputs.parse_target, ("1",), 1.0),
    (inputs.parse_target, (".25",), 0.25),
    (inputs.parse_layers, ("4, 1",), (4, 1)),
    (inputs.parse_layers, (" 16,16,16,16,1 ",), (16, 16, 16, 16, 1)),
    (inputs.parse_layers, ("1",), (1,)),
    (inputs.parse_layer_size, (" 16 ",), 16),
    (inputs.parse_batch_size, ("65536",), 65536),
    (inputs.parse_count, (" 32 ", 5), 32),
    (inputs.parse_task, (" Parity ",), "parity"),
    (inputs.parse_activation, ("relu",), "relu"),
    (inputs.parse_init, ("he ",), "he"),
    (inputs.parse_weight, (" -2.5e3 ",), -2500.0),
]


@pytest.mark.parametrize(("parse", "args", "expected"), ACCEPTED)
def test_parse_accepts_valid_text_with_surrounding_spaces(
    parse: object, args: tuple[object, ...], expected: object
) -> None:
    assert parse(*args) == expected  # type: ignore[operator]


REJECTED = [
    (inputs.parse_width, ("20",), ["Width must be a whole number of bits from 1 to 16", "'20'"]),
    (inputs.parse_width, ("0",), ["from 1 to 16", "you typed '0'"]),
    (inputs.parse_width, ("",), ["from 1 to 16", "you left it empty"]),
    (inputs.parse_width, ("5.0",), ["whole number", "'5.0'"]),
    (inputs.parse_width, ("٥",), ["whole number", "'٥'"]),
    (inputs.parse_width, ("9" * 5000,), ["whole number", "'99999"]),
    (inputs.parse_bits, ("", 5), ["Type a binary number of 5 bits, like 00101."]),
    (
        inputs.parse_bits,
        ("00201", 5),
        ["'00201' is not a binary number: character '2' at position 3 is not 0 or 1."],
    ),
    (
        inputs.parse_bits,
        ("0101", 5),
        ["'0101' has 4 bits; this data set uses 5 bits (the width)", "like 00101."],
    ),
    (inputs.parse_bits, ("001010", 5), ["'001010' has 6 bits", "change the width"]),
    (inputs.parse_bits, ("1" * 40, 5), ["'111111111", "at most 16 bits"]),
    (inputs.parse_bits, ("0 1", 3), ["character ' ' at position 2"]),
    (inputs.parse_bits, ("0\x001", 3), ["character '\\x00' at position 2"]),
    (inputs.parse_learning_rate, ("abc",), ["greater than 0 and at most 100", "'abc'"]),
    (inputs.parse_learning_rate, ("nan",), ["learning rate", "'nan'"]),
    (inputs.parse_learning_rate, ("inf",), ["learning rate", "'inf'"]),
    (inputs.parse_learning_rate, ("-1",), ["greater than 0", "'-1'"]),
    (inputs.parse_learning_rate, ("0",), ["greater than 0", "'0'"]),
    (inputs.parse_learning_rate, ("",), ["like 0.1", "you left it empty"]),
    (inputs.parse_learning_rate, ("101",), ["at most 100", "'101'"]),
    (inputs.parse_learning_rate, ("1_0",), ["learning rate", "'1_0'"]),
    (inputs.parse_epochs, ("2.5",), ["Epochs must be a whole number from 1 to 100000", "'2.5'"]),
    (inputs.parse_epochs, ("1e3",), ["whole number", "'1e3'"]),
    (inputs.parse_epochs, ("0",), ["from 1 to 100000", "'0'"]),
    (inputs.parse_epochs, ("100001",), ["from 1 to 100000", "'100001'"]),
    (inputs.parse_seed, ("-1",), ["seed must be a whole number from 0 to 4294967295", "'-1'"]),
    (inputs.parse_seed, ("4294967296",), ["0 to 4294967295", "'4294967296'"]),
    (inputs.parse_threshold, ("32", 5), ["from 0 to 31 (the largest 5-bit number)", "'32'"]),
    (inputs.parse_target, ("1.5",), ["A target must be a number from 0 to 1", "'1.5'"]),
    (inputs.parse_target, ("-0.1",), ["from 0 to 1", "'-0.1'"]),
    (inputs.parse_target, ("",), ["from 0 to 1", "you left it empty"]),
    (inputs.parse_layers, ("",), ["like 4,1", "you left it empty"]),
    (inputs.parse_layers, ("4,,1",), ["an empty size in '4,,1'"]),
    (inputs.parse_layers, ("17,1",), ["from 1 to 16", "'17' in '17,1'"]),
    (inputs.parse_layers, ("4,2",), ["exactly 1 neuron", "like 4,2,1", "'4,2'"]),
    (inputs.parse_layers, ("2,2,2,2,2,1",), ["At most 4 hidden layers", "has 5 hidden"]),
    (inputs.parse_layer_size, ("0",), ["from 1 to 16", "'0'"]),
    (inputs.parse_batch_size, ("x",), ["batch size", "1 to 65536", "'x'"]),
    (inputs.parse_count, ("33", 5), ["from 1 to 32 (there are 32 numbers of 5 bits)", "'33'"]),
    (inputs.parse_count, ("0", 1), ["from 1 to 2", "'0'"]),
    (inputs.parse_task, ("cats",), ["task must be one of value, odd", "custom", "'cats'"]),
    (inputs.parse_activation, ("soft",), ["sigmoid, tanh, relu, linear", "'soft'"]),
    (inputs.parse_init, ("",), ["uniform, xavier, he", "you left it empty"]),
    (inputs.parse_weight, ("nan",), ["weight or bias must be a finite number", "'nan'"]),
    (inputs.parse_weight, ("1e999",), ["finite number", "'1e999'"]),
    (inputs.parse_weight, ("",), ["like -0.5", "you left it empty"]),
]


@pytest.mark.parametrize(("parse", "args", "fragments"), REJECTED)
def test_parse_rejects_bad_text_naming_what_was_typed_and_what_is_expected(
    parse: object, args: tuple[object, ...], fragments: list[str]
) -> None:
    with pytest.raises(ValueError) as info:
        parse(*args)  # type: ignore[operator]
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    assert len(message) < 400


def test_messages_cut_long_typed_text_to_about_30_characters() -> None:
    with pytest.raises(ValueError) as info:
        inputs.parse_seed("12345678901234567890123456789012345678901234567890")
    assert "you typed '12345678901234567890123456789…'." in str(info.value)


# ---------------------------------------------------------------- Settings stays valid


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"width": 5}, "Settings.bits: '00000101' has 8 bits"),
        ({"bits": "0101"}, "Settings.bits"),
        ({"width": True}, "Settings.width"),
        ({"learning_rate": float("nan")}, "Settings.learning_rate"),
        ({"examples": [TrainingNumber("00000001")]}, "Settings.examples"),
        ({"examples": (TrainingNumber("00000001", 0.5),)}, "only the custom task uses targets"),
        ({"examples": training_numbers(8, 1, 1)}, "listed more than once"),
        ({"test": ("00000001",), "examples": training_numbers(8, 1)}, "can't be in both"),
        ({"layers": (2,)}, "Settings.layers"),
        ({"layer_activations": ("relu", "relu")}, "one activation per layer"),
        ({"weights": (1.0,)}, "has 9 weights and biases"),
        ({"hide": ("chart", "chart")}, "Settings.hide"),
        ({"activate_output": 1}, "Settings.activate_output"),
    ],
)
def test_creating_invalid_settings_raises_naming_the_field(changes: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match="Settings\\.") as info:
        replace(Settings(), **changes)
    assert fragment in str(info.value)


# ---------------------------------------------------------------- with_width


def test_widening_pads_every_number_with_zeros_and_drops_the_weights() -> None:
    s = five_bits(examples=training_numbers(5, 1, 30), test=("00010",), weights=(0.5,) * 6)
    wide, note = with_width(s, 7)
    assert note is None
    assert wide.examples == training_numbers(7, 1, 30)
    assert (wide.test, wide.bits, wide.threshold, wide.weights) == (
        ("0000010",),
        "0000101",
        15,
        None,
    )


def test_narrowing_keeps_numbers_that_fit_and_says_how_many_were_removed() -> None:
    s = five_bits(
        task="greater",
        bits="11000",
        threshold=20,
        examples=training_numbers(5, 1, 30, 6, 9),
        test=numbers(5, 2, 17),
    )
    narrow, note = with_width(s, 3)
    assert narrow.examples == training_numbers(3, 1, 6)
    assert narrow.test == ("010",)
    assert (narrow.bits, narrow.threshold) == ("101", 7)
    assert note == (
        "Removed 2 training numbers and 1 test number that don't fit in 3 bits. "
        "The number shown, 11000, doesn't fit either; now it is 101. "
        "The threshold is now 7, the largest 3-bit number."
    )


def test_with_width_keeps_custom_targets_and_rejects_bad_widths() -> None:
    s = with_task(five_bits(examples=training_numbers(5, 3)), "custom")
    assert with_width(s, 2)[0].examples == (TrainingNumber("11", 3 / 31),)
    assert with_width(s, 5) == (s, None)
    for bad in (0, 17, True, "5"):
        with pytest.raises(ValueError, match="from 1 to 16"):
            with_width(s, bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- editing the data sets


def test_add_example_appends_a_valid_number() -> None:
    s = add_example(five_bits(), " 00110 ")
    assert s.examples == (TrainingNumber("00110"),)
    assert add_example(s, "00111", "0.5").examples[-1] == TrainingNumber("00111")  # target ignored


@pytest.mark.parametrize(
    ("base", "bits", "target", "message"),
    [
        (
            five_bits(examples=training_numbers(5, 5)),
            "00101",
            None,
            "00101 is already in the training set.",
        ),
        (
            five_bits(test=("00101",)),
            "00101",
            None,
            "00101 is in the test set; a number can't be in both.",
        ),
        (five_bits(), "0101", None, "'0101' has 4 bits; this data set uses 5 bits (the width)."),
        (
            with_task(five_bits(), "custom"),
            "00101",
            None,
            "The custom task needs a target for 00101: a number from 0 to 1, like 0.25.",
        ),
        (
            with_task(five_bits(), "custom"),
            "00101",
            " ",
            "The custom task needs a target for 00101",
        ),
        (with_task(five_bits(), "custom"), "00101", "2", "you typed '2'"),
    ],
)
def test_add_example_rejects_with_a_message_and_leaves_settings_unchanged(
    base: Settings, bits: str, target: str | None, message: str
) -> None:
    before = to_json(base)
    with pytest.raises(ValueError) as info:
        add_example(base, bits, target)
    assert message in str(info.value)
    assert to_json(base) == before


def test_add_example_takes_a_custom_target() -> None:
    s = add_example(with_task(five_bits(), "custom"), "00101", " 0.75 ")
    assert s.examples == (TrainingNumber("00101", 0.75),)
    assert set_example_target(s, 0, "0.5").examples == (TrainingNumber("00101", 0.5),)
    with pytest.raises(ValueError, match="Only the custom task has targets you type"):
        set_example_target(five_bits(examples=training_numbers(5, 1)), 0, "0.5")


def test_add_test_example_rejects_duplicates_and_training_numbers() -> None:
    s = add_test_example(five_bits(examples=training_numbers(5, 1)), "00010")
    assert s.test == ("00010",)
    with pytest.raises(ValueError, match="00010 is already in the test set"):
        add_test_example(s, "00010")
    with pytest.raises(ValueError, match="00001 is in the training set; a number can't be in both"):
        add_test_example(s, "00001")


def test_remove_and_clear_take_out_numbers_and_reject_bad_positions() -> None:
    s = five_bits(examples=training_numbers(5, 1, 2, 3), test=numbers(5, 4, 5))
    assert remove_example(s, 1).examples == training_numbers(5, 1, 3)
    assert remove_test_example(s, 0).test == ("00101",)
    assert clear_examples(s).examples == () and clear_examples(s).test == s.test
    assert clear_test_examples(s).test == () and clear_test_examples(s).examples == s.examples
    for bad in (3, -1, True):
        with pytest.raises(ValueError, match="There is no training example at position"):
            remove_example(s, bad)
    with pytest.raises(ValueError, match="the list has 2 numbers"):
        remove_test_example(s, 2)


def test_add_all_examples_keeps_custom_targets_and_empties_the_test_set() -> None:
    s = with_task(five_bits(examples=training_numbers(5, 3), test=("00001",)), "custom")
    s = set_example_target(s, 0, "0.9")
    every = add_all_examples(replace(s, width=2, bits="01", threshold=1, examples=(), test=()))
    assert every.examples == tuple(TrainingNumber(b, 0.0) for b in numbers(2, 0, 1, 2, 3))
    s = add_all_examples(s)
    assert len(s.examples) == 32 and s.test == ()
    assert s.examples[3] == TrainingNumber("00011", 0.9)


def test_add_random_examples_is_reproducible_with_a_seeded_random() -> None:
    s = five_bits(examples=training_numbers(5, 1), test=numbers(5, 2))
    first, note = add_random_examples(s, 6, random.Random(42))
    again, _ = add_random_examples(s, 6, random.Random(42))
    assert first == again and note is None
    added = [e.bits for e in first.examples[1:]]
    assert len(added) == 6 == len(set(added))
    assert added == sorted(added)
    assert not set(added) & {"00001", "00010"}


def test_add_random_examples_can_fill_the_test_set_instead() -> None:
    s = Settings(
        width=3, bits="101", threshold=3, task="custom", examples=(TrainingNumber("000", 1),)
    )
    s, note = add_random_examples(s, 3, random.Random(7), test=True)
    assert note is None and len(s.test) == 3 and "000" not in s.test
    assert s.examples == (TrainingNumber("000", 1),)
    assert add_random_examples(s, 1, random.Random(7))[0].examples[-1].target == 0.0


def test_add_random_examples_adds_what_is_left_and_says_so() -> None:
    s = Settings(width=2, bits="01", threshold=1, examples=training_numbers(2, 0), test=("01",))
    full, note = add_random_examples(s, 4, random.Random(1))
    assert sorted(e.bits for e in full.examples) == ["00", "10", "11"]
    assert note == "Only 2 numbers were left; added them all."
    with pytest.raises(ValueError, match="Every 2-bit number is already in the training or test"):
        add_random_examples(full, 1, random.Random(1))
    with pytest.raises(ValueError, match="from 1 to 4"):
        add_random_examples(s, 0, random.Random(1))


# ---------------------------------------------------------------- tasks and shapes


@pytest.mark.parametrize(
    ("task", "bits", "threshold", "target"),
    [
        ("value", "00101", 0, 5 / 31),
        ("odd", "00101", 0, 1.0),
        ("odd", "00110", 0, 0.0),
        ("majority", "00111", 0, 1.0),
        ("majority", "0011", 0, 0.0),  # a tie is not a majority
        ("greater", "01010", 9, 1.0),
        ("greater", "01001", 9, 0.0),
        ("parity", "00111", 0, 1.0),
        ("parity", "00101", 0, 0.0),
    ],
)
def test_example_target_follows_the_task(
    task: str, bits: str, threshold: int, target: float
) -> None:
    s = Settings(width=len(bits), bits=bits, task=task, threshold=threshold)
    assert example_target(s, TrainingNumber(bits)) == target


def test_example_target_agrees_with_nn_tasks_on_every_4_bit_number() -> None:
    tasks = pytest.importorskip("nn.tasks")
    for task in TASKS[:-1]:
        s = Settings(width=4, bits="0101", task=task, threshold=6)
        for bits in numbers(4, *range(16)):
            expected = tasks.target_for(task, [int(c) for c in bits], 6)
            assert example_target(s, TrainingNumber(bits)) == expected


def test_custom_targets_come_from_the_examples() -> None:
    s = with_task(
        Settings(width=2, bits="01", threshold=1, examples=training_numbers(2, 3)), "custom"
    )
    assert s.examples == (TrainingNumber("11", 1.0),)
    assert example_target(s, s.examples[0]) == 1.0
    assert with_task(s, "odd").examples == training_numbers(2, 3)


def test_is_classification_is_true_for_the_0_1_tasks_only() -> None:
    assert [is_classification(t) for t in TASKS] == [False, True, True, True, True, False]
    with pytest.raises(ValueError, match="one of value"):
        is_classification("cats")


def test_with_layers_drops_weights_and_mismatched_activations() -> None:
    s = replace(Settings(), weights=(0.0,) * 9, layer_activations=("relu",))
    deeper = with_layers(s, (4, 1))
    assert (deeper.layers, deeper.weights, deeper.layer_activations) == ((4, 1), None, ())
    assert with_layers(s, [1]) is s
    assert settings_module.layer_activation_names(deeper) == ("sigmoid", "sigmoid")
    assert settings_module.layer_activation_names(s) == ("relu",)
    assert parameter_count(8, (4, 1)) == 9 * 4 + 5
    with pytest.raises(ValueError, match="exactly 1 neuron"):
        with_layers(s, (4, 2))
