"""The lab with the learner's code, under CPython: Use my code keeps the weights, a failure
in training rolls back to the weights before the epoch and says the line, a network the
learner's sigmoid neuron can't make is refused, and the code travels in links and files
(compressed, within its limits) without ever running by itself."""

from __future__ import annotations

import math
import zlib

import pytest
from core.codetext import MAX_CODE_CHARS, MAX_LINK_CODE, pack_code, parse_code, unpack_code
from core.controller import CodeFailed, RejectedInput
from core.savestate import address_query, share_query
from core.settings import changed, decode_query, encode_query, from_json, to_json
from core.usercode import NOTEBOOK_SOURCE, LoadedCode, library_source, load_learner_code
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_controller import finish, lab_from

PARITY3 = "width=3&bits=101&task=parity&examples=all&layers=4,1&lr=1&seed=2"


def loaded(source: str) -> LoadedCode:
    code = load_learner_code(source, seconds=2.0)
    assert isinstance(code, LoadedCode), code
    return code


def test_use_my_code_keeps_the_weights_and_learns_parity() -> None:
    lab = lab_from(PARITY3)
    weights = lab.network.parameters()
    lab.use_code(loaded(library_source()))
    assert lab.network.parameters() == weights
    finish(lab.start_run(300), seconds=0.05)
    assert lab.stats().accuracy == 1.0
    lab.use_code(None)
    assert lab.code is None and lab.stats().accuracy == 1.0


def test_the_library_source_trains_like_nn_itself() -> None:
    mine, nns = lab_from(PARITY3), lab_from(PARITY3)
    mine.use_code(loaded(library_source()))
    finish(mine.start_run(20), seconds=0.05)
    finish(nns.start_run(20))
    for a, b in zip(mine.network.parameters(), nns.network.parameters(), strict=True):
        assert a == pytest.approx(b, rel=1e-6, abs=1e-9)


def test_code_that_raises_in_training_stops_the_run_at_its_line_with_the_last_good_weights() -> (
    None
):
    lab = lab_from(PARITY3)
    end = "        return dcost_dx\n"
    assert library_source().count(end) == 1
    raising = "        calls.append(1)\n        if len(calls) > 40:\n"
    raising += "            raise ValueError('boom')\n"
    source = library_source().replace(
        end, end.replace("        return", raising + "        return")
    )
    source += "\ncalls = []\n"
    line = source.splitlines().index("            raise ValueError('boom')") + 1
    lab.use_code(loaded(source))
    before = lab.network.parameters()
    run = lab.start_run(50)
    finish(run)
    assert run.failed is not None and run.failed.line == line
    assert "ValueError: boom" in run.message and f"Line {line}" in run.message
    assert lab.network.is_finite() and lab.epoch < 50
    if lab.epoch == 0:
        assert lab.network.parameters() == before  # rolled back to the start of the epoch
    with pytest.raises(CodeFailed) as failed:
        lab.step_epoch()
    assert failed.value.problem.line == line


@pytest.mark.tracer
def test_an_endless_loop_is_stopped_and_the_lab_keeps_nns_code() -> None:
    lab = lab_from(PARITY3)
    header = next(text for text in library_source().splitlines() if "def forward(" in text)
    looping = library_source().replace(header, header + "\n        while True:\n            pass")
    code = load_learner_code(looping, seconds=0.3)
    assert isinstance(code, LoadedCode)  # forward is not called while loading
    with pytest.raises(CodeFailed) as failed:
        lab.use_code(code)
    assert failed.value.problem.line == looping.splitlines().index("            pass") + 1
    assert "0.3 s" in str(failed.value)
    assert lab.code is None


def test_a_network_the_learners_neuron_cannot_make_is_refused() -> None:
    lab = lab_from(PARITY3)
    lab.use_code(loaded(NOTEBOOK_SOURCE))
    settings = lab.settings
    with pytest.raises(RejectedInput, match="sigmoid neuron") as refused:
        lab.change(changed(settings, activation="relu"))
    assert "Back to the library's code" in str(refused.value)
    assert lab.settings == settings
    lab.change(changed(settings, layers=(3, 1)))  # a sigmoid network of another shape is fine
    assert lab.network.sizes == [3, 3, 1]


# ---------------------------------------------------------------- the code as a setting


