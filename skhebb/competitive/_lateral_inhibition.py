"""Feature selectors trained by Sanger's rule under lateral inhibition (or Krotov's rank rule)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from skhebb._core import rules
from skhebb._unsupervised import (
    REASSIGNMENT_RATIO,
    HebbianUnitsTransformer,
    dense_rows,
    map_chunks,
    squared_error,
)
from skhebb.competitive._selector_rules import SELECTOR_RULES

__all__ = ["LateralInhibitionSelectors"]


class LateralInhibitionSelectors(HebbianUnitsTransformer):
    r"""Hebbian feature selectors that compete through lateral inhibition.

    ``n_selectors`` units respond :math:`\tilde h = \mathrm{relu}(W x)`;
    lateral inhibition of strength :math:`\lambda` turns these into
    :math:`h_\mu = \tilde h_\mu^\lambda / \max_\nu \tilde h_\nu^\lambda`
    (:math:`\lambda = 1`: no inhibition; large :math:`\lambda`:
    winner-take-all). The selectors learn by Sanger's rule on the inhibited
    outputs (Zhu & Liu), with an exponential-average growth factor that
    boosts the selectors that fire less than average; or by the
    Krotov–Hopfield rank rule. ``transform`` returns :math:`h`.

    Parameters
    ----------
    n_selectors : int, default=64
        Number of feature selectors (hidden units).
    inhibition : float, default=10.0
        Strength :math:`\lambda \ge 1` of the lateral inhibition, used in
        ``transform`` and, for rule "sanger", in learning.
    rule : {"sanger", "krotov"}, default="sanger"
        "sanger": Sanger's rule on the inhibited outputs (the paper);
        "krotov": the Krotov–Hopfield rule (winner Hebbian, ``k``-th ranked
        unit anti-Hebbian with strength ``delta``, ``p``-norm currents).
    epsilon : float, default=0.01
        Strength :math:`\epsilon` of the growth factor (rule "sanger"); the
        factor lies in :math:`[1 - \epsilon, 1 + \epsilon]`; 0 turns it off.
    gamma : float, default=0.99
        Rigidity :math:`\gamma` of the exponential average of the outputs.
    p : float, default=3.0
        Exponent of the Lebesgue norm of rule "krotov" (:math:`p \ge 1`).
    k : int, default=7
        Rank of the anti-Hebbian unit in rule "krotov" (``2 <= k <= n_selectors``).
    delta : float, default=0.4
        Strength :math:`\Delta` of the anti-Hebbian update of rule "krotov".
    learning_rate : float, default=0.1
        Step size :math:`\alpha`. The paper's :math:`\alpha = 0.01` is per
        sample; here the update is averaged over ``batch_size`` samples, and
        0.1 with batches of 16 is what works on MNIST.
    batch_size : int, default=16
        Samples per update.
    max_iter : int, default=3
        Passes over the data in ``fit``.
    normalize_updates : {"auto"} or bool, default="auto"
        Divide each update by its largest magnitude (:math:`\Delta W / \max
        |\Delta W|`, Krotov's normalisation) instead of averaging it over the
        batch. "auto": True for rule "krotov", False for rule "sanger".
    schedule : {"constant", "linear"}, default="constant"
        "linear" decays the learning rate linearly over the epochs of ``fit``
        (as Krotov & Hopfield); ``partial_fit`` always uses ``learning_rate``.
    reassignment_ratio : float, default=0.01
        Dead-unit remedy in addition to the growth factor: over each
        window of ``10 * n_selectors`` samples, selectors that won fewer
        samples than ``reassignment_ratio`` times the busiest one (and at
        least those that won none) restart on a random sample of the batch,
        scaled to the median norm of the others. The growth factor alone
        cannot revive a selector whose response is negative for every input
        (it only rescales it); 0 turns reassignment off (the paper).
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Initial weights (normal; for rule "krotov" scaled to unit ``p``-norm),
        shuffling and reassignment.
    verbose : int, default=0
        Print one line per epoch.

    Attributes
    ----------
    components_ : ndarray of shape (n_selectors, n_features)
        The selectors :math:`W`.
    average_ : ndarray of shape (n_selectors,)
        Exponential average :math:`a` of each selector's inhibited output.
    n_reassigned_ : int
        Number of selector reassignments so far.
    %(epoch_attributes)s

    See Also
    --------
    skhebb.competitive.SoftWTA : Competition through a softmax.
    skhebb.decomposition.HebbianPCA : Sanger's rule without inhibition.

    Notes
    -----
    Rule "sanger", for a mini-batch :math:`B` (the per-sample rule averaged):

    .. math::

        \Delta w_i = \frac{\alpha}{|B|} \sum_{x \in B} h_i
        \Big(x - \sum_{k \le i} h_k w_k\Big), \qquad
        a_i \leftarrow \gamma a_i + (1 - \gamma) h_i,

    then :math:`w_i \leftarrow f_i w_i` with
    :math:`f_i = 1 + \epsilon \tanh\big(-(|a_i / \bar a| - 1) / \epsilon\big)`
    (the average is advanced sample by sample, the factor applied once per batch).

    Rule "krotov": currents :math:`I_\mu = \sum_i \mathrm{sign}(W_{\mu i})
    |W_{\mu i}|^{p-1} x_i`; the strongest unit gets :math:`g = 1`, the
    ``k``-th strongest :math:`g = -\Delta`, the others 0, and
    :math:`\Delta W_{\mu i} = \sum_{x \in B} g_\mu (x_i - I_\mu W_{\mu i})`,
    applied as :math:`\alpha\, \Delta W / \max|\Delta W|` when
    ``normalize_updates``.

    References
    ----------
    .. [1] Z. Zhu, S. Liu, "Feature selectors that fire together wire together: a
       Hebbian based approach to backprop-less learning in artificial neural
       networks", McGill University.
    .. [2] D. Krotov, J. J. Hopfield, "Unsupervised learning by competing hidden
       units", PNAS 116(16), 7723-7731, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skhebb.competitive import LateralInhibitionSelectors
    >>> X = np.random.RandomState(0).rand(200, 16)
    >>> sel = LateralInhibitionSelectors(n_selectors=8, random_state=0).fit(X)
    >>> H = sel.transform(X)
    >>> H.shape
    (200, 8)
    >>> bool(H.max() <= 1.0)
    True
    """

    _parameter_constraints: dict = {
        **HebbianUnitsTransformer._parameter_constraints,
        "n_selectors": [Interval(Integral, 1, None, closed="left")],
        "inhibition": [Interval(Real, 1, None, closed="left")],
        "rule": [StrOptions(set(SELECTOR_RULES))],
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "gamma": [Interval(Real, 0, 1, closed="left")],
        "p": [Interval(Real, 1, None, closed="left")],
        "k": [Interval(Integral, 2, None, closed="left")],
        "delta": [Interval(Real, 0, None, closed="left")],
        "normalize_updates": [StrOptions({"auto"}), "boolean"],
        "reassignment_ratio": REASSIGNMENT_RATIO,
    }

    _state_names = ("components_", "average_")
    _reassigns = True

    def __init__(
        self,
        n_selectors=64,
        *,
        inhibition=10.0,
        rule="sanger",
        epsilon=0.01,
        gamma=0.99,
        p=3.0,
        k=7,
        delta=0.4,
        learning_rate=0.1,
        batch_size=16,
        max_iter=3,
        normalize_updates="auto",
        schedule="constant",
        reassignment_ratio=0.01,
        shuffle=True,
        random_state=None,
        verbose=0,
    ):
        self.n_selectors = n_selectors
        self.inhibition = inhibition
        self.rule = rule
        self.epsilon = epsilon
        self.gamma = gamma
        self.p = p
        self.k = k
        self.delta = delta
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.normalize_updates = normalize_updates
        self.schedule = schedule
        self.reassignment_ratio = reassignment_ratio
        self.shuffle = shuffle
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _n_units(self):
        return self.n_selectors

    @property
    def _rule(self):
        return SELECTOR_RULES[self.rule]

    @property
    def _normalize(self):
        if self.normalize_updates == "auto":
            return self._rule.normalize_updates
        return bool(self.normalize_updates)

    def _check_params(self, X):
        self._rule.check(self)

    def _init_units(self, n_features, dtype, rng):
        self.average_ = np.zeros(self.n_selectors)
        self._n_steps = 0
        W = self._rule.init(self, rng.normal(size=(self.n_selectors, n_features)))
        return W.astype(dtype)

    def _reassign(self, units, rows):
        # restart on the sample, scaled to the typical norm of the live selectors
        rows = np.asarray(rows, dtype=np.float64)
        p = self._rule.norm_order(self)
        live = np.setdiff1d(np.arange(self.n_selectors), units)
        target = 1.0
        if live.size:
            target = float(np.median(np.linalg.norm(self.components_[live], ord=p, axis=1)))
        norms = np.linalg.norm(rows, ord=p, axis=1, keepdims=True)
        rows = target * rows / np.where(norms > 0, norms, 1.0)
        self.components_[units] = rows.astype(self.components_.dtype)
        self.average_[units] = self.average_.mean()

    def _divergence_measure(self):
        # The growth factor may rescale a selector by up to (1 + epsilon) per batch,
        # so over an epoch the norms drift legitimately by large factors; the guard
        # watches the weights with that largest possible drift divided out.
        drift = np.log1p(self.epsilon) * self._n_steps
        return float(np.max(np.abs(self.components_))) / np.exp(min(drift, 700.0))

    def _step(self, X, learning_rate, sample_weight):
        self._n_steps += 1
        self._rule.step(self, self.components_, X, learning_rate, self._normalize, self._wins)
        return None

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_krotov_powered", None)  # derived from components_, recomputed when needed
        return state

    def transform(self, X):
        """Inhibited responses of the selectors.

        %(X_parameters)s

        Returns
        -------
        H : ndarray of shape (n_samples, n_selectors)
            :math:`h_\\mu = \\tilde h_\\mu^\\lambda / \\max_\\nu \\tilde h_\\nu^\\lambda`
            with :math:`\\tilde h = \\mathrm{relu}(W x)`, in :math:`[0, 1]`.
        """
        X = self._validate_X_predict(X)
        return map_chunks(self._responses, X, self.n_selectors, self.components_.dtype)

    def _responses(self, X):
        """Inhibited responses of dense ``X``; huge inputs or weights on a safe scale.

        The responses are invariant under a common scaling of ``X`` or of ``W``,
        so dividing both by a power of two (exact) changes nothing but overflow.
        """
        W, lam = self.components_, float(self.inhibition)
        px = float(np.abs(X).max()) if X.size else 0.0
        pw = float(np.abs(W).max()) if W.size else 0.0
        if px * pw * (X.shape[1] + 1) >= float(np.finfo(W.dtype).max) / 16:
            X = X / X.dtype.type(2.0 ** np.ceil(np.log2(px)))
            W = W / W.dtype.type(2.0 ** np.ceil(np.log2(pw)))
        return rules.inhibited_responses(W, X, lam)

    def score(self, X, y=None):
        """Opposite of the mean squared error of ``X`` rebuilt from the selectors' code.

        With :math:`H` = ``transform(X)``, the reconstruction is
        :math:`\\hat x = \\sum_\\mu h_\\mu w_\\mu` (``H @ components_``), the
        representation that Sanger's rule fits; the larger the better, so
        that model selection works without a ``scoring`` argument.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        score : float
            :math:`-\\frac{1}{n} \\sum_x \\lVert x - \\hat x \\rVert^2`.
        """
        H = self.transform(X)
        X = self._validate_X_predict(X)
        W = self.components_.astype(np.float64)
        total = 0.0
        for start in range(0, X.shape[0], 4096):
            rows = slice(start, start + 4096)
            total += squared_error(dense_rows(X[rows]).astype(np.float64) - H[rows] @ W)
        return -total / X.shape[0]
