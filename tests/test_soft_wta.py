"""SoftWTA: blob centres, k-means-like inertia, dead units, SoftHebb."""

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import load_digits, make_blobs

from skhebb.competitive import SoftWTA


def _inertia(C, X):
    d2 = ((X[:, None, :] - C[None]) ** 2).sum(axis=-1)
    return d2.min(axis=1).sum(), np.bincount(d2.argmin(axis=1), minlength=len(C))


@pytest.mark.parametrize("temperature", [0.0, 0.05])
def test_low_temperature_lands_on_blob_centres(seed, temperature):
    X, _, centres = make_blobs(
        n_samples=800, centers=5, cluster_std=0.6, random_state=seed, return_centers=True
    )
    wta = SoftWTA(n_components=5, temperature=temperature, random_state=seed).fit(X)
    dist = np.linalg.norm(wta.components_[:, None] - centres[None], axis=-1)
    rows, cols = linear_sum_assignment(dist)
    # within a few standard errors of the sample mean of each blob (std 0.6, ~160 points)
    assert dist[rows, cols].max() < 0.25


def test_digits_inertia_close_to_minibatch_kmeans(seed):
    X = load_digits(return_X_y=True)[0]
    wta = SoftWTA(n_components=10, random_state=seed).fit(X)
    inertia, counts = _inertia(wta.components_, X)
    km = MiniBatchKMeans(n_clusters=10, random_state=seed, n_init=3).fit(X)
    assert inertia < 1.10 * km.inertia_
    assert counts.min() > 0  # no dead units


def test_dead_unit_is_reassigned():
    X, _ = make_blobs(n_samples=400, centers=3, cluster_std=0.5, random_state=0)
    wta = SoftWTA(n_components=4, temperature=0.0, max_iter=1, random_state=0)
    wta.partial_fit(X[:50])
    wta.components_[0] = 1e3  # far from every sample: it never wins
    for _ in range(5):
        wta.partial_fit(X)
    assert wta.n_reassigned_ > 0
    assert _inertia(wta.components_, X)[1].min() > 0
    # without the remedy the unit stays dead
    off = SoftWTA(n_components=4, temperature=0.0, reassignment_ratio=0.0, random_state=0)
    off.partial_fit(X[:50])
    off.components_[0] = 1e3
    for _ in range(5):
        off.partial_fit(X)
    assert off.n_reassigned_ == 0 and _inertia(off.components_, X)[1][0] == 0


def test_transform_outputs():
    X, _ = make_blobs(n_samples=200, centers=3, random_state=1)
    wta = SoftWTA(n_components=3, temperature=1.0, max_iter=3, random_state=0).fit(X)
    R = wta.transform(X)
    np.testing.assert_allclose(R.sum(axis=1), 1.0)
    S = wta.set_params(output="responses").transform(X)
    expected = X @ wta.components_.T - 0.5 * (wta.components_**2).sum(axis=1)
    np.testing.assert_allclose(S, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(S.argmax(axis=1), R.argmax(axis=1))
    hard = wta.set_params(output="assignments", temperature=0.0).transform(X)
    assert set(np.unique(hard)) <= {0.0, 1.0}


def test_softhebb_learns_unit_norm_weights():
    X = load_digits(return_X_y=True)[0] / 16.0
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    sh = SoftWTA(
        n_components=8, rule="softhebb", temperature=0.05, learning_rate=0.5, random_state=0
    ).fit(X)
    norms = np.linalg.norm(sh.components_, axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=0.05)
    assert _inertia(sh.components_, X)[1].min() > 0
