"""Hebbian decomposition: nonlinear Hebbian PCA."""

import importlib

_EXPORTS = {"HebbianPCA": "skhebb.decomposition._hebbian_pca"}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'skhebb.decomposition' has no attribute {name!r}")
