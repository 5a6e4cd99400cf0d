"""Soft winner-take-all competitive learning and SoftHebb."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.extmath import softmax
from sklearn.utils.validation import check_array

from skhebb._core import rules
from skhebb._unsupervised import (
    REASSIGNMENT_RATIO,
    HebbianUnitsTransformer,
    dense_rows,
    map_chunks,
    overflow_scale,
    reconstruction_error,
    row_norms,
)

__all__ = ["SoftWTA"]


class SoftWTA(HebbianUnitsTransformer):
    r"""Soft winner-take-all competitive Hebbian learning.

    ``n_components`` units compete for each sample through a softmax of their
    responses at temperature ``T``; each unit moves towards the samples in
    proportion to its share. At ``T = 0`` this is hard winner-take-all
    (competitive learning, an online k-means); the prototypes
    ``components_`` live in input space. The SoftHebb rule is available as
    ``rule="softhebb"``.

    Parameters
    ----------
    n_components : int, default=8
        Number of competing units.
    temperature : float, default=0.1
        Softmax temperature :math:`T \ge 0`; 0 is hard winner-take-all. The
        responses are in the units of the data (squared distances for
        ``similarity="euclidean"``), so ``T`` is relative to their spread.
    rule : {"soft-wta", "softhebb"}, default="soft-wta"
        "soft-wta": :math:`\Delta w_i = \eta r_i (x - w_i)` (Lagani et al.);
        "softhebb": :math:`\Delta w_{ik} = \eta y_k (x_i - u_k w_{ik})`
        (Moraitis et al.), whose weights converge to unit-norm directions.
    similarity : {"euclidean", "dot"}, default="euclidean"
        Response of unit :math:`i` in rule "soft-wta": "dot" is the paper's
        :math:`w_i \cdot x`; "euclidean" is :math:`w_i \cdot x - \|w_i\|^2/2`,
        which ranks the units by distance to :math:`x` (the same ranking as
        "dot" when every prototype has the same norm) and makes ``T = 0``
        exactly online k-means. Rule "softhebb" always uses "dot".
    learning_rate : float, default=0.5
        Step size :math:`\eta`; the update is averaged over the batch.
    batch_size : int, default=32
        Samples per update.
    max_iter : int, default=20
        Passes over the data in ``fit``.
    schedule : {"linear", "constant"}, default="linear"
        "linear" decays the learning rate linearly over the epochs of ``fit``;
        ``partial_fit`` always uses ``learning_rate``.
    reassignment_ratio : float, default=0.01
        Dead-unit remedy, as in :class:`~sklearn.cluster.MiniBatchKMeans`: over
        each window of ``10 * n_components`` samples, units that won fewer
        samples than ``reassignment_ratio`` times the busiest unit (and at
        least those that won none) are moved onto random samples of the
        current batch. 0 turns it off.
    init : "k-means++" or array-like of shape (n_components, n_features), default="k-means++"
        Initial prototypes: k-means++ seeding on samples of the first data
        seen (:math:`D^2` sampling, weighted by ``sample_weight``), or the
        given array.
    output : {"assignments", "responses"}, default="assignments"
        What ``transform`` returns: the soft assignments :math:`r` or the raw
        responses.
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Initial prototypes (k-means++ seeding on samples), shuffling and reassignment.
    verbose : int, default=0
        Print one line per epoch.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The prototypes (weights) of the units.
    n_reassigned_ : int
        Number of unit reassignments so far.
    %(epoch_attributes)s

    See Also
    --------
    sklearn.cluster.MiniBatchKMeans : Mini-batch k-means.
    skhebb.competitive.LateralInhibitionSelectors : Competition by lateral inhibition.
    skhebb.decomposition.HebbianPCA : Hebbian principal components.

    Notes
    -----
    With responses :math:`s_i` and a mini-batch :math:`B`,

    .. math::

        r = \operatorname{softmax}(s / T), \qquad
        \Delta w_i = \frac{\eta_t}{|B|} \sum_{x \in B} r_i (x - w_i).

    SoftHebb uses :math:`u = W x`, :math:`y = \operatorname{softmax}(u / T)` and
    :math:`\Delta w_{ik} = \frac{\eta_t}{|B|} \sum_{x \in B} y_k (x_i - u_k w_{ik})`.
    The prototypes start on samples of the first data seen, chosen by k-means++
    seeding (:math:`D^2` sampling).

    References
    ----------
    .. [1] G. Lagani, F. Falchi, C. Gennaro, G. Amato, "Hebbian semi-supervised
       learning in a sample efficiency setting", Neural Networks 143, 2021; and
       G. Lagani, "Recent advancements on bio-inspired Hebbian learning for deep
       neural networks".
    .. [2] T. Moraitis, D. Toichkin, A. Journé, Y. Chua, Q. Guo, "SoftHebb:
       Bayesian inference in unsupervised Hebbian soft winner-take-all
       networks", Neuromorphic Computing and Engineering 2(4), 2022.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from skhebb.competitive import SoftWTA
    >>> X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    >>> wta = SoftWTA(n_components=3, random_state=0).fit(X)
    >>> R = wta.transform(X)
    >>> R.shape
    (300, 3)
    >>> bool(np.allclose(R.sum(axis=1), 1.0))
    True
    """

    _parameter_constraints: dict = {
        **HebbianUnitsTransformer._parameter_constraints,
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "temperature": [Interval(Real, 0, None, closed="left")],
        "rule": [StrOptions({"soft-wta", "softhebb"})],
        "similarity": [StrOptions(set(rules.SIMILARITIES))],
        "reassignment_ratio": REASSIGNMENT_RATIO,
        "init": [StrOptions({"k-means++"}), "array-like"],
        "output": [StrOptions({"assignments", "responses"})],
    }

    _reassigns = True

    def __init__(
        self,
        n_components=8,
        *,
        temperature=0.1,
        rule="soft-wta",
        similarity="euclidean",
        learning_rate=0.5,
        batch_size=32,
        max_iter=20,
        schedule="linear",
        reassignment_ratio=0.01,
        init="k-means++",
        output="assignments",
        shuffle=True,
        random_state=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.temperature = temperature
        self.rule = rule
        self.similarity = similarity
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.schedule = schedule
        self.reassignment_ratio = reassignment_ratio
        self.init = init
        self.output = output
        self.shuffle = shuffle
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _n_units(self):
        return self.n_components

    @property
    def _similarity_code(self):
        return 0 if self.rule == "softhebb" else rules.SIMILARITIES.index(self.similarity)

    def _init_units(self, n_features, dtype, rng):
        return np.zeros((self.n_components, n_features), dtype=dtype)

    def _check_params(self, X):
        if X.shape[0] < self.n_components:
            raise ValueError(
                f"n_samples={X.shape[0]} should be >= n_components={self.n_components}: "
                "every unit starts on a sample."
            )
        if not isinstance(self.init, str):
            shape = np.shape(self.init)
            if shape != (self.n_components, X.shape[1]):
                raise ValueError(
                    f"init has shape {shape}; expected (n_components, n_features) = "
                    f"{(self.n_components, X.shape[1])}."
                )

    def _init_from_data(self, X, rng, sample_weight=None):
        if not isinstance(self.init, str):
            W = check_array(self.init, dtype=self.components_.dtype, copy=True)
            self._reassign(np.arange(self.n_components), W)
            return
        # k-means++ seeding (D^2 sampling) on a subsample of the first data seen
        n, k = X.shape[0], self.n_components
        sub = np.sort(rng.choice(n, size=min(n, max(100 * k, 1000)), replace=False))
        S = dense_rows(X[sub]).astype(np.float64)
        w = None if sample_weight is None else np.asarray(sample_weight, np.float64)[sub]
        scale = overflow_scale(S)  # squared distances of huge data, on a safe scale
        Ss = S / scale
        chosen = [rng.randint(S.shape[0]) if w is None else rng.choice(S.shape[0], p=w / w.sum())]
        sq = np.einsum("ij,ij->i", Ss, Ss)

        def dist2(i):  # squared distances to row i: one matrix-vector product
            return np.maximum(sq - 2.0 * (Ss @ Ss[i]) + sq[i], 0.0)

        d2 = dist2(chosen[0])
        for _ in range(1, k):
            p = d2 if w is None else d2 * w
            total = p.sum()
            if total > 0:
                i = rng.choice(S.shape[0], p=p / total)
            else:
                i = rng.randint(S.shape[0])
            chosen.append(i)
            d2 = np.minimum(d2, dist2(i))
        W = S[chosen]
        # break ties between repeated samples with a tiny perturbation
        spread = float(np.abs(W).mean()) or 1.0
        W += 1e-3 * spread * rng.normal(size=W.shape)
        self.components_ = np.zeros_like(self.components_)
        self._reassign(np.arange(k), W)

    def _reassign(self, units, rows):
        rows = np.asarray(rows, dtype=self.components_.dtype)
        if self.rule == "softhebb":
            norms = row_norms(rows)[:, None]
            rows = rows / np.where(norms > 0, norms, 1)
        self.components_[units] = rows

    def _step(self, X, learning_rate, sample_weight):
        W = self.components_
        if self.rule == "softhebb":
            rules.softhebb_step(
                W, X, self.temperature, learning_rate, False, self._wins, sample_weight
            )
            return None
        # The rule is equivariant under a common scaling c of X and W with T / c^2:
        # huge data are learnt on a power-of-two scale, where |w|^2 cannot overflow.
        scale = overflow_scale(X, W)
        Ws = W if scale == 1.0 else W / scale
        rules.soft_wta_step(
            Ws,
            X if scale == 1.0 else X / scale,
            self.temperature / scale / scale,
            self._similarity_code,
            learning_rate,
            False,
            self._wins,
            sample_weight,
        )
        if scale != 1.0:
            W[...] = Ws * scale
        return None

    def _responses(self, X):
        """Responses scaled by ``1 / c^2``, the assignments, and ``c^2`` for dense ``X``."""
        W, T, sim = self.components_, self.temperature, self._similarity_code
        scale = 1.0 if self.rule == "softhebb" else overflow_scale(X, W)
        if scale == 1.0:
            S, R = rules.soft_wta_responses(W, X, T, sim)
            return S, R, 1.0
        S, R = rules.soft_wta_responses(W / scale, X / scale, T / scale / scale, sim)
        with np.errstate(over="ignore"):
            return S, R, scale * scale

    def _winners(self, X):
        """Index of the unit with the largest response to each (validated) sample."""
        out = map_chunks(
            lambda chunk: np.argmax(self._responses(chunk)[0], axis=1)[:, None],
            X,
            1,
            np.intp,
        )
        return out[:, 0]

    def _reconstruction(self, X, codes):
        """What each rule rebuilds of ``X`` from the winning unit."""
        W = self.components_.astype(np.float64)
        Xd = dense_rows(X).astype(np.float64)
        if self.rule == "softhebb":
            # the unit-norm direction scaled by its response u = w . x
            u = np.einsum("ij,ij->i", Xd, W[codes])
            return u[:, None] * W[codes]
        return W[codes]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn the prototypes from ``X`` by ``max_iter`` passes of the rule.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. CSR input is used without densifying the whole array.
        y : Ignored
            Not used, present for API consistency (labels of unlabeled rows are fine).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample: its share of every update is
            multiplied by it and k-means++ picks samples in proportion to it.
            Rows of weight 0 are left out.

        %(fit_returns)s
        """
        with self._atomic():
            X = self._validate_X(X, reset=True)
            X, sw = _positive_rows(X, self._check_sample_weight(sample_weight, X))
            return self._fit(X, sample_weight=sw)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the prototypes with one pass of the rule over ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data; the first chunk must hold at least
            ``n_components`` samples.
        y : Ignored
            Not used, present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample (see ``fit``).

        %(partial_fit_returns)s
        """
        with self._atomic():
            X = self._validate_X(X, reset=not self._is_initialized())
            X, sw = _positive_rows(X, self._check_sample_weight(sample_weight, X))
            return self._partial_fit(X, sample_weight=sw)

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return the index of the winning unit of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample (see ``fit``).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The unit with the largest response to each sample.
        """
        return self.fit(X, sample_weight=sample_weight).predict(X)

    def predict(self, X):
        """Index of the unit with the largest response to each sample (the winner).

        %(X_parameters)s

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The winning unit; with ``similarity="euclidean"`` the nearest prototype.
        """
        return self._winners(self._validate_X_predict(X))

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the reconstruction error of ``X`` by the winning units.

        As :meth:`sklearn.cluster.KMeans.score`: the larger the better, for
        model selection without a ``scoring`` argument.

        %(samples_parameters)s
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample; None weighs each 1.

        Returns
        -------
        score : float
            :math:`-\\sum_x s_x \\lVert x - \\hat x \\rVert^2` with the
            winner's reconstruction :math:`\\hat x = w_k` (rule "soft-wta", the
            k-means inertia when ``similarity="euclidean"``) or :math:`\\hat x =
            u_k w_k` (rule "softhebb").
        """
        X = self._validate_X_predict(X)
        sw = self._check_sample_weight(sample_weight, X)
        codes = self._winners(X)
        return -reconstruction_error(X, lambda Xd, rows: self._reconstruction(Xd, codes[rows]), sw)

    def inverse_transform(self, X):
        """Map outputs of ``transform`` back to input space: the prototypes mixed by assignment.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Outputs of ``transform`` (assignments, or responses when
            ``output="responses"``, which are turned into assignments first).

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            :math:`\\sum_i r_i w_i`: each sample's prototypes weighted by its
            assignments (for rule "softhebb" the unit-norm directions).
        """
        R = self._validate_outputs(X)
        if self.output == "responses":
            R = softmax(R.astype(np.float64) / self.temperature) if self.temperature > 0 else (
                np.eye(self.n_components)[np.argmax(R, axis=1)]
            )
        return (R @ self.components_).astype(self._fit_dtype_, copy=False)

    def transform(self, X):
        """Soft assignments (or raw responses) of each sample to the units.

        %(X_parameters)s

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components)
            :math:`r = \\operatorname{softmax}(s / T)` (rows sum to 1), or the
            responses :math:`s` when ``output="responses"``.
        """
        X = self._validate_X_predict(X)
        W_dtype = self.components_.dtype

        def chunk_output(chunk):
            S, R, factor = self._responses(chunk)
            if self.output == "assignments":
                return R
            with np.errstate(over="ignore", invalid="ignore"):
                S = S * S.dtype.type(factor)
            if not np.isfinite(S).all() or np.abs(S).max() > np.finfo(W_dtype).max:
                raise ValueError(
                    f"The responses to X exceed the range of {S.dtype}; scale the input, "
                    "or use output='assignments', which stays finite."
                )
            return S

        return map_chunks(chunk_output, X, self.n_components, self.components_.dtype)


def _positive_rows(X, sample_weight):
    """Drop the rows of weight 0: a weight of 0 is the same as leaving the sample out."""
    if sample_weight is None or np.all(sample_weight > 0):
        return X, sample_weight
    keep = sample_weight > 0
    sample_weight = sample_weight[keep]
    return X[keep], None if np.all(sample_weight == 1) else sample_weight
