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
the batch. Each kernel parallelises over its own rows, so no two threads write
the same element and the results do not depend on the number of threads:

* :func:`forward` — over units, through the CSC order;
* :func:`fused_update` — over inputs, through the CSR order: back-propagation
  of the error to the inputs, the gradient, the Hebbian term and the weight
  update in one pass over the stored connections.

Blocks may be wider than the batch: the batch is their first ``n`` columns
and the rest is padding (:func:`padded_width` rounds the width up to a
multiple of 8), so that the inner loops run whole SIMD vectors with no scalar
tail. Padding never reaches a result: padded errors are 0, padded centred
activities are 0, and batch statistics only read the first ``n`` columns.

Index arrays are int32; data float32 or float64. Cost per mini-batch is
O(nnz · batch); extra memory O(batch · width).
"""

import numpy as np
from numba import prange

from skhebb._core._jit import jit, jit_reassoc, pjit
from skhebb._core.activations import (
    SOFTMAX,
    activate_row,
    derivative_row,
    softmax_columns,
    unit_stats,
)

__all__ = [
    "LOSS_MSE",
    "LOSS_LOG",
    "LOSS_SET_MSE",
    "build_csc",
    "padded_width",
    "dense_to_feature_major",
    "csr_to_feature_major",
    "forward",
    "forward_serial",
    "output_delta",
    "fused_update",
    "fused_update_serial",
    "bias_update",
]

#: Loss codes: squared error with sigmoid outputs; cross-entropy with softmax outputs;
#: squared error with the output error of the SET/HebbSET reference code (see output_delta).
LOSS_MSE, LOSS_LOG, LOSS_SET_MSE = 0, 1, 2

#: Block widths are rounded up to a multiple of this (8 float32 = one AVX2 vector).
_PAD = 8


def padded_width(n):
    """Width of a feature-major block for a batch of ``n``: ``n`` rounded up to a multiple of 8."""
    return -(-n // _PAD) * _PAD


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
    out : ndarray of shape (n_features, width), same dtype, C-contiguous
        Output, ``width >= batch``; the padding columns are set to 0.
    """
    n, d = X.shape
    for b in range(n):
        for i in range(d):
            out[i, b] = X[b, i]
    if out.shape[1] > n:
        out[:, n:] = 0


@jit
def csr_to_feature_major(indptr, indices, data, out):
    """Densify a CSR mini-batch straight into a feature-major block.

    Parameters
    ----------
    indptr : ndarray of shape (batch + 1,), int32
    indices : ndarray of shape (nnz,), int32
    data : ndarray of shape (nnz,), float32 or float64
        The CSR mini-batch (rows are samples).
    out : ndarray of shape (n_features, width), same dtype as data, C-contiguous
        Output, ``width >= batch``; fully overwritten (0 on the padding).
    """
    n = indptr.shape[0] - 1
    out[:, :] = 0
    for b in range(n):
        for k in range(indptr[b], indptr[b + 1]):
            out[indices[k], b] = data[k]


@pjit
def forward(a_in, cindptr, crow, cperm, data, bias, code, a_out, n, amin, amean, inv_scale,
            centered):
    """One sparse layer forward: ``a_out = f(W^T a_in + b)``, plus batch statistics.

    Parameters
    ----------
    a_in : ndarray of shape (n_in, width), float32 or float64, C-contiguous
        Feature-major input activations (the padding columns included).
    cindptr, crow, cperm : ndarray of int32
        Unit order of the layer (:func:`build_csc`).
    data : ndarray of shape (nnz,)
        Weights in CSR-over-inputs order.
    bias : ndarray of shape (n_out,)
    code : int
        Activation code (:data:`skhebb._core.activations.ACTIVATIONS`); with
        softmax the softmax is applied over units after the loop.
    a_out : ndarray of shape (n_out, width), C-contiguous
        Output activations.
    n : int
        Batch size: the first ``n`` columns are samples, the rest padding.
    amin, amean, inv_scale : ndarray of shape (n_out,)
        Outputs: per-unit minimum, mean and ``1/(max - min + 1e-4)`` over the
        batch (the [0, 1] scaling of the Hebbian term), or arrays of length 0
        to skip them.
    centered : ndarray of shape (n_out, width) or (0, 0)
        Output with the statistics, if it has ``n_out`` rows: the centred
        activity ``a_out - amean`` on the batch, 0 on the padding.
    """
    for j in prange(a_out.shape[0]):
        _forward_unit(j, a_in, cindptr, crow, cperm, data, bias, code, a_out, n, amin, amean,
                      inv_scale, centered)
    _forward_finish(code, a_out, n, amin, amean, inv_scale, centered)


