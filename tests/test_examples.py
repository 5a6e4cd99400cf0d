"""Form of the example gallery (the docs build runs the scripts themselves).

Every ``examples/plot_*.py`` must parse, start with a reST title docstring, split into
``# %%`` cells, use matplotlib only through pyplot, save no files, and read MNIST only when
``$SKHEBB_DATA`` is set, so that the build never fails for lack of data.
"""

import ast
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("plot_*.py"))


def test_gallery_exists():
    assert (EXAMPLES / "README.txt").is_file()
    assert len(SCRIPTS) >= 8


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_example_form(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    doc = ast.get_docstring(tree, clean=True)
    assert doc, "no module docstring"
    title, underline = doc.splitlines()[:2]
    assert re.fullmatch(r"=+", underline) and len(underline) >= len(title), "no reST title"
    assert "# %%" in source, "no # %% cells"
    assert "savefig" not in source, "examples must not write files"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("matplotlib"):
            assert node.module == "matplotlib" and [a.name for a in node.names] == ["pyplot"], (
                "use matplotlib.pyplot only"
            )
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("matplotlib"):
                    assert alias.name == "matplotlib.pyplot", "use matplotlib.pyplot only"
    assert "matplotlib.use(" not in source, "the backend is the build's choice (Agg)"
    if "load_mnist" in source:
        assert 'os.environ.get("SKHEBB_DATA")' in source, "MNIST without a fallback"