def test_a_link_carries_the_code_compressed_and_a_file_as_text() -> None:
    code = library_source()
    settings = changed(decode_query("width=3")[0], code=code)
    query = encode_query(settings)
    assert "code=%24z" in query and len(query) < len(code) * 0.55  # deflate, then base64
    assert decode_query(query) == (settings, [])
    assert to_json(settings)["code"] == code  # readable in the file
    assert from_json(to_json(settings))[0] == settings


@given(st.text(max_size=300))
def test_packed_code_unpacks_to_itself(text: str) -> None:
    assert unpack_code(pack_code(text)) == (text or None)


def test_damaged_too_long_or_bomb_code_is_left_out_with_a_reason() -> None:
    settings, warnings = decode_query("code=%24zAAAA")
    assert settings.code == "" and "damaged" in warnings[0]
    too_long = "x = 1\n" * (MAX_CODE_CHARS // 6 + 1)
    settings, warnings = decode_query(encode_query_raw(too_long))
    assert settings.code == "" and f"{MAX_CODE_CHARS:,}" in warnings[0]
    bomb = "$z" + _b64(zlib.compress(b"#" * 10_000_000))
    with pytest.raises(ValueError, match="damaged"):
        parse_code(bomb)


def encode_query_raw(code: str) -> str:
    from urllib.parse import quote

    return "code=" + quote(pack_code(code))


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_code_too_long_for_a_link_is_left_out_of_the_address_and_refused_for_sharing() -> None:
    import random

    rng = random.Random(1)
    noisy = "# " + "".join(rng.choice("abcdefghij0123456789") for _ in range(12_000))
    assert len(pack_code(noisy)) > MAX_LINK_CODE
    settings = changed(decode_query("")[0], code=noisy)
    query, _ = address_query(settings)
    assert "code=" not in query
    with pytest.raises(RejectedInput, match="Export"):
        share_query(settings, None)
    assert math.isfinite(len(query))


def test_as_python_exports_the_learners_class_with_the_training_loop() -> None:
    from core.scripts import run_script

    lab = lab_from(PARITY3.replace("bits=101", "bits=110"))
    lab.use_code(loaded(NOTEBOOK_SOURCE))
    finish(lab.start_run(15), seconds=0.05)
    script, note = run_script(lab)
    assert script.startswith(NOTEBOOK_SOURCE.rstrip())
    assert "neuron_class=learner_neuron_class(Neuron)" in script
    printed: list[str] = []
    exec(compile(script, "<replay>", "exec"), {"print": lambda *a: printed.append(repr(a))})
    assert printed == [repr(("110 ->", lab.network.forward([1, 1, 0])[0]))]
    assert "exactly" in note


def test_typed_text_that_starts_like_packed_code_is_kept_as_typed() -> None:
    assert parse_code("$z is not Python\n") == "$z is not Python\n"
    with pytest.raises(ValueError, match="damaged"):
        parse_code("$zAAAA")


def test_a_lesson_step_keeps_the_learners_code() -> None:
    from core.course import setup_settings

    current = changed(decode_query("")[0], code="class Neuron: pass\n")
    assert setup_settings(decode_query("width=3")[0], current).code == "class Neuron: pass\n"


def test_code_that_fails_on_the_number_shown_sends_the_lab_back_to_nns_code_before_drawing() -> (
    None
):
    """The check runs before any drawing (``fall_back_if_code_fails``): drawing itself then
    never changes the lab."""
    lab = lab_from("width=3&bits=001&task=parity&examples=000,001,010,011&layers=4,1&seed=2")
    header = next(text for text in library_source().splitlines() if "def forward(" in text)
    failing = library_source().replace(
        header, header + "\n        if list(x) == [1, 0, 1]:\n            raise ValueError('101')"
    )
    lab.use_code(loaded(failing))
    assert lab.fall_back_if_code_fails() is None and lab.code is not None
    lab.change(changed(lab.settings, bits="101"))  # not in the training set: not checked yet
    assert lab.code is not None
    weights = lab.network.parameters()
    problem = lab.fall_back_if_code_fails()
    assert problem is not None and "ValueError: 101" in problem.text
    assert lab.code is None and lab.network.parameters() == weights
    assert lab.fall_back_if_code_fails() is None  # nn's own code: nothing to check
