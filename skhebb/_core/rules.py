"""Unsupervised local plasticity rules as mini-batch kernels.

Every ``*_step`` kernel takes the weights ``W`` of shape ``(n_units, n_features)``
and a dense, C-contiguous mini-batch ``X`` of shape ``(n_samples, n_features)``
in the same floating dtype (float32 or float64), computes the rule's update
``G`` for the whole batch and applies it to ``W`` in place:

* ``W += learning_rate / n_samples * G`` (the per-sample rule averaged over the
  batch), or, with ``normalize=True``,
* ``W += learning_rate * G / max|G|`` (Krotov & Hopfield's normalisation; the
  step is then independent of the scale of the input).

The ``*_responses`` functions compute the outputs that the rules learn from;
the estimators use the same functions in ``transform``, so training and
inference share one code path. Products of the batch with the weights go
through BLAS (``np.dot``). The two loops heavy enough to pay for threads run
in parallel over weight rows (Sanger's decorrelation) or samples (Krotov's
ranking) once the work is large (:func:`skhebb._core._jit.parallel_twins`), so
no two threads write the same element; everything else is serial. The
activations are those of :data:`skhebb._core.activations.ACTIVATIONS`.

Every step kernel also counts, per unit, how many samples of the batch it won
(largest response) in ``wins`` (int64, shape ``(n_units,)``); the estimators
use these counts to find and repair dead units.

So every step kernel takes ``W`` (updated in place), ``X``, ``learning_rate``
(float), ``normalize`` (bool) and ``wins`` (updated in place) as just described;
its docstring lists the others.
"""

import math

import numpy as np
from numba import prange

from skhebb._core._jit import jit, parallel_twins
from skhebb._core.activations import apply_activation

__all__ = [
    "SIMILARITIES",
    "hpca_step",
    "soft_wta_responses",
    "soft_wta_step",
    "softhebb_step",
    "inhibited_responses",
    "lateral_inhibition_step",
    "krotov_step",
    "signed_power",
    "count_wins",
]

#: Names of the responses of the competitive units: ``w·x`` or ``w·x − |w|²/2``.
SIMILARITIES = ("dot", "euclidean")


@jit
def count_wins(R, wins):
    """Add to ``wins[i]`` the number of rows of ``R`` whose largest entry is unit ``i``.

    Parameters
    ----------
    R : ndarray of shape (n_samples, n_units), float32 or float64
        Responses of the units.
    wins : ndarray of shape (n_units,), int64
        Counts, updated in place (ties go to the first unit).
    """
    n, k = R.shape
    if k == 0:
        return
    for b in range(n):
        best = 0
        for i in range(1, k):
            if R[b, i] > R[b, best]:
                best = i
        wins[best] += 1


@jit
def _apply_update(W, G, learning_rate, n_samples, normalize):
    """``W += learning_rate * G / s`` with ``s = max|G|`` or ``s = n_samples``."""
    k, d = W.shape
    if normalize:
        scale = 0.0
        for i in range(k):
            for t in range(d):
                a = abs(G[i, t])
                if a > scale:
                    scale = a
        if scale < 1e-30:
            scale = 1e-30
    else:
        scale = float(n_samples)
    step = learning_rate / scale
    for i in range(k):
        for t in range(d):
            W[i, t] += step * G[i, t]


def _triangle_work(G, C, W):
    return W.shape[0] * W.size // 2


@parallel_twins("loop_iterations", _triangle_work)
def _subtract_lower_triangular(G, C, W):
    """``G_i -= sum_{j <= i} C_ij W_j`` for every row ``i`` (Sanger's decorrelation)."""
    k, d = W.shape
    for i in prange(k):
        for j in range(i + 1):
            c = C[i, j]
            if c != 0.0:
                for t in range(d):
                    G[i, t] -= c * W[j, t]


@jit
def _subtract_scaled_rows(G, s, W):
    """``G_i -= s_i W_i`` for every row ``i``."""
    k, d = W.shape
    for i in range(k):
        c = s[i]
        for t in range(d):
            G[i, t] -= c * W[i, t]


@jit
def hpca_step(W, X, activation, learning_rate, normalize, wins):
    """One mini-batch of the nonlinear Hebbian PCA rule (Sanger's rule for ``identity``).

    For each sample ``x`` with outputs ``y = W x``,
    ``Δw_i = f(y_i) (x − Σ_{j≤i} f(y_j) w_j)``; the updates are summed over the
    batch and applied as described in the module docstring.

    Parameters
    ----------
    W, X : ndarray
        Weights and mini-batch, as for every step kernel.
    activation : int
        Code of ``f`` in :data:`skhebb._core.activations.ACTIVATIONS` (an
        element-wise activation).
    learning_rate, normalize, wins
        As for every step kernel.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_components)
        The linear outputs ``X @ W.T`` before the update.
    """
    Y = np.dot(X, W.T)
    F = Y.copy()
    apply_activation(F, activation)
    _sanger_update(W, X, F, learning_rate, normalize, wins)
    return Y


