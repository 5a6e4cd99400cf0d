r"""Topology of sparse layers: Erdős–Rényi initialisation and SET evolution.

A layer is CSR over its inputs (``indptr``, ``indices`` int32, ``data``),
each row sorted and free of duplicates. Sampling never uses a rejection loop:
distinct columns are drawn with Floyd's algorithm over the *free* positions of
a row (ranks), and ranks are mapped to free column indices by a merge with the
row's stored columns, so a nearly dense layer costs no more than a sparse one.

Randomness enters as a :class:`numpy.random.Generator` argument.
"""

import numpy as np
from numba import prange

from skhebb._core._jit import jit, parallel_twins

__all__ = [
    "er_probability",
    "erdos_renyi",
    "prune_mask",
    "sample_distinct",
    "evolve",
]


def er_probability(n_in, n_out, epsilon):
    r"""Connection probability of an Erdős–Rényi layer, capped at 1.

    :math:`p = \varepsilon (n_{in} + n_{out}) / (n_{in} n_{out})`.

    Parameters
    ----------
    n_in, n_out : int
        Layer shape.
    epsilon : float
        Sparsity level :math:`\varepsilon > 0`.

    Returns
    -------
    p : float
    """
    return min(1.0, epsilon * (n_in + n_out) / (n_in * n_out))


@jit
def _sample_ranks(rng, n_free, k, mark, out):
    """Floyd's algorithm: ``k`` distinct integers in ``[0, n_free)``, sorted, into ``out[:k]``.

    ``mark`` is a boolean scratch of length >= n_free, all False on entry and on exit.
    """
    c = 0
    for t in range(n_free - k, n_free):
        r = rng.integers(0, t + 1)
        if mark[r]:
            r = t
        mark[r] = True
        out[c] = r
        c += 1
    for q in range(k):
        mark[out[q]] = False
    out[:k].sort()


@jit
def erdos_renyi(rng, n_in, n_out, p, dtype_probe, weight_scale):
    r"""Random sparse layer: each connection exists with probability ``p``.

    Row ``i`` gets :math:`\mathrm{Binomial}(n_{out}, p)` distinct columns, drawn without
    rejection; weights :math:`\mathcal N(0, 1) \cdot` ``weight_scale``.

    Parameters
    ----------
    rng : numpy.random.Generator
    n_in, n_out : int
        Layer shape.
    p : float
        Connection probability in [0, 1].
    dtype_probe : ndarray of length 0
        Its dtype (float32 or float64) is the dtype of ``data``.
    weight_scale : float
        Standard deviation of the initial weights (the reference uses 0.1).

    Returns
    -------
    indptr : ndarray of shape (n_in + 1,), int32
    indices : ndarray of shape (nnz,), int32
        Sorted within each row.
    data : ndarray of shape (nnz,)
    """
    counts = np.empty(n_in, dtype=np.int64)
    for i in range(n_in):
        counts[i] = rng.binomial(n_out, p)
    indptr = np.zeros(n_in + 1, dtype=np.int32)
    for i in range(n_in):
        indptr[i + 1] = indptr[i] + counts[i]
    nnz = indptr[n_in]
    indices = np.empty(nnz, dtype=np.int32)
    data = np.empty(nnz, dtype=dtype_probe.dtype)
    mark = np.zeros(n_out, dtype=np.bool_)
    ranks = np.empty(n_out, dtype=np.int64)
    for i in range(n_in):
        k = counts[i]
        _sample_ranks(rng, n_out, k, mark, ranks)
        for q in range(k):
            indices[indptr[i] + q] = ranks[q]
    for q in range(nnz):
        data[q] = rng.standard_normal() * weight_scale
    return indptr, indices, data


@jit
def prune_mask(data, zeta, signed):
    r"""Which connections SET removes.

    ``signed=False`` (magnitude): exactly ``int(zeta * nnz)`` connections with the
    smallest :math:`|w|` (ties broken by storage order). ``signed=True`` (the
    original SET code): ``int(zeta * n_neg)`` negative weights closest to 0,
    ``int(zeta * n_pos)`` positive weights closest to 0, and every exact zero.

    Parameters
    ----------
    data : ndarray of shape (nnz,), float32 or float64
    zeta : float
        Fraction in [0, 1).
    signed : bool

    Returns
    -------
    remove : ndarray of shape (nnz,), bool
    """
    nnz = data.shape[0]
    remove = np.zeros(nnz, dtype=np.bool_)
    if nnz == 0:
        return remove
    if not signed:
        k = int(zeta * nnz)
        if k == 0:
            return remove
        mag = np.abs(data)
        thr = _kth_smallest(mag, k)
        below = 0
        for q in range(nnz):
            if mag[q] < thr:
                remove[q] = True
                below += 1
        left = k - below
        for q in range(nnz):
            if left == 0:
                break
            if mag[q] == thr:
                remove[q] = True
                left -= 1
        return remove
    neg = data[data < 0]
    pos = data[data > 0]
    k_neg = int(zeta * neg.shape[0])
    k_pos = int(zeta * pos.shape[0])
    # largest negatives: the k_neg largest values of neg; smallest positives
    t_neg = np.partition(neg, neg.shape[0] - k_neg)[neg.shape[0] - k_neg] if k_neg > 0 else 0.0
    t_pos = np.partition(pos, k_pos - 1)[k_pos - 1] if k_pos > 0 else 0.0
    n_neg_above = 0
    n_pos_below = 0
    for q in range(nnz):
        v = data[q]
        if v == 0:
            remove[q] = True
        elif v < 0 and k_neg > 0 and v > t_neg:
            remove[q] = True
            n_neg_above += 1
        elif v > 0 and k_pos > 0 and v < t_pos:
            remove[q] = True
            n_pos_below += 1
    left_neg = k_neg - n_neg_above
    left_pos = k_pos - n_pos_below
    for q in range(nnz):
        v = data[q]
        if left_neg > 0 and v < 0 and v == t_neg:
            remove[q] = True
            left_neg -= 1
        elif left_pos > 0 and v > 0 and v == t_pos:
            remove[q] = True
            left_pos -= 1
    return remove


