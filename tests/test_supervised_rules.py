"""Kernels of the supervised rules against plain NumPy, and the threshold rule's properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skhebb._core.supervised import (
    delta_rule_update,
    oja_rule_update,
    pooling_connectivity,
    rectified_tanh,
    threshold_rule_update,
)
from tests import _reference as ref
from tests.conftest import rtol_for

THR = dict(eta_ltp=0.05, eta_ltd=0.02, theta=0.25, creation=0.5, reset=0.9, inhibitory=False)


def _one_hot(rng, n, k, dtype):
    Y = np.zeros((n, k), dtype=dtype)
    Y[np.arange(n), rng.integers(0, k, n)] = 1
    return Y


def _inputs(rng, n, d, dtype, silent=0.4):
    H = rng.random((n, d))
    H[rng.random((n, d)) < silent] = 0.0
    return H.astype(dtype)


def _thr(W, H, Y, **kw):
    p = {**THR, **kw}
    threshold_rule_update(
        W, H, Y, p["eta_ltp"], p["eta_ltd"], p["theta"], p["creation"], p["reset"], p["inhibitory"]
    )


# ---------------------------------------------------------------- references
@pytest.mark.parametrize("inhibitory", [False, True])
@pytest.mark.parametrize("soft_target", [False, True])
def test_threshold_matches_reference(dtype, seed, soft_target, inhibitory):
    rng = np.random.default_rng(seed)
    n, d, k = 30, 17, 4
    W = rng.uniform(-1, 1, (k, d)).astype(dtype)
    W[rng.random((k, d)) < 0.3] = 0.0
    H = _inputs(rng, n, d, dtype)
    Y = rng.random((n, k)).astype(dtype) if soft_target else _one_hot(rng, n, k, dtype)
    expected = ref.threshold_rule_update(W, H, Y, **{**THR, "inhibitory": inhibitory})
    _thr(W, H, Y, inhibitory=inhibitory)
    np.testing.assert_allclose(W, expected, rtol=rtol_for(dtype), atol=rtol_for(dtype))
    assert W.dtype == dtype


def test_delta_matches_reference(dtype, seed):
    rng = np.random.default_rng(seed)
    n, d, k = 25, 13, 3
    W = rng.normal(0, 0.3, (k, d)).astype(dtype)
    H = _inputs(rng, n, d, dtype)
    Y = _one_hot(rng, n, k, dtype)
    expected, expected_loss = ref.delta_rule_update(W, H, Y, 0.3, 0.8)
    loss = delta_rule_update(W, H, Y, 0.3, 0.8)
    tol = rtol_for(dtype)
    np.testing.assert_allclose(W, expected, rtol=tol * 10, atol=tol * 10)
    np.testing.assert_allclose(loss, expected_loss, rtol=tol * 10)
    assert np.abs(W).max() <= 0.8 * (1 + tol)


def test_oja_matches_reference(dtype, seed):
    rng = np.random.default_rng(seed)
    n, d, k = 25, 13, 3
    W = rng.normal(0, 0.3, (k, d)).astype(dtype)
    H = _inputs(rng, n, d, dtype)
    Y = rng.random((n, k)).astype(dtype)
    expected = ref.oja_rule_update(W, H, Y, 0.1)
    oja_rule_update(W, H, Y, 0.1)
    np.testing.assert_allclose(W, expected, rtol=rtol_for(dtype), atol=rtol_for(dtype))


def test_oja_forced_output_moves_target_row_towards_class_mean():
    rng = np.random.default_rng(0)
    H = rng.random((400, 6))
    Y = np.zeros((400, 2))
    Y[:, 1] = 1.0
    W = np.zeros((2, 6))
    oja_rule_update(W, H, Y, 0.01)
    np.testing.assert_array_equal(W[0], 0.0)
    np.testing.assert_allclose(W[1], H[-200:].mean(axis=0), atol=0.08)


def test_rectified_tanh_matches_reference(dtype):
    Z = np.random.default_rng(0).normal(0, 3, (7, 9)).astype(dtype)
    expected = ref.rectified_tanh(Z, 0.5, 0.95)
    rectified_tanh(Z, 0.5, 0.95)
    np.testing.assert_allclose(Z, expected, rtol=rtol_for(dtype), atol=rtol_for(dtype))
    assert Z.min() >= 0 and Z.max() < 1


@pytest.mark.parametrize(
    "side_in, side_out, connectivity", [(28, 14, 1), (28, 7, 1), (28, 14, 2), (10, 3, 1), (5, 5, 3)]
)
def test_pooling_connectivity_matches_reference(side_in, side_out, connectivity):
    indptr, indices = pooling_connectivity(side_in, side_out, connectivity)
    assert indptr.dtype == np.int32 and indices.dtype == np.int32
    dense = np.zeros((side_in**2, side_out**2))
    for i in range(side_in**2):
        row = indices[indptr[i] : indptr[i + 1]]
        assert np.all(np.diff(row) > 0), "indices sorted and unique within a row"
        dense[i, row] = 1.0
    expected_indptr, expected_indices = ref.pooling_connectivity(side_in, side_out, connectivity)
    np.testing.assert_array_equal(indptr, expected_indptr)
    np.testing.assert_array_equal(indices, expected_indices)


def test_pooling_connectivity_one_is_non_overlapping_blocks():
    indptr, indices = pooling_connectivity(28, 14, 1)
    assert np.all(np.diff(indptr) == 1)  # every input feeds exactly one hidden unit
    assert np.all(np.bincount(indices, minlength=196) == 4)  # 2 x 2 pools


# ------------------------------------------------------------ rule properties
@pytest.mark.parametrize("kernel", ["threshold", "delta"])
def test_silent_presynaptic_neuron_changes_nothing(dtype, kernel):
    rng = np.random.default_rng(1)
    W = rng.uniform(-1, 1, (3, 8)).astype(dtype)
    H = rng.random((5, 8)).astype(dtype)
    H[:, [2, 5]] = 0.0
    Y = _one_hot(rng, 5, 3, dtype)
    before = W.copy()
    if kernel == "threshold":
        _thr(W, H, Y)
    else:  # max_norm large enough that no row is rescaled
        delta_rule_update(W, H, Y, 0.1, 100.0)
    np.testing.assert_array_equal(W[:, [2, 5]], before[:, [2, 5]])
    assert not np.array_equal(W, before)


def test_potentiation_when_pre_and_post_active():
    W = np.array([[0.3, 0.0]])
    H = np.array([[0.8, 0.8]])
    Y = np.array([[1.0]])
    _thr(W, H, Y)
    assert W[0, 0] == pytest.approx(0.3 + THR["eta_ltp"] * 0.8)
    assert W[0, 1] == THR["creation"]  # a new synapse is created at the creation value


def test_no_potentiation_below_threshold():
    W = np.array([[0.3, 0.0]])
    H = np.array([[0.2, 0.2]])  # x * y = 0.2 < theta
    _thr(W, H, np.array([[1.0]]))
    assert W[0, 0] == pytest.approx(0.3 - THR["eta_ltd"] * 0.2)
    assert W[0, 1] == 0.0


def test_depression_when_pre_active_and_post_silent():
    W = np.array([[0.3, -0.3, 0.0]])
    H = np.array([[0.5, 0.5, 0.5]])
    _thr(W, H, np.array([[0.0]]))
    assert W[0, 0] == pytest.approx(0.3 - THR["eta_ltd"] * 0.5)
    assert W[0, 1] == pytest.approx(-0.3 - THR["eta_ltd"] * 0.5)
    assert W[0, 2] == 0.0  # an absent synapse stays absent
    W = np.array([[0.3, 0.0]])
    _thr(W, np.array([[0.5, 0.5]]), np.array([[0.0]]), inhibitory=True)
    assert W[0, 1] == pytest.approx(-THR["eta_ltd"] * 0.5)  # ... or becomes inhibitory


def test_depression_stops_at_zero_and_reset_above_one():
    W = np.array([[0.001, 0.99, -0.99]])
    H = np.array([[1.0, 1.0, 1.0]])
    _thr(W, H, np.array([[0.0]]), eta_ltd=0.05)
    assert W[0, 0] == 0.0  # would cross zero: clamped, never negative
    assert W[0, 2] == -THR["reset"]  # left [-1, 1]: reset
    W = np.array([[0.99]])
    _thr(W, np.array([[1.0]]), np.array([[1.0]]))
    assert W[0, 0] == THR["reset"]


@given(
    W=arrays(np.float64, (3, 6), elements=st.floats(-1, 1)),
    H=arrays(np.float64, (4, 6), elements=st.floats(0, 1)),
    Y=arrays(np.float64, (4, 3), elements=st.floats(0, 1)),
    eta_ltp=st.floats(0, 2),
    eta_ltd=st.floats(0, 2),
    theta=st.floats(0.01, 1),
    inhibitory=st.booleans(),
)
def test_threshold_rule_keeps_sign_and_bounds(W, H, Y, eta_ltp, eta_ltd, theta, inhibitory):
    start = W.copy()
    for s in range(H.shape[0]):  # no single update takes a weight across zero
        before = W.copy()
        threshold_rule_update(
            W, H[s : s + 1], Y[s : s + 1], eta_ltp, eta_ltd, theta, 0.5, 0.9, inhibitory
        )
        assert np.all(np.abs(W) <= 1.0)
        assert not np.any((before > 0) & (W < 0))
        assert not np.any((before < 0) & (W > 0))
    # silent pre-synaptic neurons (in every sample) leave their column alone
    silent = ~np.any(H > 0, axis=0)
    np.testing.assert_array_equal(W[:, silent], start[:, silent])
    expected = ref.threshold_rule_update(start, H, Y, eta_ltp, eta_ltd, theta, 0.5, 0.9, inhibitory)
    np.testing.assert_allclose(W, expected)


@given(
    H=arrays(np.float64, (12, 5), elements=st.floats(0, 1)),
    labels=arrays(np.int64, 12, elements=st.integers(0, 2)),
    eta_ltp=st.floats(0, 2),
    eta_ltd=st.floats(0, 2),
)
def test_threshold_rule_from_zero_stays_excitatory(H, labels, eta_ltp, eta_ltd):
    # weights start at 0 and synapses are created at a positive value: all stay in [0, 1]
    W = np.zeros((3, 5))
    Y = np.eye(3)[labels]
    threshold_rule_update(W, H, Y, eta_ltp, eta_ltd, 0.25, 0.5, 0.9, False)
    assert np.all((W >= 0) & (W <= 1))


@pytest.mark.parametrize("kernel", ["threshold", "delta", "oja"])
def test_online_result_does_not_depend_on_batching(kernel):
    rng = np.random.default_rng(3)
    H = _inputs(rng, 40, 9, np.float64)
    Y = _one_hot(rng, 40, 3, np.float64)
    run = {
        "threshold": lambda W, h, y: _thr(W, h, y),
        "delta": lambda W, h, y: delta_rule_update(W, h, y, 0.2, 1.0),
        "oja": lambda W, h, y: oja_rule_update(W, h, y, 0.2),
    }[kernel]
    whole, parts = np.zeros((3, 9)), np.zeros((3, 9))
    run(whole, H, Y)
    for start in range(0, 40, 7):
        run(parts, H[start : start + 7], Y[start : start + 7])
    np.testing.assert_allclose(parts, whole, rtol=1e-12, atol=1e-14)