@jit
def _sanger_update(W, X, F, learning_rate, normalize, wins):
    """Sanger's rule on the outputs ``F``: ``Δw_i = f_i (x − Σ_{j≤i} f_j w_j)`` per sample.

    Counts the wins of ``F`` and applies the summed update (module docstring).
    """
    count_wins(F, wins)
    Ft = np.ascontiguousarray(F.T)
    G = np.dot(Ft, X)
    C = np.dot(Ft, F)
    _subtract_lower_triangular(G, C, W)
    _apply_update(W, G, learning_rate, X.shape[0], normalize)


@jit
def soft_wta_responses(W, X, temperature, similarity):
    """Soft winner-take-all assignments ``r = softmax(s / T)`` of each sample.

    Parameters
    ----------
    W, X : ndarray
        Prototypes and samples, as for every step kernel.
    temperature : float
        ``T >= 0``. ``T = 0`` gives hard winner-take-all (one-hot on the first
        largest response); a tiny ``T`` cannot overflow because the largest
        response is subtracted before exponentiating.
    similarity : int
        0: ``s_i = w_i · x`` (the paper); 1: ``s_i = w_i · x − |w_i|² / 2``,
        which ranks the units by Euclidean distance to ``x``.

    Returns
    -------
    S : ndarray of shape (n_samples, n_units)
        The responses ``s``.
    R : ndarray of shape (n_samples, n_units)
        The assignments; each row sums to 1.
    """
    S = np.dot(X, W.T)
    n, k = S.shape
    if similarity == 1:
        half = np.empty(k, dtype=W.dtype)
        for i in range(k):
            half[i] = 0.5 * np.dot(W[i], W[i])
        for b in range(n):
            for i in range(k):
                S[b, i] -= half[i]
    R = np.zeros_like(S)
    for b in range(n):
        best = 0
        for i in range(1, k):
            if S[b, i] > S[b, best]:
                best = i
        if temperature <= 0.0:
            R[b, best] = 1.0
            continue
        m = S[b, best]
        total = 0.0
        for i in range(k):
            e = math.exp((S[b, i] - m) / temperature)
            R[b, i] = e
            total += e
        for i in range(k):
            R[b, i] /= total
    return S, R


@jit
def soft_wta_step(
    W, X, temperature, similarity, learning_rate, normalize, wins, sample_weight=None
):
    """One mini-batch of competitive soft winner-take-all learning.

    ``r = softmax(s / T)``; for each sample ``Δw_i = r_i (x − w_i)``.

    Parameters
    ----------
    W, X : ndarray
        Weights and mini-batch, as for every step kernel.
    temperature : float
        Softmax temperature (0: hard winner-take-all).
    similarity : int
        Index in :data:`SIMILARITIES`.
    learning_rate, normalize, wins
        As for every step kernel.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weight of each sample: its share of the update is multiplied by it
        and the update is divided by the sum of the weights instead of
        ``n_samples``. None: every weight is 1.

    Returns
    -------
    R : ndarray of shape (n_samples, n_units)
        The assignments used for the update.
    """
    return _soft_step(
        W, X, temperature, similarity, learning_rate, normalize, wins, False, sample_weight
    )


@jit
def softhebb_step(W, X, temperature, learning_rate, normalize, wins, sample_weight=None):
    """One mini-batch of SoftHebb (Moraitis et al. 2022).

    ``u = W x``, ``y = softmax(u / τ)``; for each sample
    ``Δw_ik = y_k (x_i − u_k w_ik)``.

    Parameters
    ----------
    W, X : ndarray
        Weights and mini-batch, as for every step kernel.
    temperature : float
        Softmax temperature τ (0: hard winner-take-all).
    learning_rate, normalize, wins
        As for every step kernel.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        As for :func:`soft_wta_step`.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_units)
        The soft outputs used for the update.
    """
    return _soft_step(W, X, temperature, 0, learning_rate, normalize, wins, True, sample_weight)


@jit
def _soft_step(
    W, X, temperature, similarity, learning_rate, normalize, wins, softhebb, sample_weight
):
    """Both soft competitive rules: ``Δw_i = r_i x − c_i w_i`` summed over the batch.

    ``r = softmax(s / T)``; ``c_i = r_i`` (soft-WTA) or ``c_i = r_i s_i`` (SoftHebb).
    """
    S, R = soft_wta_responses(W, X, temperature, similarity)
    count_wins(S, wins)
    n_samples = float(X.shape[0])
    if sample_weight is not None:
        n_samples = 0.0
        for b in range(R.shape[0]):
            n_samples += sample_weight[b]
            for i in range(R.shape[1]):
                R[b, i] *= sample_weight[b]
    Rt = np.ascontiguousarray(R.T)
    G = np.dot(Rt, X)
    if softhebb:
        c = (Rt * np.ascontiguousarray(S.T)).sum(axis=1)
    else:
        c = Rt.sum(axis=1)
    _subtract_scaled_rows(G, c, W)
    _apply_update(W, G, learning_rate, n_samples, normalize)
    return R