@jit
def _kth_smallest(v, k):
    """The ``k``-th smallest (1-based) of the non-negative ``v``, in O(len(v)).

    A histogram of ``v`` over ``[0, max]`` locates the bin that holds it; only that
    bin's values are then partitioned (the bins are monotone in the value, so
    every value of a lower bin is smaller).
    """
    n = v.shape[0]
    top = v.max()
    if top == 0:
        return top
    n_bins = 4096
    scale = n_bins / top
    counts = np.zeros(n_bins + 1, dtype=np.int64)
    for q in range(n):
        counts[min(np.int64(v[q] * scale), n_bins - 1)] += 1
    below = 0
    b = 0
    while below + counts[b] < k:
        below += counts[b]
        b += 1
    inside = np.empty(counts[b], dtype=v.dtype)
    c = 0
    for q in range(n):
        if min(np.int64(v[q] * scale), n_bins - 1) == b:
            inside[c] = v[q]
            c += 1
    return np.partition(inside, k - below - 1)[k - below - 1]


@jit
def sample_distinct(rng, n, k):
    """``k`` distinct integers drawn uniformly from ``[0, n)``, sorted (Floyd's algorithm).

    Exactly ``k`` draws from ``rng``, no rejection loop; ``n`` may exceed 2**32.
    Up to :data:`_BITMAP_MAX` the chosen integers are marked in a bitmap and read
    back in order (O(k + n/64), no sort); beyond it they are kept in a hash set
    and sorted (O(k log k), memory O(k)). Both give the same draws.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Size of the range.
    k : int
        How many, ``0 <= k <= n``.

    Returns
    -------
    out : ndarray of shape (k,), int64
    """
    out = np.empty(k, dtype=np.int64)
    if n <= _BITMAP_MAX:
        _floyd_bitmap(rng, n, k, out)
    else:
        _floyd_set(rng, n, k, out)
        out.sort()
    return out


#: Largest range whose membership is tracked with a bitmap (2**28 bits = 32 MiB);
#: beyond it a hash set (memory O(k) instead of O(n)). Both give the same draws.
_BITMAP_MAX = 1 << 28


@jit
def _below(rng, m):
    """A uniform integer in ``[0, m)`` from one 53-bit uniform double.

    Faster than ``rng.integers`` in the evolution's hot loop; the deviation from
    exact uniformity is at most ``m / 2**53`` per value (below 1e-6 for any layer
    of 2**32 slots).
    """
    r = np.int64(rng.random() * m)
    return r if r < m else m - 1


