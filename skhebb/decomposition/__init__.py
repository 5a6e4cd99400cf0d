"""Hebbian decomposition: nonlinear Hebbian PCA."""

from skhebb.decomposition._hebbian_pca import HebbianPCA

__all__ = ["HebbianPCA"]
