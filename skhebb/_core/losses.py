r"""Losses of the sparse networks: one registry and the output-error kernel.

:data:`LOSSES` maps a loss name to everything that depends on it: the code of
its branch in :func:`output_delta`, the activation of the output layer and how
``predict_proba`` turns the outputs into probabilities. Adding a loss is one
entry here and one branch in :func:`output_delta`.
"""

import numpy as np

from skhebb._core._jit import jit

__all__ = ["LOSSES", "Loss", "LOSS_MSE", "LOSS_LOG", "LOSS_SET_MSE", "output_delta"]

#: Codes of the branches of :func:`output_delta`.
LOSS_MSE, LOSS_LOG, LOSS_SET_MSE = 0, 1, 2


def _sum_to_one(out):
    """Outputs divided by their sum per sample (uniform where they sum to 0)."""
    s = out.sum(axis=1, keepdims=True)
    return np.divide(out, s, out=np.full_like(out, 1.0 / out.shape[1]), where=s > 0)


def _as_is(out):
    """Outputs that already are probabilities (softmax)."""
    return out


class Loss:
    """What a loss fixes in a network trained with it.

    Parameters
    ----------
    code : int
        Code of its branch in :func:`output_delta`.
    out_activation : str
        Name of the output activation in :data:`skhebb._core.activations.ACTIVATIONS`.
    proba : callable
        Maps the outputs, an array of shape ``(n_samples, n_classes)``, to
        class probabilities.
    """

    __slots__ = ("code", "out_activation", "proba")

    def __init__(self, code, out_activation, proba):
        self.code = code
        self.out_activation = out_activation
        self.proba = proba

    def __repr__(self):
        return f"Loss({self.code}, {self.out_activation!r}, {self.proba.__name__})"


#: Name → :class:`Loss`.
LOSSES = {
    "set_mse": Loss(LOSS_SET_MSE, "sigmoid", _sum_to_one),
    "mse": Loss(LOSS_MSE, "sigmoid", _sum_to_one),
    "log_loss": Loss(LOSS_LOG, "softmax", _as_is),
}


@jit
def output_delta(a_out, y, loss_code, delta, sample_weight):
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
    a_out : ndarray of shape (n_classes, batch), float32 or float64
        Output activations (feature-major).
    y : ndarray of shape (batch,), integer
        Class codes in ``0 .. n_classes - 1``.
    loss_code : int
        ``LOSS_MSE``, ``LOSS_LOG`` or ``LOSS_SET_MSE`` (the ``code`` of a :class:`Loss`).
    delta : ndarray of shape (n_classes, batch), same dtype
        Output: :math:`\partial (B J) / \partial z`; with weights each sample's
        error is multiplied by :math:`B w_b / \sum_{b'} w_{b'}`, so that the
        kernels' mean over the batch is the weighted mean.
    sample_weight : ndarray of shape (batch,) or (0,)
        Weight :math:`w_b` of each sample, or a length-0 array for weights 1.
        The loss is then :math:`J = \sum_b w_b J_b / \sum_b w_b`, so an integer
        weight counts as that many copies of the sample.

    Returns
    -------
    loss : float
        The (weighted) mean loss over the batch.
    """
    k = a_out.shape[0]
    n = y.shape[0]
    weighted = sample_weight.shape[0] == n
    total = 0.0
    for b in range(n):
        total += sample_weight[b] if weighted else 1.0
    scale = n / total  # 1 without weights
    loss = 0.0
    for b in range(n):
        yb = y[b]
        wb = sample_weight[b] if weighted else 1.0
        for j in range(k):
            a = a_out[j, b]
            t = 1.0 if j == yb else 0.0
            if loss_code == LOSS_MSE:
                e = a - t
                loss += wb * (0.5 * e * e)
                delta[j, b] = wb * scale * (e * a * (1 - a))
            elif loss_code == LOSS_SET_MSE:
                e = a - t
                loss += wb * (0.5 * e * e)
                s = 1.0 / (1.0 + np.exp(-a))
                delta[j, b] = wb * scale * (e * s * (1 - s))
            else:
                delta[j, b] = wb * scale * (a - t)
                if j == yb:
                    loss -= wb * np.log(max(a, 1e-300))
    return loss / total
