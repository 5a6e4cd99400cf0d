"""Slow, obviously correct NumPy twins of the kernels, written from the equations.

One twin per kernel of :mod:`skhebb._core`, with the kernel's name and its
arguments in the kernel's order. A twin never modifies its arguments: it
returns, in argument order, the new values of the arrays that the kernel
updates in place, followed by what the kernel returns (a single array or
value is returned alone). Everything is computed in float64; codes (of an
activation, a loss, a similarity) are those the kernels take.

The last section holds whole-network references (dense weight matrices with a
0/1 mask for the sparse layers, sample-major) used to check a training step
and its gradient end to end.
"""

import numpy as np

from skhebb._core.activations import ACTIVATIONS
from skhebb._core.losses import LOSS_LOG, LOSS_MSE, LOSS_SET_MSE

HEBB_EPS = 1e-4

_NAMES = {code: name for name, code in ACTIVATIONS.items()}


def _f64(a):
    return np.array(a, dtype=np.float64)


# ------------------------------------------------------------- activations
def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


_ELEMENTWISE = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softplus": lambda z: np.logaddexp(0.0, z),
}

#: f'(z) written with a = f(z).
_DERIVATIVES = {
    "identity": np.ones_like,
    "relu": lambda a: (a > 0).astype(float),
    "sigmoid": lambda a: a * (1 - a),
    "tanh": lambda a: 1 - a**2,
}


def activate_row(code, z):
    """f(z) for one unit's batch (softmax leaves ``z`` unchanged, as the kernel)."""
    name = _NAMES[code]
    return _f64(z) if name == "softmax" else _ELEMENTWISE[name](_f64(z))


def apply_activation(U, code):
    return _ELEMENTWISE[_NAMES[code]](_f64(U))


def derivative_row(code, a, d):
    return _f64(d) * _DERIVATIVES[_NAMES[code]](_f64(a))


def softmax_columns(z):
    z = _f64(z)
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def row_stats(a, amin, amean, inv_scale, centered):
    a = _f64(a)
    lo, hi, mean = a.min(axis=1), a.max(axis=1), a.mean(axis=1)
    c = a - mean[:, None] if centered.shape[0] == a.shape[0] else _f64(centered)
    return lo, mean, 1 / (hi - lo + HEBB_EPS), c


# ------------------------------------------------------------ sparse layers
def to_dense(indptr, indices, data, shape):
    """Dense weight matrix (n_in × n_out) and its 0/1 mask from CSR arrays."""
    W = np.zeros(shape)
    M = np.zeros(shape, dtype=bool)
    for i in range(shape[0]):
        for k in range(indptr[i], indptr[i + 1]):
            W[i, indices[k]] = data[k]
            M[i, indices[k]] = True
    return W, M


def build_csc(indptr, indices, n_out):
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    cperm = np.lexsort((rows, indices))  # by unit, then by input
    cindptr = np.concatenate([[0], np.cumsum(np.bincount(indices, minlength=n_out))])
    return cindptr, rows[cperm], cperm


def dense_to_feature_major(X, out):
    return _f64(X).T


def csr_to_feature_major(indptr, indices, data, out):
    dense = np.zeros(out.shape[::-1])
    for b in range(len(indptr) - 1):
        dense[b, indices[indptr[b] : indptr[b + 1]]] = data[indptr[b] : indptr[b + 1]]
    return dense.T


def forward(a_in, cindptr, crow, cperm, data, bias, code, a_out, amin, amean, inv_scale, centered):
    n_in, n_out = a_in.shape[0], len(cindptr) - 1
    W = np.zeros((n_in, n_out))
    for j in range(n_out):
        for p in range(cindptr[j], cindptr[j + 1]):
            W[crow[p], j] = data[cperm[p]]
    Z = W.T @ _f64(a_in) + _f64(bias)[:, None]
    A = softmax_columns(Z) if _NAMES[code] == "softmax" else activate_row(code, Z)
    if amin.shape[0] != n_out:
        return A, _f64(amin), _f64(amean), _f64(inv_scale), _f64(centered)
    return (A, *row_stats(A, amin, amean, inv_scale, centered))


