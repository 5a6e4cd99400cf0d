"""Kernels of the supervised (teacher-forced) Hebbian rules.

During training the output layer's activity is forced to the target, so each
rule only needs the pre-synaptic activities ``H`` (one row per sample) and the
forced post-synaptic activities ``Y`` (one row per sample, usually one-hot).
Every kernel applies its rule **sample by sample, in order** (an online rule:
the result does not depend on how the samples are grouped into batches) and
updates the weight matrix ``W`` of shape ``(n_out, n_in)`` in place.

The module also builds the fixed pooling layer of Qumsieh's Appendix A as CSR
arrays (rows are inputs, as every skhebb layer).

All kernels accept float32 or float64 arrays (``W``, ``H`` and ``Y`` of one
dtype) and scalar hyper-parameters as Python floats. The shapes: ``W``
``(n_out, n_in)``, C-contiguous; ``H`` ``(n_samples, n_in)``; ``Y``
``(n_samples, n_out)``.
"""

import math

import numpy as np

from skhebb._core._jit import jit

__all__ = [
    "delta_rule_update",
    "oja_rule_update",
    "pooling_connectivity",
    "rectified_tanh",
    "threshold_rule_update",
]


@jit
def threshold_rule_update(
    W, H, Y, eta_ltp, eta_ltd, theta, creation, reset, inhibitory, sample_weight=None
):
    """Qumsieh's threshold LTP/LTD rule, applied sample by sample in place.

    For every sample ``s`` and synapse ``(k, j)``, with pre-synaptic activity
    ``x = H[s, j]`` and forced post-synaptic activity ``y = Y[s, k]``:

    * ``x <= 0`` (silent pre-synaptic neuron): no change;
    * ``x * y >= theta`` (LTP): ``w <- creation`` if ``w == 0`` (a new
      synapse), else ``w <- w + eta_ltp * x * y``;
    * otherwise (LTD): ``w <- w - eta_ltd * x``; an absent synapse
      (``w == 0``) stays absent unless ``inhibitory`` is true, in which case
      it becomes an inhibitory synapse ``-eta_ltd * x``.

    Then the sign is preserved (no update takes a weight across zero: it stops
    at 0) and a weight whose magnitude exceeds 1 is reset to
    ``sign(w) * reset``. A zero weight is an absent synapse; creation makes it
    excitatory (``creation > 0``), so with ``inhibitory`` false weights that
    start at 0 stay in [0, 1].

    Parameters
    ----------
    W : ndarray of shape (n_out, n_in), float32 or float64
        Weights, C-contiguous, updated in place.
    H : ndarray of shape (n_samples, n_in), same dtype as ``W``
        Pre-synaptic activities, expected in [0, 1].
    Y : ndarray of shape (n_samples, n_out), same dtype as ``W``
        Forced post-synaptic activities (one-hot targets), in [0, 1].
    eta_ltp, eta_ltd : float
        Potentiation and depression rates (>= 0).
    theta : float
        Co-activity threshold of LTP (> 0).
    creation : float
        Value given to a new synapse (weight 0 potentiated), in (0, 1].
    reset : float
        Magnitude a weight is reset to when it leaves [-1, 1], in (0, 1].
    inhibitory : bool
        Whether LTD of an absent synapse creates an inhibitory one.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weight of each sample: its LTP and LTD steps are multiplied by it
        (creation still sets ``creation``). None: every weight is 1.
    """
    n_samples, n_in = H.shape
    n_out = W.shape[0]
    ltp, ltd = eta_ltp, eta_ltd
    for s in range(n_samples):
        if sample_weight is not None:
            ltp, ltd = eta_ltp * sample_weight[s], eta_ltd * sample_weight[s]
        for k in range(n_out):
            y = Y[s, k]
            for j in range(n_in):
                x = H[s, j]
                if x <= 0.0:
                    continue
                w = W[k, j]
                if x * y >= theta:
                    if w == 0.0:
                        new = creation
                    else:
                        new = w + ltp * x * y
                else:
                    if w == 0.0 and not inhibitory:
                        continue
                    new = w - ltd * x
                if (w > 0.0 and new < 0.0) or (w < 0.0 and new > 0.0):
                    new = 0.0
                if new > 1.0:
                    new = reset
                elif new < -1.0:
                    new = -reset
                W[k, j] = new


