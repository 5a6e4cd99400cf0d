"""HebbianPCA against scikit-learn's PCA."""

import numpy as np
import pytest
from scipy.linalg import subspace_angles
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

from skhebb.decomposition import HebbianPCA


@pytest.fixture(scope="module")
def digits():
    return load_digits(return_X_y=True)[0]


@pytest.fixture(scope="module")
def pca10(digits):
    return PCA(n_components=10).fit(digits)


def _unit(W):
    return W / np.linalg.norm(W, axis=1, keepdims=True)


def test_identity_activation_finds_pca_subspace_in_order(digits, pca10, seed):
    hpca = HebbianPCA(n_components=10, random_state=seed).fit(digits)
    angles = np.degrees(subspace_angles(hpca.components_.T, pca10.components_.T))
    assert angles.max() < 10.0
    # each learned component is closest to the PCA component of the same index
    overlap = np.abs(_unit(hpca.components_) @ pca10.components_.T)
    np.testing.assert_array_equal(overlap.argmax(axis=1), np.arange(10))
    # Sanger's rule normalises the components
    np.testing.assert_allclose(np.linalg.norm(hpca.components_, axis=1), 1.0, atol=0.05)
    np.testing.assert_allclose(hpca.explained_variance_, pca10.explained_variance_, rtol=0.1)
    np.testing.assert_allclose(hpca.mean_, digits.mean(axis=0), rtol=1e-10, atol=1e-10)


def test_transform_and_inverse_transform_match_pca(digits, pca10):
    hpca = HebbianPCA(n_components=10, random_state=0).fit(digits)
    Y = hpca.transform(digits)
    np.testing.assert_allclose(Y, (digits - hpca.mean_) @ hpca.components_.T, rtol=1e-10)
    err = ((hpca.inverse_transform(Y) - digits) ** 2).sum(axis=1).mean()
    err_pca = ((pca10.inverse_transform(pca10.transform(digits)) - digits) ** 2).sum(1).mean()
    assert err < 1.02 * err_pca


def test_partial_fit_stream_learns_the_subspace(digits, pca10):
    rng = np.random.RandomState(0)
    hpca = HebbianPCA(n_components=5, random_state=0)
    for _ in range(15):
        for chunk in np.array_split(digits[rng.permutation(len(digits))], 6):
            hpca.partial_fit(chunk)
    np.testing.assert_allclose(hpca.mean_, digits.mean(axis=0), rtol=1e-8, atol=1e-8)
    angles = np.degrees(subspace_angles(hpca.components_.T, pca10.components_[:5].T))
    assert angles.max() < 15.0
    assert hpca.n_samples_seen_ == 15 * len(digits)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "softplus"])
def test_nonlinear_activations_transform(digits, activation):
    hpca = HebbianPCA(n_components=4, activation=activation, max_iter=5, random_state=0)
    Y = hpca.fit_transform(digits / 16.0)
    assert np.isfinite(hpca.components_).all()
    if activation in ("relu", "softplus", "sigmoid"):
        assert Y.min() >= 0.0
    if activation in ("tanh", "sigmoid"):
        assert np.abs(Y).max() <= 1.0
    with pytest.raises(ValueError, match="activation='identity'"):
        hpca.inverse_transform(Y)


def test_tol_stops_early(digits):
    hpca = HebbianPCA(n_components=2, tol=0.5, max_iter=30, random_state=0).fit(digits)
    assert hpca.n_iter_ < 30


def test_inverse_transform_checks_width(digits):
    hpca = HebbianPCA(n_components=3, max_iter=2, random_state=0).fit(digits)
    with pytest.raises(ValueError, match="expects 3"):
        hpca.inverse_transform(np.zeros((2, 4)))