@jit
def forward_serial(a_in, cindptr, crow, cperm, data, bias, code, a_out, n, amin, amean, inv_scale,
                   centered):
    """Single-threaded :func:`forward` (same arguments, same results) for small layers."""
    for j in range(a_out.shape[0]):
        _forward_unit(j, a_in, cindptr, crow, cperm, data, bias, code, a_out, n, amin, amean,
                      inv_scale, centered)
    _forward_finish(code, a_out, n, amin, amean, inv_scale, centered)


@jit
def _forward_unit(j, a_in, cindptr, crow, cperm, data, bias, code, a_out, n_valid, amin, amean,
                  inv_scale, centered):
    n = a_out.shape[1]
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
        if amin.shape[0] == a_out.shape[0]:
            unit_stats(a_out, j, n_valid, amin, amean, inv_scale, centered)


@jit
def _forward_finish(code, a_out, n, amin, amean, inv_scale, centered):
    if code == SOFTMAX:
        softmax_columns(a_out)
        if amin.shape[0] == a_out.shape[0]:
            for j in range(a_out.shape[0]):
                unit_stats(a_out, j, n, amin, amean, inv_scale, centered)


@jit
def output_delta(a_out, y, loss_code, delta):
    r"""Error at the output and the mean batch loss.

    ``LOSS_MSE``: :math:`J = \frac{1}{B}\sum_b \frac12 \sum_k (a_{kb} - t_{kb})^2`,
    :math:`\delta = (a - t)\, a (1 - a)` (sigmoid output).
    ``LOSS_LOG``: :math:`J = -\frac{1}{B}\sum_b \log a_{y_b b}`, :math:`\delta = a - t`
    (softmax output). ``LOSS_SET_MSE``: the squared error, with the output error
    that the SET and HebbSET reference code computes,
    :math:`\delta = (a - t)\, \sigma(a)(1 - \sigma(a))`: the sigmoid's derivative
    is taken at the output *activation* :math:`a \in (0, 1)`, not at the
    pre-activation, so it stays in [0.197, 0.25] and the error does not vanish when
    the outputs saturate (close to a sigmoid cross-entropy with a step about 4.5
    times smaller). ``t`` is the one-hot target.

    Parameters
    ----------
    a_out : ndarray of shape (n_classes, width), float32 or float64
        Output activations (feature-major), ``width >= batch``.
    y : ndarray of shape (batch,), integer
        Class codes in ``0 .. n_classes - 1``.
    loss_code : int
        ``LOSS_MSE``, ``LOSS_LOG`` or ``LOSS_SET_MSE``.
    delta : ndarray of shape (n_classes, width), same dtype
        Output: :math:`\partial (B J) / \partial z` on the batch, 0 on the padding.

    Returns
    -------
    loss : float
        The mean loss over the batch.
    """
    k = a_out.shape[0]
    n = y.shape[0]
    delta[:, n:] = 0
    loss = 0.0
    for b in range(n):
        yb = y[b]
        for j in range(k):
            a = a_out[j, b]
            t = 1.0 if j == yb else 0.0
            if loss_code == LOSS_MSE:
                e = a - t
                loss += 0.5 * e * e
                delta[j, b] = e * a * (1 - a)
            elif loss_code == LOSS_SET_MSE:
                e = a - t
                loss += 0.5 * e * e
                s = 1.0 / (1.0 + np.exp(-a))
                delta[j, b] = e * s * (1 - s)
            else:
                delta[j, b] = a - t
                if j == yb:
                    loss -= np.log(max(a, 1e-300))
    return loss / n


