r"""Optimisers of the sparse weights: one step of SGD (momentum, Nesterov) or Adam per connection.

The state of an optimiser lives beside the weights it updates: an array of
shape ``(n_slots, nnz)`` (:func:`n_slots`) whose column ``k`` belongs to the
connection stored at ``data[k]``. It is permuted with the connections when the
topology evolves, and a new connection starts with a zero column
(:func:`skhebb._core.topology.evolve`), so memory stays :math:`O(\text{nnz})`.

The hyper-parameters of a step travel as one float64 array (index constants
below), filled by :func:`hyper_parameters` once per mini-batch:

* ``SGD``: :math:`v \leftarrow \mu v - \eta g`, then
  :math:`w \leftarrow w + v` (or :math:`w + \mu v - \eta g` with Nesterov's
  momentum); with :math:`\mu = 0` the state is not touched and
  :math:`w \leftarrow w - \eta g` (slots: 1 with momentum, else 0);
* ``ADAM`` (Kingma & Ba): :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
  :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
  :math:`w \leftarrow w - \hat\eta\, m / (\sqrt v + \epsilon)` with the bias
  correction folded into the step, :math:`\hat\eta = \eta \sqrt{1-\beta_2^t}/(1-\beta_1^t)`
  (as scikit-learn's MLP does; slots: 2).

Both add a term that is not the gradient's, outside the moments (the Hebbian
term of HebbSET), and decay the weights decoupled from the gradient:
:math:`w \leftarrow w - \kappa w` with :math:`\kappa` = learning rate × ``alpha``.
"""

import numpy as np

from skhebb._core._jit import jit

__all__ = [
    "SGD",
    "ADAM",
    "SOLVERS",
    "n_slots",
    "hyper_parameters",
    "apply_step",
]

#: Solver codes.
SGD, ADAM = 0, 1
#: Solver name → code.
SOLVERS = {"sgd": SGD, "adam": ADAM}

#: Positions in the hyper-parameter array of :func:`apply_step`.
H_SOLVER, H_LR, H_MOMENTUM, H_NESTEROV, H_BETA1, H_BETA2, H_EPS, H_DECAY = range(8)


def n_slots(solver, momentum):
    """Rows of optimiser state per connection: 2 for Adam, 1 for SGD with momentum, else 0."""
    if solver == ADAM:
        return 2
    return 1 if momentum != 0 else 0


def hyper_parameters(solver, learning_rate, *, momentum=0.0, nesterov=False, beta_1=0.9,
                     beta_2=0.999, epsilon=1e-8, decay=0.0, step=1):
    """The float64 array that :func:`apply_step` reads, for the ``step``-th update (from 1).

    Parameters
    ----------
    solver : int
        ``SGD`` or ``ADAM``.
    learning_rate : float
        Step size :math:`\\eta` of this update.
    momentum, nesterov : float, bool
        SGD only.
    beta_1, beta_2, epsilon : float
        Adam only; ``step`` enters its bias correction.
    decay : float
        :math:`\\kappa`, the fraction of each weight removed by this update.
    step : int
        Number of this update (Adam's bias correction).
    """
    h = np.zeros(8, dtype=np.float64)
    h[H_SOLVER] = solver
    h[H_LR] = learning_rate
    if solver == ADAM:
        h[H_LR] = learning_rate * np.sqrt(1.0 - beta_2**step) / (1.0 - beta_1**step)
    h[H_MOMENTUM] = momentum
    h[H_NESTEROV] = 1.0 if nesterov else 0.0
    h[H_BETA1], h[H_BETA2], h[H_EPS] = beta_1, beta_2, epsilon
    h[H_DECAY] = decay
    return h


@jit
def apply_step(k, w, gm, step, extra, state, hyper):
    r"""The new value of weight ``k``: one optimiser step from ``w``.

    Parameters
    ----------
    k : int
        Position of the weight (its column in ``state``).
    w : float
        Its current value.
    gm : float
        Its gradient, the mean over the batch (read by Adam).
    step : float
        :math:`-\eta\, g_m`, computed by the caller (read by SGD; the caller's
        order of operations is kept bit for bit).
    extra : float
        Added to the weight as is (the Hebbian term), outside the moments.
    state : ndarray of shape (n_slots, nnz)
        Optimiser state, updated in place.
    hyper : ndarray of shape (8,), float64
        From :func:`hyper_parameters`.

    Returns
    -------
    w : float
        The updated weight.

    :func:`skhebb._core.sparse.fused_update` writes the same step inline, where
    the compiler may reorder its sums alike in the kernel's serial and parallel twins.
    """
    decay = hyper[H_DECAY]
    if hyper[H_SOLVER] == ADAM:
        b1 = hyper[H_BETA1]
        b2 = hyper[H_BETA2]
        m = b1 * state[0, k] + (1.0 - b1) * gm
        v = b2 * state[1, k] + (1.0 - b2) * gm * gm
        state[0, k] = m
        state[1, k] = v
        return w - hyper[H_LR] * m / (np.sqrt(v) + hyper[H_EPS]) + extra - decay * w
    mu = hyper[H_MOMENTUM]
    if mu != 0:
        v = mu * state[0, k] + step
        state[0, k] = v
        if hyper[H_NESTEROV] != 0:
            return w + mu * v + step + extra - decay * w
        return w + v + extra - decay * w
    return w + step + extra - decay * w
