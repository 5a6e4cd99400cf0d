"""Erdős–Rényi initialisation and SET evolution: invariants (hypothesis) and exact choices."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from skhebb._core.topology import (
    er_probability,
    erdos_renyi,
    evolve,
    prune_mask,
    sample_distinct,
)
from tests import _reference as ref


def _check_csr(indptr, indices, n_in, n_out):
    assert indptr.dtype == np.int32 and indices.dtype == np.int32
    assert indptr[0] == 0 and indptr[-1] == len(indices) and len(indptr) == n_in + 1
    assert np.all(np.diff(indptr) >= 0)
    if len(indices):
        assert indices.min() >= 0 and indices.max() < n_out
    for i in range(n_in):
        row = indices[indptr[i] : indptr[i + 1]]
        assert np.all(np.diff(row) > 0), "row not sorted or has duplicates"


def test_er_probability_is_capped():
    assert er_probability(784, 1000, 20) == pytest.approx(20 * 1784 / 784000)
    assert er_probability(10, 5, 20) == 1.0


def test_erdos_renyi_density_and_weights(seed):
    gen = np.random.default_rng(seed)
    p = er_probability(400, 300, 10)
    indptr, indices, data = erdos_renyi(gen, 400, 300, p, np.empty(0, np.float64), 0.1)
    _check_csr(indptr, indices, 400, 300)
    expected = p * 400 * 300
    assert abs(len(indices) - expected) < 5 * np.sqrt(expected)
    assert abs(data.std() - 0.1) < 0.01 and abs(data.mean()) < 0.01


def test_erdos_renyi_dense_when_p_is_one():
    indptr, indices, _ = erdos_renyi(
        np.random.default_rng(0), 7, 5, 1.0, np.empty(0, np.float32), 0.1
    )
    np.testing.assert_array_equal(indices, np.tile(np.arange(5), 7))


@given(n=st.integers(1, 10**10), frac=st.floats(0, 1), seed=st.integers(0, 2**31))
def test_sample_distinct(n, frac, seed):
    k = min(int(frac * min(n, 5000)), n)
    out = sample_distinct(np.random.default_rng(seed), n, k)
    assert len(out) == k
    assert np.all(np.diff(out) > 0)
    if k:
        assert out[0] >= 0 and out[-1] < n


@given(
    n_in=st.integers(1, 40),
    n_out=st.integers(1, 40),
    p=st.floats(0.05, 1.0),
    zeta=st.floats(0.0, 0.9),
    signed=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_evolution_invariants(n_in, n_out, p, zeta, signed, seed):
    gen = np.random.default_rng(seed)
    indptr, indices, data = erdos_renyi(gen, n_in, n_out, p, np.empty(0, np.float64), 0.1)
    vel = gen.normal(size=(2, len(data)))  # two rows of optimiser state (Adam's moments)
    remove = prune_mask(data, zeta, signed)
    if not signed:
        assert remove.sum() == int(zeta * len(data))
        if remove.any() and (~remove).any():  # removed ones are the smallest |w|
            assert np.abs(data[remove]).max() <= np.abs(data[~remove]).min()
    new = evolve(gen, indptr, indices, data, vel, remove, n_out, True, 0.1)
    ip2, ix2, d2, v2, kept = new
    assert kept == len(data) - remove.sum()
    assert len(ix2) == len(indices)  # nnz constant
    _check_csr(ip2, ix2, n_in, n_out)
    # survivors keep weight and optimiser state; new connections start with zero state
    old = {
        (i, j): (data[q], vel[:, q], remove[q])
        for i in range(n_in)
        for q, j in zip(
            range(indptr[i], indptr[i + 1]), indices[indptr[i] : indptr[i + 1]], strict=True
        )
    }
    n_new = 0
    for i in range(n_in):
        for q in range(ip2[i], ip2[i + 1]):
            key = (i, ix2[q])
            if key in old and not old[key][2]:
                assert d2[q] == old[key][0]
                np.testing.assert_array_equal(v2[:, q], old[key][1])
            else:
                np.testing.assert_array_equal(v2[:, q], 0)
                n_new += 1
    assert n_new == remove.sum()
    # last epoch of fit: prune only
    ip3, ix3, _, _, _ = evolve(gen, indptr, indices, data, vel, remove, n_out, False, 0.1)
    assert len(ix3) == len(indices) - remove.sum()
    _check_csr(ip3, ix3, n_in, n_out)


def test_regrow_fills_a_nearly_dense_layer(seed):
    """With one free slot per row left after pruning, regrowth must find them all."""
    gen = np.random.default_rng(seed)
    n_in, n_out = 50, 30
    indptr, indices, data = erdos_renyi(gen, n_in, n_out, 1.0, np.empty(0, np.float64), 0.1)
    remove = prune_mask(data, 0.3, False)
    ip2, ix2, _, _, _ = evolve(
        gen, indptr, indices, data, np.zeros((1, len(data))), remove, n_out, True, 0.1
    )
    np.testing.assert_array_equal(ix2, indices)  # the layer is full again
    _check_csr(ip2, ix2, n_in, n_out)


@pytest.mark.parametrize("signed", [False, True])
def test_prune_mask_matches_reference(seed, signed):
    data = np.random.default_rng(seed).normal(size=200)
    data[::17] = np.round(data[::17], 1)  # ties
    data[5] = 0.0
    np.testing.assert_array_equal(
        prune_mask(data, 0.3, signed), ref.prune_mask(data, 0.3, signed)
    )


def test_prune_signed_removes_zeta_of_each_sign(seed):
    data = np.random.default_rng(seed).normal(size=300)
    remove = prune_mask(data, 0.3, True)
    neg, pos = data[data < 0], data[data > 0]
    assert remove[data < 0].sum() == int(0.3 * len(neg))
    assert remove[data > 0].sum() == int(0.3 * len(pos))
    assert data[remove & (data < 0)].min() > data[~remove & (data < 0)].max()
    assert data[remove & (data > 0)].max() < data[~remove & (data > 0)].min()


def test_regrowth_is_uniform_over_free_slots():
    """Every absent connection is equally likely to be added (chi-square on a small layer)."""
    gen = np.random.default_rng(0)
    n_in, n_out = 4, 5
    indptr = np.array([0, 4, 4, 6, 7], np.int32)  # rows with 1, 5, 3, 4 free slots
    indices = np.array([0, 1, 2, 3, 0, 4, 2], np.int32)
    data = np.array([5.0, 5, 5, 0.01, 5, 5, 5])
    remove = prune_mask(data, 0.15, False)  # removes the 0.01 only
    counts = np.zeros((n_in, n_out))
    for _ in range(4000):
        ip2, ix2, _, _, _ = evolve(
            gen, indptr, indices, data, np.zeros((0, 7)), remove, n_out, True, 0.1
        )
        rows = np.repeat(np.arange(n_in), np.diff(ip2))
        M = np.zeros((n_in, n_out), bool)
        M[rows, ix2] = True
        counts += M
    free = np.ones((n_in, n_out), bool)
    free[np.repeat(np.arange(n_in), np.diff(indptr)), indices] = False
    free[0, 3] = True  # the pruned slot is free again
    got = counts[free]
    expected = 4000 / free.sum()
    chi2 = ((got - expected) ** 2 / expected).sum()
    assert chi2 < 40  # 13 free slots, 12 dof: p < 1e-4 beyond 40
    assert np.all(counts[~free] == 4000)


def test_sample_distinct_bitmap_and_set_agree(seed):
    """The two membership structures of Floyd's algorithm give the same draws."""
    from skhebb._core import topology

    n, k = 5000, 1200
    out_bits = np.empty(k, np.int64)
    out_set = np.empty(k, np.int64)
    topology._floyd_bitmap(np.random.default_rng(seed), n, k, out_bits)
    topology._floyd_set(np.random.default_rng(seed), n, k, out_set)
    np.testing.assert_array_equal(out_bits, np.sort(out_set))  # the bitmap reads back in order
    assert len(np.unique(out_bits)) == k


