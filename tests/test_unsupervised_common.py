"""Behaviour shared by the three unsupervised transformers: input formats, dtypes,
pandas output, determinism, pickling, bad input and divergence."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

from skhebb import HebbianPCA, LateralInhibitionSelectors, SoftWTA

SMALL = {
    "HebbianPCA": lambda **kw: HebbianPCA(n_components=3, max_iter=3, **kw),
    "SoftWTA": lambda **kw: SoftWTA(n_components=4, max_iter=3, **kw),
    "LateralInhibitionSelectors": lambda **kw: LateralInhibitionSelectors(
        n_selectors=5, max_iter=3, **kw
    ),
    "LateralInhibitionSelectors-krotov": lambda **kw: LateralInhibitionSelectors(
        n_selectors=5, rule="krotov", k=2, max_iter=3, **kw
    ),
}
NAMES = list(SMALL)


@pytest.fixture(scope="module")
def digits():
    X, _ = load_digits(return_X_y=True)
    X = X[:300] / 16.0
    X[:, 0] = 0.0  # a constant (all-zero) column, as in real sparse data
    return X


@pytest.mark.parametrize("name", NAMES)
def test_dense_and_csr_give_the_same_model(name, digits, dtype):
    X = digits.astype(dtype)
    dense = SMALL[name](random_state=0).fit(X)
    sparse = SMALL[name](random_state=0).fit(sp.csr_matrix(X))
    assert dense.components_.dtype == dtype
    np.testing.assert_allclose(sparse.components_, dense.components_, rtol=1e-5, atol=1e-6)
    Xt_dense, Xt_sparse = dense.transform(X), dense.transform(sp.csr_matrix(X))
    assert Xt_dense.dtype == dtype and Xt_sparse.dtype == dtype
    np.testing.assert_allclose(Xt_sparse, Xt_dense, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_feature_names_and_pandas_output(name, digits):
    pd = pytest.importorskip("pandas")
    est = SMALL[name](random_state=0).set_output(transform="pandas")
    out = est.fit_transform(digits)
    assert isinstance(out, pd.DataFrame)
    names = est.get_feature_names_out()
    assert list(out.columns) == list(names)
    prefix = type(est).__name__.lower()
    assert names[0] == f"{prefix}0" and len(names) == out.shape[1]


@pytest.mark.parametrize("name", NAMES)
def test_same_random_state_same_result(name, digits):
    a = SMALL[name](random_state=3).fit(digits)
    b = SMALL[name](random_state=3).fit(digits)
    c = SMALL[name](random_state=4).fit(digits)
    np.testing.assert_array_equal(a.components_, b.components_)
    assert not np.array_equal(a.components_, c.components_)
    # partial_fit continues one random stream: two calls differ from a replay
    p = SMALL[name](random_state=3)
    p.partial_fit(digits).partial_fit(digits)
    q = SMALL[name](random_state=3)
    q.partial_fit(digits).partial_fit(digits)
    np.testing.assert_array_equal(p.components_, q.components_)
    assert p.n_iter_ == 2


@pytest.mark.parametrize("name", NAMES)
def test_pickle_round_trip(name, digits):
    est = SMALL[name](random_state=0).fit(digits)
    clone = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(clone.transform(digits), est.transform(digits))
    # the clone keeps learning exactly like the original
    est.partial_fit(digits)
    clone.partial_fit(digits)
    np.testing.assert_array_equal(clone.components_, est.components_)


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_is_rejected_and_changes_nothing(name, digits):
    est = SMALL[name](random_state=0).fit(digits)
    before = est.components_.copy()
    bad = digits.copy()
    bad[3, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        est.partial_fit(bad)
    with pytest.raises(ValueError, match="features"):
        est.partial_fit(digits[:, :10])
    with pytest.raises(ValueError, match="features"):
        est.transform(digits[:, :10])
    with pytest.raises(ValueError, match="infinity|inf"):
        est.transform(np.where(bad == bad, bad, np.inf))
    np.testing.assert_array_equal(est.components_, before)


@pytest.mark.parametrize(
    "est, param",
    [
        (HebbianPCA(n_components=0), "n_components"),
        (HebbianPCA(activation="cube"), "activation"),
        (HebbianPCA(learning_rate=-1.0), "learning_rate"),
        (SoftWTA(temperature=-0.5), "temperature"),
        (SoftWTA(rule="kmeans"), "rule"),
        (SoftWTA(reassignment_ratio=2.0), "reassignment_ratio"),
        (LateralInhibitionSelectors(inhibition=0.5), "inhibition"),
        (LateralInhibitionSelectors(gamma=1.0), "gamma"),
        (LateralInhibitionSelectors(k=1), "k"),
        (LateralInhibitionSelectors(batch_size=0), "batch_size"),
    ],
)
def test_bad_hyperparameters(est, param, digits):
    with pytest.raises(InvalidParameterError, match=param):
        est.fit(digits)


def test_hyperparameters_that_depend_on_the_data(digits):
    with pytest.raises(ValueError, match="n_components=65 must be at most"):
        HebbianPCA(n_components=65).fit(digits)
    with pytest.raises(ValueError, match="k=7 must be at most n_selectors=5"):
        LateralInhibitionSelectors(n_selectors=5, rule="krotov").fit(digits)


DIVERGING = {
    "HebbianPCA": {},
    # the plain soft-WTA step is a convex combination for learning_rate <= 1 and
    # stays bounded far beyond; SoftHebb's Oja-like decay term can blow up
    "SoftWTA": {"rule": "softhebb"},
    "LateralInhibitionSelectors": {"normalize_updates": False},
    "LateralInhibitionSelectors-krotov": {"normalize_updates": False},
}


@pytest.mark.parametrize("name", NAMES)
def test_divergence_warns_and_keeps_finite_weights(name, digits):
    est = SMALL[name](random_state=0, learning_rate=1e30, **DIVERGING[name])
    X = (digits * 1e3).astype(np.float32)  # float32 overflows sooner
    with pytest.warns(ConvergenceWarning, match="diverged"):
        est.fit(X)
    assert np.isfinite(est.components_).all()
    assert np.isfinite(est.transform(X)).all()
    assert est.n_iter_ < est.max_iter


def test_soft_wta_huge_learning_rate_stays_finite(digits):
    est = SoftWTA(n_components=4, learning_rate=1e30, max_iter=2, random_state=0)
    est.fit(digits * 1e3)
    assert np.isfinite(est.components_).all()
