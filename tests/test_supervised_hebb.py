"""SupervisedHebbClassifier: learning, input formats, determinism, persistence, bad input."""

import gzip
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from skhebb.neural_network import SupervisedHebbClassifier
from tests import _reference as ref

RULES = ["threshold", "delta", "oja"]


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def _load_mnist(home, n_train, n_test):
    def read(name, offset):
        with gzip.open(home / "mnist" / name) as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

    Xtr = read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)[:n_train] / 255.0
    ytr = read("train-labels-idx1-ubyte.gz", 8)[:n_train]
    Xte = read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784)[:n_test] / 255.0
    yte = read("t10k-labels-idx1-ubyte.gz", 8)[:n_test]
    return Xtr, ytr, Xte, yte


# The threshold rule is checked in test_common.py; the other rules here. (Pooling
# needs square images, which the generic checks do not provide.)
@parametrize_with_checks(
    [SupervisedHebbClassifier(rule, max_iter=5, random_state=0) for rule in ("delta", "oja")],
    expected_failed_checks=lambda est: {
        "check_class_weight_classifiers": "the read-out has no intercept: on blobs spread "
        "around the origin no class weight makes one class win on both sides of it."
    }
    if est.rule == "delta"
    else {},
)
def test_sklearn_checks_other_rules(estimator, check):
    check(estimator)


# ------------------------------------------------------------------ learning
@pytest.mark.parametrize("rule", RULES)
def test_learns_digits_in_one_epoch(digits, rule):
    X, y = digits
    clf = SupervisedHebbClassifier(rule).fit(X[:1000], y[:1000])
    assert clf.n_iter_ == 1 and clf.n_samples_seen_ == 1000
    assert clf.score(X[1000:], y[1000:]) > 0.75  # chance is 0.1


def test_learns_mnist_subset_with_pooling(data_home):
    Xtr, ytr, Xte, yte = _load_mnist(data_home, 2000, 2000)
    # the author's protocol: the first 60 images of each digit, in file order
    first = np.sort(np.concatenate([np.flatnonzero(ytr == d)[:60] for d in range(10)]))
    Xtr, ytr = Xtr[first], ytr[first]
    for rule, bar in (("threshold", 0.6), ("oja", 0.6)):
        clf = SupervisedHebbClassifier(rule, hidden_pooling=196).fit(Xtr, ytr)
        assert clf.coef_.shape == (10, 196)
        assert clf.score(Xte, yte) > bar, rule  # chance is 0.1


def test_threshold_weights_excitatory_and_bounded(digits):
    X, y = digits
    clf = SupervisedHebbClassifier("threshold", learning_rate=0.5, max_iter=3).fit(X, y)
    assert clf.coef_.min() >= 0 and clf.coef_.max() <= 1
    # only synapses from inputs active with each class were created
    for k in range(10):
        never_active = ~np.any(X[y == k] >= clf.threshold, axis=0)
        assert np.all(clf.coef_[k, never_active] == 0)


def test_inhibitory_synapses(digits):
    X, y = digits
    clf = SupervisedHebbClassifier("threshold", inhibitory=True, ltd_rate=0.01).fit(X, y)
    assert clf.coef_.min() < 0 and clf.coef_.max() > 0 and np.abs(clf.coef_).max() <= 1
    W = ref.threshold_rule_update(
        np.zeros((10, 64)), X, np.eye(10)[y], 0.01, 0.01, 0.25, 0.5, 0.9, True
    )
    np.testing.assert_allclose(clf.coef_, W)


def test_pooling_layer_is_fixed_csr_and_defines_hidden_activity(digits):
    X, y = digits
    clf = SupervisedHebbClassifier("oja", hidden_pooling=16, connectivity=2).fit(X, y)
    P = clf.pooling_
    assert sp.issparse(P) and P.format == "csr" and P.shape == (64, 16)
    dense = ref.pooling_matrix(8, 4, 2) * clf.pooling_weight
    np.testing.assert_allclose(P.toarray(), dense)
    # the forced-output Oja rule alone, on the documented hidden activities
    H = ref.rectified_tanh(X @ dense, clf.beta, clf.bias)
    W = ref.oja_rule_update(np.zeros((10, 16)), H, np.eye(10)[y], clf.learning_rate)
    np.testing.assert_allclose(clf.coef_, W, rtol=1e-8, atol=1e-12)


def test_fit_matches_reference_and_readouts(digits):
    X, y = digits
    X, y = X[:300], y[:300]
    clf = SupervisedHebbClassifier("threshold", readout="cosine").fit(X, y)
    Y = np.eye(10)[y]
    W = ref.threshold_rule_update(np.zeros((10, 64)), X, Y, 0.01, 0.0005, 0.25, 0.5, 0.9, False)
    np.testing.assert_allclose(clf.coef_, W)
    cos = X @ (W / np.linalg.norm(W, axis=1, keepdims=True)).T
    np.testing.assert_allclose(clf.decision_function(X), cos)
    lin = clf.set_params(readout="linear").decision_function(X)
    np.testing.assert_allclose(lin, X @ W.T)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[np.argmax(lin, axis=1)])