@jit
def delta_rule_update(W, H, Y, alpha, max_norm, sample_weight=None):
    """Zhu and Liu's delta rule with a softmax output, sample by sample in place.

    For every sample: ``p = softmax(W h)``, ``W <- W + alpha (t - p) h^T``
    with ``t = Y[s]``, then every row ``w_k`` whose largest magnitude exceeds
    ``max_norm`` is divided by ``max_k |w_kj| / max_norm`` (a max-norm
    constraint in the infinity norm).

    Parameters
    ----------
    W, H, Y : ndarray
        Weights (updated in place), pre-synaptic activities and targets ``t``
        (one-hot rows); shapes in the module docstring.
    alpha : float
        Learning rate (> 0).
    max_norm : float
        Largest allowed magnitude of a weight (> 0).
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weight of each sample: multiplies its step and its loss. None: 1.

    Returns
    -------
    loss : float
        Sum over the samples of the (weighted) cross-entropy
        ``-sum_k t_k log p_k``, each computed before that sample's update.
    """
    n_samples, n_in = H.shape
    n_out = W.shape[0]
    z = np.empty(n_out, dtype=np.float64)
    loss = 0.0
    for s in range(n_samples):
        weight = 1.0 if sample_weight is None else sample_weight[s]
        zmax = -np.inf
        for k in range(n_out):
            acc = 0.0
            for j in range(n_in):
                acc += W[k, j] * H[s, j]
            z[k] = acc
            if acc > zmax:
                zmax = acc
        total = 0.0
        for k in range(n_out):
            z[k] = math.exp(z[k] - zmax)
            total += z[k]
        for k in range(n_out):
            p = z[k] / total
            t = Y[s, k]
            if t > 0.0:
                loss -= weight * t * math.log(max(p, 1e-300))
            g = alpha * weight * (t - p)
            if g == 0.0:
                continue
            peak = 0.0
            for j in range(n_in):
                W[k, j] += g * H[s, j]
                a = abs(W[k, j])
                if a > peak:
                    peak = a
            if peak > max_norm:
                scale = max_norm / peak
                for j in range(n_in):
                    W[k, j] *= scale
    return loss


@jit
def oja_rule_update(W, H, Y, eta, sample_weight=None):
    """Forced-output Oja rule, sample by sample in place.

    For every sample and output ``k`` with forced activity ``y = Y[s, k]``:
    ``w_k <- w_k + eta * y * (h - y * w_k)``. Outputs with ``y = 0`` do not
    change; with a one-hot target the row of the target class moves towards
    ``h`` (an exponential average of its class's samples).

    Parameters
    ----------
    W, H, Y : ndarray
        Weights (updated in place), pre-synaptic and forced post-synaptic
        activities; shapes in the module docstring.
    eta : float
        Learning rate (> 0).
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weight of each sample: multiplies its rate. None: every weight is 1.
    """
    n_samples, n_in = H.shape
    n_out = W.shape[0]
    rate = eta
    for s in range(n_samples):
        if sample_weight is not None:
            rate = eta * sample_weight[s]
        for k in range(n_out):
            y = Y[s, k]
            if y == 0.0:
                continue
            for j in range(n_in):
                W[k, j] += rate * y * (H[s, j] - y * W[k, j])


@jit
def rectified_tanh(Z, beta, bias):
    """Rectified tanh activation ``max(0, tanh(beta * (z - bias)))`` in place.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_units), float32 or float64
        Net inputs, C-contiguous; overwritten by the activities.
    beta : float
        Slope of the tanh (> 0).
    bias : float
        Fixed bias subtracted from every net input.
    """
    n, m = Z.shape
    for s in range(n):
        for j in range(m):
            v = math.tanh(beta * (Z[s, j] - bias))
            Z[s, j] = v if v > 0.0 else 0.0


@jit
def pooling_connectivity(side_in, side_out, connectivity):
    """Receptive fields of the fixed pooling layer (Qumsieh, Appendix A), as CSR.

    Input ``i`` sits at row ``i // side_in`` and column ``i % side_in`` of a
    ``side_in x side_in`` grid; hidden unit ``u`` at ``(u // side_out,
    u % side_out)`` of a ``side_out x side_out`` grid. Input ``(r, c)`` falls
    on the hidden cell ``(a, b) = (r * side_out // side_in, c * side_out //
    side_in)`` and connects to every hidden unit ``(r2, c2)`` with
    ``|a - r2| < connectivity`` and ``|b - c2| < connectivity``.
    ``connectivity = 1`` gives non-overlapping square pools (each input feeds
    one hidden unit); larger values give overlapping receptive fields.

    Parameters
    ----------
    side_in : int
        Side of the input grid (``n_in = side_in ** 2``).
    side_out : int
        Side of the hidden grid, ``1 <= side_out <= side_in``.
    connectivity : int
        Connectivity factor, >= 1.

    Returns
    -------
    indptr : ndarray of shape (side_in ** 2 + 1,), int32
        Row pointers, one row per input.
    indices : ndarray of shape (nnz,), int32
        Hidden units of each input, sorted within each row.
    """
    n_in = side_in * side_in
    indptr = np.zeros(n_in + 1, dtype=np.int32)
    k = connectivity
    for i in range(n_in):
        a = (i // side_in) * side_out // side_in
        b = (i % side_in) * side_out // side_in
        nr = min(a + k - 1, side_out - 1) - max(a - k + 1, 0) + 1
        nc = min(b + k - 1, side_out - 1) - max(b - k + 1, 0) + 1
        indptr[i + 1] = indptr[i] + nr * nc
    indices = np.empty(indptr[n_in], dtype=np.int32)
    for i in range(n_in):
        a = (i // side_in) * side_out // side_in
        b = (i % side_in) * side_out // side_in
        pos = indptr[i]
        for r2 in range(max(a - k + 1, 0), min(a + k - 1, side_out - 1) + 1):
            for c2 in range(max(b - k + 1, 0), min(b + k - 1, side_out - 1) + 1):
                indices[pos] = r2 * side_out + c2
                pos += 1
    return indptr, indices