@jit
def _floyd_bitmap(rng, n, k, out):
    """Floyd's algorithm with a bitmap; ``out`` receives the draws in increasing order."""
    bits = np.zeros((n + 63) // 64, dtype=np.uint64)
    one = np.uint64(1)
    for t in range(n - k, n):
        r = _below(rng, t + 1)
        if bits[r >> 6] & (one << np.uint64(r & 63)):
            r = np.int64(t)
        bits[r >> 6] |= one << np.uint64(r & 63)
    c = 0
    for w in range(bits.shape[0]):
        word = bits[w]
        base = np.int64(w) << 6
        while word:
            low = word & (~word + one)  # lowest set bit
            out[c] = base + _bit_index(low)
            c += 1
            word ^= low


@jit
def _bit_index(x):
    """Index of the single set bit of the uint64 ``x`` (a binary search over its halves)."""
    i = 0
    shift = 32
    while shift:
        if x >> np.uint64(shift):
            i += shift
            x >>= np.uint64(shift)
        shift >>= 1
    return i


@jit
def _floyd_set(rng, n, k, out):
    """Floyd's algorithm with a hash set; ``out`` receives the draws unsorted."""
    seen = set()
    seen.add(np.int64(-1))
    c = 0
    for t in range(n - k, n):
        r = _below(rng, t + 1)
        if r in seen:
            r = np.int64(t)
        seen.add(r)
        out[c] = r
        c += 1


@jit
def evolve(rng, indptr, indices, data, state, remove, n_out, regrow, weight_scale):
    r"""SET evolution of one layer: drop the ``remove`` connections, then regrow as many.

    New connections are ``k`` distinct slots drawn uniformly among all slots of
    the layer that are free after pruning (:func:`sample_distinct` over their
    ranks, then a merge with each row's stored columns): never a duplicate, no
    rejection loop; a slot freed by pruning may be drawn again, as in SET. Their
    weights are :math:`\mathcal N(0,1)\cdot` ``weight_scale`` (0 with
    ``weight_scale=0``; the normal draws happen all the same, so the random
    stream does not depend on it) and their optimiser state 0: the state of
    every kept connection moves with it.
    All random draws happen first, in a fixed order; the rows are then rebuilt
    (in parallel on a large layer), so the result does not depend on the number
    of threads.

    Parameters
    ----------
    rng : numpy.random.Generator
    indptr, indices, data : ndarray
        The CSR layer (int32 indices, sorted rows).
    state : ndarray of shape (n_slots, nnz)
        Optimiser state beside ``data`` (:mod:`skhebb._core.optim`); ``n_slots`` may be 0.
    remove : ndarray of shape (nnz,), bool
        From :func:`prune_mask`.
    n_out : int
        Number of columns.
    regrow : bool
        False after the last epoch of ``fit``: prune only.
    weight_scale : float

    Returns
    -------
    indptr, indices, data, state : ndarray
        The new layer, rows sorted, and its optimiser state. With ``regrow``
        it has the same nnz.
    kept : int
        Number of connections that survived pruning.
    """
    n_in = indptr.shape[0] - 1
    keep_counts = np.zeros(n_in, dtype=np.int64)
    for i in range(n_in):
        c = 0
        for q in range(indptr[i], indptr[i + 1]):
            if not remove[q]:
                c += 1
        keep_counts[i] = c
    kept = 0
    n_free = 0
    for i in range(n_in):
        kept += keep_counts[i]
        n_free += n_out - keep_counts[i]
    k = indices.shape[0] - kept
    # new connections: k distinct ranks among all free slots of the layer, in row order
    new_start = np.zeros(n_in + 1, dtype=np.int64)
    ranks = np.empty(0, dtype=np.int64)
    if regrow and k > 0:
        ranks = sample_distinct(rng, n_free, min(k, n_free))
        start = 0
        q = 0
        for i in range(n_in):
            end = start + n_out - keep_counts[i]
            while q < ranks.shape[0] and ranks[q] < end:
                ranks[q] -= start  # local rank within the row's free slots
                q += 1
            new_start[i + 1] = q
            start = end
    k = ranks.shape[0]
    # their weights, drawn in the order of the new connections (row by row, by column)
    fresh = np.empty(k, dtype=data.dtype)
    for q in range(k):
        fresh[q] = rng.standard_normal() * weight_scale
    out_indptr = np.zeros(n_in + 1, dtype=np.int32)
    for i in range(n_in):
        out_indptr[i + 1] = out_indptr[i] + keep_counts[i] + new_start[i + 1] - new_start[i]
    new_nnz = out_indptr[n_in]
    out_indices = np.empty(new_nnz, dtype=np.int32)
    out_data = np.empty(new_nnz, dtype=data.dtype)
    out_state = np.empty((state.shape[0], new_nnz), dtype=state.dtype)
    _merge_rows(indptr, indices, data, state, remove, ranks, fresh, new_start,
                out_indptr, out_indices, out_data, out_state)
    return out_indptr, out_indices, out_data, out_state, kept


def _merge_work(indptr, indices, data, state, remove, ranks, fresh, new_start, out_indptr,
                out_indices, *_):
    return out_indices.shape[0]


@parallel_twins("connections", _merge_work)
def _merge_rows(indptr, indices, data, state, remove, ranks, fresh, new_start,
                out_indptr, out_indices, out_data, out_state):
    """Each row of the evolved layer: its kept connections and its new ones, by column.

    The new connections of a row are given as sorted ranks among the row's free
    columns: with ``n_before`` kept columns to its left, the free column of rank
    ``r`` is ``r + n_before``, so one walk over the kept columns places them.
    """
    slots = state.shape[0]
    for i in prange(indptr.shape[0] - 1):
        o = out_indptr[i]
        q = new_start[i]
        q_end = new_start[i + 1]
        n_before = 0
        for p in range(indptr[i], indptr[i + 1]):
            if remove[p]:
                continue
            while q < q_end and ranks[q] + n_before < indices[p]:
                out_indices[o], out_data[o] = ranks[q] + n_before, fresh[q]
                for s in range(slots):
                    out_state[s, o] = 0
                o += 1
                q += 1
            out_indices[o], out_data[o] = indices[p], data[p]
            for s in range(slots):
                out_state[s, o] = state[s, p]
            o += 1
            n_before += 1
        while q < q_end:
            out_indices[o], out_data[o] = ranks[q] + n_before, fresh[q]
            for s in range(slots):
                out_state[s, o] = 0
            o += 1
            q += 1
