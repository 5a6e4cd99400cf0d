"""The data home: where skhebb's loaders look for data files.

skhebb never downloads anything. Every loader reads files that the user put in
the data home, in the layout and with the file names of the original
distribution; a missing file gives a :class:`FileNotFoundError` that says where
to put it and where it comes from.
"""

import os
from pathlib import Path

from skhebb._docstrings import filled_from

__all__ = ["get_data_home"]

#: Environment variable that names the data home.
DATA_HOME_ENV = "SKHEBB_DATA"

#: The data home used when neither an argument nor the environment variable names one.
DEFAULT_DATA_HOME = "~/skhebb_data"

#: Folder of the tables bundled with the package.
BUNDLED_DATA = Path(__file__).resolve().parent / "data"

#: Docstring entries that the loaders share: a line ``%(name)s`` in the docstring of
#: a loader decorated with :func:`shared_docs` stands for ``DOC_ENTRIES[name]``
#: (see :mod:`skhebb._docstrings`).
DOC_ENTRIES = {
    "return_X_y": """\
return_X_y : bool, default=False
    If True, return ``(data, target)`` instead of a Bunch.""",
    "X_y_returns": """\
(data, target) : tuple if ``return_X_y`` is True
    The data matrix and the label vector.""",
}

shared_docs = filled_from(DOC_ENTRIES)


def get_data_home(data_home=None):
    """Return the path of the skhebb data home.

    The data home is the folder from which skhebb's loaders read data files. It
    is, in order of preference, the ``data_home`` argument, the folder named by
    the environment variable ``SKHEBB_DATA``, or ``~/skhebb_data``. The folder
    is not created: skhebb never downloads, so an empty data home is of no use.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data home. ``~`` is expanded. ``None`` means the environment
        variable ``SKHEBB_DATA`` if it is set, else ``~/skhebb_data``.

    Returns
    -------
    data_home : str
        The path of the data home, ``~`` expanded.

    See Also
    --------
    load_tox171 : Load the bundled TOX-171 gene-expression table.
    load_mnist : Load MNIST from the data home's ``mnist/`` folder.

    Examples
    --------
    >>> from skhebb.datasets import get_data_home
    >>> get_data_home("/data/skhebb")
    '/data/skhebb'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or DEFAULT_DATA_HOME
    return str(Path(os.fspath(data_home)).expanduser())


def _find(folder, names):
    """First of ``names`` that exists in ``folder``, or None."""
    for name in names:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None
