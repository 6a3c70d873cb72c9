"""Costs carry their own rules: a cost added as one entry of ``nn.COSTS``, in a copy of the
tree and nothing else touched, is read from a link without a note, refused where its fit rule
says so with its own message, trained, and written in the math panel from its own TeX. (The
page's cost select lists ``COSTS`` itself: tests/e2e/test_one_vocabulary.py.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ABSOLUTE = '''

def absolute_error(
    outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]
) -> float:
    """C = sum |y - t| (added by the one-cost-entry test)."""
    check_length(targets, len(outputs), "target")
    return sum(abs(y - t) for y, t in zip(outputs, targets, strict=True))


def absolute_error_deriv(
    outputs: Sequence[float], targets: Sequence[float], zs: Sequence[float]
) -> list[float]:
    """dC/dy = sign(y - t)."""
    return [(y > t) - (y < t) for y, t in zip(outputs, targets, strict=True)]
'''
ENTRY = """    "absolute": Cost(
        "absolute",
        absolute_error,
        absolute_error_deriv,
        label="absolute error (one output)",
        tex=r"C = \\sum |y - t|",
        deriv_tex=r"\\frac{\\partial C}{\\partial y} = \\operatorname{sign}(y - t)",
        max_outputs=1,
    ),
"""

CHECK = """
import json
from core.controller import Lab, trace
from core.mathpanel import neuron_math
from core.settings import decode_query
from nn import parse_bits

settings, notes = decode_query("width=5&examples=00101,00011&bits=00101&cost=absolute&lr=0.05")
lab = Lab(settings)
run = lab.start_run(30)
while not run.finished:
    run.advance(1.0)
x, targets = parse_bits(settings.bits), lab.current_targets()
lines = neuron_math(trace(lab.network, x, targets), 0, 0, targets, 0.05)
refused = decode_query("width=3&task=ones&cost=absolute")[1]
print(json.dumps({
    "cost": settings.cost,
    "notes": notes,
    "losses": lab.train_losses,
    "math": [line.tex for line in lines],
    "refused": refused,
}))
"""


def add_entry(module: Path, registry: str, functions: str, entry: str) -> None:
    """Add ``functions`` before the registry dict that starts with ``registry`` (found once)
    in ``module``, and ``entry`` as its last item: nothing else of the tree is touched."""
    source = module.read_text()
    assert source.count(registry) == 1
    head, tail = source.split(registry)
    end = tail.index("\n}\n")
    module.write_text(
        head + functions + "\n\n" + registry + tail[:end] + "\n" + entry + tail[end + 1 :]
    )


def test_a_cost_added_as_one_entry_in_nn_works_in_the_pages_python(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "nn", tmp_path / "nn", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        ROOT / "static" / "py", tmp_path / "py", ignore=shutil.ignore_patterns("__pycache__")
    )
    add_entry(tmp_path / "nn" / "cost.py", "COSTS: dict[str, Cost] = {", ABSOLUTE, ENTRY)
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path / 'py'}:{tmp_path}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["cost"] == "absolute" and result["notes"] == []
    losses = result["losses"]
    assert len(losses) == 30 and losses[-1] < losses[0]  # it trains
    math = "\n".join(result["math"])
    assert r"C = \sum |y - t| = " in math  # its own TeX, with the numbers
    assert r"\partial C/\partial y = \operatorname{sign}(y - t) = " in math
    # Its fit rule (one output) and its own message, beside the key it came from.
    (refused,) = result["refused"]
    assert "Absolute error needs 1 output, but this network has 4 outputs" in refused
    assert "softmax cross-entropy (one output per class)" in refused
