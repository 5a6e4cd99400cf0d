"""Data loaders: scikit-feature tables (gene expression, COIL-20) and MNIST-style IDX image sets.

skhebb never downloads data. Loaders read the files of the original
distributions from a data home (:func:`get_data_home`: an argument, the
``SKHEBB_DATA`` environment variable, or ``~/skhebb_data``) and say where to
put a missing file and where it comes from. One Lung-like table, TOX-171, is
bundled with the package so that :func:`load_tox171` works with no data home.
"""

from skhebb.datasets._base import get_data_home
from skhebb.datasets._idx import load_fashion_mnist, load_kmnist, load_mnist, read_idx
from skhebb.datasets._scikit_feature import (
    load_coil20,
    load_lung,
    load_prostate_ge,
    load_scikit_feature,
    load_tox171,
)

__all__ = [
    "get_data_home",
    "load_scikit_feature",
    "load_lung",
    "load_tox171",
    "load_prostate_ge",
    "load_coil20",
    "load_mnist",
    "load_fashion_mnist",
    "load_kmnist",
    "read_idx",
]