def optimizer_step(W, G, extra, state, hyper):
    """One optimiser step on dense arrays: ``W`` weights, ``G`` mean gradient, ``state`` rows.

    ``hyper`` as :func:`skhebb._core.optim.hyper_parameters` fills it (solver, step size with
    Adam's bias correction, momentum, Nesterov, beta_1, beta_2, epsilon, decay).
    """
    solver, lr, mu, nesterov, b1, b2, eps, decay = (float(v) for v in hyper)
    W, G = _f64(W), _f64(G)
    state = [_f64(s) for s in state]
    if solver == 1:  # Adam
        m = b1 * state[0] + (1 - b1) * G
        v = b2 * state[1] + (1 - b2) * G**2
        return W - lr * m / (np.sqrt(v) + eps) + extra - decay * W, [m, v]
    step = -lr * G
    if mu != 0:
        v = mu * state[0] + step
        new = W + (mu * v + step if nesterov else v)
        return new + extra - decay * W, [v]
    return W + step + extra - decay * W, state


def fused_update(
    a_in,
    in_min,
    in_inv_scale,
    out_centered,
    out_inv_scale,
    delta_out,
    indptr,
    indices,
    data,
    state,
    hyper,
    hebb,
    in_code,
    delta_in,
):
    """Eq. 8 on the stored connections, and the error of the inputs with the old weights."""
    n_in, n_out = a_in.shape[0], delta_out.shape[0]
    n = a_in.shape[1]
    W, M = to_dense(indptr, indices, data, (n_in, n_out))
    S = [to_dense(indptr, indices, row, (n_in, n_out))[0] for row in state]
    G = (_f64(a_in) @ _f64(delta_out).T) / n
    H = np.zeros_like(W)
    if hebb != 0:
        P = (_f64(a_in) - _f64(in_min)[:, None]) * _f64(in_inv_scale)[:, None]  # â_i - min â_i
        Q = _f64(out_centered) * _f64(out_inv_scale)[:, None]  # â_j - mean â_j
        H = P @ Q.T / n
    new_W, new_S = optimizer_step(W, G, hebb * H, S, hyper)
    rows = np.repeat(np.arange(n_in), np.diff(indptr))
    new_data = new_W[rows, indices]
    new_state = np.array([s[rows, indices] for s in new_S]).reshape(len(state), len(indices))
    if delta_in.shape[0] == n_in:
        new_delta_in = derivative_row(in_code, a_in, (W * M) @ _f64(delta_out))
    else:
        new_delta_in = _f64(delta_in)
    return new_data, new_state, new_delta_in


def bias_update(delta_out, bias, state, hyper):
    G = _f64(delta_out).mean(axis=1)
    new_bias, new_state = optimizer_step(bias, G, 0.0, list(state), hyper)
    return new_bias, np.array(new_state).reshape(len(state), len(bias))


# ------------------------------------------------------------------ losses
def output_delta(a_out, y, loss_code, delta, sample_weight=None):
    """dJ·B/dz at the output (one-hot targets) and the mean batch loss; with sample weights w,
    the loss is sum(w J_b) / sum(w) and each sample's error is scaled by B w_b / sum(w)."""
    A = _f64(a_out)
    w = np.ones(len(y)) if sample_weight is None or len(sample_weight) == 0 else sample_weight
    T = np.zeros_like(A)
    T[y, np.arange(len(y))] = 1
    E = A - T
    if loss_code == LOSS_MSE:
        D, L = E * A * (1 - A), 0.5 * (E**2).sum(axis=0)
    elif loss_code == LOSS_SET_MSE:  # the sigmoid's derivative taken at the output activation
        D, L = E * _sigmoid(A) * (1 - _sigmoid(A)), 0.5 * (E**2).sum(axis=0)
    else:
        assert loss_code == LOSS_LOG
        D, L = E, -np.log(A[y, np.arange(len(y))])
    return D * w * len(y) / w.sum(), (w * L).sum() / w.sum()


