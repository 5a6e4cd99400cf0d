"""The scikit-learn contract beyond ``check_estimator``: labels, weights, divergence, methods."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skhebb import (
    HebbianPCA,
    HebbSETClassifier,
    LateralInhibitionSelectors,
    SoftWTA,
    SupervisedHebbClassifier,
)


def _hebbset(**kw):
    params = {"hidden_layer_sizes": (16,), "max_iter": 5, "random_state": 0}
    return HebbSETClassifier(**{**params, **kw})


def _supervised(**kw):
    return SupervisedHebbClassifier(**{"rule": "delta", "random_state": 0, **kw})


CLASSIFIERS = {"HebbSETClassifier": _hebbset, "SupervisedHebbClassifier": _supervised}


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(n_samples=90, centers=3, cluster_std=0.5, random_state=0)
    X = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    return X, y


# ----------------------------------------------------------------- labels
@pytest.mark.parametrize("make", CLASSIFIERS.values(), ids=list(CLASSIFIERS))
def test_minus_one_is_a_class_by_default(make, blobs):
    X, y = blobs
    clf = make().fit(X, y - 1)
    np.testing.assert_array_equal(clf.classes_, [-1, 0, 1])
    assert clf.n_samples_seen_ == clf.n_iter_ * X.shape[0]
    # the same training as with labels 0, 1, 2
    ref = make().fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))


@pytest.mark.parametrize("make", CLASSIFIERS.values(), ids=list(CLASSIFIERS))
def test_minus_one_plus_one_binary_labels(make, blobs):
    X, y = blobs
    yb = np.where(y == 0, -1, 1)
    clf = make().fit(X, yb)
    np.testing.assert_array_equal(clf.classes_, [-1, 1])
    assert set(np.unique(clf.predict(X))) <= {-1, 1}
    # the same training as with labels 0 and 1
    ref = make().fit(X, (yb + 1) // 2)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))


@pytest.mark.parametrize("make", CLASSIFIERS.values(), ids=list(CLASSIFIERS))
def test_partial_fit_learns_minus_one_passed_in_classes(make, blobs):
    X, y = blobs
    clf = make().partial_fit(X, y - 1, classes=[-1, 0, 1])
    assert clf.n_samples_seen_ == X.shape[0]
    ref = make().partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X))


@pytest.mark.parametrize("make", CLASSIFIERS.values(), ids=list(CLASSIFIERS))
def test_unlabeled_rows_are_an_explicit_opt_in(make, blobs):
    X, y = blobs
    y_semi = y.copy()
    y_semi[::3] = -1
    semi = make(unlabeled_label=-1).fit(X, y_semi)
    labeled = make().fit(X[y_semi != -1], y[y_semi != -1])
    np.testing.assert_array_equal(semi.classes_, [0, 1, 2])
    assert semi.n_samples_seen_ == labeled.n_samples_seen_
    np.testing.assert_allclose(semi.predict_proba(X), labeled.predict_proba(X))
    # string labels with a string marker
    names = np.array(["a", "b", "c", "?"])[np.where(y_semi == -1, 3, y_semi)]
    semi_str = make(unlabeled_label="?").fit(X, names)
    np.testing.assert_array_equal(semi_str.classes_, ["a", "b", "c"])


@pytest.mark.parametrize("make", CLASSIFIERS.values(), ids=list(CLASSIFIERS))
def test_unlabeled_marker_errors(make, blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="at least 2 classes"):
        make(unlabeled_label=-1).fit(X, np.where(y == 0, 0, -1))
    with pytest.raises(ValueError, match="unlabeled_label"):
        make(unlabeled_label=-1).partial_fit(X, y, classes=[-1, 0, 1, 2])


# -------------------------------------------------------------- warm start
def test_warm_start_refit_with_other_classes_raises(blobs):
    X, y = blobs
    clf = _hebbset(warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same"):
        clf.fit(X, y + 10)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])  # unchanged


# ------------------------------------------------------------- divergence
DIVERGING = {
    "HebbSETClassifier": lambda: _hebbset(learning_rate_init=1e30),
    "SupervisedHebbClassifier": lambda: _supervised(rule="oja", learning_rate=1e30),
    "HebbianPCA": lambda: HebbianPCA(learning_rate=1e30, random_state=0),
    "SoftWTA": lambda: SoftWTA(n_components=4, learning_rate=1e30, random_state=0),
    "LateralInhibitionSelectors": lambda: LateralInhibitionSelectors(
        n_selectors=8, learning_rate=1e30, random_state=0
    ),
}


def _max_abs_state(est):
    values = []
    for name in est._state_names:
        value = getattr(est, name)
        for v in value if isinstance(value, list) else [value]:
            v = v.data if sp.issparse(v) else v
            if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size:
                values.append(np.abs(v).max())
    return max(values)


@pytest.mark.parametrize("name", list(DIVERGING))
def test_divergence_warns_at_the_callers_line_and_keeps_a_good_state(name, blobs):
    X, y = blobs
    est = DIVERGING[name]()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y)
    diverged = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(diverged) == 1
    assert diverged[0].filename == __file__
    assert "diverged" in str(diverged[0].message)
    assert _max_abs_state(est) < 1e6
    out = est.predict_proba(X) if hasattr(est, "predict_proba") else est.transform(X)
    assert np.isfinite(out).all()
    # partial_fit diverges the same way and also points at this file
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.partial_fit(X, y)
    assert [w.filename for w in caught if issubclass(w.category, ConvergenceWarning)] == [
        __file__
    ]


# ---------------------------------------------------------- large inputs
def test_soft_wta_handles_huge_inputs(blobs):
    X, _ = blobs
    small = SoftWTA(n_components=3, temperature=0, random_state=0).fit(X)
    huge = SoftWTA(n_components=3, temperature=0, random_state=0).fit(X * 1e160)
    R = huge.transform(X * 1e160)
    assert np.isfinite(R).all()
    np.testing.assert_allclose(R.sum(axis=1), 1.0)
    # hard winner-take-all is scale-equivariant: the same partition, scaled prototypes
    np.testing.assert_array_equal(huge.predict(X * 1e160), small.predict(X))
    np.testing.assert_allclose(huge.components_ / 1e160, small.components_, rtol=1e-6)


# ------------------------------------------------------------ new methods
@pytest.mark.parametrize("make", CLASSIFIERS.values(), ids=list(CLASSIFIERS))
def test_predict_log_proba(make, blobs):
    X, y = blobs
    clf = make().fit(X, y)
    log_proba = clf.predict_log_proba(X)
    assert np.isfinite(log_proba).all()
    np.testing.assert_allclose(np.exp(log_proba), clf.predict_proba(X), rtol=1e-5, atol=1e-12)


def test_hebbian_pca_score_is_negative_reconstruction_error(blobs):
    X, _ = blobs
    X = np.hstack([X, X @ np.array([[1.0], [0.5]])])
    hpca = HebbianPCA(n_components=2, random_state=0).fit(X)
    Xr = hpca.inverse_transform(hpca.transform(X))
    expected = -np.mean(np.sum((X - Xr) ** 2, axis=1))
    assert hpca.score(X) == pytest.approx(expected)
    # usable by GridSearchCV without a scoring argument, higher is better
    search = GridSearchCV(HebbianPCA(random_state=0), {"n_components": [1, 2]}, cv=3).fit(X)
    assert search.best_params_ == {"n_components": 2}


def test_soft_wta_score_predict_and_inverse_transform(blobs):
    X, _ = blobs
    wta = SoftWTA(n_components=3, random_state=0).fit(X)
    d2 = ((X[:, None, :] - wta.components_[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(wta.predict(X), d2.argmin(axis=1))
    assert wta.score(X) == pytest.approx(-d2.min(axis=1).sum())
    np.testing.assert_array_equal(clone(wta).fit_predict(X), wta.predict(X))
    R = wta.transform(X)
    np.testing.assert_allclose(wta.inverse_transform(R), R @ wta.components_)
    with pytest.raises(ValueError, match="expects 3"):
        wta.inverse_transform(R[:, :2])


def test_selectors_score_is_negative_reconstruction_error(blobs):
    X, _ = blobs
    sel = LateralInhibitionSelectors(n_selectors=4, random_state=0).fit(X)
    H = sel.transform(X)
    expected = -np.mean(np.sum((X - H @ sel.components_) ** 2, axis=1))
    assert sel.score(X) == pytest.approx(expected)


def test_hebbian_pca_inverse_transform_after_dataframe_fit_does_not_warn(blobs):
    X, _ = blobs
    df = pd.DataFrame(X, columns=["a", "b"])
    hpca = HebbianPCA(n_components=1, random_state=0).fit(df)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hpca.inverse_transform(hpca.transform(df))


# ---------------------------------------------------------------- weights
def test_soft_wta_integer_sample_weight_equals_repeated_rows(blobs):
    X, _ = blobs
    sw = np.random.RandomState(0).randint(0, 4, X.shape[0])
    init = X[[0, 40, 80]]
    params = dict(n_components=3, init=init, batch_size=1000, reassignment_ratio=0.0)
    weighted = SoftWTA(**params, random_state=0).fit(X, sample_weight=sw)
    repeated = SoftWTA(**params, random_state=0).fit(X.repeat(sw, axis=0))
    np.testing.assert_allclose(weighted.components_, repeated.components_, rtol=1e-10)


def test_supervised_class_weight_balanced(blobs):
    X, y = blobs
    keep = np.r_[np.flatnonzero(y == 0)[:5], np.flatnonzero(y != 0)]
    X, y = X[keep], y[keep]
    balanced = _supervised(class_weight="balanced").fit(X, y)
    weights = dict(zip(*np.unique(y, return_counts=True), strict=True))
    as_dict = {c: len(y) / (3 * n) for c, n in weights.items()}
    explicit = _supervised(class_weight=as_dict).fit(X, y)
    np.testing.assert_allclose(balanced.coef_, explicit.coef_)
    plain = _supervised().fit(X, y)
    assert not np.allclose(plain.coef_, balanced.coef_)
    # the rare class gets more recall when balanced
    assert (balanced.predict(X[y == 0]) == 0).mean() >= (plain.predict(X[y == 0]) == 0).mean()


def test_partial_fit_rejects_balanced_class_weight(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="balanced"):
        _supervised(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


# ------------------------------------------------------- degenerate sizes
def test_soft_wta_more_components_than_samples_raises(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match="n_samples=5 should be >= n_components=10"):
        SoftWTA(n_components=10).fit(X[:5])


@pytest.mark.parametrize("rule", ["threshold", "delta", "oja"])
def test_weighted_supervised_kernels_match_the_reference(rule):
    from skhebb._core import supervised
    from tests import _reference as ref

    rng = np.random.RandomState(0)
    H = rng.rand(12, 6)
    Y = np.eye(3)[rng.randint(0, 3, 12)]
    sw = rng.rand(12) * 3
    W = np.zeros((3, 6)) if rule == "threshold" else rng.rand(3, 6) * 0.1
    args = {
        "threshold": (0.05, 0.01, 0.25, 0.5, 0.9, True),
        "delta": (0.3, 0.8),
        "oja": (0.2,),
    }[rule]
    kernel = getattr(supervised, f"{rule}_rule_update")
    expected = getattr(ref, f"{rule}_rule_update")(W, H, Y, *args, sample_weight=sw)
    expected = expected[0] if rule == "delta" else expected
    got = W.copy()
    kernel(got, H, Y, *args, sw)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    # integer weights of a sequential rule: the same as presenting a sample once
    # with its step multiplied, never NaN
    assert np.isfinite(got).all()


def test_soft_wta_zero_weight_equals_leaving_the_row_out(blobs):
    X, _ = blobs
    sw = np.ones(X.shape[0])
    sw[::4] = 0
    a = SoftWTA(n_components=3, random_state=0).fit(X, sample_weight=sw)
    b = SoftWTA(n_components=3, random_state=0).fit(X[sw > 0])
    np.testing.assert_array_equal(a.components_, b.components_)


def test_failed_call_leaves_a_fitted_estimator_unchanged(blobs):
    import joblib

    X, y = blobs
    clf = _supervised().fit(X, y)
    before = joblib.hash(clf.__dict__)
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X, y + 7)
    assert joblib.hash(clf.__dict__) == before
