r"""Kernels of a truly sparse layer.

A layer mapping ``n_in`` inputs to ``n_out`` units is stored as CSR *over its
inputs*: row ``i`` of ``(indptr, indices, data)`` lists the units ``j`` that
input ``i`` connects to and the weights :math:`w_{ij}`. No dense weight
matrix or mask exists anywhere. A second index order, CSC by unit, is a
permutation into the same ``data`` array (``cindptr``, ``crow``, ``cperm``:
the inputs of unit ``j`` are ``crow[cindptr[j]:cindptr[j+1]]`` and their
weights ``data[cperm[cindptr[j]:cindptr[j+1]]]``), built by :func:`build_csc`.

Activations and deltas are **feature-major**: an ``(n_units, batch)``
C-contiguous block, so that every inner loop is a contiguous axpy or dot over
the batch. Each kernel parallelises over its own rows (once the layer is large
enough, see :func:`skhebb._core._jit.parallel_twins`), so no two threads write
the same element and the results do not depend on the number of threads:

* :func:`forward` — over units, through the CSC order;
* :func:`fused_update` — over inputs, through the CSR order: back-propagation
  of the error to the inputs, the gradient, the Hebbian term and the weight
  update in one pass over the stored connections.

Memory traffic. Every stored connection reads one row of a block in random
order: the row of its input in :func:`forward`, the rows of its unit (error and
centred activity) in :func:`fused_update`. Once such a block outgrows the
caches, two things keep the loops fed:

* the loops over samples index the blocks with unsigned integers (no test for
  negative indices), so that the compiler vectorises them whatever their bounds;
* on blocks of more than :data:`PREFETCH_MIN_BYTES`, the rows of the connection
  :data:`PREFETCH_AHEAD` steps ahead (four inputs ahead per step in
  :func:`forward`) are prefetched while the current one is computed.

Tiles of samples. Both kernels take a ``tile`` width: the batch is then
processed in tiles of at most that many samples (as even as can be), each tile
streaming all the connections of the layer and reading the random rows over
that tile only (:func:`tile_width` gives the width whose rows fit half the L2
cache). :func:`forward` then first gathers the weights into unit order, and
:func:`fused_update` accumulates its two sums per connection over the tiles in a
work array of length nnz, propagates the error of every tile with the old
weights and takes the optimiser step in the last tile. The default, ``tile=0``,
is one tile: on the machine of ``benchmarks/results/hebbset.md`` (2 MiB of L2
per core, a large L3) tiles narrow enough for L2 cost more per connection than
the cache misses they save, at every size measured there.

The output error of a loss is in :mod:`skhebb._core.losses`. Index arrays are
int32; data float32 or float64. Cost per mini-batch is O(nnz · batch); extra
memory O(batch · width), and O(nnz) with several tiles.
"""

import numpy as np
from numba import prange

from skhebb._core._jit import jit, parallel_twins, prefetch
from skhebb._core.activations import (
    SOFTMAX,
    activate_row,
    derivative_row,
    row_stats,
    softmax_columns,
    unit_stats,
)
from skhebb._core.optim import (
    ADAM,
    H_BETA1,
    H_BETA2,
    H_DECAY,
    H_EPS,
    H_LR,
    H_MOMENTUM,
    H_NESTEROV,
    H_SOLVER,
    apply_step,
)

__all__ = [
    "build_csc",
    "dense_to_feature_major",
    "csr_to_feature_major",
    "forward",
    "fused_update",
    "center_rows",
    "bias_update",
    "tile_width",
]

@jit
def build_csc(indptr, indices, n_out):
    """Column (unit) order of a CSR layer as a permutation into its ``data``.

    Parameters
    ----------
    indptr : ndarray of shape (n_in + 1,), int32
    indices : ndarray of shape (nnz,), int32
        CSR structure over inputs; each row sorted.
    n_out : int
        Number of units (columns).

    Returns
    -------
    cindptr : ndarray of shape (n_out + 1,), int32
        Start of each unit's inputs.
    crow : ndarray of shape (nnz,), int32
        Input index of each entry in unit order (increasing within a unit).
    cperm : ndarray of shape (nnz,), int32
        Position of each entry in the CSR ``data`` array.
    """
    n_in = indptr.shape[0] - 1
    nnz = indices.shape[0]
    cindptr = np.zeros(n_out + 1, dtype=np.int32)
    for k in range(nnz):
        cindptr[indices[k] + 1] += 1
    for j in range(n_out):
        cindptr[j + 1] += cindptr[j]
    fill = cindptr[:-1].copy()
    crow = np.empty(nnz, dtype=np.int32)
    cperm = np.empty(nnz, dtype=np.int32)
    for i in range(n_in):
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            p = fill[j]
            crow[p] = i
            cperm[p] = k
            fill[j] = p + 1
    return cindptr, crow, cperm


