"""Data loaders: scikit-feature tables (gene expression, COIL-20) and MNIST-style IDX image sets.

skhebb never downloads data. Loaders read the files of the original
distributions from a data home (:func:`get_data_home`: an argument, the
``SKHEBB_DATA`` environment variable, or ``~/skhebb_data``) and say where to
put a missing file and where it comes from. One Lung-like table, TOX-171, is
bundled with the package so that :func:`load_tox171` works with no data home.
"""

import importlib

_EXPORTS = {
    "get_data_home": "skhebb.datasets._base",
    "load_scikit_feature": "skhebb.datasets._scikit_feature",
    "load_lung": "skhebb.datasets._scikit_feature",
    "load_tox171": "skhebb.datasets._scikit_feature",
    "load_prostate_ge": "skhebb.datasets._scikit_feature",
    "load_coil20": "skhebb.datasets._scikit_feature",
    "load_mnist": "skhebb.datasets._idx",
    "load_fashion_mnist": "skhebb.datasets._idx",
    "load_kmnist": "skhebb.datasets._idx",
    "read_idx": "skhebb.datasets._idx",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'skhebb.datasets' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