@jit
def inhibited_responses(W, X, inhibition):
    """Responses after lateral inhibition, ``h_μ = h̃_μ^λ / max_ν h̃_ν^λ``.

    ``h̃ = relu(W x)``; computed as ``(h̃_μ / max_ν h̃_ν)^λ`` so that a large
    ``λ`` cannot overflow. A sample with no positive response gives ``h = 0``.

    Parameters
    ----------
    W, X : ndarray
        Selectors and samples, as for every step kernel.
    inhibition : float
        ``λ >= 1`` (1: no inhibition, large: winner-take-all).

    Returns
    -------
    H : ndarray of shape (n_samples, n_units)
        The inhibited responses, in ``[0, 1]``.
    """
    H = np.dot(X, W.T)
    n, k = H.shape
    for b in range(n):
        m = 0.0
        for i in range(k):
            if H[b, i] > m:
                m = H[b, i]
        for i in range(k):
            h = H[b, i]
            H[b, i] = (h / m) ** inhibition if (h > 0.0 and m > 0.0) else 0.0
    return H


@jit
def lateral_inhibition_step(
    W, X, inhibition, learning_rate, normalize, average, gamma, epsilon, wins
):
    """One mini-batch of Sanger's rule on laterally inhibited outputs (Zhu & Liu).

    ``h`` from :func:`inhibited_responses`; for each sample
    ``Δw_i = h_i (x − Σ_{k≤i} h_k w_k)``. After the update, the exponential
    average of each selector's output is advanced over the batch,
    ``a_i ← γ a_i + (1 − γ) h_i`` (sample by sample), and every selector is
    multiplied by its growth factor
    ``f_i = 1 + ε tanh(−(|a_i / mean(a)| − 1) / ε)`` (``epsilon = 0`` turns it off).

    Parameters
    ----------
    W, X : ndarray
        Selectors and mini-batch, as for every step kernel.
    inhibition : float
        λ.
    learning_rate, normalize
        As for every step kernel (``learning_rate`` is α).
    average : ndarray of shape (n_selectors,), float64
        Exponential averages ``a``, updated in place.
    gamma : float
        Rigidity of the average, in ``[0, 1)``.
    epsilon : float
        Strength of the growth factor, ``>= 0``.
    wins : ndarray of shape (n_selectors,), int64
        As for every step kernel.

    Returns
    -------
    H : ndarray of shape (n_samples, n_selectors)
        The inhibited responses used for the update.
    """
    H = inhibited_responses(W, X, inhibition)
    _sanger_update(W, X, H, learning_rate, normalize, wins)
    n, k = H.shape
    for b in range(n):
        for i in range(k):
            average[i] = gamma * average[i] + (1.0 - gamma) * H[b, i]
    if epsilon > 0.0 and k > 0:
        mean = average.sum() / k
        if mean > 0.0:
            factor = np.empty(k, dtype=W.dtype)
            for i in range(k):
                factor[i] = 1.0 + epsilon * math.tanh(-(abs(average[i] / mean) - 1.0) / epsilon)
            _scale_rows(W, factor)
    return H


@jit
def _scale_rows(W, factor):
    k, d = W.shape
    for i in range(k):
        f = factor[i]
        for t in range(d):
            W[i, t] *= f


@jit
def _signed_power_rows(W, q, rows, out):
    """``out[i] = sign(W[i]) |W[i]|^q`` for every row ``i`` in ``rows``."""
    d = W.shape[1]
    for r in range(rows.shape[0]):
        i = rows[r]
        for t in range(d):
            w = W[i, t]
            if q == 2.0:
                out[i, t] = w * abs(w)
            elif q == 1.0:
                out[i, t] = w
            else:
                a = abs(w) ** q
                out[i, t] = a if w >= 0.0 else -a


def signed_power(W, q):
    """``sign(W) |W|^q``, a new array of the dtype of ``W``.

    Parameters
    ----------
    W : ndarray of shape (n_units, n_features), float32 or float64
        Weights.
    q : float
        Exponent.

    Returns
    -------
    Wq : ndarray of shape (n_units, n_features)
        The signed power, C-contiguous.
    """
    W = np.ascontiguousarray(W)
    out = np.empty_like(W)
    _signed_power_rows(W, float(q), np.arange(W.shape[0]), out)
    return out


def _rank_work(current, *_):
    return current.size * 8  # about 8 comparisons per current


