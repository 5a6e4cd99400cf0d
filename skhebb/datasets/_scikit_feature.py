"""Loaders for the ``.mat`` tables of the scikit-feature repository.

The scikit-feature feature-selection repository (Arizona State University) ships
its data sets as MATLAB files with two keys: ``X`` (n_samples x n_features) and
``Y`` (n_samples x 1, integer labels). The gene-expression tables among them
(Lung, TOX-171, Prostate-GE, ...) are the "Lung-like" workloads of skhebb: few
samples, thousands of real-valued features, several classes.
"""

import os
from pathlib import Path

import numpy as np
import scipy.io
import scipy.sparse as sp
from sklearn.utils import Bunch

from skhebb.datasets._base import BUNDLED_DATA, get_data_home, shared_docs

__all__ = ["load_coil20", "load_lung", "load_prostate_ge", "load_scikit_feature", "load_tox171"]

_REPOSITORY = (
    "the scikit-feature feature-selection repository of Arizona State University "
    "(J. Li, K. Cheng, S. Wang, F. Morstatter, R. P. Trevino, J. Tang, H. Liu, "
    '"Feature selection: a data perspective", ACM Computing Surveys 50(6):94, 2018)'
)

# What is known about the tables that skhebb names; other tables load all the same.
_KNOWN = {
    "lung": dict(
        title="Lung (lung carcinoma gene expression)",
        shape=(203, 3312),
        classes="5 classes (139/17/21/20/6 samples): four lung tumour types and normal tissue",
        origin=(
            "A. Bhattacharjee, W. G. Richards, J. Staunton, et al., \"Classification of human "
            "lung carcinomas by mRNA expression profiling reveals distinct adenocarcinoma "
            'subclasses", PNAS 98(24):13790-13795, 2001'
        ),
    ),
    "TOX-171": dict(
        title="TOX-171 (gene expression)",
        shape=(171, 5748),
        classes="4 classes (45/45/39/42 samples), labels 1..4",
        origin=None,
    ),
    "Prostate-GE": dict(
        title="Prostate-GE (prostate cancer gene expression)",
        shape=(102, 5966),
        classes="2 classes (50/52 samples), labels 1..2",
        origin=None,
    ),
    "COIL20": dict(
        title="COIL-20 (Columbia Object Image Library, 32 x 32 grey images)",
        shape=(1440, 1024),
        classes="20 objects (labels 1..20), 72 views each, 5 degrees apart",
        origin=(
            'S. A. Nene, S. K. Nayar and H. Murase, "Columbia Object Image Library '
            '(COIL-20)", Technical Report CUCS-005-96, Columbia University, 1996'
        ),
    ),
}

#: COIL-20: side of the square images, views per object, every how many views one is a test view.
COIL20_SIDE = 32
COIL20_VIEWS = 72
COIL20_TEST_EVERY = 4


def _mat_name(name):
    name = os.fspath(name)
    return name if name.endswith(".mat") else name + ".mat"


def _missing_message(name, folder):
    stem = _mat_name(name)[:-4]
    msg = (
        f"{_mat_name(name)} was not found in the data home {folder}. skhebb never downloads "
        f"data: put the file {_mat_name(name)} (MATLAB format, keys X and Y) in that folder, "
        f"or pass data_home= / set the SKHEBB_DATA environment variable to the folder that "
        f"holds it. The file comes from {_REPOSITORY}."
    )
    known = _KNOWN.get(stem)
    if known and known["origin"]:
        msg += f" The data were published in {known['origin']}."
    return msg


def _describe(stem, path, X, y, bundled):
    known = _KNOWN.get(stem, {})
    lines = [
        f"{known.get('title', stem)} -- a scikit-feature table",
        "",
        f"{X.shape[0]} samples x {X.shape[1]} features; classes {np.unique(y).tolist()}.",
    ]
    if "classes" in known:
        lines.append(known["classes"] + ".")
    lines += [
        f"Read from {path}" + (" (the copy bundled with skhebb)." if bundled else "."),
        "",
        f"Source: {_REPOSITORY}.",
    ]
    if known.get("origin"):
        lines.append(f"Original publication: {known['origin']}.")
    return "\n".join(lines)


def _read_mat(path):
    """``X`` (float64 ndarray or CSR) and ``y`` (int64) from a scikit-feature file."""
    try:
        mat = scipy.io.loadmat(path)
    except Exception as exc:  # scipy raises many types on malformed files
        raise ValueError(f"{path} is not a readable MATLAB file: {exc}") from exc
    if "X" not in mat or "Y" not in mat:
        found = sorted(k for k in mat if not k.startswith("__"))
        raise ValueError(
            f"{path} is not in the scikit-feature layout: it must hold the keys 'X' "
            f"(n_samples x n_features) and 'Y' (labels); found {found}."
        )
    X, Y = mat["X"], mat["Y"]
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=np.float64)
    else:
        X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.asarray(Y.toarray() if sp.issparse(Y) else Y)
    if Y.ndim != 2 or 1 not in Y.shape or Y.size != X.shape[0]:
        raise ValueError(f"{path}: Y has shape {Y.shape}, expected ({X.shape[0]}, 1).")
    y = Y.ravel()
    if not np.all(np.asarray(y, dtype=np.float64) == np.round(y)):
        raise ValueError(f"{path}: the labels Y are not integers.")
    return X, y.astype(np.int64)


