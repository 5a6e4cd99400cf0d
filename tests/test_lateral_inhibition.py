"""LateralInhibitionSelectors on MNIST: live selectors, inhibition and entropy, Krotov's rule."""

import numpy as np
import pytest

from skhebb.competitive import LateralInhibitionSelectors
from tests._mnist import load_mnist


@pytest.fixture(scope="module")
def mnist(data_home):
    return load_mnist(data_home, "train", n=3000)[0]


def _entropy(H):
    P = H / np.maximum(H.sum(axis=1, keepdims=True), 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.nansum(np.where(P > 0, P * np.log(P), 0.0), axis=1).mean())


def test_no_dead_selectors_on_mnist(mnist):
    sel = LateralInhibitionSelectors(random_state=0).fit(mnist)
    H = sel.transform(mnist)
    wins = np.bincount(H.argmax(axis=1), minlength=sel.n_selectors)
    assert (wins > 0).all(), f"dead selectors: {np.flatnonzero(wins == 0)}"
    assert H.min() >= 0.0 and np.allclose(H.max(axis=1), 1.0)


def test_output_entropy_falls_as_inhibition_grows(mnist):
    entropies = []
    for lam in (1.0, 3.0, 10.0):
        sel = LateralInhibitionSelectors(
            n_selectors=32, inhibition=lam, max_iter=1, random_state=0
        ).fit(mnist)
        entropies.append(_entropy(sel.transform(mnist)))
    assert entropies[0] > entropies[1] > entropies[2]


def test_growth_factor_keeps_averages_balanced(mnist):
    sel = LateralInhibitionSelectors(n_selectors=16, max_iter=1, random_state=0).fit(mnist)
    a = sel.average_
    assert np.isfinite(a).all() and (a > 0).all()


def _krotov(max_iter):
    return LateralInhibitionSelectors(
        n_selectors=40, rule="krotov", inhibition=3.0, learning_rate=0.04,
        batch_size=100, max_iter=max_iter, schedule="linear", random_state=0,
    )


def test_krotov_rule_on_mnist(mnist):
    def distance_to_sphere(sel):
        norms = np.sum(np.abs(sel.components_) ** sel.p, axis=1) ** (1 / sel.p)
        return np.median(np.abs(norms - 1.0))

    short, long = _krotov(2).fit(mnist), _krotov(12).fit(mnist)
    # the rule drives the weights towards the unit p-norm sphere
    assert distance_to_sphere(long) < 0.5 * distance_to_sphere(short)
    H = long.transform(mnist)
    assert np.bincount(H.argmax(axis=1), minlength=40).min() > 0


def test_fit_equals_partial_fit_for_one_epoch(mnist):
    X = mnist[:500]
    a = LateralInhibitionSelectors(n_selectors=8, max_iter=1, random_state=0).fit(X)
    b = LateralInhibitionSelectors(n_selectors=8, random_state=0).partial_fit(X)
    np.testing.assert_array_equal(a.components_, b.components_)
