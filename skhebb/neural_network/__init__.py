"""Sparse and Hebbian neural-network classifiers."""

import importlib

_EXPORTS = {
    "HebbSETClassifier": "skhebb.neural_network._hebbset",
    "SupervisedHebbClassifier": "skhebb.neural_network._supervised_hebb",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'skhebb.neural_network' has no attribute {name!r}")
