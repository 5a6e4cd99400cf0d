"""LateralInhibitionSelectors: live selectors on MNIST, inhibition, entropy, the rule registry."""

import inspect
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from skhebb.competitive import LateralInhibitionSelectors
from skhebb.competitive._selector_rules import SELECTOR_RULES
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


# ---------------------------------------------------------------- rule registry
def test_documented_rules_are_the_registry():
    docscrape = pytest.importorskip("numpydoc.docscrape")
    doc = docscrape.NumpyDocString(inspect.getdoc(LateralInhibitionSelectors))
    (entry,) = [p for p in doc["Parameters"] if p.name == "rule"]
    documented = set(re.findall(r'"([^"]+)"', entry.type.split("}")[0]))
    assert documented == set(SELECTOR_RULES)


def test_unknown_rule_is_refused():
    X = np.random.RandomState(0).rand(20, 5)
    with pytest.raises(InvalidParameterError, match="'rule' parameter"):
        LateralInhibitionSelectors(n_selectors=3, rule="oja").fit(X)


@pytest.mark.parametrize("name", sorted(SELECTOR_RULES))
def test_rule_entry_drives_the_estimator(name):
    rule = SELECTOR_RULES[name]
    X = np.random.RandomState(0).rand(60, 9)
    sel = LateralInhibitionSelectors(n_selectors=4, k=2, rule=name, max_iter=1, random_state=0)
    sel.fit(X)
    assert sel._normalize is rule.normalize_updates
    # a reassigned selector points at its sample, scaled to the median live size
    p = rule.norm_order(sel)
    live = np.linalg.norm(sel.components_[1:], ord=p, axis=1)
    sel._reassign(np.array([0]), X[:1])
    got = sel.components_[0]
    np.testing.assert_allclose(np.linalg.norm(got, ord=p), np.median(live), rtol=1e-12)
    np.testing.assert_allclose(got / np.linalg.norm(got), X[0] / np.linalg.norm(X[0]))
    # the entry's kernel is the update: one step of it equals one partial_fit batch
    ref = LateralInhibitionSelectors(
        n_selectors=4, k=2, rule=name, batch_size=60, shuffle=False, reassignment_ratio=0,
        random_state=1,
    )
    est = clone(ref).partial_fit(X[:1])  # initialised, one sample seen
    W = est.components_.copy()
    ref = clone(ref).partial_fit(X[:1])
    rule.step(ref, W, X, ref.learning_rate, ref._normalize, np.zeros(4, np.int64))
    est.partial_fit(X)
    np.testing.assert_array_equal(est.components_, W)


def test_krotov_rank_is_checked():
    X = np.random.RandomState(0).rand(20, 5)
    with pytest.raises(ValueError, match="k=7 must be at most n_selectors=3 for rule 'krotov'"):
        LateralInhibitionSelectors(n_selectors=3, rule="krotov").fit(X)


def test_initial_selectors_follow_the_rule():
    sanger = LateralInhibitionSelectors(n_selectors=50, rule="sanger", random_state=0)
    krotov = LateralInhibitionSelectors(n_selectors=50, rule="krotov", p=3.0, random_state=0)
    W_s = sanger._init_units(400, np.float64, np.random.RandomState(0))
    W_k = krotov._init_units(400, np.float64, np.random.RandomState(0))
    assert np.std(W_s) == pytest.approx(1 / np.sqrt(400), rel=0.05)  # N(0, 1/n_features)
    np.testing.assert_allclose(np.sum(np.abs(W_k) ** 3, axis=1) ** (1 / 3), 1.0)


# ------------------------------------------------- rule "krotov": the carried power
def test_krotov_fit_equals_reference_steps():
    """Over epochs and reassignments the estimator's steps are the reference twin's."""
    from tests import _reference as ref

    X = np.random.RandomState(0).rand(120, 10)
    sel = LateralInhibitionSelectors(
        n_selectors=15, rule="krotov", k=3, batch_size=20, max_iter=3, shuffle=False,
        reassignment_ratio=0, learning_rate=0.05, random_state=0,
    )
    W = sel._init_units(10, np.float64, np.random.RandomState(0))
    sel.fit(X)
    wins = np.zeros(15, np.int64)
    for _ in range(3):
        for start in range(0, 120, 20):
            W, wins, _ = ref.krotov_step(W, X[start : start + 20], 3.0, 3, 0.4, 0.05, True, wins)
    np.testing.assert_allclose(sel.components_, W, rtol=1e-10, atol=1e-12)


def test_krotov_power_follows_edits_between_calls():
    """components_ edited in place between partial_fit calls is what the next call learns on."""
    from skhebb._core.rules import signed_power

    X = np.random.RandomState(1).rand(200, 8)
    sel = LateralInhibitionSelectors(n_selectors=12, rule="krotov", k=2, batch_size=20,
                                     reassignment_ratio=0.5, random_state=0)
    sel.partial_fit(X)
    sel.components_ *= 0.5  # in place: the same array object
    sel.partial_fit(X[:20])  # one batch: most rows untouched by it
    np.testing.assert_array_equal(sel._krotov_powered[2], signed_power(sel.components_, 2.0))
    assert sel.n_reassigned_ > 0  # reassignments happened along the way
    # the carried power is derived state: not pickled
    import pickle

    again = pickle.loads(pickle.dumps(sel))
    assert not hasattr(again, "_krotov_powered") and hasattr(sel, "_krotov_powered")
    np.testing.assert_array_equal(again.components_, sel.components_)
