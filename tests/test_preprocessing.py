"""SampleMinMaxScaler: per-row [0, 1] scaling against a plain NumPy reference."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skhebb.preprocessing import SampleMinMaxScaler
from tests.conftest import rtol_for


def _reference(X, eps=1e-4):
    """The HebbSET reference code's scaling, one row at a time, in float64."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty_like(X)
    for i, x in enumerate(X):
        shifted = x - x.min()
        out[i] = shifted / (shifted.max() + eps)
    return out


def test_dense_matches_reference(dtype, seed):
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(20, 7)) * rng.uniform(0.1, 100, size=(20, 1))).astype(dtype)
    Xt = SampleMinMaxScaler().fit_transform(X)
    assert Xt.dtype == dtype
    assert_allclose(Xt, _reference(X), rtol=rtol_for(dtype), atol=1e-6)
    assert Xt.min() == 0.0
    assert Xt.max() < 1.0


def test_eps_and_constant_rows():
    X = np.array([[3.0, 3.0, 3.0], [0.0, 1.0, 2.0]])
    Xt = SampleMinMaxScaler(eps=0.5).fit_transform(X)
    assert_allclose(Xt, [[0, 0, 0], [0, 1 / 2.5, 2 / 2.5]])
    assert np.isfinite(Xt).all()


def test_stateless_rows_are_independent():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(10, 5))
    scaler = SampleMinMaxScaler().fit(X[:3])
    assert_allclose(scaler.transform(X)[4], scaler.transform(X[4:5])[0])
    # no fit needed (like Normalizer)
    assert_allclose(SampleMinMaxScaler().transform(X), _reference(X))


def test_csr_nonnegative_keeps_pattern(dtype, seed):
    rng = np.random.default_rng(seed)
    dense = rng.uniform(0, 5, size=(15, 9)) * (rng.uniform(size=(15, 9)) < 0.4)
    dense[3] = rng.uniform(1, 2, size=9)  # a row with no implicit zero: shifted by its min
    dense[5] = 0.0  # an empty row
    X = sp.csr_matrix(dense.astype(dtype))
    Xt = SampleMinMaxScaler().fit_transform(X)
    assert sp.issparse(Xt) and Xt.format == "csr"
    assert Xt.dtype == dtype
    assert_array_equal_pattern(X, Xt)
    assert_allclose(Xt.toarray(), _reference(dense), rtol=rtol_for(dtype), atol=1e-6)
    # the input is left alone by default
    assert_allclose(X.toarray(), dense.astype(dtype))


def assert_array_equal_pattern(A, B):
    np.testing.assert_array_equal(A.indptr, B.indptr)
    np.testing.assert_array_equal(A.indices, B.indices)


def test_csr_negative_with_implicit_zeros_is_refused():
    X = sp.csr_matrix(np.array([[-1.0, 0.0, 2.0], [1.0, 2.0, 3.0]]))
    with pytest.raises(ValueError, match="negative values and implicit zeros"):
        SampleMinMaxScaler().fit_transform(X)
    # a fully stored row with negative values is fine
    X = sp.csr_matrix(np.array([[-1.0, 0.5, 2.0]]))
    assert_allclose(SampleMinMaxScaler().fit_transform(X).toarray(), _reference(X.toarray()))


def test_copy_false_scales_in_place():
    X = np.array([[1.0, 2.0, 5.0]])
    out = SampleMinMaxScaler(copy=False).fit_transform(X)
    assert out is X or np.shares_memory(out, X)
    assert_allclose(X, _reference([[1.0, 2.0, 5.0]]))


def test_integer_input_becomes_float64():
    X = np.array([[0, 128, 255]], dtype=np.uint8)
    Xt = SampleMinMaxScaler().fit_transform(X)
    assert Xt.dtype == np.float64
    assert_allclose(Xt, _reference(X))


def test_matches_function_transformer_in_pipeline():
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(6, 4))
    ft = FunctionTransformer(_reference)
    assert_allclose(make_pipeline(SampleMinMaxScaler()).fit_transform(X), ft.fit_transform(X))


def test_set_output_pandas():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 2.0]})
    out = SampleMinMaxScaler().set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["a", "b"]
    assert_allclose(out.to_numpy(), _reference(X.to_numpy()))


@pytest.mark.parametrize("eps", [0, -1.0])
def test_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        SampleMinMaxScaler(eps=eps).fit(np.ones((2, 2)))


def test_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        SampleMinMaxScaler().fit_transform(np.array([[np.nan, 1.0]]))
    scaler = SampleMinMaxScaler().fit(np.ones((2, 3)))
    with pytest.raises(ValueError, match="features"):
        scaler.transform(np.ones((2, 4)))


def test_tox171_rows_in_unit_interval():
    from skhebb.datasets import load_tox171

    X, _ = load_tox171(return_X_y=True)
    Xt = SampleMinMaxScaler().fit_transform(X)
    assert_allclose(Xt.min(axis=1), 0.0)
    assert (Xt.max(axis=1) < 1).all() and (Xt.max(axis=1) > 0.999).all()