# ---------------------------------------------------------------- topology
def prune_mask(data, zeta, signed):
    """Which connections SET removes; ties go to the earlier stored connection."""
    data = _f64(data)
    remove = np.zeros(len(data), dtype=bool)
    if not signed:
        remove[np.argsort(np.abs(data), kind="stable")[: int(zeta * len(data))]] = True
        return remove
    neg, pos = np.flatnonzero(data < 0), np.flatnonzero(data > 0)
    remove[neg[np.argsort(-data[neg], kind="stable")[: int(zeta * len(neg))]]] = True
    remove[pos[np.argsort(data[pos], kind="stable")[: int(zeta * len(pos))]]] = True
    remove[data == 0] = True
    return remove


# --------------------------------------------------- unsupervised rules
def _apply(W, G, learning_rate, n, normalize):
    scale = max(np.abs(G).max(), 1e-30) if normalize else n
    return W + learning_rate * G / scale


def _first_argmax(r):
    return int(np.flatnonzero(r == r.max())[0])


def count_wins(R, wins):
    wins = np.array(wins, dtype=np.int64)
    for r in R:
        wins[_first_argmax(r)] += 1
    return wins


def hpca_step(W, X, activation, learning_rate, normalize, wins):
    """Nonlinear HPCA: Δw_i = f(y_i) (x − Σ_{j≤i} f(y_j) w_j), summed over the batch."""
    W, X = _f64(W), _f64(X)
    G = np.zeros_like(W)
    F = []
    for x in X:
        fy = apply_activation(W @ x, activation)
        F.append(fy)
        for i in range(W.shape[0]):
            recon = sum(fy[j] * W[j] for j in range(i + 1))
            G[i] += fy[i] * (x - recon)
    new_W = _apply(W, G, learning_rate, X.shape[0], normalize)
    return new_W, count_wins(np.array(F), wins), X @ W.T


def soft_wta_responses(W, X, temperature, similarity):
    W = _f64(W)
    S = _f64(X) @ W.T
    if similarity == 1:  # "euclidean"
        S = S - 0.5 * (W**2).sum(axis=1)
    R = np.zeros_like(S)
    for b, s in enumerate(S):
        if temperature == 0:
            R[b, _first_argmax(s)] = 1.0
        else:
            e = np.exp((s - s.max()) / temperature)
            R[b] = e / e.sum()
    return S, R


def soft_wta_step(W, X, temperature, similarity, learning_rate, normalize, wins):
    """Soft-WTA: r = softmax(s / T), Δw_i = r_i (x − w_i)."""
    W = _f64(W)
    S, R = soft_wta_responses(W, X, temperature, similarity)
    G = np.zeros_like(W)
    for x, r in zip(_f64(X), R, strict=True):
        for i in range(W.shape[0]):
            G[i] += r[i] * (x - W[i])
    return _apply(W, G, learning_rate, X.shape[0], normalize), count_wins(S, wins), R


def softhebb_step(W, X, temperature, learning_rate, normalize, wins):
    """SoftHebb: u = W x, y = softmax(u / τ), Δw_ik = y_k (x_i − u_k w_ik)."""
    W = _f64(W)
    U, Y = soft_wta_responses(W, X, temperature, 0)
    G = np.zeros_like(W)
    for x, u, y in zip(_f64(X), U, Y, strict=True):
        for k in range(W.shape[0]):
            G[k] += y[k] * (x - u[k] * W[k])
    return _apply(W, G, learning_rate, X.shape[0], normalize), count_wins(U, wins), Y


def inhibited_responses(W, X, inhibition):
    Ht = np.maximum(_f64(X) @ _f64(W).T, 0.0)
    H = np.zeros_like(Ht)
    for b, h in enumerate(Ht):
        if h.max() > 0:
            H[b] = h**inhibition / (h**inhibition).max()
    return H


