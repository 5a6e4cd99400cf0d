"""Sphinx configuration of the skhebb documentation."""

import os
import re
import sys
from pathlib import Path

import skhebb

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))
sys.path.insert(0, str(DOCS / "_ext"))

project = "skhebb"
author = "The skhebb developers"
copyright = "2026, The skhebb developers"
release = skhebb.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "records",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**/*.md5"]
default_role = "literal"

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# The build machine reaches no web site: no intersphinx inventories.
html_theme = "pydata_sphinx_theme"
html_title = f"skhebb {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}

# Examples: sphinx-gallery runs every examples/plot_*.py during the build. Examples read the
# real data from $SKHEBB_DATA (the shared data folder) or fall back to the bundled table.
sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "doc_module": ("skhebb",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "matplotlib_animations": False,
}

os.environ.setdefault("MPLBACKEND", "Agg")

# The user guide's code: every Python block is a doctest, run by ``sphinx-build -b doctest``
# (``.ci/run`` does, and checks the count); ``records.py`` rejects untested Python blocks
# and skipped examples there. Examples run on scikit-learn's small tables and the bundled
# TOX-171 table only, so they need no data home. No global setup: each page's blocks,
# run in order, are the whole program.
doctest_test_doctest_blocks = "default"
trim_doctest_flags = True

# Figures of the user guide (``.. plot::``) are drawn by the build from code shown on the
# page, or from the records in benchmarks/results (paths from the repository root).
plot_working_directory = str(DOCS.parent)
plot_pre_code = ""
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_rcparams = {"figure.figsize": (6.0, 3.6), "font.size": 9}


# Methods inherited from scikit-learn (``score``, ``set_output``, metadata routing) carry
# cross-references to labels and glossary terms of scikit-learn's own documentation. With no
# intersphinx these cannot resolve; show them as plain text instead.
_SKLEARN_XREF = re.compile(r":(?:ref|term):`([^`<]*?)(?:\s*<[^>]*>)?`")


def _plain_sklearn_refs(app, what, name, obj, options, lines):
    module = getattr(obj, "__module__", None) or ""
    if not module.startswith("sklearn"):
        return
    lines[:] = [_SKLEARN_XREF.sub(lambda m: f"*{m.group(1).strip()}*", line) for line in lines]


def setup(app):
    app.connect("autodoc-process-docstring", _plain_sklearn_refs)
