"""The registry of the data sets that skhebb's experiments and the ``skhebb`` command run on.

One entry per data set: its loader, its kind, the experiments that accept it
and, where a paper trained a network on it, that network and batch size.
The experiments, their argument checks, the command's ``--dataset`` choices
and the documentation all read this table, so a new data set is one entry
here (and its loader).

Kinds:

``"table"``
    One ``(X, y)`` table (``loader(data_home=..., return_X_y=True)``); the
    experiments draw their own seeded train/test split.
``"images"``
    A training and a test set of images
    (``loader(subset="train" | "test", data_home=..., return_X_y=True)``),
    pixels scaled to [0, 1] by ``1 / pixel_max``.
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["DATASETS", "Dataset", "dataset_names", "get_dataset", "load_split", "load_table"]

#: Experiments that read the registry (the names of their ``experiments`` entries).
EXPERIMENTS = ("hebbset", "selectors", "sample_efficiency", "low_shot", "tabular")


@dataclass(frozen=True)
class Dataset:
    """One data set: how to load it, and which experiments run on it."""

    #: Name used by the experiments and the command (``--dataset``).
    name: str
    #: ``"table"`` or ``"images"`` (see the module docstring).
    kind: str
    #: Name of the loader function in :mod:`skhebb.datasets`.
    loader: str
    #: Experiments that accept the data set (names from :data:`EXPERIMENTS`).
    experiments: tuple
    #: Fixed keyword arguments of the loader (e.g. which subset of an image set).
    loader_kwargs: dict = field(default_factory=dict)
    #: Images: the largest pixel value (255 for grey levels, 1 for [0, 1] images).
    pixel_max: float = 1.0
    #: The HebbSET paper's hidden layers and batch size for this workload.
    hidden: tuple | None = None
    batch_size: int | None = None
    #: Rows drawn per seed before the split (the paper's MNIST-2400 subset).
    n_rows: int | None = None
    #: Name of the data set in the HebbSET paper's tables ("Lung", "MNIST").
    published: str | None = None
    #: Whether a copy ships with skhebb (it then loads with no data home).
    bundled: bool = False


_LUNG_LIKE = dict(
    kind="table", experiments=("hebbset", "sample_efficiency", "tabular"),
    hidden=(2000, 2000, 2000),
    batch_size=30, published="Lung",
)
_DIGITS = dict(kind="images", experiments=("selectors", "sample_efficiency", "low_shot"),
               pixel_max=255.0)

#: The registry: name -> :class:`Dataset`.
DATASETS = {
    d.name: d
    for d in (
        Dataset("tox171", loader="load_tox171", bundled=True, **_LUNG_LIKE),
        Dataset("prostate_ge", loader="load_prostate_ge", **_LUNG_LIKE),
        Dataset("lung", loader="load_lung", **_LUNG_LIKE),
        Dataset(
            "mnist2400", kind="table", loader="load_mnist", loader_kwargs={"subset": "train"},
            experiments=("hebbset",), hidden=(1000, 1000, 1000), batch_size=200, n_rows=2400,
            published="MNIST",
        ),
        Dataset("mnist", loader="load_mnist", **_DIGITS),
        Dataset("fashion_mnist", loader="load_fashion_mnist", **_DIGITS),
        Dataset("coil20", kind="images", loader="load_coil20",
                experiments=("selectors", "sample_efficiency")),
    )
}


def dataset_names(experiment=None):
    """Names of the registered data sets, in registry order; those of ``experiment`` if given."""
    if experiment is not None and experiment not in EXPERIMENTS:
        raise ValueError(f"experiment must be one of {list(EXPERIMENTS)}, got {experiment!r}.")
    return [
        name for name, d in DATASETS.items() if experiment is None or experiment in d.experiments
    ]


def get_dataset(name, experiment=None):
    """The :class:`Dataset` called ``name``; a ValueError naming the choices if unknown.

    With ``experiment``, the data set must also be one that experiment accepts.
    """
    choices = dataset_names(experiment)
    if name not in choices:
        raise ValueError(f"dataset must be one of {sorted(choices)}, got {name!r}.")
    return DATASETS[name]


def _loader(spec):
    from skhebb import datasets

    return getattr(datasets, spec.loader)


def load_table(name, *, data_home=None):
    """``(X, y)`` of a ``"table"`` data set, as stored (before any subset or scaling)."""
    spec = DATASETS[name]
    if spec.kind != "table":
        raise ValueError(f"{name!r} is an image set with a train/test split, not one table.")
    return _loader(spec)(data_home=data_home, return_X_y=True, **spec.loader_kwargs)


def load_split(name, *, data_home=None, dtype=np.float32):
    """``(X_train, y_train, X_test, y_test)`` of an ``"images"`` data set, pixels in [0, 1]."""
    spec = DATASETS[name]
    if spec.kind != "images":
        raise ValueError(f"{name!r} is one table, not an image set with a train/test split.")
    loader = _loader(spec)
    X_train, y_train = loader(subset="train", data_home=data_home, return_X_y=True)
    X_test, y_test = loader(subset="test", data_home=data_home, return_X_y=True)
    scale = np.asarray(1.0 / spec.pixel_max, dtype=dtype)
    return (
        np.asarray(X_train, dtype=dtype) * scale,
        np.asarray(y_train),
        np.asarray(X_test, dtype=dtype) * scale,
        np.asarray(y_test),
    )
