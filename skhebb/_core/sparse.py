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

The output error of a loss is in :mod:`skhebb._core.losses`. Index arrays are
int32; data float32 or float64. Cost per mini-batch is O(nnz · batch); extra
memory O(batch · width).
"""

import numpy as np
from numba import prange

from skhebb._core._jit import jit, parallel_twins
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
    "bias_update",
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
    for b in range(n):
        for i in range(d):
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


def _forward_work(a_in, cindptr, crow, cperm, *_):
    return cperm.shape[0] * a_in.shape[1]


@parallel_twins("connection_samples", _forward_work)
def forward(a_in, cindptr, crow, cperm, data, bias, code, a_out, amin, amean, inv_scale,
            centered):
    """One sparse layer forward: ``a_out = f(W^T a_in + b)``, plus batch statistics.

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
    """
    n = a_out.shape[1]
    stats = amin.shape[0] == a_out.shape[0]
    for j in prange(a_out.shape[0]):
        z = a_out[j]
        bj = bias[j]
        for b in range(n):
            z[b] = bj
        p = cindptr[j]
        end = cindptr[j + 1]
        while p + 4 <= end:  # four inputs per sweep over the batch: fewer loads/stores of z
            w0 = data[cperm[p]]
            w1 = data[cperm[p + 1]]
            w2 = data[cperm[p + 2]]
            w3 = data[cperm[p + 3]]
            x0 = a_in[crow[p]]
            x1 = a_in[crow[p + 1]]
            x2 = a_in[crow[p + 2]]
            x3 = a_in[crow[p + 3]]
            for b in range(n):
                z[b] += w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b]
            p += 4
        while p < end:
            w = data[cperm[p]]
            x = a_in[crow[p]]
            for b in range(n):
                z[b] += w * x[b]
            p += 1
        if code != SOFTMAX:
            activate_row(code, z)
            if stats:
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
                 indices, data, state, hyper, hebb, in_code, delta_in):
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

    The sums over the batch may be reordered by the compiler (see
    :func:`skhebb._core._jit.jit_reassoc`), in the same way for any number of threads.

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
    """
    n_in = indptr.shape[0] - 1
    n = a_in.shape[1]
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
    for i in prange(n_in):
        x = a_in[i]
        zero = x[:0].sum()  # 0 in the data dtype: float32 sums stay float32 (vectorised)
        m_i = in_min[i] if use_hebb else zero
        s_i = in_inv_scale[i] if use_hebb else 0.0
        if backprop:
            d_in = delta_in[i]
            for b in range(n):
                d_in[b] = 0
        else:
            d_in = x[:0]
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            w = data[k]
            d = delta_out[j]
            g = zero
            h = zero
            if use_hebb:
                yc = out_centered[j]
                if backprop:
                    for b in range(n):
                        db = d[b]
                        g += x[b] * db
                        d_in[b] += w * db
                        h += (x[b] - m_i) * yc[b]
                else:
                    for b in range(n):
                        g += x[b] * d[b]
                        h += (x[b] - m_i) * yc[b]
            elif backprop:
                for b in range(n):
                    db = d[b]
                    g += x[b] * db
                    d_in[b] += w * db
            else:
                for b in range(n):
                    g += x[b] * d[b]
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
            derivative_row(in_code, x, d_in)


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
