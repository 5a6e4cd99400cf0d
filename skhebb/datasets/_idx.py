"""Loaders for MNIST-style image sets stored as IDX files.

MNIST, Fashion-MNIST and Kuzushiji-MNIST (KMNIST) are distributed as four IDX
files with the same names (``train-images-idx3-ubyte``,
``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
``t10k-labels-idx1-ubyte``), gzip-compressed (``.gz``) or raw. The loaders read
them from a folder of the data home: ``mnist/``, ``fashion-mnist/``,
``kmnist/``.
"""

import gzip
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from skhebb.datasets._base import _find, get_data_home, shared_docs

__all__ = ["load_fashion_mnist", "load_kmnist", "load_mnist"]

# IDX type codes (third byte of the magic number) -> big-endian numpy dtype.
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

_SETS = {
    "mnist": dict(
        title="MNIST handwritten digits",
        folder="mnist",
        classes=[str(d) for d in range(10)],
        origin=(
            "the MNIST database of Y. LeCun, C. Cortes and C. J. C. Burges "
            "(http://yann.lecun.com/exdb/mnist/; LeCun et al., Proc. IEEE 86(11):2278, 1998)"
        ),
    ),
    "fashion-mnist": dict(
        title="Fashion-MNIST article images",
        folder="fashion-mnist",
        classes=[
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ],
        origin=(
            "the Fashion-MNIST repository of Zalando Research "
            "(https://github.com/zalandoresearch/fashion-mnist; Xiao, Rasul and Vollgraf, "
            "arXiv:1708.07747, 2017)"
        ),
    ),
    "kmnist": dict(
        title="Kuzushiji-MNIST (KMNIST) cursive Japanese characters",
        folder="kmnist",
        classes=["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
        origin=(
            "the KMNIST repository of ROIS-DS CODH (https://github.com/rois-codh/kmnist; "
            "Clanuwat et al., arXiv:1812.01718, 2018)"
        ),
    ),
}


def read_idx(path):
    """Read one IDX file (raw or gzip-compressed) into a NumPy array.

    Parameters
    ----------
    path : str or path-like
        The file. A name ending in ``.gz`` is decompressed.

    Returns
    -------
    array : ndarray
        The array with the shape stored in the header, in native byte order
        (``uint8`` for MNIST images and labels).

    Raises
    ------
    ValueError
        If the file is not a valid IDX file (bad magic number, unknown type,
        size that does not match the header).
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise ValueError(f"{path} cannot be read as an IDX file: {exc}") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number {raw[:4]!r}).")
    dtype = _IDX_DTYPES[raw[2]]
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise ValueError(f"{path} is not an IDX file (truncated header).")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    count = int(np.prod(shape))
    if len(raw) - header != count * dtype.itemsize:
        raise ValueError(
            f"{path}: the header announces shape {shape} ({count * dtype.itemsize} bytes of "
            f"data) but the file holds {len(raw) - header} bytes after the header."
        )
    array = np.frombuffer(raw, dtype=dtype, count=count, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def _read_pair(folder, subset, key):
    spec = _SETS[key]
    arrays = []
    for stem in _FILES[subset]:
        path = _find(folder, (stem + ".gz", stem))
        if path is None:
            names = ", ".join(f"{s}.gz" for pair in _FILES.values() for s in pair)
            raise FileNotFoundError(
                f"{spec['title']}: {stem}.gz (or {stem}) was not found in {folder}. skhebb "
                f"never downloads data: put the four IDX files ({names}; gzip-compressed or "
                f"not) in that folder, or pass data_home= / set the SKHEBB_DATA environment "
                f"variable to the folder that holds '{spec['folder']}/'. The files come from "
                f"{spec['origin']}."
            )
        arrays.append(read_idx(path))
    images, labels = arrays
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{folder}: images of shape {images.shape} do not match labels of shape "
            f"{labels.shape} (expected (n, rows, cols) and (n,))."
        )
    return images, labels


def _load(key, subset, data_home, return_X_y):
    if subset not in ("train", "test", "all"):
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}.")
    spec = _SETS[key]
    folder = Path(get_data_home(data_home)) / spec["folder"]
    parts = ["train", "test"] if subset == "all" else [subset]
    pairs = [_read_pair(folder, part, key) for part in parts]
    images = np.concatenate([p[0] for p in pairs]) if len(pairs) > 1 else pairs[0][0]
    target = np.concatenate([p[1] for p in pairs]) if len(pairs) > 1 else pairs[0][1]
    target = target.astype(np.int64)
    n, rows, cols = images.shape
    data = images.reshape(n, rows * cols)
    if return_X_y:
        return data, target
    sizes = ", ".join(f"{part}: {p[0].shape[0]}" for part, p in zip(parts, pairs, strict=True))
    descr = (
        f"{spec['title']}\n\n{n} images of {rows} x {cols} pixels ({sizes}), uint8 grey "
        f"levels 0..255 (flattened row by row in `data`), 10 classes 0..9.\n"
        f"Read from {folder}.\n\nSource: {spec['origin']}."
    )
    return Bunch(
        data=data,
        target=target,
        images=images,
        feature_names=np.array([f"pixel_{r}_{c}" for r in range(rows) for c in range(cols)]),
        target_names=np.array(spec["classes"]),
        DESCR=descr,
        filename=str(folder),
        name=key,
    )


_DOC = """Load {title} from the data home's ``{folder}/`` folder.

    Reads the four IDX files of the original distribution
    (``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
    ``t10k-images-idx3-ubyte.gz``, ``t10k-labels-idx1-ubyte.gz``; the ``.gz``
    suffix is optional) from ``<data_home>/{folder}/``.

    Parameters
    ----------
    subset : {{"train", "test", "all"}}, default="train"
        Which images to load: the training images, the test images, or both
        (training images first).
    data_home : str or path-like, default=None
        The data home; see :func:`get_data_home`.
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, 784), uint8
            Grey levels 0..255, each image flattened row by row. Scale them
            before learning (e.g. with :class:`skhebb.preprocessing.SampleMinMaxScaler`).
        target : ndarray of shape (n_samples,), int64
            The labels 0..9.
        images : ndarray of shape (n_samples, 28, 28), uint8
            The same pixels as images.
        feature_names : ndarray of str
            ``pixel_<row>_<col>``.
        target_names : ndarray of str
            Names of the 10 classes.
        DESCR : str
            Description and source.
        filename : str
            The folder read.
    %(X_y_returns)s

    Raises
    ------
    FileNotFoundError
        If a file is missing; the message says where to put it and where it
        comes from.

    See Also
    --------
    load_mnist, load_fashion_mnist, load_kmnist : The three IDX image sets.

    References
    ----------
    .. [1] {origin}.
    """


def load_mnist(*, subset="train", data_home=None, return_X_y=False):
    return _load("mnist", subset, data_home, return_X_y)


def load_fashion_mnist(*, subset="train", data_home=None, return_X_y=False):
    return _load("fashion-mnist", subset, data_home, return_X_y)


def load_kmnist(*, subset="train", data_home=None, return_X_y=False):
    return _load("kmnist", subset, data_home, return_X_y)


for _func, _key in ((load_mnist, "mnist"), (load_fashion_mnist, "fashion-mnist"),
                    (load_kmnist, "kmnist")):
    _func.__doc__ = _DOC.format(**_SETS[_key])
    shared_docs(_func)