@pjit
def fused_update(
    a_in,
    in_min,
    in_inv_scale,
    out_centered,
    out_inv_scale,
    delta_out,
    n,
    indptr,
    indices,
    data,
    velocity,
    learning_rate,
    hebb,
    momentum,
    decay,
    in_code,
    delta_in,
):
    r"""Back-propagation, gradient, Hebbian term and update in one pass over a layer.

    For every stored connection :math:`(i, j)`, with ``B`` the batch size,

    .. math::

        g_{ij} = \frac1B \sum_b a_{ib}\,\delta_{jb},\qquad
        h_{ij} = \frac1B \sum_b \hat a_{ib}\,(\hat a_{jb} - \overline{\hat a_j}),

    where :math:`\hat a = (a - \min_b a)/(\max_b a - \min_b a + 10^{-4})` per unit,
    so :math:`h_{ij} = s_i s_j \frac1B\sum_b (a_{ib} - \min_b a_i)(a_{jb} - \bar a_j)`
    with :math:`s = 1/(\max - \min + 10^{-4})`: the kernel reads the centred
    post-synaptic activity :math:`a_j - \bar a_j` from ``out_centered``. Then

    .. math::

        v_{ij} \leftarrow \mu v_{ij} - \alpha\, g_{ij},\qquad
        w_{ij} \leftarrow w_{ij} + v_{ij} + \lambda\, h_{ij} - \kappa\, w_{ij}

    The momentum :math:`\mu` smooths the gradient part only; the Hebbian term
    enters as printed in Eq. 8 (accumulating it in the velocity would scale it
    by :math:`1/(1-\mu)`). With :math:`\mu = 0` the velocity is not touched and
    :math:`w \leftarrow w - \alpha g + \lambda h - \kappa w`. If ``delta_in`` has ``n_in``
    rows, the error is first propagated to the inputs with the *old* weights:
    :math:`\delta^{in}_{ib} = f'(a_{ib}) \sum_j w_{ij} \delta_{jb}`.

    Parameters
    ----------
    a_in : ndarray of shape (n_in, width), float32 or float64, C-contiguous
        Pre-synaptic activations (feature-major, padding columns finite).
    in_min, in_inv_scale : ndarray of shape (n_in,)
        Batch minimum and ``1/(max - min + 1e-4)`` of each input (only read if ``hebb != 0``).
    out_centered : ndarray of shape (n_out, width) or (0, 0)
        Centred post-synaptic activations :math:`a_j - \bar a_j`, 0 on the padding
        (only read if ``hebb != 0``; see :func:`forward`).
    out_inv_scale : ndarray of shape (n_out,)
        ``1/(max - min + 1e-4)`` of each unit (only read if ``hebb != 0``).
    delta_out : ndarray of shape (n_out, width)
        :math:`\partial (B J)/\partial z` of the units, 0 on the padding.
    n : int
        Batch size (the first ``n`` columns); the means divide by it.
    indptr, indices : ndarray of int32
        CSR-over-inputs structure.
    data : ndarray of shape (nnz,)
        Weights, updated in place.
    velocity : ndarray of shape (nnz,)
        Momentum buffer, updated in place when ``momentum != 0``.
    learning_rate, hebb, momentum, decay : float
        :math:`\alpha`, :math:`\lambda(t)`, :math:`\mu`, :math:`\kappa`.
    in_code : int
        Activation code of the inputs (for :math:`f'`).
    delta_in : ndarray of shape (n_in, width) or (0, width)
        Output: the error of the inputs (0 on the padding); pass a 0-row array
        for the first layer.
    """
    for i in prange(indptr.shape[0] - 1):
        _update_row(
            i,
            a_in,
            in_min,
            in_inv_scale,
            out_centered,
            out_inv_scale,
            delta_out,
            n,
            indptr,
            indices,
            data,
            velocity,
            learning_rate,
            hebb,
            momentum,
            decay,
            in_code,
            delta_in,
        )


