"""Nonlinear Hebbian PCA (Sanger's generalized Hebbian algorithm and its nonlinear form)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from skhebb._core import rules
from skhebb._core.activations import ACTIVATIONS, ELEMENTWISE
from skhebb._unsupervised import (
    HebbianUnitsTransformer,
    map_chunks,
    reconstruction_error,
)

__all__ = ["HebbianPCA"]


class HebbianPCA(HebbianUnitsTransformer):
    r"""Principal components learned by a (nonlinear) Hebbian rule.

    ``n_components`` neurons with outputs :math:`y = W (x - \mu)` learn by the
    nonlinear Hebbian PCA rule; with the identity activation this is Sanger's
    generalized Hebbian algorithm and the rows of ``components_`` converge to
    the leading principal directions, in order. The data are centred on a
    running mean, so ``fit`` and a stream of ``partial_fit`` calls work alike.

    Parameters
    ----------
    n_components : int, default=2
        Number of neurons (components); at most ``n_features``.
    activation : {"identity", "relu", "tanh", "sigmoid", "softplus"}, default="identity"
        The function :math:`f` of the rule and of ``transform``.
    learning_rate : float, default=2.0
        Step size :math:`\eta`, relative to the input's variance: each step is
        divided by the running mean of :math:`\|x - \mu\|^2`, so the default
        works whatever the scale of the data.
    batch_size : int, default=32
        Samples per update; the update is averaged over the batch.
    max_iter : int, default=30
        Number of passes over the data in ``fit``.
    tol : float, default=1e-4
        ``fit`` stops when one epoch changes ``components_`` by less than
        ``tol`` (relative Frobenius norm). 0 runs all ``max_iter`` epochs.
    schedule : {"linear", "constant"}, default="linear"
        "linear" decays the learning rate linearly over the epochs of ``fit``
        (from ``learning_rate`` to ``learning_rate / max_iter``); ``partial_fit``
        always uses ``learning_rate``.
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Initial weights and shuffling.
    verbose : int, default=0
        Print one line per epoch.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The weights :math:`W`; with the identity activation, the principal
        axes (unit norm) in order of decreasing variance.
    mean_ : ndarray of shape (n_features,)
        Running mean of every sample seen.
    explained_variance_ : ndarray of shape (n_components,), float64
        Mean of :math:`(w_i \cdot (x - \mu))^2` over the last epoch.
    explained_variance_ratio_ : ndarray of shape (n_components,)
        ``explained_variance_`` divided by the total variance of the data.
    %(epoch_attributes)s

    See Also
    --------
    sklearn.decomposition.PCA : Exact principal components.
    sklearn.decomposition.IncrementalPCA : Principal components from mini-batches.
    skhebb.competitive.SoftWTA : Competitive (clustering-like) Hebbian learning.

    Notes
    -----
    For a mini-batch :math:`B`, with :math:`y = W (x - \mu)`,

    .. math::

        \Delta w_i = \frac{\eta_t}{s\,|B|} \sum_{x \in B} f(y_i)
        \Big(x - \mu - \sum_{j \le i} f(y_j)\, w_j\Big),

    where :math:`s` is the running mean of :math:`\|x - \mu\|^2` (so that
    :math:`\eta` is scale free) and :math:`\eta_t` follows ``schedule``.
    ``transform`` returns :math:`f(W (x - \mu))`.

    References
    ----------
    .. [1] T. D. Sanger, "Optimal unsupervised learning in a single-layer linear
       feedforward neural network", Neural Networks 2(6), 459-473, 1989.
    .. [2] G. Lagani, F. Falchi, C. Gennaro, G. Amato, "Hebbian semi-supervised
       learning in a sample efficiency setting", Neural Networks 143, 2021; and
       G. Lagani, "Recent advancements on bio-inspired Hebbian learning for deep
       neural networks".

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skhebb.decomposition import HebbianPCA
    >>> X, _ = load_digits(return_X_y=True)
    >>> hpca = HebbianPCA(n_components=3, random_state=0).fit(X)
    >>> hpca.transform(X).shape
    (1797, 3)
    >>> bool(abs(np.linalg.norm(hpca.components_[0]) - 1) < 0.05)
    True
    """

    _parameter_constraints: dict = {
        **HebbianUnitsTransformer._parameter_constraints,
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ELEMENTWISE))],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    _state_names = (
        "components_",
        "mean_",
        "_count",
        "_scale",
        "_sq_out",
        "_epoch_count",
        "_previous",
    )

    def __init__(
        self,
        n_components=2,
        *,
        activation="identity",
        learning_rate=2.0,
        batch_size=32,
        max_iter=30,
        tol=1e-4,
        schedule="linear",
        shuffle=True,
        random_state=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.activation = activation
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.schedule = schedule
        self.shuffle = shuffle
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _n_units(self):
        return self.n_components

    def _check_params(self, X):
        if self.n_components > X.shape[1]:
            raise ValueError(
                f"n_components={self.n_components} must be at most the number of "
                f"features, n_features={X.shape[1]}."
            )

    def _init_units(self, n_features, dtype, rng):
        self.mean_ = np.zeros(n_features, dtype=dtype)
        self._count = 0
        self._scale = 0.0
        self._reset_epoch_stats()
        W = rng.normal(size=(self.n_components, n_features))
        W /= np.linalg.norm(W, axis=1, keepdims=True)
        return (0.1 * W).astype(dtype)

    def _reset_epoch_stats(self):
        self._sq_out = np.zeros(self.n_components)
        self._epoch_count = 0
        self._previous = None

    def _step(self, X, learning_rate, sample_weight):
        if self._previous is None:
            self._previous = self.components_.copy()
        n = X.shape[0]
        total = self._count + n
        self.mean_ += ((X.sum(axis=0) - n * self.mean_) / total).astype(self.mean_.dtype)
        self._count = total
        Xc = X - self.mean_
        sq = float(np.einsum("ij,ij->", Xc, Xc, dtype=np.float64)) / n
        if not np.isfinite(sq):
            raise ValueError(
                "The squared norms of the centred samples exceed the float64 range; "
                "scale the input (e.g. with StandardScaler)."
            )
        # running mean of |x - mean|^2: the scale that makes the step size free of units
        self._scale += (sq - self._scale) * n / total
        step = learning_rate / max(self._scale, np.finfo(X.dtype).tiny)
        code = ACTIVATIONS[self.activation]
        Y = rules.hpca_step(self.components_, Xc, code, step, False, self._wins)
        self._sq_out += np.einsum("ij,ij->j", Y, Y, dtype=np.float64)
        self._epoch_count += n
        return None

    def _end_epoch(self, rng, run, last):
        # float64 whatever the data: the variances of float32 data may exceed float32
        self.explained_variance_ = self._sq_out / max(self._epoch_count, 1)
        self.explained_variance_ratio_ = (
            self.explained_variance_ / self._scale
            if self._scale > 0
            else np.zeros_like(self.explained_variance_)
        )
        previous = self._previous
        self._change = np.inf
        if previous is not None:
            norm = max(_norm(previous), np.finfo(np.float64).tiny)
            self._change = _norm(self.components_.astype(np.float64) - previous) / norm
        self._reset_epoch_stats()

    #: The divergence guard watches the weights (not the data statistics).
    _weight_names = ("components_",)

    def _stop_early(self, run):
        return self._change < self.tol

    def _epoch_report(self):
        return f"relative change = {self._change:.2e}"

    def transform(self, X):
        """Project ``X`` on the components and apply the activation.

        %(X_parameters)s

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components)
            :math:`f(W (x - \\mu))`.
        """
        X = self._validate_X_predict(X)
        code = ACTIVATIONS[self.activation]
        W, mean = self.components_, self.mean_

        def project(chunk):
            Y = np.ascontiguousarray((chunk - mean) @ W.T)
            rules.apply_activation(Y, code)
            return Y

        return map_chunks(project, X, self.n_components, W.dtype)

    def inverse_transform(self, X):
        """Map outputs back to input space (identity activation only).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Outputs of ``transform``.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            :math:`Y W + \\mu`, the reconstruction from the components.
        """
        if self.activation != "identity":
            raise ValueError(
                "inverse_transform needs activation='identity'; "
                f"got activation={self.activation!r}, which is not invertible linearly."
            )
        X = self._validate_outputs(X)
        return X @ self.components_ + self.mean_

    def score(self, X, y=None):
        """Opposite of the mean squared reconstruction error of ``X``.

        The rule's own reconstruction :math:`\\hat x = \\mu + \\sum_i f(y_i) w_i`
        (``inverse_transform(transform(X))`` for the identity activation): the
        larger the better, so that :class:`~sklearn.model_selection.GridSearchCV`
        can select ``n_components`` or ``activation`` without a ``scoring``
        argument, as with :class:`~sklearn.decomposition.PCA`.

        %(samples_parameters)s

        %(mse_score_returns)s
        """
        Y = self.transform(X)
        X = self._validate_X_predict(X)
        W, mean = self.components_.astype(np.float64), self.mean_.astype(np.float64)
        return -reconstruction_error(X, lambda Xd, rows: Y[rows] @ W + mean) / X.shape[0]


def _norm(A):
    """Frobenius norm of ``A`` in float64, without overflow of the squares."""
    A = np.asarray(A, dtype=np.float64)
    peak = float(np.max(np.abs(A))) if A.size else 0.0
    if peak == 0.0 or not np.isfinite(peak):
        return peak
    return peak * float(np.linalg.norm(A / peak))