def _bunch(X, y, path, stem, *, bundled, return_X_y):
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        target_names=np.unique(y),
        DESCR=_describe(stem, path, X, y, bundled),
        filename=str(path),
        name=stem,
    )


@shared_docs
def load_scikit_feature(name, *, data_home=None, return_X_y=False):
    """Load a table of the scikit-feature repository from the data home.

    Reads ``<data_home>/<name>.mat``: a MATLAB file with the keys ``X``
    (n_samples x n_features) and ``Y`` (n_samples x 1 integer labels), as
    distributed by the scikit-feature repository (``lung.mat``,
    ``TOX-171.mat``, ``Prostate-GE.mat``, ...).

    Parameters
    ----------
    name : str
        File name, with or without the ``.mat`` suffix, e.g. ``"lung"``.
    data_home : str or path-like, default=None
        Folder that holds the file; see :func:`get_data_home`.
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, n_features), float64
            The table (a CSR matrix if the file stores ``X`` sparse).
        target : ndarray of shape (n_samples,), int64
            The labels, with the values found in the file.
        target_names : ndarray
            The distinct labels.
        DESCR : str
            Description of the table and its source.
        filename : str
            Path of the file read.
        name : str
            Name of the table.

    %(X_y_returns)s

    Raises
    ------
    FileNotFoundError
        If the file is not in the data home; the message says where to put it
        and where it comes from.

    See Also
    --------
    load_lung, load_tox171, load_prostate_ge : The tables that skhebb names.

    References
    ----------
    .. [1] J. Li, K. Cheng, S. Wang, F. Morstatter, R. P. Trevino, J. Tang and
       H. Liu, "Feature selection: a data perspective", ACM Computing Surveys
       50(6):94, 2018.

    Examples
    --------
    >>> from skhebb.datasets import load_scikit_feature
    >>> load_scikit_feature("no-such-table", data_home="/nonexistent")
    Traceback (most recent call last):
        ...
    FileNotFoundError: no-such-table.mat was not found in the data home /nonexistent. ...
    """
    folder = get_data_home(data_home)
    path = Path(folder) / _mat_name(name)
    if not path.is_file():
        raise FileNotFoundError(_missing_message(name, folder))
    X, y = _read_mat(path)
    return _bunch(X, y, path, _mat_name(name)[:-4], bundled=False, return_X_y=return_X_y)


@shared_docs
def load_lung(*, data_home=None, return_X_y=False):
    """Load the Lung gene-expression table of the HebbSET paper from the data home.

    203 lung tissue samples (186 tumours of four types and 17 normal) by 3312
    gene-expression values, 5 classes, as distributed by the scikit-feature
    repository in ``lung.mat``. The file is not bundled with skhebb: put it in
    the data home. :func:`load_tox171` is the bundled table of the same kind.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder that holds ``lung.mat``; see :func:`get_data_home`.
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        As returned by :func:`load_scikit_feature`: ``data`` (203, 3312)
        float64, ``target`` (203,) int64, ``DESCR``, ``filename``.
    %(X_y_returns)s

    Raises
    ------
    FileNotFoundError
        If ``lung.mat`` is not in the data home.

    See Also
    --------
    load_tox171 : The bundled Lung-like table.

    References
    ----------
    .. [1] A. Bhattacharjee, W. G. Richards, J. Staunton, et al.,
       "Classification of human lung carcinomas by mRNA expression profiling
       reveals distinct adenocarcinoma subclasses", PNAS 98(24):13790, 2001.
    .. [2] J. Li et al., "Feature selection: a data perspective", ACM Computing
       Surveys 50(6):94, 2018.
    """
    return load_scikit_feature("lung", data_home=data_home, return_X_y=return_X_y)


@shared_docs
def load_tox171(*, data_home=None, return_X_y=False):
    """Load the TOX-171 gene-expression table (bundled with skhebb).

    171 samples by 5748 gene-expression values, 4 classes (labels 1..4). This is
    skhebb's Lung-like workload: the file ``TOX-171.mat`` of the scikit-feature
    repository is read from the data home when it is there, otherwise from the
    copy bundled with the package, so it works with no data home at all.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder that may hold ``TOX-171.mat``; see :func:`get_data_home`.
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        As returned by :func:`load_scikit_feature`: ``data`` (171, 5748)
        float64, ``target`` (171,) int64, ``DESCR``, ``filename``.
    %(X_y_returns)s

    See Also
    --------
    load_lung : The Lung table of the HebbSET paper (from a data home).

    References
    ----------
    .. [1] J. Li et al., "Feature selection: a data perspective", ACM Computing
       Surveys 50(6):94, 2018.

    Examples
    --------
    >>> from skhebb.datasets import load_tox171
    >>> X, y = load_tox171(return_X_y=True)
    >>> X.shape, sorted(set(y.tolist()))
    ((171, 5748), [1, 2, 3, 4])
    """
    path = Path(get_data_home(data_home)) / "TOX-171.mat"
    bundled = not path.is_file()
    if bundled:
        path = BUNDLED_DATA / "TOX-171.mat"
    X, y = _read_mat(path)
    return _bunch(X, y, path, "TOX-171", bundled=bundled, return_X_y=return_X_y)


