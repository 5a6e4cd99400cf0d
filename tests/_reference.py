"""Slow, obviously correct NumPy versions of the kernels, written from the equations.

Dense matrices with a 0/1 mask stand for the sparse layers; everything is
sample-major (``batch × width``) and float64.
"""

import numpy as np

HEBB_EPS = 1e-4


def to_dense(indptr, indices, data, shape):
    """Dense weight matrix (n_in × n_out) and its 0/1 mask from CSR arrays."""
    W = np.zeros(shape)
    M = np.zeros(shape, dtype=bool)
    for i in range(shape[0]):
        for k in range(indptr[i], indptr[i + 1]):
            W[i, indices[k]] = data[k]
            M[i, indices[k]] = True
    return W, M


def activation(name, z):
    if name == "relu":
        return np.maximum(z, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return z


def derivative(name, a):
    """f'(z) written with a = f(z)."""
    if name == "relu":
        return (a > 0).astype(float)
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a**2
    return np.ones_like(a)


def forward(X, W, b, name):
    """a = f(X W + b) for one layer; X is (batch, n_in)."""
    return activation(name, X @ W + b)


def scale01(A):
    """Per-unit [0, 1] scaling over the batch: (a - min) / (max - min + 1e-4)."""
    lo = A.min(axis=0)
    hi = A.max(axis=0)
    return (A - lo) / (hi - lo + HEBB_EPS)


def hebbian_term(A_pre, A_post, M):
    """mean_b[â_i (â_j - mean_b â_j)] on the stored pattern M (n_in × n_out)."""
    P = scale01(A_pre)
    Q = scale01(A_post)
    Q = Q - Q.mean(axis=0)
    return (P.T @ Q) / A_pre.shape[0] * M


def loss_and_delta(A_out, y, loss):
    """Mean batch loss and dJ·B/dz at the output (one-hot targets)."""
    T = np.zeros_like(A_out)
    T[np.arange(len(y)), y] = 1
    if loss == "mse":
        E = A_out - T
        return 0.5 * (E**2).sum() / len(y), E * A_out * (1 - A_out)
    return -np.log(A_out[np.arange(len(y)), y]).mean(), A_out - T


def network_forward(X, Ws, bs, hidden, out):
    acts = [X]
    for k, (W, b) in enumerate(zip(Ws, bs)):
        acts.append(forward(acts[-1], W, b, out if k == len(Ws) - 1 else hidden))
    return acts


def network_loss(X, y, Ws, bs, hidden, out, loss):
    acts = network_forward(X, Ws, bs, hidden, out)
    return loss_and_delta(acts[-1], y, loss)[0]


def train_step(X, y, Ws, Ms, bs, Vw, Vb, *, hidden, out, loss, lr, lam, mu, decay):
    """One HebbSET mini-batch step on dense masked matrices; returns new (Ws, bs, Vw, Vb, loss).

    v ← mu v - lr ∂J/∂w;  w ← w + v + lam · hebbian_term - decay w (on the mask).
    """
    n = X.shape[0]
    acts = network_forward(X, Ws, bs, hidden, out)
    J, delta = loss_and_delta(acts[-1], y, loss)
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
            delta = (delta @ Ws[k].T) * derivative(hidden, acts[k])
    return newW[::-1], newb[::-1], newVw[::-1], newVb[::-1], J


def prune_magnitude(data, zeta):
    """Indices of the int(zeta * nnz) smallest |w| (stable order on ties)."""
    k = int(zeta * len(data))
    return np.sort(np.argsort(np.abs(data), kind="stable")[:k])