@parallel_twins("loop_iterations", _rank_work)
def _rank_units(current, k, first, kth):
    """Per sample (row): index of the largest and of the ``k``-th largest current."""
    n, m = current.shape
    for b in prange(n):
        # insertion into a sorted buffer of the k largest (ties: lower index first)
        top = np.empty(k, dtype=np.int64)
        filled = 0
        row = current[b]
        for i in range(m):
            v = row[i]
            if filled == k and v <= row[top[k - 1]]:
                continue
            pos = filled if filled < k else k - 1
            while pos > 0 and v > row[top[pos - 1]]:
                if pos < k:
                    top[pos] = top[pos - 1]
                pos -= 1
            top[pos] = i
            if filled < k:
                filled += 1
        first[b] = top[0]
        kth[b] = top[k - 1]


@jit
def _krotov_update(W, powered, X, current, first, kth, q, delta, learning_rate, normalize,
                   wins):
    """Apply the update of one ranked mini-batch to the rows it touches.

    Only the winners and the ``k``-th ranked units of the batch (at most
    ``2 n`` rows) get a non-zero update ``G``; it is gathered from the samples
    by a scatter (no product with a mostly-zero matrix), and ``powered`` is
    recomputed for those rows only, so it stays ``sign(W) |W|^q``.
    """
    m, d = W.shape
    n = X.shape[0]
    slot = np.full(m, -1, dtype=np.int64)  # row of G of each touched unit
    rows = np.empty(2 * n, dtype=np.int64)
    r = 0
    for b in range(n):
        for u in (first[b], kth[b]):
            if slot[u] < 0:
                slot[u] = r
                rows[r] = u
                r += 1
    rows = rows[:r]
    G = np.zeros((r, d), dtype=W.dtype)
    s = np.zeros(r)  # sum over the batch of g_u I_u
    for b in range(n):
        u, v = first[b], kth[b]
        wins[u] += 1
        i, j = slot[u], slot[v]
        for t in range(d):
            G[i, t] += X[b, t]
            G[j, t] -= delta * X[b, t]
        s[i] += current[b, u]
        s[j] -= delta * current[b, v]
    scale = 0.0
    for i in range(r):
        u = rows[i]
        c = s[i]
        for t in range(d):
            g = G[i, t] - c * W[u, t]
            G[i, t] = g
            if abs(g) > scale:
                scale = abs(g)
    if normalize:
        if scale < 1e-30:
            scale = 1e-30
    else:
        scale = float(n)
    step = learning_rate / scale
    for i in range(r):
        u = rows[i]
        for t in range(d):
            W[u, t] += step * G[i, t]
    _signed_power_rows(W, q, rows, powered)


def krotov_step(W, X, p, k, delta, learning_rate, normalize, wins, powered=None):
    """One mini-batch of the Krotov–Hopfield rank rule ("unsupervised learning by
    competing hidden units", PNAS 2019).

    Currents ``I_μ = Σ_i sign(W_μi) |W_μi|^{p−1} x_i``. For each sample the unit
    with the largest current gets ``g = 1``, the ``k``-th ranked unit gets
    ``g = −Δ``, all others ``g = 0``, and
    ``ΔW_μi = g_μ (x_i − I_μ W_μi)``, which drives each row to the unit
    ``p``-norm sphere.

    The currents are one dense product, computed by BLAS (NumPy's ``@``); the
    ranking and the update, which touches at most two rows per sample, are
    compiled loops. Unlike the other step kernels this is a Python function.

    Parameters
    ----------
    W, X : ndarray
        Weights and mini-batch, as for every step kernel.
    p : float
        Norm exponent, ``>= 1``.
    k : int
        Rank of the anti-Hebbian unit, ``2 <= k <= n_units``.
    delta : float
        Strength Δ of the anti-Hebbian update, ``>= 0``.
    learning_rate, normalize, wins
        As for every step kernel (Krotov's choice is ``normalize=True``).
    powered : ndarray of shape (n_units, n_features) or None, default=None
        ``signed_power(W, p - 1)``, C-contiguous, of the dtype of ``W``; its
        rows that the step changes are updated in place, so that a caller
        that keeps it across the steps of a pass computes the power of the
        whole matrix once. None computes it for this step only.

    Returns
    -------
    I : ndarray of shape (n_samples, n_units)
        The currents used for the update.
    """
    q = float(p) - 1.0
    if powered is None:
        powered = signed_power(W, q)
    current = X @ powered.T
    n = X.shape[0]
    first = np.empty(n, dtype=np.int64)
    kth = np.empty(n, dtype=np.int64)
    _rank_units(current, k, first, kth)
    _krotov_update(W, powered, X, current, first, kth, q, float(delta), float(learning_rate),
                   bool(normalize), wins)
    return current