@jit
def dense_to_feature_major(X, out):
    """Transpose a dense mini-batch into a feature-major block.

    Parameters
    ----------
    X : ndarray of shape (batch, n_features), float32 or float64
        Sample-major mini-batch (any strides).
    out : ndarray of shape (n_features, batch), same dtype, C-contiguous
        Output.
    """
    n, d = X.shape
    for i in range(d):  # contiguous writes: several times faster than row by row
        for b in range(n):
            out[i, b] = X[b, i]


@jit
def csr_to_feature_major(indptr, indices, data, out):
    """Densify a CSR mini-batch straight into a feature-major block.

    Parameters
    ----------
    indptr : ndarray of shape (batch + 1,), int32
    indices : ndarray of shape (nnz,), int32
    data : ndarray of shape (nnz,), float32 or float64
        The CSR mini-batch (rows are samples).
    out : ndarray of shape (n_features, batch), same dtype as data, C-contiguous
        Output; fully overwritten.
    """
    n = indptr.shape[0] - 1
    out[:, :] = 0
    for b in range(n):
        for k in range(indptr[b], indptr[b + 1]):
            out[indices[k], b] = data[k]


#: Bytes of the rows read in random order that a tile of :func:`tile_width`
#: fits in: half the L2 cache of a core (2 MiB on the machine of
#: ``benchmarks/results/hebbset.md``).
TILE_BYTES = 1 << 20

#: Fewest samples of a tile of :func:`tile_width` that is not the whole batch, in
#: bytes of a row: a few cache lines, so that the loops over a tile stay whole SIMD vectors.
MIN_TILE_BYTES = 128

#: Blocks read in random row order that are larger than this (bytes) are
#: prefetched: the rows of a connection a few connections ahead of the one in work
#: (:data:`PREFETCH_AHEAD`) are requested from memory while it is computed.
PREFETCH_MIN_BYTES = 1 << 21

#: How many connections ahead the kernels prefetch.
PREFETCH_AHEAD = 2


@jit
def tile_width(rows, batch, itemsize):
    """Samples per tile that keep the rows a kernel reads in random order within the L2 cache.

    The whole batch if ``rows × batch × itemsize`` fits :data:`TILE_BYTES`;
    otherwise the largest multiple of ``MIN_TILE_BYTES / itemsize`` samples
    whose tile of the rows fits, and at least that many. A choice for the
    ``tile`` argument of :func:`forward` and :func:`fused_update`, which do not
    apply it by themselves (see the module docstring).

    Parameters
    ----------
    rows : int
        Rows read at random (inputs of :func:`forward`; units times the blocks
        read per unit in :func:`fused_update`).
    batch : int
        Samples of the block.
    itemsize : int
        Bytes per value (4 or 8).

    Returns
    -------
    width : int
        Between 1 and ``batch``.
    """
    if rows * batch * itemsize <= TILE_BYTES:
        return max(batch, 1)
    step = MIN_TILE_BYTES // itemsize
    width = TILE_BYTES // (rows * itemsize) // step * step
    return max(1, min(batch, max(width, step)))


@jit
def _tiles(n, tile):
    """Number and width of tiles of ``n`` samples at most ``tile`` wide (0: one tile), even."""
    tile = n if tile <= 0 else max(1, min(tile, n))
    n_tiles = (n + tile - 1) // tile
    return n_tiles, (n + n_tiles - 1) // n_tiles


def _forward_work(a_in, cindptr, crow, cperm, *_):
    return cperm.shape[0] * a_in.shape[1]