# ------------------------------------------------------- online and formats
@pytest.mark.parametrize("rule", RULES)
def test_partial_fit_sample_by_sample_equals_fit(digits, rule):
    X, y = digits
    X, y = X[:150], y[:150]
    full = SupervisedHebbClassifier(rule, batch_size=64).fit(X, y)
    online = SupervisedHebbClassifier(rule)
    for i in range(X.shape[0]):
        online.partial_fit(X[i : i + 1], y[i : i + 1], classes=np.arange(10))
    np.testing.assert_allclose(online.coef_, full.coef_, rtol=1e-12, atol=1e-14)
    assert online.n_samples_seen_ == 150


@pytest.mark.parametrize("rule", RULES)
def test_dense_and_csr_give_the_same_model(digits, dtype, rule):
    X, y = digits
    X, y = X[:200].astype(dtype), y[:200]
    for pooling in (None, 16):
        a = SupervisedHebbClassifier(rule, hidden_pooling=pooling).fit(X, y)
        b = SupervisedHebbClassifier(rule, hidden_pooling=pooling).fit(sp.csr_matrix(X), y)
        assert a.coef_.dtype == dtype and b.coef_.dtype == dtype
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(a.predict(X), b.predict(sp.csr_matrix(X)))


def test_float32_close_to_float64(digits):
    X, y = digits
    a = SupervisedHebbClassifier("oja").fit(X[:300], y[:300])
    b = SupervisedHebbClassifier("oja").fit(X[:300].astype(np.float32), y[:300])
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-4, atol=1e-6)


def test_unlabeled_rows_are_ignored(digits):
    X, y = digits
    X, y = X[:200], y[:200]
    y_semi = y.copy()
    y_semi[::3] = -1
    semi = SupervisedHebbClassifier("delta", unlabeled_label=-1).fit(X, y_semi)
    labeled = SupervisedHebbClassifier("delta").fit(X[y_semi != -1], y[y_semi != -1])
    np.testing.assert_array_equal(semi.coef_, labeled.coef_)
    assert semi.n_samples_seen_ == np.sum(y_semi != -1)


def test_determinism_and_shuffle(digits):
    X, y = digits
    X, y = X[:300], y[:300]
    kw = dict(rule="delta", shuffle=True, max_iter=3)
    a = SupervisedHebbClassifier(**kw, random_state=7).fit(X, y)
    b = SupervisedHebbClassifier(**kw, random_state=7).fit(X, y)
    c = SupervisedHebbClassifier(**kw, random_state=8).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert not np.array_equal(a.coef_, c.coef_)
    assert len(a.loss_curve_) == 3 and all(np.isfinite(a.loss_curve_))


def test_pickle_round_trip(digits):
    X, y = digits
    clf = SupervisedHebbClassifier("threshold", hidden_pooling=16).fit(X[:300], y[:300])
    clone = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(clone.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(clone.pooling_.toarray(), clf.pooling_.toarray())


def test_divergence_warns_and_keeps_a_usable_model(digits):
    X, y = digits
    clf = SupervisedHebbClassifier("oja", learning_rate=100.0, max_iter=3)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        clf.fit(X, y)
    assert np.all(np.isfinite(clf.coef_)) and clf.n_iter_ == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert clf.predict(X[:5]).shape == (5,)


# ------------------------------------------------------------------ bad input
def test_pooling_needs_square_image_and_hidden_grid(digits):
    X, y = digits
    with pytest.raises(ValueError, match="n_features=63 is not a perfect square"):
        SupervisedHebbClassifier(hidden_pooling=16).fit(X[:, :63], y)
    with pytest.raises(ValueError, match="hidden_pooling=15 must be a perfect square"):
        SupervisedHebbClassifier(hidden_pooling=15).fit(X, y)
    with pytest.raises(ValueError, match="hidden_pooling=81 must be a perfect square no larger"):
        SupervisedHebbClassifier(hidden_pooling=81).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(rule="hebb"), "rule"),
        (dict(learning_rate=0.0), "learning_rate"),
        (dict(ltd_rate=-1.0), "ltd_rate"),
        (dict(threshold=0), "threshold"),
        (dict(creation_value=1.5), "creation_value"),
        (dict(reset_value=0), "reset_value"),
        (dict(beta=-1), "beta"),
        (dict(connectivity=0), "connectivity"),
        (dict(readout="max"), "readout"),
    ],
)
def test_bad_parameters(digits, params, match):
    X, y = digits
    with pytest.raises(ValueError, match=match):
        SupervisedHebbClassifier(**params).fit(X[:50], y[:50])


def test_bad_data(digits):
    X, y = digits
    X, y = X[:100].copy(), y[:100]
    clf = SupervisedHebbClassifier()
    X_nan = X.copy()
    X_nan[3, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(X_nan, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(X, np.zeros(100))
    clf.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :10])
    before = clf.coef_.copy()
    with pytest.raises(ValueError, match=r"not in classes_"):
        clf.partial_fit(X[:5], np.full(5, 11))
    np.testing.assert_array_equal(clf.coef_, before)  # bad input changed nothing
    with pytest.raises(ValueError, match="classes must be passed"):
        SupervisedHebbClassifier().partial_fit(X, y)
