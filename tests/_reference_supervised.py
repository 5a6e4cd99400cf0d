"""Slow, plain NumPy versions of the supervised rule kernels, written from their definitions.

Each works in float64 on a copy and returns the new weights; the kernels in
:mod:`skhebb._core.supervised` must agree with them.
"""

import numpy as np


def threshold_rule(W, H, Y, eta_ltp, eta_ltd, theta, creation, reset, inhibitory=False):
    """Qumsieh's threshold LTP/LTD rule, one sample after the other (vectorised per sample)."""
    W = np.array(W, dtype=np.float64)
    for h, y in zip(np.asarray(H, np.float64), np.asarray(Y, np.float64)):
        x = np.broadcast_to(h, W.shape)
        co = np.outer(y, h)
        active = x > 0
        ltp = active & (co >= theta)
        ltd = active & ~ltp & ((W != 0) | inhibitory)
        new = W.copy()
        new[ltp] = np.where(W[ltp] == 0, creation, W[ltp] + eta_ltp * co[ltp])
        new[ltd] = W[ltd] - eta_ltd * x[ltd]
        new[(W > 0) & (new < 0)] = 0.0
        new[(W < 0) & (new > 0)] = 0.0
        new[new > 1] = reset
        new[new < -1] = -reset
        W = new
    return W


def delta_rule(W, H, Y, alpha, max_norm):
    """Zhu-Liu delta rule with softmax output and an infinity-norm cap per row."""
    W = np.array(W, dtype=np.float64)
    loss = 0.0
    for h, t in zip(np.asarray(H, np.float64), np.asarray(Y, np.float64)):
        z = W @ h
        p = np.exp(z - z.max())
        p /= p.sum()
        loss -= np.sum(t[t > 0] * np.log(p[t > 0]))
        W += alpha * np.outer(t - p, h)
        peak = np.abs(W).max(axis=1)
        over = peak > max_norm
        W[over] *= (max_norm / peak[over])[:, None]
    return W, loss


def oja_rule(W, H, Y, eta):
    """Forced-output Oja rule: w_k += eta y_k (h - y_k w_k), one sample after the other."""
    W = np.array(W, dtype=np.float64)
    for h, y in zip(np.asarray(H, np.float64), np.asarray(Y, np.float64)):
        W += eta * y[:, None] * (h[None, :] - y[:, None] * W)
    return W


def rectified_tanh(Z, beta, bias):
    """max(0, tanh(beta (z - bias)))."""
    return np.maximum(0.0, np.tanh(beta * (np.asarray(Z, np.float64) - bias)))


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
