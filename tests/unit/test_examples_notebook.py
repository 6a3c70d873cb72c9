"""examples/neuron.ipynb runs from top to bottom and learns 00101 as about 5."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NOTEBOOK = EXAMPLES / "neuron.ipynb"
EXAMPLE_TAG = "example-00101"  # the cell that trains a neuron on 00101 towards 5/31
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _stdout(cell: dict) -> str:
    """Everything a code cell printed."""
    return "".join(
        out.get("text", "")
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )


def test_committed_notebook_has_no_outputs() -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_notebook_runs_and_learns_five(monkeypatch: pytest.MonkeyPatch) -> None:
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed")
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")
    kernelspec = pytest.importorskip("jupyter_client.kernelspec")
    if "python3" not in kernelspec.KernelSpecManager().find_kernel_specs():
        pytest.skip("no python3 Jupyter kernel is installed (pip install ipykernel)")

    # The kernel inherits this environment: let it import nn from the repository root.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=60,
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails

    for cell in notebook.cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.get("output_type") == "error"]
            assert not errors, f"cell failed: {cell.source[:60]!r}"

    tagged = [c for c in notebook.cells if EXAMPLE_TAG in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"expected one cell tagged {EXAMPLE_TAG!r}"
    printed = _stdout(tagged[0])
    lines = [line for line in printed.splitlines() if "prediction" in line.lower()]
    assert lines, f"the 00101 cell printed no prediction: {printed!r}"
    numbers = [float(n) for line in lines for n in NUMBER.findall(line.split(":", 1)[-1])]
    assert any(abs(n - 5) < 0.5 for n in numbers), f"prediction is not about 5: {lines!r}"