@jit
def fused_update_serial(
    a_in,
    in_min,
    in_inv_scale,
    out_centered,
    out_inv_scale,
    delta_out,
    n,
    indptr,
    indices,
    data,
    velocity,
    learning_rate,
    hebb,
    momentum,
    decay,
    in_code,
    delta_in,
):
    """Single-threaded :func:`fused_update` (same arguments, same results) for small layers."""
    for i in range(indptr.shape[0] - 1):
        _update_row(
            i,
            a_in,
            in_min,
            in_inv_scale,
            out_centered,
            out_inv_scale,
            delta_out,
            n,
            indptr,
            indices,
            data,
            velocity,
            learning_rate,
            hebb,
            momentum,
            decay,
            in_code,
            delta_in,
        )


@jit_reassoc
def _update_row(
    i,
    a_in,
    in_min,
    in_inv_scale,
    out_centered,
    out_inv_scale,
    delta_out,
    n,
    indptr,
    indices,
    data,
    velocity,
    learning_rate,
    hebb,
    momentum,
    decay,
    in_code,
    delta_in,
):
    n_in = indptr.shape[0] - 1
    width = a_in.shape[1]
    backprop = delta_in.shape[0] == n_in
    inv_n = 1.0 / n
    use_hebb = hebb != 0
    x = a_in[i]
    zero = x[:0].sum()  # 0 in the data dtype: float32 sums stay float32 (vectorised)
    m_i = in_min[i] if use_hebb else zero
    s_i = in_inv_scale[i] if use_hebb else 0.0
    if backprop:
        d_in = delta_in[i]
        for b in range(width):
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
                for b in range(width):
                    db = d[b]
                    g += x[b] * db
                    d_in[b] += w * db
                    h += (x[b] - m_i) * yc[b]
            else:
                for b in range(width):
                    g += x[b] * d[b]
                    h += (x[b] - m_i) * yc[b]
        elif backprop:
            for b in range(width):
                db = d[b]
                g += x[b] * db
                d_in[b] += w * db
        else:
            for b in range(width):
                g += x[b] * d[b]
        step = -learning_rate * g * inv_n
        hstep = 0.0
        if use_hebb:
            hstep = hebb * h * inv_n * s_i * out_inv_scale[j]
        if momentum != 0:
            v = momentum * velocity[k] + step
            velocity[k] = v
            data[k] = w + v + hstep - decay * w
        else:
            data[k] = w + step + hstep - decay * w
    if backprop:
        derivative_row(in_code, x, d_in)


@jit
def bias_update(delta_out, n, bias, velocity, learning_rate, momentum, decay):
    r"""Gradient step on the biases: :math:`\Delta b_j = -\alpha \frac1B\sum_b \delta_{jb}`.

    Same momentum and decay as :func:`fused_update`.

    Parameters
    ----------
    delta_out : ndarray of shape (n_out, width), float32 or float64
        0 on the padding.
    n : int
        Batch size.
    bias, velocity : ndarray of shape (n_out,)
        Updated in place.
    learning_rate, momentum, decay : float
    """
    n_out, width = delta_out.shape
    for j in range(n_out):
        s = 0.0
        for b in range(width):
            s += delta_out[j, b]
        step = -learning_rate * s / n
        w = bias[j]
        if momentum != 0:
            v = momentum * velocity[j] + step
            velocity[j] = v
            bias[j] = w + v - decay * w
        else:
            bias[j] = w + step - decay * w