def lateral_inhibition_step(
    W, X, inhibition, learning_rate, normalize, average, gamma, epsilon, wins
):
    """Sanger's rule on inhibited outputs, then the exponential-average growth factor."""
    W = _f64(W)
    H = inhibited_responses(W, X, inhibition)
    G = np.zeros_like(W)
    for x, h in zip(_f64(X), H, strict=True):
        for i in range(W.shape[0]):
            G[i] += h[i] * (x - sum(h[k] * W[k] for k in range(i + 1)))
    W = _apply(W, G, learning_rate, X.shape[0], normalize)
    a = _f64(average)
    for h in H:
        a = gamma * a + (1 - gamma) * h
    if epsilon > 0 and a.mean() > 0:
        A = a / a.mean()
        f = epsilon * np.tanh(-(np.abs(A) - 1) / epsilon) + 1
        W = f[:, None] * W
    return W, a, count_wins(H, wins), H


def krotov_step(W, X, p, k, delta, learning_rate, normalize, wins, powered=None):
    """Krotov–Hopfield: winner Hebbian, k-th ranked anti-Hebbian (−Δ), p-norm currents.

    ``powered`` (the kernel's carried ``sign(W) |W|^(p-1)``) is ignored: the twin
    recomputes it from ``W`` every time.
    """
    W = _f64(W)
    Wp = np.sign(W) * np.abs(W) ** (p - 1)
    G = np.zeros_like(W)
    wins = np.array(wins, dtype=np.int64)
    currents = _f64(X) @ Wp.T
    for x, current in zip(_f64(X), currents, strict=True):
        order = np.argsort(-current, kind="stable")
        g = np.zeros(W.shape[0])
        g[order[0]] += 1.0
        g[order[k - 1]] -= delta
        wins[order[0]] += 1
        G += g[:, None] * x[None, :] - (g * current)[:, None] * W
    return _apply(W, G, learning_rate, X.shape[0], normalize), wins, currents


# ------------------------------------------------------- supervised rules
def _weights(H, sample_weight):
    return np.ones(len(H)) if sample_weight is None else _f64(sample_weight)


def threshold_rule_update(
    W, H, Y, eta_ltp, eta_ltd, theta, creation, reset, inhibitory, sample_weight=None
):
    """Qumsieh's threshold LTP/LTD rule, one sample after the other (vectorised per sample)."""
    W = _f64(W)
    for h, y, sw in zip(_f64(H), _f64(Y), _weights(H, sample_weight), strict=True):
        x = np.broadcast_to(h, W.shape)
        co = np.outer(y, h)
        active = x > 0
        ltp = active & (co >= theta)
        ltd = active & ~ltp & ((W != 0) | inhibitory)
        new = W.copy()
        new[ltp] = np.where(W[ltp] == 0, creation, W[ltp] + sw * eta_ltp * co[ltp])
        new[ltd] = W[ltd] - sw * eta_ltd * x[ltd]
        new[(W > 0) & (new < 0)] = 0.0
        new[(W < 0) & (new > 0)] = 0.0
        new[new > 1] = reset
        new[new < -1] = -reset
        W = new
    return W


def delta_rule_update(W, H, Y, alpha, max_norm, sample_weight=None):
    """Zhu-Liu delta rule with softmax output and an infinity-norm cap per row."""
    W = _f64(W)
    loss = 0.0
    for h, t, sw in zip(_f64(H), _f64(Y), _weights(H, sample_weight), strict=True):
        z = W @ h
        p = np.exp(z - z.max())
        p /= p.sum()
        loss -= sw * np.sum(t[t > 0] * np.log(p[t > 0]))
        W += sw * alpha * np.outer(t - p, h)
        peak = np.abs(W).max(axis=1)
        over = peak > max_norm
        W[over] *= (max_norm / peak[over])[:, None]
    return W, loss


