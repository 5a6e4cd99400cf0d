"""Supervised (teacher-forced) Hebbian classifier, trained without backpropagation."""

import math
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import log_softmax
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.extmath import softmax

from skhebb._base import BaseHebbianClassifier
from skhebb._core.supervised import (
    delta_rule_update,
    oja_rule_update,
    pooling_connectivity,
    rectified_tanh,
    threshold_rule_update,
)

__all__ = ["SupervisedHebbClassifier"]


class SupervisedHebbClassifier(BaseHebbianClassifier):
    r"""Feed-forward classifier trained by local Hebbian rules with a forced output.

    During training the output layer's activity is forced to the one-hot target
    (a winner-take-all teacher) and every output weight changes by a local rule
    of its pre-synaptic activity :math:`x` and its forced post-synaptic
    activity :math:`y`; no error is propagated backwards. An optional fixed
    (non-learned) pooling layer maps a square input image to a smaller square
    hidden grid first (Qumsieh's "medium network", 784-196-10).

    Inputs are expected in [0, 1] (firing rates; e.g. MNIST pixels / 255).
    Every rule is applied sample by sample in the order of ``X``, so the result
    does not depend on ``batch_size`` and ``partial_fit`` on one sample at a
    time equals one epoch of ``fit`` (with ``shuffle=False``, the default, as
    in the author's unshuffled protocol).

    Parameters
    ----------
    rule : {"threshold", "delta", "oja"}, default="threshold"
        The local rule of the output weights (see Notes).
    learning_rate : float, default=0.01
        :math:`\eta_{ltp}` of the threshold rule, :math:`\alpha` of the delta
        rule, :math:`\eta` of the Oja rule.
    ltd_rate : float, default=0.0005
        :math:`\eta_{ltd}` of the threshold rule (ignored by the other rules).
    threshold : float, default=0.25
        Co-activity threshold :math:`\theta` above which the threshold rule
        potentiates.
    creation_value : float, default=0.5
        Value :math:`c` of a synapse created by potentiating a zero weight
        (threshold rule).
    reset_value : float, default=0.9
        A weight whose magnitude exceeds 1 is reset to :math:`\pm` this value
        (threshold rule), so weights stay in [-1, 1].
    inhibitory : bool, default=False
        Threshold rule: whether depression of an absent synapse creates an
        inhibitory (negative) one. The paper's experiments keep every weight
        excitatory (False); inhibition helps once there are tens of images
        per class (see Notes).
    max_norm : float, default=1.0
        Largest magnitude of a weight of the delta rule; a class's weight row
        that exceeds it is rescaled after each sample.
    beta : float, default=0.5
        Slope :math:`\beta` of the rectified tanh
        :math:`f(z) = \max(0, \tanh(\beta z))` of the hidden pooling layer.
    bias : float, default=0.95
        Fixed bias :math:`b` of the hidden pooling neurons,
        :math:`h = f(P^\top x - b)`.
    hidden_pooling : int or None, default=None
        Number :math:`m` of hidden units of the fixed pooling layer, a perfect
        square (e.g. 196 for a 14 x 14 grid); ``None`` connects the inputs
        directly to the output. With pooling, ``n_features`` must be a perfect
        square too (a square image) and ``m <= n_features``.
    connectivity : int, default=1
        Connectivity factor :math:`\kappa` of the pooling layer: 1 gives
        non-overlapping pools, larger values overlapping receptive fields.
    pooling_weight : float, default=0.5
        Fixed weight :math:`\omega` of every pooling connection.
    readout : {"auto", "cosine", "linear"}, default="auto"
        Output scores used by ``predict``/``predict_proba``: "linear" is
        :math:`z = W h`; "cosine" divides each class's weight row by its
        Euclidean norm first (synaptic scaling, so that classes with many or
        large weights are not favoured). "auto" is "cosine" for the Oja rule
        (whose rows are scaled class averages) and "linear" otherwise: the
        paper's argmax of the output for the threshold rule, the softmax model
        itself for the delta rule. For the threshold rule "cosine" is better
        with a few images per class, "linear" with tens (see the records in
        ``benchmarks/results``).
    %(label_parameters)s
    batch_size : int, default=200
        Samples handed to the kernel at once. The rules run sample by sample,
        so it changes speed and ``loss_curve_`` grouping, not the result.
    max_iter : int, default=1
        Epochs of ``fit`` (the author trains one epoch).
    shuffle : bool, default=False
        Whether to shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffling (the rules themselves are deterministic).
    verbose : bool or int, default=False
        Print one line per epoch.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (n_classes, n_hidden)
        Learned output weights (``n_hidden = n_features`` without pooling).
    pooling_ : scipy.sparse.csr_matrix of shape (n_features, hidden_pooling) or None
        The fixed pooling layer (rows are inputs), ``None`` without pooling.
    n_features_in_ : int
        Number of features seen during ``fit``.
    n_iter_ : int
        Number of epochs run.
    n_samples_seen_ : int
        Number of labeled samples used for training.
    loss_curve_ : list of float
        Mean cross-entropy per epoch (delta rule only; empty otherwise).

    See Also
    --------
    sklearn.linear_model.Perceptron : Error-driven linear classifier.
    skhebb.neural_network.HebbSETClassifier : Sparse MLP trained by gradient plus a Hebbian term.

    Notes
    -----
    With pooling, the hidden activities are
    :math:`h = \max(0, \tanh(\beta (P^\top x - b)))` with :math:`P_{ij} = \omega`
    when input :math:`i` lies in the receptive field of hidden unit :math:`j`:
    inputs on a :math:`\sqrt{n} \times \sqrt{n}` grid, hidden units on a
    :math:`\sqrt{m} \times \sqrt{m}` grid, input :math:`(r, c)` falls on cell
    :math:`(a, b) = (\lfloor r \sqrt{m} / \sqrt{n} \rfloor,
    \lfloor c \sqrt{m} / \sqrt{n} \rfloor)` and connects to every hidden unit
    :math:`(r', c')` with :math:`|a - r'| < \kappa` and :math:`|b - c'| < \kappa`.
    As in the paper's experiments this layer does not learn; only the output
    weights :math:`W` do. Without pooling :math:`h = x`.

    For each training sample (in order) the output is forced to the one-hot
    target :math:`y` and the output weights change by one of three rules.

    **threshold** (Qumsieh). Weights start at 0. For each synapse with
    pre-synaptic activity :math:`x = h_j` and post-synaptic :math:`y = y_k`:

    .. math::

        w' = \begin{cases}
        w & x \le 0 \ \text{(silent pre-synaptic neuron)} \\
        c & x y \ge \theta,\ w = 0 \ \text{(creation)} \\
        w + \eta_{ltp}\, x y & x y \ge \theta,\ w \ne 0 \ \text{(LTP)} \\
        w - \eta_{ltd}\, x & x > 0,\ x y < \theta,\ w \ne 0 \ \text{(LTD)} \\
        -\eta_{ltd}\, x \ \text{or}\ 0 & x > 0,\ x y < \theta,\ w = 0
        \ \text{(with / without inhibitory)}
        \end{cases}

    then :math:`w' \leftarrow 0` if :math:`w' w < 0` (a synapse never changes
    sign: excitatory stays excitatory) and :math:`w' \leftarrow
    \operatorname{sign}(w')\, r` if :math:`|w'| > 1` (``reset_value``), so
    :math:`w \in [-1, 1]`. A zero weight is an absent synapse: LTP creates
    it excitatory, so without ``inhibitory`` every weight stays in [0, 1], as
    in the paper's experiments. The paper suggests that inhibitory synapses
    would curb the saturation it observed with more training images; with
    ``inhibitory=True`` an absent synapse depressed by LTD becomes inhibitory.
    With a one-hot target, LTP acts on the target class's synapses from inputs
    with :math:`x \ge \theta`, LTD on the other classes' synapses from every
    active input (and on the target's from inputs with :math:`x < \theta`).
    :math:`\eta_{ltp}` is ``learning_rate`` and :math:`\eta_{ltd}` is
    ``ltd_rate``. The paper's equations did not survive; this definition
    follows its text (LTD when the pre-synaptic neuron fires but the
    post-synaptic one does not) and the published settings (:math:`\theta =
    0.25`, :math:`c = 0.5`, biases 0.95, weights from 0, one unshuffled epoch).
    With the "linear" read-out it reproduces the published MNIST accuracies
    closely (see the records in ``benchmarks/results``).

    **delta** (Zhu and Liu, Eq. 13). Weights start at 0;
    :math:`p = \operatorname{softmax}(W h)`,
    :math:`\Delta W = \alpha (y - p) h^\top`, then each row
    :math:`w_k` with :math:`\max_j |w_{kj}| > M` is divided by
    :math:`\max_j |w_{kj}| / M` (``max_norm``).

    **oja** (forced output). Weights start at 0;
    :math:`\Delta w_k = \eta\, y_k (h - y_k w_k)`: the target class's row
    moves towards the sample, the others do not change.

    Prediction takes the class of the largest score :math:`z_k = w_k \cdot h`
    ("linear") or :math:`z_k = w_k \cdot h / \lVert w_k \rVert`
    ("cosine"); ``predict_proba`` is :math:`\operatorname{softmax}(z)`.
    The fixed output bias of the paper is the same for every class and is
    left out: it changes neither the forced training nor the argmax.

    References
    ----------
    .. [1] R. Qumsieh, "A Supervised Modified Hebbian Learning Method On
       Feed-forward Neural Networks", arXiv:2001.01687, 2020.
    .. [2] Z. Zhu and S. Liu, "Feature Selectors that Fire Together Wire
       Together: A Hebbian Based Approach to Backprop-Less Learning in
       Artificial Neural Networks" (delta-rule read-out, Eq. 13).
    .. [3] E. Oja, "Simplified neuron model as a principal component
       analyzer", J. Math. Biol. 15 (3), 267-273, 1982.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skhebb.neural_network import SupervisedHebbClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16.0
    >>> clf = SupervisedHebbClassifier(rule="oja").fit(X[:1000], y[:1000])
    >>> clf.coef_.shape
    (10, 64)
    >>> bool(clf.score(X[1000:], y[1000:]) > 0.8)
    True
    >>> clf.partial_fit(X[:5], y[:5]).n_iter_
    2
    """

    _parameter_constraints: dict = {
        **BaseHebbianClassifier._parameter_constraints,
        "rule": [StrOptions({"threshold", "delta", "oja"})],
        "ltd_rate": [Interval(Real, 0, None, closed="left")],
        "threshold": [Interval(Real, 0, None, closed="neither")],
        "creation_value": [Interval(Real, 0, 1, closed="right")],
        "reset_value": [Interval(Real, 0, 1, closed="right")],
        "inhibitory": ["boolean"],
        "max_norm": [Interval(Real, 0, None, closed="neither")],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "bias": [Interval(Real, None, None, closed="neither")],
        "hidden_pooling": [Interval(Integral, 1, None, closed="left"), None],
        "connectivity": [Interval(Integral, 1, None, closed="left")],
        "pooling_weight": [Interval(Real, 0, None, closed="neither")],
        "readout": [StrOptions({"auto", "cosine", "linear"})],
    }

    _state_names = ("coef_",)

    def __init__(
        self,
        rule="threshold",
        *,
        learning_rate=0.01,
        ltd_rate=0.0005,
        threshold=0.25,
        creation_value=0.5,
        reset_value=0.9,
        inhibitory=False,
        max_norm=1.0,
        beta=0.5,
        bias=0.95,
        hidden_pooling=None,
        connectivity=1,
        pooling_weight=0.5,
        readout="auto",
        class_weight=None,
        unlabeled_label=None,
        batch_size=200,
        max_iter=1,
        shuffle=False,
        random_state=None,
        verbose=False,
    ):
        self.rule = rule
        self.learning_rate = learning_rate
        self.ltd_rate = ltd_rate
        self.threshold = threshold
        self.creation_value = creation_value
        self.reset_value = reset_value
        self.inhibitory = inhibitory
        self.max_norm = max_norm
        self.beta = beta
        self.bias = bias
        self.hidden_pooling = hidden_pooling
        self.connectivity = connectivity
        self.pooling_weight = pooling_weight
        self.readout = readout
        self.class_weight = class_weight
        self.unlabeled_label = unlabeled_label
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ hooks
    def _check_params(self, X):
        if self.hidden_pooling is None:
            return
        n = X.shape[1]
        side_in, side_out = math.isqrt(n), math.isqrt(self.hidden_pooling)
        if side_in * side_in != n:
            raise ValueError(
                f"hidden_pooling needs a square input image: n_features={n} is not a "
                "perfect square."
            )
        if side_out * side_out != self.hidden_pooling or self.hidden_pooling > n:
            raise ValueError(
                f"hidden_pooling={self.hidden_pooling} must be a perfect square no larger "
                f"than n_features={n}."
            )

    def _init_state(self, n_features, dtype, rng):
        if self.hidden_pooling is None:
            self.pooling_ = None
            n_hidden = n_features
        else:
            side_in, side_out = math.isqrt(n_features), math.isqrt(self.hidden_pooling)
            indptr, indices = pooling_connectivity(side_in, side_out, self.connectivity)
            data = np.full(indices.shape[0], self.pooling_weight, dtype=dtype)
            self.pooling_ = sp.csr_matrix(
                (data, indices, indptr), shape=(n_features, self.hidden_pooling)
            )
            n_hidden = self.hidden_pooling
        self.coef_ = np.zeros((self.classes_.shape[0], n_hidden), dtype=dtype)

    def _hidden(self, X):
        """Dense C-contiguous activities of the layer below the output."""
        if self.pooling_ is None:
            H = X.toarray() if sp.issparse(X) else X
            return np.ascontiguousarray(H, dtype=self._fit_dtype_)
        Z = X @ self.pooling_
        Z = Z.toarray() if sp.issparse(Z) else Z
        Z = np.ascontiguousarray(Z, dtype=self._fit_dtype_)
        rectified_tanh(Z, float(self.beta), float(self.bias))
        return Z

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train on ``(X, y)`` for ``max_iter`` epochs.

        The rules run sample by sample in the order of ``X``, so repeating a
        sample is not the same as giving it a weight; per-sample weights are
        therefore not offered. Class weights (``class_weight``) multiply the
        step of each sample of the class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or CSR, float32 or float64; expected in [0, 1].
        y : array-like of shape (n_samples,)
            Target labels. Every label is a class (``-1`` included) unless
            ``unlabeled_label`` names a marker of unlabeled rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with self._atomic():
            return self._fit_labels(X, y, None)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None):
        """Update the weights with one pass over ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data; a single sample is fine.
        y : array-like of shape (n_samples,)
            Target labels (see ``fit``).
        classes : array-like of shape (n_classes,), default=None
            Every label that can appear. Required on the first call, ignored
            (but checked) afterwards.

        Returns
        -------
        self : object
            The updated estimator.
        """
        with self._atomic():
            return self._partial_fit_labels(X, y, classes, None)

    def _batch_step(self, X, y, sample_weight, run):
        H = self._hidden(X)
        sw = None if sample_weight is None else sample_weight.astype(np.float64)
        Y = np.zeros((H.shape[0], self.coef_.shape[0]), dtype=H.dtype)
        Y[np.arange(H.shape[0]), y] = 1
        rate = float(self.learning_rate)
        if self.rule == "threshold":
            threshold_rule_update(
                self.coef_,
                H,
                Y,
                rate,
                float(self.ltd_rate),
                float(self.threshold),
                float(self.creation_value),
                float(self.reset_value),
                bool(self.inhibitory),
                sw,
            )
            return None
        if self.rule == "delta":
            loss = delta_rule_update(self.coef_, H, Y, rate, float(self.max_norm), sw)
            return loss / (H.shape[0] if sw is None else sw.sum())
        oja_rule_update(self.coef_, H, Y, rate, sw)
        return None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The threshold rule reads activities as firing rates in [0, 1]: negative
        # inputs count as silent, so it scores poorly on standardised data.
        tags.classifier_tags.poor_score = self.rule == "threshold"
        return tags

    # -------------------------------------------------------------- inference
    def _scores(self, X):
        """Output scores of every class for validated ``X``, shape (n_samples, n_classes)."""
        W = self.coef_
        readout = self.readout
        if readout == "auto":
            readout = "cosine" if self.rule == "oja" else "linear"
        W = W.astype(np.float64)
        if readout == "cosine":
            W = W / np.where(W.any(axis=1, keepdims=True), _row_norms(W), 1.0)
        H = self._hidden(X).astype(np.float64, copy=False)
        with np.errstate(over="ignore", invalid="ignore"):
            Z = H @ W.T
        if not np.isfinite(Z).all():
            # products beyond the float range: compute on a power-of-two scale
            # (exact), and let scores that do not fit saturate at the largest float
            scale = 2.0 ** np.ceil(np.log2(np.abs(H).max()))
            big = np.finfo(np.float64).max / scale
            Z = np.clip((H / scale) @ W.T, -big, big) * scale
        return Z

    def _predict_codes(self, X):
        return np.argmax(self._scores(X), axis=1)

    def _proba(self, X):
        return softmax(self._scores(X))

    def predict_log_proba(self, X):
        """Logarithm of the probability of each class: the log-softmax of the scores.

        %(X_parameters)s

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            :math:`z - \\log \\sum_k e^{z_k}`, finite for every finite score.
        """
        return log_softmax(self._scores(self._validate_X_predict(X)), axis=1)

    def decision_function(self, X):
        """Output scores (see ``readout``).

        %(X_parameters)s

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes) or (n_samples,)
            The class scores :math:`z`, whose argmax ``predict`` takes. With
            two classes, :math:`z_1 - z_0` (positive for ``classes_[1]``).
        """
        scores = self._scores(self._validate_X_predict(X))
        if scores.shape[1] == 2:
            return scores[:, 1] - scores[:, 0]
        return scores


def _row_norms(W):
    """Euclidean norm of each row of ``W``, shape (n_rows, 1), without overflow."""
    peak = np.abs(W).max(axis=1, keepdims=True)
    safe = np.where(peak > 0, peak, 1.0)
    return safe * np.linalg.norm(W / safe, axis=1, keepdims=True)
