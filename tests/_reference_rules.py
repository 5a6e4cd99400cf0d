"""Slow, plain NumPy versions of the unsupervised rule kernels, written from the papers.

Each function loops over the samples of the batch and applies the per-sample
rule with the weights from before the batch, sums the updates, and applies
them with the same scaling as the kernels (``/ n_samples`` or ``/ max|G|``).
Everything is computed in float64.
"""

import numpy as np

ACTIVATIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "softplus": lambda z: np.log1p(np.exp(z)),
}


def _apply(W, G, learning_rate, n, normalize):
    scale = max(np.abs(G).max(), 1e-30) if normalize else n
    return W + learning_rate * G / scale


def _first_argmax(r):
    return int(np.flatnonzero(r == r.max())[0])


def wins_of(R):
    wins = np.zeros(R.shape[1], dtype=np.int64)
    for r in R:
        wins[_first_argmax(r)] += 1
    return wins


def hpca_step(W, X, activation, learning_rate, normalize=False):
    """Nonlinear HPCA: Δw_i = f(y_i) (x − Σ_{j≤i} f(y_j) w_j)."""
    W = np.asarray(W, np.float64)
    f = ACTIVATIONS[activation]
    G = np.zeros_like(W)
    F = []
    for x in np.asarray(X, np.float64):
        fy = f(W @ x)
        F.append(fy)
        for i in range(W.shape[0]):
            recon = sum(fy[j] * W[j] for j in range(i + 1))
            G[i] += fy[i] * (x - recon)
    return _apply(W, G, learning_rate, X.shape[0], normalize), wins_of(np.array(F))


def soft_wta_assign(W, X, temperature, similarity):
    W = np.asarray(W, np.float64)
    S = np.asarray(X, np.float64) @ W.T
    if similarity == "euclidean":
        S = S - 0.5 * (W**2).sum(axis=1)
    R = np.zeros_like(S)
    for b, s in enumerate(S):
        if temperature == 0:
            R[b, _first_argmax(s)] = 1.0
        else:
            e = np.exp((s - s.max()) / temperature)
            R[b] = e / e.sum()
    return S, R


def soft_wta_step(W, X, temperature, similarity, learning_rate, normalize=False):
    """Soft-WTA: r = softmax(s / T), Δw_i = r_i (x − w_i)."""
    W = np.asarray(W, np.float64)
    S, R = soft_wta_assign(W, X, temperature, similarity)
    G = np.zeros_like(W)
    for x, r in zip(np.asarray(X, np.float64), R):
        for i in range(W.shape[0]):
            G[i] += r[i] * (x - W[i])
    return _apply(W, G, learning_rate, X.shape[0], normalize), wins_of(S)


def softhebb_step(W, X, temperature, learning_rate, normalize=False):
    """SoftHebb: u = W x, y = softmax(u / τ), Δw_ik = y_k (x_i − u_k w_ik)."""
    W = np.asarray(W, np.float64)
    U, Y = soft_wta_assign(W, X, temperature, "dot")
    G = np.zeros_like(W)
    for x, u, y in zip(np.asarray(X, np.float64), U, Y):
        for k in range(W.shape[0]):
            G[k] += y[k] * (x - u[k] * W[k])
    return _apply(W, G, learning_rate, X.shape[0], normalize), wins_of(U)


def inhibited(W, X, inhibition):
    Ht = np.maximum(np.asarray(X, np.float64) @ np.asarray(W, np.float64).T, 0.0)
    H = np.zeros_like(Ht)
    for b, h in enumerate(Ht):
        if h.max() > 0:
            H[b] = h**inhibition / (h**inhibition).max()
    return H


def lateral_inhibition_step(
    W, X, inhibition, learning_rate, average, gamma, epsilon, normalize=False
):
    """Sanger's rule on inhibited outputs, then the exponential-average growth factor."""
    W = np.asarray(W, np.float64)
    H = inhibited(W, X, inhibition)
    G = np.zeros_like(W)
    for x, h in zip(np.asarray(X, np.float64), H):
        for i in range(W.shape[0]):
            G[i] += h[i] * (x - sum(h[k] * W[k] for k in range(i + 1)))
    W = _apply(W, G, learning_rate, X.shape[0], normalize)
    a = np.array(average, np.float64)
    for h in H:
        a = gamma * a + (1 - gamma) * h
    if epsilon > 0 and a.mean() > 0:
        A = a / a.mean()
        f = epsilon * np.tanh(-(np.abs(A) - 1) / epsilon) + 1
        W = f[:, None] * W
    return W, a, wins_of(H)


def krotov_step(W, X, p, k, delta, learning_rate, normalize=True):
    """Krotov–Hopfield: winner Hebbian, k-th ranked anti-Hebbian (−Δ), p-norm currents."""
    W = np.asarray(W, np.float64)
    Wp = np.sign(W) * np.abs(W) ** (p - 1)
    G = np.zeros_like(W)
    wins = np.zeros(W.shape[0], dtype=np.int64)
    for x in np.asarray(X, np.float64):
        current = Wp @ x
        order = np.argsort(-current, kind="stable")
        g = np.zeros(W.shape[0])
        g[order[0]] += 1.0
        g[order[k - 1]] -= delta
        wins[order[0]] += 1
        G += g[:, None] * x[None, :] - (g * current)[:, None] * W
    return _apply(W, G, learning_rate, X.shape[0], normalize), wins