@parallel_twins("connection_samples", _forward_work)
def forward(a_in, cindptr, crow, cperm, data, bias, code, a_out, amin, amean, inv_scale,
            centered, tile=0, work=None):
    """One sparse layer forward: ``a_out = f(W^T a_in + b)``, plus batch statistics.

    The batch is processed in tiles of ``tile`` samples, one after the other;
    each tile streams every connection of the layer while reading the inputs'
    rows of that tile only. With more than one tile, the weights are first
    gathered into unit order so that the stream is sequential. The result does
    not depend on the tiling (each output is the same sum in the same order).

    Parameters
    ----------
    a_in : ndarray of shape (n_in, batch), float32 or float64, C-contiguous
        Feature-major input activations.
    cindptr, crow, cperm : ndarray of int32
        Unit order of the layer (:func:`build_csc`).
    data : ndarray of shape (nnz,)
        Weights in CSR-over-inputs order.
    bias : ndarray of shape (n_out,)
    code : int
        Activation code (:data:`skhebb._core.activations.ACTIVATIONS`); with
        softmax the softmax is applied over units after the loop.
    a_out : ndarray of shape (n_out, batch), C-contiguous
        Output activations.
    amin, amean, inv_scale : ndarray of shape (n_out,)
        Outputs: per-unit minimum, mean and ``1/(max - min + 1e-4)`` over the
        batch (the [0, 1] scaling of the Hebbian term), or arrays of length 0
        to skip them.
    centered : ndarray of shape (n_out, batch) or (0, 0)
        Output with the statistics, if it has ``n_out`` rows: the centred
        activity ``a_out - amean``.
    tile : int, default=0
        Samples per tile (at most); 0, or the batch size or more: one tile.
    work : ndarray of shape (m,) or None, default=None
        Room for the gathered weights, used if ``m >= nnz`` and the batch takes
        more than one tile; otherwise they are allocated.
    """
    n = a_out.shape[1]
    nnz = cperm.shape[0]
    stats = amin.shape[0] == a_out.shape[0]
    n_tiles, tile = _tiles(n, tile)
    gathered = n_tiles > 1
    line = max(1, 64 // a_in.itemsize)
    far = a_in.shape[0] * tile * a_in.itemsize > PREFETCH_MIN_BYTES
    if not gathered:
        cdata = np.empty(0, dtype=data.dtype)
    elif work is not None and work.shape[0] >= nnz:
        cdata = work[:nnz]
    else:
        cdata = np.empty(nnz, dtype=data.dtype)
    if gathered:
        for p in prange(nnz):
            cdata[p] = data[cperm[p]]
    for t in range(n_tiles):
        # unsigned sample indices: no test for negative indices in the loops over a tile,
        # which therefore stay vectorised
        s0 = t * tile
        b0 = np.uint64(s0)
        m = np.uint64(max(0, min(n, s0 + tile) - s0))
        last = t == n_tiles - 1
        for j in prange(a_out.shape[0]):
            bj = bias[j]
            for b in range(m):
                a_out[j, b0 + b] = bj
            p = cindptr[j]
            end = cindptr[j + 1]
            while p + 4 <= end:  # four inputs per sweep over the tile: fewer loads/stores of z
                if far and p + 4 * PREFETCH_AHEAD + 4 <= nnz:
                    for r in range(4):
                        row = crow[p + 4 * PREFETCH_AHEAD + r]
                        for c in range(s0, s0 + np.int64(m), line):
                            prefetch(a_in, row, c)
                if gathered:
                    w0, w1, w2, w3 = cdata[p], cdata[p + 1], cdata[p + 2], cdata[p + 3]
                else:
                    w0 = data[cperm[p]]
                    w1 = data[cperm[p + 1]]
                    w2 = data[cperm[p + 2]]
                    w3 = data[cperm[p + 3]]
                r0, r1, r2, r3 = crow[p], crow[p + 1], crow[p + 2], crow[p + 3]
                for b in range(m):
                    q = b0 + b
                    a_out[j, q] += (w0 * a_in[r0, q] + w1 * a_in[r1, q] + w2 * a_in[r2, q]
                                    + w3 * a_in[r3, q])
                p += 4
            while p < end:
                w = cdata[p] if gathered else data[cperm[p]]
                r = crow[p]
                for b in range(m):
                    q = b0 + b
                    a_out[j, q] += w * a_in[r, q]
                p += 1
            if code != SOFTMAX:
                activate_row(code, a_out[j, b0:b0 + m])
                if last and stats:
                    unit_stats(a_out, j, amin, amean, inv_scale, centered)
    if code == SOFTMAX:
        softmax_columns(a_out)
        if stats:
            row_stats(a_out, amin, amean, inv_scale, centered)


def _update_work(a_in, in_min, in_inv_scale, out_centered, out_inv_scale, delta_out, indptr,
                 indices, *_):
    return indices.shape[0] * a_in.shape[1]


@parallel_twins("connection_samples", _update_work, reassoc=True)
def fused_update(a_in, in_min, in_inv_scale, out_centered, out_inv_scale, delta_out, indptr,
                 indices, data, state, hyper, hebb, in_code, delta_in, tile=0, work=None):
    r"""Back-propagation, gradient, Hebbian term and update in one pass over a layer.

    For every stored connection :math:`(i, j)`, with ``B`` the batch size,

    .. math::

        g_{ij} = \frac1B \sum_b a_{ib}\,\delta_{jb},\qquad
        h_{ij} = \frac1B \sum_b \hat a_{ib}\,(\hat a_{jb} - \overline{\hat a_j}),

    where :math:`\hat a = (a - \min_b a)/(\max_b a - \min_b a + 10^{-4})` per unit,
    so :math:`h_{ij} = s_i s_j \frac1B\sum_b (a_{ib} - \min_b a_i)(a_{jb} - \bar a_j)`
    with :math:`s = 1/(\max - \min + 10^{-4})`: the kernel reads the centred
    post-synaptic activity :math:`a_j - \bar a_j` from ``out_centered``.
    Sample weights reach the gradient through ``delta_out`` only
    (:func:`skhebb._core.losses.output_delta`); the Hebbian term stays an
    unweighted mean. Then :math:`w_{ij}` takes one step of the optimiser
    (:func:`skhebb._core.optim.apply_step`) on :math:`g_{ij}`, with
    :math:`\lambda\, h_{ij}` added outside its moments, as printed in Eq. 8
    (accumulating it in a momentum would scale it by :math:`1/(1-\mu)`). If
    ``delta_in`` has ``n_in`` rows, the error is first propagated to the inputs
    with the *old* weights: :math:`\delta^{in}_{ib} = f'(a_{ib}) \sum_j w_{ij} \delta_{jb}`.

    The batch may be processed in tiles of samples, one after the other: each
    tile streams every connection of the layer and reads the rows of its units
    over that tile only. With more than one tile,
    the sums over the batch are accumulated per connection in ``work`` and the
    step is taken in the last tile, so every tile propagates the error with the
    old weights. The sums over the batch (and over tiles) may be reordered by the
    compiler (see :func:`skhebb._core._jit.jit_reassoc`), in the same way for any
    number of threads.

    Parameters
    ----------
    a_in : ndarray of shape (n_in, batch), float32 or float64, C-contiguous
        Pre-synaptic activations (feature-major).
    in_min, in_inv_scale : ndarray of shape (n_in,)
        Batch minimum and ``1/(max - min + 1e-4)`` of each input (only read if ``hebb != 0``).
    out_centered : ndarray of shape (n_out, batch) or (0, 0)
        Centred post-synaptic activations :math:`a_j - \bar a_j` (only read if
        ``hebb != 0``; see :func:`forward`).
    out_inv_scale : ndarray of shape (n_out,)
        ``1/(max - min + 1e-4)`` of each unit (only read if ``hebb != 0``).
    delta_out : ndarray of shape (n_out, batch)
        :math:`\partial (B J)/\partial z` of the units.
    indptr, indices : ndarray of int32
        CSR-over-inputs structure.
    data : ndarray of shape (nnz,)
        Weights, updated in place.
    state : ndarray of shape (n_slots, nnz)
        Optimiser state beside ``data`` (:mod:`skhebb._core.optim`), updated in place.
    hyper : ndarray of shape (8,), float64
        Optimiser step (:func:`skhebb._core.optim.hyper_parameters`).
    hebb : float
        :math:`\lambda(t)`.
    in_code : int
        Activation code of the inputs (for :math:`f'`).
    delta_in : ndarray of shape (n_in, batch) or (0, batch)
        Output: the error of the inputs; pass a 0-row array for the first layer.
    tile : int, default=0
        Samples per tile (at most); 0, or the batch size or more: one tile.
    work : ndarray of shape (2, m) or None, default=None
        Room for the per-connection sums, used if ``m >= nnz`` and the batch
        takes more than one tile; otherwise they are allocated.
    """
    n_in = indptr.shape[0] - 1
    n = a_in.shape[1]
    nnz = indices.shape[0]
    backprop = delta_in.shape[0] == n_in
    inv_n = 1.0 / n
    lr = hyper[H_LR]
    adam = hyper[H_SOLVER] == ADAM
    mu = hyper[H_MOMENTUM]
    nesterov = hyper[H_NESTEROV] != 0
    b1 = hyper[H_BETA1]
    b2 = hyper[H_BETA2]
    eps = hyper[H_EPS]
    decay = hyper[H_DECAY]
    use_hebb = hebb != 0
    n_tiles, tile = _tiles(n, tile)
    line = max(1, 64 // a_in.itemsize)
    blocks = 2 if use_hebb else 1
    far = delta_out.shape[0] * tile * a_in.itemsize * blocks > PREFETCH_MIN_BYTES
    if n_tiles == 1:
        sums = np.empty((2, 0), dtype=data.dtype)
    elif work is not None and work.shape[0] >= 2 and work.shape[1] >= nnz:
        sums = work
    else:
        sums = np.empty((2, nnz), dtype=data.dtype)
    for t in range(n_tiles):
        # unsigned sample indices, as in forward
        s0 = t * tile
        t0 = np.uint64(s0)
        width = np.uint64(max(0, min(n, s0 + tile) - s0))
        first = t == 0
        last = t == n_tiles - 1
        for i in prange(n_in):
            zero = a_in[i, :0].sum()  # 0 in the data dtype: float32 sums stay float32
            m_i = in_min[i] if use_hebb else zero
            s_i = in_inv_scale[i] if use_hebb else 0.0
            if backprop:
                for b in range(width):
                    delta_in[i, t0 + b] = 0
            for k in range(indptr[i], indptr[i + 1]):
                if far and k + PREFETCH_AHEAD < nnz:
                    ahead = indices[k + PREFETCH_AHEAD]
                    for c in range(s0, s0 + np.int64(width), line):
                        prefetch(delta_out, ahead, c)
                        if use_hebb:
                            prefetch(out_centered, ahead, c)
                j = indices[k]
                w = data[k]
                g = zero
                h = zero
                if use_hebb:
                    if backprop:
                        for b in range(width):
                            q = t0 + b
                            xb = a_in[i, q]
                            db = delta_out[j, q]
                            g += xb * db
                            delta_in[i, q] += w * db
                            h += (xb - m_i) * out_centered[j, q]
                    else:
                        for b in range(width):
                            q = t0 + b
                            xb = a_in[i, q]
                            g += xb * delta_out[j, q]
                            h += (xb - m_i) * out_centered[j, q]
                elif backprop:
                    for b in range(width):
                        q = t0 + b
                        db = delta_out[j, q]
                        g += a_in[i, q] * db
                        delta_in[i, q] += w * db
                else:
                    for b in range(width):
                        q = t0 + b
                        g += a_in[i, q] * delta_out[j, q]
                if not first:
                    g += sums[0, k]
                    h += sums[1, k]
                if not last:
                    sums[0, k] = g
                    sums[1, k] = h
                    continue
                hstep = 0.0
                if use_hebb:
                    hstep = hebb * h * inv_n * s_i * out_inv_scale[j]
                # the step of skhebb._core.optim.apply_step, inline (see its docstring)
                if adam:
                    gm = g * inv_n
                    m = b1 * state[0, k] + (1.0 - b1) * gm
                    v = b2 * state[1, k] + (1.0 - b2) * gm * gm
                    state[0, k] = m
                    state[1, k] = v
                    data[k] = w - lr * m / (np.sqrt(v) + eps) + hstep - decay * w
                else:
                    step = -lr * g * inv_n
                    if mu != 0:
                        v = mu * state[0, k] + step
                        state[0, k] = v
                        if nesterov:
                            data[k] = w + mu * v + step + hstep - decay * w
                        else:
                            data[k] = w + v + hstep - decay * w
                    else:
                        data[k] = w + step + hstep - decay * w
            if backprop:
                derivative_row(in_code, a_in[i, t0:t0 + width], delta_in[i, t0:t0 + width])


@jit
def center_rows(a, mean):
    """Centre each row of a block in place: ``a[j] -= mean[j]``.

    With the float64 means that :func:`forward` computes (``amean`` of dtype
    float64), the result has the bits of the ``centered`` block that
    :func:`forward` would write, so a caller may centre the activity block
    itself once it needs it no longer, instead of keeping a second block.

    Parameters
    ----------
    a : ndarray of shape (n_units, batch), float32 or float64
        Updated in place.
    mean : ndarray of shape (n_units,), float64
    """
    for j in range(a.shape[0]):
        mu = mean[j]
        for b in range(a.shape[1]):
            a[j, b] = a[j, b] - mu


@jit
def bias_update(delta_out, bias, state, hyper):
    r"""Optimiser step on the biases: gradient :math:`\frac1B\sum_b \delta_{jb}`.

    Same optimiser and decay as :func:`fused_update`, without a Hebbian term.

    Parameters
    ----------
    delta_out : ndarray of shape (n_out, batch), float32 or float64
    bias : ndarray of shape (n_out,)
        Updated in place.
    state : ndarray of shape (n_slots, n_out)
        Optimiser state of the biases, updated in place.
    hyper : ndarray of shape (8,), float64
    """
    n_out, n = delta_out.shape
    lr = hyper[H_LR]
    for j in range(n_out):
        s = 0.0
        for b in range(n):
            s += delta_out[j, b]
        bias[j] = apply_step(j, bias[j], s / n, -lr * s / n, 0.0, state, hyper)
