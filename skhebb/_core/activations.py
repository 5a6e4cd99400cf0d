"""Activations, their derivatives and the per-batch [0, 1] scaling.

The one registry of activations: :data:`ACTIVATIONS` maps a name to the
integer code that the kernels take (the sparse layers and the rules alike).
Activations act on *feature-major* blocks (``n_units × batch``, C-contiguous),
one unit (row) at a time, so every loop is a contiguous pass over the batch.
Derivatives are written in terms of the activation's *output* ``a = f(z)``, so
a layer only has to keep its outputs.

=========  ====  ========================  ==========================
name       code  f(z)                      f'(z) from a = f(z)
=========  ====  ========================  ==========================
identity   0     z                         1
relu       1     max(z, 0)                 1 if a > 0 else 0
sigmoid    2     1 / (1 + exp(-z))         a (1 - a)
tanh       3     tanh(z)                   1 - a^2
softmax    4     exp(z_k) / sum_k exp(z)   (output layer only, with log-loss)
softplus   5     log(1 + exp(z))           (not used where a derivative is needed)
=========  ====  ========================  ==========================
"""

import math

from skhebb._core._jit import jit

__all__ = [
    "ACTIVATIONS",
    "IDENTITY",
    "RELU",
    "SIGMOID",
    "TANH",
    "SOFTMAX",
    "SOFTPLUS",
    "ELEMENTWISE",
    "HEBB_EPS",
    "activate_row",
    "apply_activation",
    "derivative_row",
    "softmax_columns",
    "row_stats",
    "unit_stats",
]

IDENTITY, RELU, SIGMOID, TANH, SOFTMAX, SOFTPLUS = 0, 1, 2, 3, 4, 5

#: Name → integer code understood by the kernels.
ACTIVATIONS = {
    "identity": IDENTITY,
    "relu": RELU,
    "sigmoid": SIGMOID,
    "tanh": TANH,
    "softmax": SOFTMAX,
    "softplus": SOFTPLUS,
}

#: The activations that act on each value alone (all but softmax).
ELEMENTWISE = tuple(name for name, code in ACTIVATIONS.items() if code != SOFTMAX)

#: Constant added to ``max - min`` in the per-batch [0, 1] scaling (as the HebbSET reference).
HEBB_EPS = 1e-4


@jit
def activate_row(code, z):
    """Apply activation ``code`` in place to one unit's batch of pre-activations.

    Parameters
    ----------
    code : int
        Activation code from :data:`ACTIVATIONS` (softmax is not row-wise:
        use :func:`softmax_columns`; here it leaves ``z`` unchanged).
    z : ndarray of shape (batch,), float32 or float64
        Pre-activations of one unit; overwritten with ``f(z)``.
    """
    n = z.shape[0]
    if code == RELU:
        for b in range(n):
            if z[b] < 0:
                z[b] = 0
    elif code == SIGMOID:
        for b in range(n):
            v = z[b]
            if v >= 0:
                z[b] = 1.0 / (1.0 + math.exp(-v))
            else:
                e = math.exp(v)
                z[b] = e / (1.0 + e)
    elif code == TANH:
        for b in range(n):
            z[b] = math.tanh(z[b])
    elif code == SOFTPLUS:
        for b in range(n):
            v = z[b]  # log(1 + exp(v)) without overflow
            z[b] = v + math.log1p(math.exp(-v)) if v > 0 else math.log1p(math.exp(v))


@jit
def apply_activation(U, code):
    """Apply an element-wise activation to every row of ``U``, in place.

    Parameters
    ----------
    U : ndarray of shape (n_rows, n_columns), float32 or float64, C-contiguous
        Pre-activations; overwritten by the activations.
    code : int
        Code of an activation of :data:`ELEMENTWISE`.
    """
    for r in range(U.shape[0]):
        activate_row(code, U[r])


@jit
def derivative_row(code, a, d):
    """Multiply ``d`` in place by ``f'(z)`` computed from the outputs ``a = f(z)``.

    Parameters
    ----------
    code : int
        Activation code (identity, relu, sigmoid, tanh).
    a : ndarray of shape (batch,)
        Outputs of one unit.
    d : ndarray of shape (batch,)
        Back-propagated error of that unit, same dtype; multiplied in place.
    """
    n = a.shape[0]
    if code == RELU:
        for b in range(n):
            if a[b] <= 0:
                d[b] = 0
    elif code == SIGMOID:
        for b in range(n):
            d[b] *= a[b] * (1 - a[b])
    elif code == TANH:
        for b in range(n):
            d[b] *= 1 - a[b] * a[b]


@jit
def softmax_columns(z):
    """Softmax over units, in place, for a feature-major block.

    Parameters
    ----------
    z : ndarray of shape (n_units, batch), float32 or float64, C-contiguous
        Pre-activations; each column (one sample) becomes a probability vector.
    """
    k, n = z.shape
    for b in range(n):
        m = z[0, b]
        for j in range(1, k):
            if z[j, b] > m:
                m = z[j, b]
        s = 0.0
        for j in range(k):
            e = math.exp(z[j, b] - m)
            z[j, b] = e
            s += e
        for j in range(k):
            z[j, b] = z[j, b] / s


@jit
def unit_stats(a, j, amin, amean, inv_scale, centered):
    """Statistics of row ``j`` of ``a`` for the per-batch [0, 1] scaling (see :func:`row_stats`)."""
    n = a.shape[1]
    lo = a[j, 0]
    hi = a[j, 0]
    s = 0.0
    for b in range(n):
        v = a[j, b]
        s += v
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    mean = s / n
    amin[j] = lo
    amean[j] = mean
    inv_scale[j] = 1.0 / (hi - lo + HEBB_EPS)
    if centered.shape[0] == a.shape[0]:
        c = centered[j]
        for b in range(n):
            c[b] = a[j, b] - mean


@jit
def row_stats(a, amin, amean, inv_scale, centered):
    r"""Per-unit batch statistics used by the [0, 1] scaling of the Hebbian term.

    The scaled activity is :math:`\hat a = (a - \min_b a)\,/\,(\max_b a - \min_b a + 10^{-4})`;
    the kernels never form :math:`\hat a`, they use these numbers and the
    centred activity :math:`a - \bar a`.

    Parameters
    ----------
    a : ndarray of shape (n_units, batch), float32 or float64, C-contiguous
        Feature-major activations, ``batch >= 1``.
    amin, amean, inv_scale : ndarray of shape (n_units,), same dtype
        Outputs: minimum, mean and ``1 / (max - min + 1e-4)`` over the batch.
    centered : ndarray of shape (n_units, batch) or (0, 0), same dtype
        Output if it has ``n_units`` rows: ``a - mean``.
    """
    for j in range(a.shape[0]):
        unit_stats(a, j, amin, amean, inv_scale, centered)