def oja_rule_update(W, H, Y, eta, sample_weight=None):
    """Forced-output Oja rule: w_k += eta y_k (h - y_k w_k), one sample after the other."""
    W = _f64(W)
    for h, y, sw in zip(_f64(H), _f64(Y), _weights(H, sample_weight), strict=True):
        W += sw * eta * y[:, None] * (h[None, :] - y[:, None] * W)
    return W


def rectified_tanh(Z, beta, bias):
    """max(0, tanh(beta (z - bias)))."""
    return np.maximum(0.0, np.tanh(beta * (_f64(Z) - bias)))


def pooling_matrix(side_in, side_out, connectivity):
    """Dense 0/1 pooling matrix of shape (side_in**2, side_out**2), from Appendix A."""
    P = np.zeros((side_in**2, side_out**2))
    for i in range(side_in**2):
        r, c = divmod(i, side_in)
        a, b = r * side_out // side_in, c * side_out // side_in
        for u in range(side_out**2):
            r2, c2 = divmod(u, side_out)
            if abs(a - r2) < connectivity and abs(b - c2) < connectivity:
                P[i, u] = 1.0
    return P


def pooling_connectivity(side_in, side_out, connectivity):
    rows, cols = np.nonzero(pooling_matrix(side_in, side_out, connectivity))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=side_in**2))])
    return indptr, cols


# ---------------------------------------------------------- whole networks
def scale01(A):
    """Per-unit [0, 1] scaling over the batch: (a - min) / (max - min + 1e-4)."""
    lo = A.min(axis=0)
    hi = A.max(axis=0)
    return (A - lo) / (hi - lo + HEBB_EPS)


def hebbian_term(A_pre, A_post, M):
    """mean_b[â_i (â_j - mean_b â_j)] on the stored pattern M (n_in × n_out), sample-major."""
    P = scale01(A_pre)
    Q = scale01(A_post)
    Q = Q - Q.mean(axis=0)
    return (P.T @ Q) / A_pre.shape[0] * M


def _layer(X, W, b, name):
    """a = f(X W + b) for one layer; X is (batch, n_in)."""
    Z = X @ W + b
    return softmax_columns(Z.T).T if name == "softmax" else _ELEMENTWISE[name](Z)


def network_forward(X, Ws, bs, hidden, out):
    acts = [X]
    for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        acts.append(_layer(acts[-1], W, b, out if k == len(Ws) - 1 else hidden))
    return acts


def network_loss(X, y, Ws, bs, hidden, out, loss_code):
    acts = network_forward(X, Ws, bs, hidden, out)
    return output_delta(acts[-1].T, y, loss_code, None)[1]


def train_step(X, y, Ws, Ms, bs, Vw, Vb, *, hidden, out, loss_code, lr, lam, mu, decay):
    """One HebbSET mini-batch step on dense masked matrices; returns new (Ws, bs, Vw, Vb, loss).

    v ← mu v - lr ∂J/∂w;  w ← w + v + lam · hebbian_term - decay w (on the mask).
    """
    n = X.shape[0]
    acts = network_forward(X, Ws, bs, hidden, out)
    delta, J = output_delta(acts[-1].T, y, loss_code, None)
    delta = delta.T
    newW, newb, newVw, newVb = [], [], [], []
    for k in range(len(Ws) - 1, -1, -1):
        G = acts[k].T @ delta / n * Ms[k]
        H = hebbian_term(acts[k], acts[k + 1], Ms[k])
        step = -lr * G
        gb = -lr * delta.mean(axis=0)
        if mu != 0:
            vw = mu * Vw[k] + step
            vb = mu * Vb[k] + gb
        else:
            vw, vb = step, gb
        newW.append(Ws[k] + vw * Ms[k] + lam * H - decay * Ws[k])
        newb.append(bs[k] + vb - decay * bs[k])
        newVw.append(vw * Ms[k] if mu != 0 else Vw[k])
        newVb.append(vb if mu != 0 else Vb[k])
        if k > 0:
            delta = (delta @ Ws[k].T) * _DERIVATIVES[hidden](acts[k])
    return newW[::-1], newb[::-1], newVw[::-1], newVb[::-1], J
