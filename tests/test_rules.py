"""The unsupervised rule kernels against their plain NumPy twins (tests/_reference.py)."""

import numpy as np
import pytest

from skhebb._core import _jit, rules
from skhebb._core.activations import ACTIVATIONS, ELEMENTWISE, apply_activation
from tests import _reference as ref
from tests.conftest import rtol_for


def _data(dtype, n=13, k=5, d=7, seed=0, positive=False):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(k, d)) * 0.5
    X = rng.normal(size=(n, d))
    if positive:
        X = np.abs(X)
    return W.astype(dtype), np.ascontiguousarray(X.astype(dtype))


def _close(actual, expected, dtype):
    np.testing.assert_allclose(actual, expected, rtol=rtol_for(dtype), atol=rtol_for(dtype))


@pytest.mark.parametrize("activation", ELEMENTWISE)
@pytest.mark.parametrize("normalize", [False, True])
def test_hpca_step_matches_reference(dtype, activation, normalize):
    W, X = _data(dtype)
    wins = np.zeros(W.shape[0], np.int64)
    args = (W, X, ACTIVATIONS[activation], 0.1, normalize, wins)
    expected, wins_ref, Y_ref = ref.hpca_step(*args)
    Y = rules.hpca_step(*args)
    assert W.dtype == dtype and Y.dtype == dtype
    _close(W, expected, dtype)
    _close(Y, Y_ref, dtype)
    np.testing.assert_array_equal(wins, wins_ref)


def test_sanger_finds_principal_directions():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 5)) * np.array([3.0, 2.0, 1.0, 0.5, 0.2])
    W = rng.normal(size=(2, 5)) * 0.1
    wins = np.zeros(2, np.int64)
    for _ in range(5):
        for s in range(0, 4000, 20):
            rules.hpca_step(W, X[s : s + 20], 0, 0.02, False, wins)
    np.testing.assert_allclose(np.abs(W), np.eye(5)[:2], atol=0.05)


@pytest.mark.parametrize("similarity", rules.SIMILARITIES)
@pytest.mark.parametrize("temperature", [0.0, 1e-12, 0.5, 3.0])
@pytest.mark.parametrize("normalize", [False, True])
def test_soft_wta_step_matches_reference(dtype, similarity, temperature, normalize):
    W, X = _data(dtype, seed=1)
    wins = np.zeros(W.shape[0], np.int64)
    args = (W, X, temperature, rules.SIMILARITIES.index(similarity), 0.3, normalize, wins)
    expected, wins_ref, R_ref = ref.soft_wta_step(*args)
    R = rules.soft_wta_step(*args)
    _close(W, expected, dtype)
    _close(R, R_ref, dtype)
    np.testing.assert_allclose(R.sum(axis=1), 1.0, rtol=rtol_for(dtype))
    np.testing.assert_array_equal(wins, wins_ref)


def test_soft_wta_tiny_temperature_is_hard_and_finite(dtype):
    W, X = _data(dtype, seed=2)
    X *= 1e3
    _, R = rules.soft_wta_responses(W, X, 1e-300, 0)
    _, R0 = rules.soft_wta_responses(W, X, 0.0, 0)
    assert np.isfinite(R).all()
    np.testing.assert_array_equal(R, R0)
    np.testing.assert_array_equal(R0.sum(axis=1), 1.0)


@pytest.mark.parametrize("temperature", [0.0, 0.7, 2.0])
@pytest.mark.parametrize("normalize", [False, True])
def test_softhebb_step_matches_reference(dtype, temperature, normalize):
    W, X = _data(dtype, seed=3)
    wins = np.zeros(W.shape[0], np.int64)
    args = (W, X, temperature, 0.2, normalize, wins)
    expected, wins_ref, Y_ref = ref.softhebb_step(*args)
    Y = rules.softhebb_step(*args)
    _close(W, expected, dtype)
    _close(Y, Y_ref, dtype)
    np.testing.assert_array_equal(wins, wins_ref)


@pytest.mark.parametrize("inhibition", [1.0, 2.5, 10.0, 200.0])
def test_inhibited_responses_match_reference(dtype, inhibition):
    W, X = _data(dtype, seed=4, positive=True)
    H = rules.inhibited_responses(W, X, inhibition)
    assert np.isfinite(H).all() and H.max() <= 1.0 and H.min() >= 0.0
    _close(H, ref.inhibited_responses(W, X, inhibition), dtype)


@pytest.mark.parametrize("inhibition", [1.0, 4.0, 15.0])
@pytest.mark.parametrize("epsilon", [0.0, 0.01, 0.5])
@pytest.mark.parametrize("normalize", [False, True])
def test_lateral_inhibition_step_matches_reference(dtype, inhibition, epsilon, normalize):
    W, X = _data(dtype, seed=5, positive=True)
    average = np.linspace(0.1, 1.0, W.shape[0])
    wins = np.zeros(W.shape[0], np.int64)
    args = (W, X, inhibition, 0.05, normalize, average, 0.9, epsilon, wins)
    expected, a_ref, wins_ref, H_ref = ref.lateral_inhibition_step(*args)
    H = rules.lateral_inhibition_step(*args)
    _close(W, expected, dtype)
    _close(H, H_ref, dtype)
    np.testing.assert_allclose(average, a_ref, rtol=1e-6)
    np.testing.assert_array_equal(wins, wins_ref)


def test_growth_factor_boosts_quiet_selectors():
    W = np.ones((3, 4))
    X = np.zeros((1, 4))  # no response: only the growth factor acts
    average = np.array([0.1, 1.0, 1.9])
    rules.lateral_inhibition_step(W, X, 2.0, 0.1, False, average, 1.0, 0.01, np.zeros(3, np.int64))
    assert W[0, 0] > 1.0 > W[2, 0]
    assert W[0, 0] <= 1.01 and W[2, 0] >= 0.99


