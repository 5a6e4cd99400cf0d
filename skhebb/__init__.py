"""skhebb: scikit-learn compatible Hebbian-learning estimators on a sparse Numba core.

Transformers
    :class:`HebbianPCA`, :class:`SoftWTA`, :class:`LateralInhibitionSelectors`
Classifiers
    :class:`HebbSETClassifier`, :class:`SupervisedHebbClassifier`
"""

from importlib.metadata import PackageNotFoundError, version

from skhebb.competitive import LateralInhibitionSelectors, SoftWTA
from skhebb.decomposition import HebbianPCA
from skhebb.neural_network import HebbSETClassifier, SupervisedHebbClassifier

try:
    __version__ = version("skhebb")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "HebbianPCA",
    "SoftWTA",
    "LateralInhibitionSelectors",
    "HebbSETClassifier",
    "SupervisedHebbClassifier",
    "__version__",
]
