"""Soft winner-take-all competitive learning and SoftHebb."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from skhebb._core import rules
from skhebb._unsupervised import (
    REASSIGNMENT_RATIO,
    HebbianUnitsTransformer,
    dense_rows,
    map_chunks,
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

    def _init_from_data(self, X, rng):
        # k-means++ seeding (D^2 sampling) on a subsample of the first data seen
        n, k = X.shape[0], self.n_components
        sub = rng.choice(n, size=min(n, max(100 * k, 1000)), replace=False)
        S = dense_rows(X[np.sort(sub)]).astype(np.float64)
        chosen = [rng.randint(S.shape[0])]
        d2 = ((S - S[chosen[0]]) ** 2).sum(axis=1)
        for _ in range(1, k):
            total = d2.sum()
            if total > 0:
                i = rng.choice(S.shape[0], p=d2 / total)
            else:
                i = rng.randint(S.shape[0])
            chosen.append(i)
            d2 = np.minimum(d2, ((S - S[i]) ** 2).sum(axis=1))
        W = S[chosen]
        # break ties between repeated samples with a tiny perturbation
        spread = float(np.abs(W).mean()) or 1.0
        W += 1e-3 * spread * rng.normal(size=W.shape)
        self.components_ = np.zeros_like(self.components_)
        self._reassign(np.arange(k), W)

    def _reassign(self, units, rows):
        rows = np.asarray(rows, dtype=self.components_.dtype)
        if self.rule == "softhebb":
            norms = np.linalg.norm(rows, axis=1, keepdims=True)
            rows = rows / np.where(norms > 0, norms, 1)
        self.components_[units] = rows

    def _step(self, X, learning_rate):
        W = self.components_
        if self.rule == "softhebb":
            rules.softhebb_step(W, X, self.temperature, learning_rate, False, self._wins)
        else:
            rules.soft_wta_step(
                W, X, self.temperature, self._similarity_code, learning_rate, False, self._wins
            )
        return None

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
        W, T, sim = self.components_, self.temperature, self._similarity_code
        pick = 0 if self.output == "responses" else 1
        return map_chunks(
            lambda chunk: rules.soft_wta_responses(W, chunk, T, sim)[pick],
            X,
            self.n_components,
            W.dtype,
        )
