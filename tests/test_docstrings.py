"""numpydoc validation of the public docstrings.

Every public estimator, its public methods defined in skhebb, and every public function of
``skhebb.datasets``, ``skhebb.experiments``, ``skhebb.plotting`` and
``skhebb.semi_supervised`` is validated with :func:`numpydoc.validate.validate` against the
error codes in ``CHECKED``. Estimator docstrings must in addition have the sections that the
style guide asks for.
"""

import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")
from numpydoc.docscrape import NumpyDocString  # noqa: E402

import skhebb  # noqa: E402

# numpydoc error codes that every public docstring must pass.
CHECKED = {
    "GL01",  # docstring text should start in the line after the opening quotes
    "GL02",  # closing quotes on their own line
    "GL03",  # double line break
    "GL05",  # tabs
    "GL06",  # unknown section
    "GL07",  # sections in the wrong order
    "GL08",  # no docstring
    "GL09",  # deprecation warning misplaced
    "GL10",  # reST directive without double colon
    "SS01",  # no summary
    "SS02",  # summary does not start with a capital letter
    "SS03",  # summary does not end with a period
    "SS04",  # summary with heading whitespace
    "SS06",  # summary longer than one line
    "PR01",  # parameter not documented
    "PR02",  # documented parameter that does not exist
    "PR03",  # parameters in the wrong order
    "PR04",  # parameter without a type
    "PR05",  # parameter type ending in a period
    "PR06",  # type "integer"/"boolean"/"string" instead of int/bool/str
    "PR10",  # parameter name and type need a space before the colon
    "RT01",  # no Returns section
    "RT03",  # return value without a description
    "YD01",  # no Yields section
    "SA02",  # See Also entry with a lowercase or missing-period description
    "SA03",  # See Also description does not end with a period
    "SA04",  # See Also entry without a description
}

# Sections every public estimator docstring must have.
ESTIMATOR_SECTIONS = ("Parameters", "Attributes", "See Also", "Notes", "References", "Examples")

ESTIMATORS = [
    "HebbSETClassifier",
    "SupervisedHebbClassifier",
    "HebbianPCA",
    "SoftWTA",
    "LateralInhibitionSelectors",
]

FUNCTION_MODULES = [
    "skhebb.datasets", "skhebb.experiments", "skhebb.plotting", "skhebb.semi_supervised"
]

def _estimator_classes():
    classes = [getattr(skhebb, name) for name in ESTIMATORS]
    classes.append(importlib.import_module("skhebb.preprocessing").SampleMinMaxScaler)
    return classes


def _public_functions():
    """(public name, object) of every callable in the ``__all__`` of ``FUNCTION_MODULES``."""
    for module_name in FUNCTION_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # an optional dependency is missing
            continue
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):  # not a documented constant
                yield f"{module_name}.{name}", obj


def _public_objects():
    """(public name, importable path) of every object whose docstring is validated."""
    objects = []
    for cls in _estimator_classes():
        path = f"{cls.__module__}.{cls.__name__}"
        objects.append((path, path))
        for name, member in inspect.getmembers(cls):
            if name.startswith("_") or not callable(member):
                continue
            # Methods inherited from scikit-learn are scikit-learn's to document.
            if not (getattr(member, "__module__", "") or "").startswith("skhebb"):
                continue
            objects.append((f"{path}.{name}", f"{path}.{name}"))
    for public, obj in _public_functions():
        objects.append((public, f"{obj.__module__}.{obj.__qualname__}"))
    return objects


def _param(public, path):
    return pytest.param(path, id=public)


def test_every_public_name_is_covered():
    covered = {public for public, _ in _public_objects()}
    for name in ESTIMATORS:
        assert any(p.endswith(f".{name}") for p in covered), name
    datasets = importlib.import_module("skhebb.datasets")
    for name in datasets.__all__:
        assert f"skhebb.datasets.{name}" in covered


@pytest.mark.parametrize("path", [_param(public, path) for public, path in _public_objects()])
def test_docstring(path):
    result = numpydoc_validate.validate(path)
    errors = [f"{code}: {message}" for code, message in result["errors"] if code in CHECKED]
    assert not errors, f"{path}:\n" + "\n".join(errors)


@pytest.mark.parametrize("cls", _estimator_classes(), ids=lambda c: c.__name__)
def test_estimator_sections(cls):
    doc = NumpyDocString(inspect.getdoc(cls))
    missing = [section for section in ESTIMATOR_SECTIONS if not doc[section]]
    if cls.__name__ == "SampleMinMaxScaler":
        # A preprocessing step, not a learning rule: no update rule and no paper to cite.
        missing = [s for s in missing if s not in ("Notes", "References")]
    assert not missing, f"{cls.__name__} lacks the sections {missing}"


@pytest.mark.parametrize("cls", _estimator_classes(), ids=lambda c: c.__name__)
def test_every_init_parameter_documented(cls):
    doc = NumpyDocString(inspect.getdoc(cls))
    documented = {name for entry in doc["Parameters"] for name in entry.name.split(", ")}
    parameters = set(inspect.signature(cls).parameters)
    assert parameters == documented


@pytest.mark.parametrize("cls", _estimator_classes(), ids=lambda c: c.__name__)
def test_shared_entries_are_filled_in(cls):
    """``%(name)s`` lines of the estimators' docstrings are replaced by their shared entry."""
    members = [m for name, m in inspect.getmembers(cls) if not name.startswith("_") and callable(m)]
    docs = [inspect.getdoc(obj) or "" for obj in (cls, *members)]
    assert not [doc for doc in docs if "%(" in doc]
    if cls.__name__ != "SampleMinMaxScaler":
        assert "n_iter_ : int" in docs[0]


def test_shared_function_entries_are_filled_in():
    """``%(name)s`` lines of the public functions' docstrings are replaced by their entry."""
    docs = {public: inspect.getdoc(obj) or "" for public, obj in _public_functions()}
    assert not [path for path, doc in docs.items() if "%(" in doc]
    low_shot = importlib.import_module("skhebb.experiments").low_shot
    assert "n_jobs : int, default=None\n    Runs in parallel" in inspect.getdoc(low_shot)
    load_lung = importlib.import_module("skhebb.datasets").load_lung
    assert "return_X_y : bool, default=False\n    If True" in inspect.getdoc(load_lung)


def test_fill_indents_an_entry_as_its_placeholder():
    from skhebb._docstrings import fill, filled_from

    entries = {"x": "x : int\n    The x."}
    assert fill("A.\n\n    %(x)s\n", entries) == "A.\n\n    x : int\n        The x.\n"

    @filled_from(entries)
    def f():
        """Doc.

        Parameters
        ----------
        %(x)s
        """

    assert "        x : int\n            The x." in f.__doc__
    with pytest.raises(KeyError):
        fill("%(y)s", entries)
