"""skhebb: scikit-learn compatible Hebbian-learning estimators on a sparse Numba core.

Transformers
    :class:`HebbianPCA`, :class:`SoftWTA`, :class:`LateralInhibitionSelectors`
Classifiers
    :class:`HebbSETClassifier`, :class:`SupervisedHebbClassifier`
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skhebb")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

_EXPORTS = {
    "HebbianPCA": "skhebb.decomposition",
    "SoftWTA": "skhebb.competitive",
    "LateralInhibitionSelectors": "skhebb.competitive",
    "HebbSETClassifier": "skhebb.neural_network",
    "SupervisedHebbClassifier": "skhebb.neural_network",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'skhebb' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