@pytest.mark.parametrize("kind", ["normal", "ties", "zeros"])
def test_kth_smallest_matches_sort(seed, kind):
    """The histogram selection behind magnitude pruning returns the k-th smallest value."""
    from skhebb._core.topology import _kth_smallest

    rng = np.random.default_rng(seed)
    if kind == "normal":
        v = np.abs(rng.normal(size=5000)).astype(np.float32)
    elif kind == "ties":  # few distinct values: whole bins of equal values
        v = rng.integers(0, 4, 3000).astype(np.float64) * 0.25
    else:  # many exact zeros, one large outlier: nearly everything in the first bin
        v = np.where(rng.random(4000) < 0.6, 0.0, rng.random(4000) * 1e-3)
        v[7] = 1e3
    s = np.sort(v)
    for k in (1, 2, len(v) // 3, len(v) // 2, len(v) - 1, len(v)):
        assert _kth_smallest(v, k) == s[k - 1]


def test_evolution_does_not_depend_on_thread_count(seed):
    """The rows are rebuilt in parallel after all random draws: one thread gives the same layer."""
    from skhebb._core import _jit

    gen = np.random.default_rng(seed)
    indptr, indices, data = erdos_renyi(gen, 400, 300, 0.4, np.empty(0, np.float32), 0.1)
    # large enough for the parallel rebuild
    assert len(data) >= _jit.PARALLEL_MIN_WORK["connections"]
    remove = prune_mask(data, 0.3, False)
    results = []
    for threads in (1, _jit.get_num_threads()):
        old = _jit.get_num_threads()
        _jit.set_num_threads(threads)
        try:
            out = evolve(
                np.random.default_rng(seed + 1),
                indptr,
                indices,
                data,
                np.ones((2, len(data)), data.dtype),
                remove,
                300,
                True,
                0.1,
            )
        finally:
            _jit.set_num_threads(old)
        results.append(out)
    for a, b in zip(results[0][:4], results[1][:4], strict=True):
        np.testing.assert_array_equal(a, b)
    assert results[0][4] == results[1][4]
    _check_csr(results[0][0], results[0][1], 400, 300)
    assert len(results[0][1]) == len(indices)  # as many regrown as pruned


def test_zero_weight_scale_regrows_zero_weights_with_the_same_stream(seed):
    """``weight_scale=0``: new connections start at 0; the topology is the one of any scale."""
    gen = np.random.default_rng(seed)
    indptr, indices, data = erdos_renyi(gen, 30, 20, 0.3, np.empty(0, np.float64), 0.1)
    remove = prune_mask(data, 0.3, False)
    state = np.zeros((1, len(data)))
    a = evolve(np.random.default_rng(1), indptr, indices, data, state, remove, 20, True, 0.0)
    b = evolve(np.random.default_rng(1), indptr, indices, data, state, remove, 20, True, 0.1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    new = a[2] != b[2]
    assert new.sum() == remove.sum() and np.all(a[2][new] == 0)
