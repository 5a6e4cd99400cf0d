"""The Numba core stays free of scikit-learn and scipy.sparse (imports point down only)."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "skhebb" / "_core"
ALLOWED = {"numpy", "numba", "math", "skhebb", "__future__"}


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_imports_only_numpy_numba_math(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in ALLOWED, f"{path.name} imports {name}"
            if top == "skhebb":
                assert name.startswith("skhebb._core"), f"{path.name} imports {name}"
