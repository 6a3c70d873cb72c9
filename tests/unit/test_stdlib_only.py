"""nn must run in the browser under Pyodide: standard library imports only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

NN = Path(__file__).resolve().parents[2] / "nn"
MODULES = sorted(NN.glob("*.py"))


def imported_top_level_names(path: Path) -> set[str]:
    """Top-level names of every absolute import in the file, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_nn_package_has_its_modules() -> None:
    assert {p.stem for p in MODULES} >= {
        "__init__", "activations", "binary", "cost", "initializers", "network", "neuron", "tasks",
    }  # fmt: skip


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_imports_only_the_standard_library_and_nn(path: Path) -> None:
    outside = imported_top_level_names(path) - set(sys.stdlib_module_names) - {"nn"}
    assert not outside, f"{path.name} imports {sorted(outside)}"


def test_the_import_check_sees_third_party_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import math\nimport numpy as np\ndef f():\n    from js import document\n")
    assert imported_top_level_names(sample) - set(sys.stdlib_module_names) == {"numpy", "js"}