@pytest.mark.parametrize("p", [2.0, 3.0])
@pytest.mark.parametrize("k", [2, 4])
@pytest.mark.parametrize("normalize", [False, True])
def test_krotov_step_matches_reference(dtype, p, k, normalize):
    W, X = _data(dtype, seed=6, k=6)
    wins = np.zeros(W.shape[0], np.int64)
    args = (W, X, p, k, 0.4, 0.05, normalize, wins)
    expected, wins_ref, current_ref = ref.krotov_step(*args)
    current = rules.krotov_step(*args)
    _close(W, expected, dtype)
    _close(current, current_ref, dtype)
    np.testing.assert_array_equal(wins, wins_ref)


@pytest.mark.parametrize("p", [2.0, 3.0, 4.5])
def test_krotov_steps_with_carried_power_match_reference(dtype, p):
    """Carried across steps, ``powered`` stays the power of W and the steps stay the twin's."""
    W, _ = _data(dtype, k=12, d=9, seed=9)
    W = (W / np.linalg.norm(W, ord=p, axis=1, keepdims=True)).astype(dtype)
    expected, wins_ref = W.astype(np.float64), np.zeros(12, np.int64)
    wins = np.zeros(12, np.int64)
    powered = rules.signed_power(W, p - 1.0)
    rng = np.random.default_rng(10)
    for step in range(15):
        X = np.ascontiguousarray(rng.random((8, 9)).astype(dtype))
        expected, wins_ref, _ = ref.krotov_step(expected, X, p, 3, 0.4, 0.02, step % 2 == 0,
                                                wins_ref)
        rules.krotov_step(W, X, p, 3, 0.4, 0.02, step % 2 == 0, wins, powered)
        np.testing.assert_array_equal(powered, rules.signed_power(W, p - 1.0))
    _close(W, expected, dtype)
    np.testing.assert_array_equal(wins, wins_ref)


def test_krotov_update_touches_only_ranked_rows():
    """Units that are neither first nor k-th for any sample keep their weights exactly."""
    W, X = _data(np.float64, n=3, k=30, d=7, seed=11)
    W0, wins = W.copy(), np.zeros(30, np.int64)
    current = rules.krotov_step(W, X, 3.0, 4, 0.4, 0.05, True, wins)
    order = np.argsort(-current, axis=1, kind="stable")
    touched = np.union1d(order[:, 0], order[:, 3])
    changed = np.flatnonzero((W != W0).any(axis=1))
    np.testing.assert_array_equal(changed, touched)


def test_signed_power_matches_numpy(dtype):
    W, _ = _data(dtype, seed=12)
    for q in (0.0, 1.0, 2.0, 3.5):
        expected = np.sign(W) * np.abs(W.astype(np.float64)) ** q
        if q == 0.0:
            expected = np.where(W >= 0, 1.0, -1.0)  # |w|^0 = 1 with the sign of w (0 counts +)
        _close(rules.signed_power(W, q), expected, dtype)


def test_normalized_update_has_unit_largest_step():
    W, X = _data(np.float64, seed=7)
    W0 = W.copy()
    rules.krotov_step(W, X, 3.0, 2, 0.4, 0.01, True, np.zeros(W.shape[0], np.int64))
    assert np.abs(W - W0).max() == pytest.approx(0.01)


@pytest.mark.parametrize("activation", ELEMENTWISE)
def test_apply_activation_matches_reference(dtype, activation):
    z = np.linspace(-50, 50, 62).astype(dtype).reshape(2, -1)
    expected = ref.apply_activation(z, ACTIVATIONS[activation])
    out = z.copy()
    apply_activation(out, ACTIVATIONS[activation])
    _close(out, expected, dtype)


def test_one_activation_registry():
    """One name, one code, for the rules and the sparse layers; softmax is not element-wise."""
    assert len(set(ACTIVATIONS.values())) == len(ACTIVATIONS)
    assert set(ELEMENTWISE) == set(ACTIVATIONS) - {"softmax"}
    assert not hasattr(rules, "ACTIVATIONS")


def test_count_wins_matches_reference():
    R = np.random.default_rng(0).integers(0, 3, (40, 5)).astype(np.float64)  # with ties
    wins = np.arange(5, dtype=np.int64)
    expected = ref.count_wins(R, wins)
    rules.count_wins(R, wins)
    np.testing.assert_array_equal(wins, expected)


@pytest.mark.parametrize("rule", ["sanger", "krotov"])
def test_parallel_twins_agree_for_any_thread_count(rule):
    """The parallel loops of the rules give the serial result, with one thread or all."""
    W, X = _data(np.float64, n=40, k=9, d=11, seed=8)
    if rule == "sanger":
        kernel = rules._subtract_lower_triangular
        args, outputs = (np.ones_like(W), np.abs(np.dot(W, W.T)), W), (0,)
    else:
        kernel = rules._rank_units
        current = np.round(X @ W.T, 1)  # with ties
        args, outputs = (current, 3, np.empty(40, np.int64), np.empty(40, np.int64)), (2, 3)
    results = []
    old = _jit.get_num_threads()
    for twin, threads in [("serial", 1), ("parallel", 1), ("parallel", old)]:
        fresh = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        _jit.set_num_threads(threads)
        try:
            getattr(kernel, twin)(*fresh)
        finally:
            _jit.set_num_threads(old)
        results.append([fresh[i] for i in outputs])
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(a, b)