@shared_docs
def load_prostate_ge(*, data_home=None, return_X_y=False):
    """Load the Prostate-GE gene-expression table from the data home.

    102 samples by 5966 gene-expression values, 2 classes (labels 1..2), as
    distributed by the scikit-feature repository in ``Prostate-GE.mat``.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder that holds ``Prostate-GE.mat``; see :func:`get_data_home`.
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        As returned by :func:`load_scikit_feature`.
    %(X_y_returns)s

    Raises
    ------
    FileNotFoundError
        If ``Prostate-GE.mat`` is not in the data home.

    See Also
    --------
    load_tox171 : The bundled Lung-like table.

    References
    ----------
    .. [1] J. Li et al., "Feature selection: a data perspective", ACM Computing
       Surveys 50(6):94, 2018.
    """
    return load_scikit_feature("Prostate-GE", data_home=data_home, return_X_y=return_X_y)


@shared_docs
def load_coil20(*, subset="all", data_home=None, return_X_y=False):
    """Load the COIL-20 object images (the scikit-feature ``COIL20.mat``) from the data home.

    1440 grey images of 32 x 32 pixels in [0, 1]: 20 objects (labels 1..20)
    turned on a turntable, 72 views of each, 5 degrees apart. The file stores
    each image column by column (MATLAB order); the loader returns them row by
    row, so that ``data[i].reshape(32, 32)`` is the upright image.

    COIL-20 has no official train/test split. skhebb's fixed split keeps every
    fourth view of each object (views 3, 7, ..., 71: 18 per object, 360
    images, evenly spread around the turntable) as the test set and the other
    54 views (1080 images) as the training set.

    Parameters
    ----------
    subset : {"all", "train", "test"}, default="all"
        All 1440 images in file order (object by object, view by view), or the
        training or test views of the fixed split.
    data_home : str or path-like, default=None
        Folder that holds ``COIL20.mat``; see :func:`get_data_home`.
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        As returned by :func:`load_scikit_feature` (``data`` of shape
        (n_images, 1024), float64 in [0, 1], row by row; ``target`` int64),
        with also ``images`` of shape (n_images, 32, 32) and ``view``, the
        index 0..71 of each image's view.
    %(X_y_returns)s

    Raises
    ------
    FileNotFoundError
        If ``COIL20.mat`` is not in the data home.

    See Also
    --------
    load_mnist : The MNIST digits, 28 x 28 images with a train/test split.

    References
    ----------
    .. [1] S. A. Nene, S. K. Nayar and H. Murase, "Columbia Object Image
       Library (COIL-20)", Technical Report CUCS-005-96, Columbia University,
       1996.
    .. [2] J. Li et al., "Feature selection: a data perspective", ACM Computing
       Surveys 50(6):94, 2018.

    Examples
    --------
    >>> from skhebb.datasets import load_coil20
    >>> load_coil20(subset="test", data_home="/nonexistent")
    Traceback (most recent call last):
        ...
    FileNotFoundError: COIL20.mat was not found in the data home /nonexistent. ...
    """
    if subset not in ("all", "train", "test"):
        raise ValueError(f"subset must be 'all', 'train' or 'test', got {subset!r}.")
    bunch = load_scikit_feature("COIL20", data_home=data_home)
    X, y = bunch.data, bunch.target
    side = COIL20_SIDE
    grouped = (
        not sp.issparse(X) and X.shape[1] == side * side and X.shape[0] % COIL20_VIEWS == 0
        and np.all(y.reshape(-1, COIL20_VIEWS) == y[::COIL20_VIEWS, None])
    )
    if not grouped:
        raise ValueError(
            f"{bunch.filename}: expected dense images of {side * side} pixels stored object by "
            f"object, {COIL20_VIEWS} views each; got a table of shape {X.shape}."
        )
    images = X.reshape(-1, side, side).transpose(0, 2, 1)  # MATLAB stores columns first
    view = np.tile(np.arange(COIL20_VIEWS), X.shape[0] // COIL20_VIEWS)
    test = view % COIL20_TEST_EVERY == COIL20_TEST_EVERY - 1
    keep = {"all": slice(None), "train": ~test, "test": test}[subset]
    images, y, view = np.ascontiguousarray(images[keep]), y[keep], view[keep]
    data = images.reshape(images.shape[0], side * side)
    if return_X_y:
        return data, y
    bunch.update(data=data, target=y, images=images, view=view)
    if subset != "all":
        bunch.DESCR += (
            f"\nSubset: {subset} ({data.shape[0]} images; every fourth view is a test view)."
        )
    return bunch
