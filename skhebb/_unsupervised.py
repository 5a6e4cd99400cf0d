"""What the three unsupervised Hebbian transformers share.

:class:`HebbianPCA`, :class:`SoftWTA` and :class:`LateralInhibitionSelectors`
all keep one weight matrix ``components_`` of shape ``(n_units, n_features)``
and learn it with one kernel call per mini-batch. This module holds the pieces
they have in common, on top of :class:`skhebb._base.BaseHebbianTransformer`:

* the learning-rate schedule (constant, or Krotov's linear decay over the
  epochs of ``fit``; ``partial_fit`` always uses the constant rate);
* densifying one mini-batch (CSR input is never densified as a whole);
* the repair of dead units: winner counts are gathered over a window of
  samples and units that (almost) never win are moved onto random samples of
  the current batch, as ``MiniBatchKMeans(reassignment_ratio=...)`` does;
* chunked evaluation of ``transform`` so that CSR input stays sparse.
"""

from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils._param_validation import Interval, StrOptions

from skhebb._base import BaseHebbianTransformer

_TRANSFORM_CHUNK = 4096


def dense_rows(X):
    """A C-contiguous dense copy (or view) of a mini-batch, dense or CSR."""
    if sp.issparse(X):
        X = X.toarray()
    return np.ascontiguousarray(X)


def overflow_scale(*arrays):
    """A power of two ``c`` such that products of ``arrays / c`` cannot overflow; 1 if none can.

    Dividing by a power of two is exact, so rules and responses that are
    invariant (or equivariant) under a common scaling give the same result on
    ``arrays / c`` as on ``arrays`` when these are too large to multiply
    directly (squares and dot products beyond the float range).
    """
    dtype = arrays[0].dtype
    peak = max((float(np.max(np.abs(a))) if a.size else 0.0) for a in arrays)
    width = max(a.shape[-1] for a in arrays)
    if peak * peak * (width + 1) < float(np.finfo(dtype).max) / 16:
        return 1.0
    return 2.0 ** np.ceil(np.log2(peak))


def row_norms(A):
    """Euclidean norm of each row of ``A`` in float64, without overflow of the squares."""
    A = np.asarray(A, dtype=np.float64)
    peak = np.abs(A).max(axis=1) if A.shape[1] else np.zeros(A.shape[0])
    safe = np.where(peak > 0, peak, 1.0)
    return safe * np.linalg.norm(A / safe[:, None], axis=1)


def squared_error(err):
    """Sum of the squares of ``err`` in float64; a clear error if it exceeds the float range."""
    err = np.asarray(err, dtype=np.float64)
    peak = float(np.abs(err).max()) if err.size else 0.0
    total = peak * peak * float(((err / peak) ** 2).sum()) if peak > 0 else 0.0
    if not np.isfinite(total):
        raise ValueError(
            "The squared reconstruction error of X exceeds the float64 range; scale the input."
        )
    return total


def map_chunks(func, X, n_out, dtype):
    """Apply ``func`` to dense chunks of rows of ``X`` and stack the results."""
    out = np.empty((X.shape[0], n_out), dtype=dtype)
    for start in range(0, X.shape[0], _TRANSFORM_CHUNK):
        stop = min(start + _TRANSFORM_CHUNK, X.shape[0])
        out[start:stop] = func(dense_rows(X[start:stop]))
    return out


class HebbianUnitsTransformer(BaseHebbianTransformer):
    """Base of the transformers whose state is a matrix of units ``components_``.

    Subclasses define ``_n_units`` (property), ``_init_units(n_features, dtype,
    rng)``, ``_step(X_dense, learning_rate, sample_weight)`` (one kernel call;
    adds winner counts to ``self._wins``), and optionally ``_reassign(units, rows)``.
    """

    _parameter_constraints: dict = {
        **BaseHebbianTransformer._parameter_constraints,
        "schedule": [StrOptions({"constant", "linear"})],
    }

    #: Whether the estimator has a ``reassignment_ratio`` parameter.
    _reassigns = False

    @property
    def _n_features_out(self):
        return self._n_units

    # --------------------------------------------------------- shared state
    def _init_state(self, n_features, dtype, rng):
        self.components_ = self._init_units(n_features, dtype, rng)
        self._wins = np.zeros(self._n_units, dtype=np.int64)
        self._window = 0
        self.n_reassigned_ = 0
        self._reassign_rng = np.random.default_rng(rng.randint(np.iinfo(np.int32).max))

    _state_names = ("components_",)

    def _initialize(self, X, y, rng, sample_weight=None):
        super()._initialize(X, y, rng, sample_weight)
        self._init_from_data(X, rng, sample_weight)

    def _init_from_data(self, X, rng, sample_weight=None):
        """Optional data-dependent initialisation after ``_init_units``."""

    def _learning_rate(self, run):
        """Learning rate of the current epoch of ``run``.

        The linear schedule spans the epochs that ``fit`` plans; ``partial_fit``
        (``run.epochs`` None) uses the constant rate.
        """
        if self.schedule == "linear" and run.epochs:
            return self.learning_rate * (1.0 - self.n_iter_ / run.epochs)
        return self.learning_rate

    def _batch_step(self, X, y, sample_weight, run):
        Xd = dense_rows(X)
        loss = self._step(Xd, self._learning_rate(run), sample_weight)
        if self._reassigns:
            self._repair_dead_units(Xd)
        return loss

    # ------------------------------------------------------- dead units
    def _repair_dead_units(self, X):
        """Move units that won (almost) nothing over the last window onto samples of ``X``."""
        self._window += X.shape[0]
        if self.reassignment_ratio <= 0 or self._window < 10 * self._n_units:
            return
        wins = self._wins
        dead = np.flatnonzero(wins < max(self.reassignment_ratio * wins.max(), 0.5))
        if dead.size:
            rows = self._reassign_rng.choice(
                X.shape[0], size=dead.size, replace=dead.size > X.shape[0]
            )
            self._reassign(dead, X[rows])
            self.n_reassigned_ += int(dead.size)
        self._wins[:] = 0
        self._window = 0

    def _reassign(self, units, rows):
        """Restart ``units`` from the samples ``rows``; by default copy them."""
        self.components_[units] = rows


#: Constraint of ``reassignment_ratio`` shared by the competitive transformers.
REASSIGNMENT_RATIO = [Interval(Real, 0, 1, closed="both")]
