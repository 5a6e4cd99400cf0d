"""HebbSETClassifier: Sparse Evolutionary Training with a Hebbian term."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import Interval, StrOptions

from skhebb._base import BaseHebbianClassifier
from skhebb._core.activations import ACTIVATIONS, row_stats
from skhebb._core.losses import LOSSES, output_delta
from skhebb._core.sparse import (
    bias_update,
    build_csc,
    csr_to_feature_major,
    dense_to_feature_major,
    forward,
    fused_update,
)
from skhebb._core.topology import er_probability, erdos_renyi, evolve, prune_mask

__all__ = ["HebbSETClassifier"]

#: Standard deviation of new weights (the reference draws N(0, 1) / 10).
_WEIGHT_SCALE = 0.1
#: Samples per forward chunk in predict_proba (bounds memory to chunk × width).
_PREDICT_CHUNK = 2048


class HebbSETClassifier(BaseHebbianClassifier):
    r"""Sparse multi-layer perceptron trained by SET with a Hebbian term (HebbSET).

    Every layer is truly sparse: only the existing connections are stored (as
    CSR) and computed. The topology starts as an Erdős–Rényi random graph and
    evolves after each epoch: the fraction ``zeta`` of the weakest connections
    is removed and as many new random connections are added. Each weight
    changes by mini-batch gradient descent plus a Hebbian term that strengthens
    connections whose pre-synaptic unit is active while the post-synaptic unit
    is above its batch average. ``hebbian_strength=0`` is plain SET.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(1000, 1000, 1000)
        Width of each hidden layer (the paper's MNIST network).
    epsilon : float, default=20
        Sparsity level :math:`\varepsilon`: a connection between layers of
        widths :math:`n` and :math:`m` exists with probability
        :math:`\varepsilon (n + m) / (n m)`, capped at 1.
    zeta : float, default=0.3
        Fraction of each layer's connections removed after every epoch.
    hebbian_strength : float, default=0.01
        :math:`\lambda_0`, the initial weight of the Hebbian term; 0 gives SET.
    hebbian_decay : float, default=0.98
        :math:`\lambda(t) = \lambda_0 \cdot \text{hebbian\_decay}^t`, ``t`` the epoch.
    learning_rate : float, default=0.02
        Step size :math:`\alpha` of gradient descent.
    batch_size : int, default=200
        Mini-batch size (the paper: 200 for MNIST, 30 for Lung).
    max_iter : int, default=250
        Number of epochs of ``fit``.
    activation : {"relu", "sigmoid", "tanh"}, default="relu"
        Activation of the hidden layers.
    loss : {"set_mse", "mse", "log_loss"}, default="set_mse"
        ``"set_mse"``: sigmoid outputs and squared error on one-hot targets with
        the output error of the SET/HebbSET reference code (see Notes), which the
        paper's results were obtained with; ``"mse"``: the same loss with its exact
        gradient (learns far more slowly once the sigmoid outputs saturate);
        ``"log_loss"``: softmax outputs and cross-entropy.
    prune : {"magnitude", "signed"}, default="magnitude"
        ``"magnitude"`` removes the ``zeta`` fraction with the smallest
        :math:`|w|` (HebbSET); ``"signed"`` removes ``zeta`` of the negative
        weights closest to 0 and ``zeta`` of the positive weights closest to 0
        (the original SET code).
    momentum : float, default=0.0
        Momentum :math:`\mu` of the gradient part of the update. The HebbSET
        reference code uses plain gradient descent (0, Eq. 8 as printed); the
        original SET code uses 0.9.
    alpha : float, default=0.0
        Weight decay :math:`\kappa` per mini-batch, :math:`w \leftarrow w - \kappa w`
        (0 in the HebbSET reference code; the original SET code uses 2e-4).
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified),
        record its accuracy after each epoch and stop when it has not improved
        by ``tol`` for ``n_iter_no_change`` epochs; the best network is kept.
        Without it ``fit`` runs exactly ``max_iter`` epochs, as the paper.
    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping``.
    n_iter_no_change : int, default=10
        Patience of early stopping, in epochs.
    tol : float, default=1e-4
        Smallest validation improvement that counts.
    warm_start : bool, default=False
        If True, ``fit`` continues from the current network (weights,
        topology, epoch counter and thus :math:`\lambda(t)`).
    %(label_parameters)s
    random_state : int, RandomState instance or None, default=None
        Topology, initial weights, shuffling and regrowth.
    verbose : int, default=0
        Print one line per epoch.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coefs_ : list of scipy.sparse.csr_matrix
        ``coefs_[l]`` has shape ``(n_{l}, n_{l+1})``; it shares its
        ``indptr``, ``indices`` (int32) and ``data`` arrays with the kernels.
    intercepts_ : list of ndarray
        Biases of each layer.
    n_iter_ : int
        Epochs run.
    loss_curve_ : list of float
        Mean training loss of each epoch.
    validation_scores_ : list of float
        Validation accuracy after each epoch (``early_stopping`` only).
    best_validation_score_ : float
        Best validation accuracy (``early_stopping`` only).
    topology_history_ : dict of lists
        One entry per epoch, after the evolution: ``"nnz"`` (list of int per
        layer), ``"input_degree"`` (int array: outgoing connections of each
        input feature in the first layer), ``"kept_fraction"`` (per layer:
        share of the epoch's connections that survived pruning),
        ``"positive_fraction"`` (per layer: share of positive weights).
    n_features_in_ : int
        Number of input features.
    n_layers_ : int
        Number of weight layers plus one, as in MLPClassifier.
    out_activation_ : str
        ``"sigmoid"`` or ``"softmax"``.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : Dense multi-layer perceptron.
    SupervisedHebbClassifier : Hebbian classifier without back-propagation.

    Notes
    -----
    For a connection from unit :math:`i` of layer :math:`l-1` to unit :math:`j`
    of layer :math:`l`, on a mini-batch of size :math:`B` (Eq. 8 of [2]_),

    .. math::

        \Delta w_{ij} = -\alpha \frac{\partial J}{\partial w_{ij}}
          + \lambda(t)\, \frac1B \sum_b \hat a_{ib}\,
          \bigl(\hat a_{jb} - \tfrac1B \textstyle\sum_{b'} \hat a_{jb'}\bigr),
        \qquad \hat a = \frac{a - \min_b a}{\max_b a - \min_b a + 10^{-4}},

    with :math:`\lambda(t) = \lambda_0 \cdot 0.98^t` (Eq. 11), applied to
    every layer, the input layer included. With ``momentum`` :math:`\mu` and
    ``alpha`` :math:`\kappa` (the SET reference code's optimiser), the momentum
    smooths the gradient part only:
    :math:`v \leftarrow \mu v - \alpha\, \partial J / \partial w`,
    :math:`w \leftarrow w + v + \lambda(t) h - \kappa w`, where :math:`h` is the
    Hebbian term above (biases likewise, without it). Accumulating the Hebbian
    term in the velocity too would multiply it by :math:`1/(1-\mu) = 10`; that
    made training diverge here with the paper's :math:`\lambda_0`. Only
    stored connections are updated: the cost of an epoch is
    :math:`O(\text{nnz} \cdot B)` per batch, memory :math:`O(\text{nnz})`.

    After each epoch the ``zeta`` fraction of connections is pruned per layer
    and, except after the last epoch of ``fit``, the same number of absent
    connections is added at random with fresh :math:`\mathcal N(0, 0.1^2)`
    weights (Algorithm 2 of [2]_: the final network of ``fit`` has
    ``1 - zeta`` of the connections). The evolution that follows an epoch is
    carried out at the start of the next one, so between two ``partial_fit``
    calls the network is the one the last epoch trained, not one with
    ``zeta`` of its connections freshly randomised: this is the network the
    reference code evaluates after each epoch. ``fit(max_iter=k)`` stores a
    subset of the connections of ``k`` ``partial_fit`` calls, with the same
    weights on it.

    With ``loss="set_mse"`` the output error is
    :math:`\delta = (a - t)\,\sigma(a)(1 - \sigma(a))`, the derivative of the
    sigmoid taken at the output activation :math:`a` as the reference code does,
    instead of :math:`(a - t)\,a(1 - a)` (``loss="mse"``). On the paper's MNIST
    protocol the exact gradient learns far more slowly, while the reference
    error reproduces the published curves (see the records in
    ``benchmarks/results``).

    Inputs are best scaled per sample to [0, 1], as the reference code does:
    ``FunctionTransformer(lambda X: (X - X.min(1, keepdims=True)) / ...)``.
    ``predict_proba`` with the squared-error losses returns the sigmoid outputs
    normalised to sum to 1.

    References
    ----------
    .. [1] D. C. Mocanu, E. Mocanu, P. Stone, P. H. Nguyen, M. Gibescu and
       A. Liotta, "Scalable training of artificial neural networks with
       adaptive sparse connectivity inspired by network science", Nature
       Communications 9, 2383 (2018).
    .. [2] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing Learning in Sparse
       Neural Networks: A Hebbian Learning Approach" (HebbSET; Eq. 8, 10, 11
       and Algorithm 2), University of Twente.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skhebb import HebbSETClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = X / X.max(axis=0)
    >>> clf = HebbSETClassifier(hidden_layer_sizes=(64,), epsilon=10, batch_size=16,
    ...                         max_iter=60, learning_rate=0.3, random_state=0)
    >>> clf.fit(X, y).score(X, y) > 0.8
    True
    >>> clf.coefs_[0].shape
    (4, 64)
    """

    _parameter_constraints: dict = {
        **BaseHebbianClassifier._parameter_constraints,
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "zeta": [Interval(Real, 0, 1, closed="left")],
        "hebbian_strength": [Interval(Real, 0, None, closed="left")],
        "hebbian_decay": [Interval(Real, 0, 1, closed="right")],
        "activation": [StrOptions({"relu", "sigmoid", "tanh"})],
        "loss": [StrOptions(set(LOSSES))],
        "prune": [StrOptions({"magnitude", "signed"})],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    _state_names = (
        "coefs_",
        "intercepts_",
        "_velocity_coefs",
        "_velocity_intercepts",
        "_pending_evolution",
    )

    def __init__(
        self,
        hidden_layer_sizes=(1000, 1000, 1000),
        *,
        epsilon=20,
        zeta=0.3,
        hebbian_strength=0.01,
        hebbian_decay=0.98,
        learning_rate=0.02,
        batch_size=200,
        max_iter=250,
        activation="relu",
        loss="set_mse",
        prune="magnitude",
        momentum=0.0,
        alpha=0.0,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        warm_start=False,
        class_weight=None,
        unlabeled_label=None,
        random_state=None,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.epsilon = epsilon
        self.zeta = zeta
        self.hebbian_strength = hebbian_strength
        self.hebbian_decay = hebbian_decay
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.activation = activation
        self.loss = loss
        self.prune = prune
        self.momentum = momentum
        self.alpha = alpha
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------ parameters
    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, Integral):
            sizes = (sizes,)
        sizes = list(sizes)
        if not all(isinstance(s, Integral) and not isinstance(s, bool) for s in sizes) or any(
            s < 1 for s in sizes
        ):
            raise ValueError(
                f"hidden_layer_sizes must hold positive integers, got {self.hidden_layer_sizes!r}."
            )
        return [int(s) for s in sizes]

    def _check_params(self, X):
        self._hidden_sizes()

    @property
    def _out_code(self):
        return ACTIVATIONS[LOSSES[self.loss].out_activation]

    # ----------------------------------------------------------------- state
    def _init_state(self, n_features, dtype, rng):
        sizes = [n_features, *self._hidden_sizes(), len(self.classes_)]
        gen = np.random.default_rng(rng.randint(np.iinfo(np.int32).max))
        probe = np.empty(0, dtype=dtype)
        self.coefs_, self.intercepts_ = [], []
        self._velocity_coefs, self._velocity_intercepts = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            p = er_probability(n_in, n_out, self.epsilon)
            indptr, indices, data = erdos_renyi(gen, n_in, n_out, p, probe, _WEIGHT_SCALE)
            self.coefs_.append(_csr(indptr, indices, data, (n_in, n_out)))
            self.intercepts_.append(np.zeros(n_out, dtype=dtype))
            self._velocity_coefs.append(np.zeros_like(data))
            self._velocity_intercepts.append(np.zeros(n_out, dtype=dtype))
        self.n_layers_ = len(sizes)
        self.n_outputs_ = sizes[-1]
        self.out_activation_ = LOSSES[self.loss].out_activation
        self.topology_history_ = {
            "nnz": [],
            "input_degree": [],
            "kept_fraction": [],
            "positive_fraction": [],
        }
        self._pending_evolution = None
        self._rebuild_orders()

    def _initialize(self, X, y, rng, sample_weight=None):
        if self.warm_start and hasattr(self, "coefs_") and hasattr(self, "n_iter_"):
            if self.coefs_[0].shape[0] != X.shape[1] or X.dtype != self._fit_dtype_:
                raise ValueError(
                    "warm_start=True needs data with the width and dtype of the previous "
                    f"fit ({self.coefs_[0].shape[0]} features, {self._fit_dtype_}); got "
                    f"{X.shape[1]} features, {X.dtype}."
                )
            if self.coefs_[-1].shape[1] != len(self.classes_):
                raise ValueError("warm_start=True needs the classes of the previous fit.")
            return
        super()._initialize(X, y, rng, sample_weight)

    def _rebuild_orders(self):
        """CSC permutations of every layer: derived from ``coefs_``, rebuilt after each change."""
        self._csc = [build_csc(c.indptr, c.indices, c.shape[1]) for c in self.coefs_]

    def _layer_orders(self):
        return self._csc

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_csc", None)  # derived index order, rebuilt when loaded
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "coefs_" in state:
            self._rebuild_orders()

    # -------------------------------------------------------------- training
    def _lambda(self):
        return float(self.hebbian_strength * self.hebbian_decay**self.n_iter_)

    def _block(self, work, key, shape):
        """A work array of ``shape``, kept in ``work`` under ``key``.

        Large fresh arrays come from the operating system as new zeroed pages;
        within a pass ``work`` is the run's dict (emptied after the pass), so
        each block is allocated once and overwritten by the kernels. Outside a
        pass (prediction) ``work`` is None and every call allocates, so
        concurrent predictions share nothing.
        """
        if work is None:
            return np.empty(shape, dtype=self._fit_dtype_)
        a = work.get(key)
        if a is None or a.shape != shape:
            a = work[key] = np.empty(shape, dtype=self._fit_dtype_)
        return a

    def _input_block(self, X, work):
        n = X.shape[0]
        a0 = self._block(work, "act0", (X.shape[1], n))
        if sp.issparse(X):
            X = X.tocsr()
            csr_to_feature_major(
                X.indptr.astype(np.int32, copy=False),
                X.indices.astype(np.int32, copy=False),
                X.data,
                a0,
            )
        else:
            dense_to_feature_major(X, a0)
        return a0

    def _forward(self, X, stats, work=None):
        """Feature-major activations of every layer.

        With ``stats``, also the batch statistics of every layer for the
        Hebbian term: minimum, ``1/(max - min + 1e-4)`` and the centred
        activity (all but the input layer). ``work``: see :meth:`_block`.
        """
        acts = [self._input_block(X, work)]
        width = acts[0].shape[1]
        mins, invs, centered = [], [], []
        empty = np.empty(0, dtype=self._fit_dtype_)
        no_block = np.empty((0, 0), dtype=self._fit_dtype_)

        def _stats(k, units, block):
            if not stats:
                return empty, empty, empty, no_block
            c = self._block(work, ("centered", k), (units, width)) if block else no_block
            return (*(self._block(work, (name, k), (units,)) for name in ("min", "mean", "inv")), c)

        m, mu, inv, c = _stats(0, acts[0].shape[0], block=False)
        if stats:
            row_stats(acts[0], m, mu, inv, c)
        mins.append(m), invs.append(inv), centered.append(c)
        hidden = ACTIVATIONS[self.activation]
        orders = self._layer_orders()
        last = len(self.coefs_) - 1
        for k, (coef, bias) in enumerate(zip(self.coefs_, self.intercepts_, strict=True)):
            cindptr, crow, cperm = orders[k]
            out = self._block(work, ("act", k + 1), (coef.shape[1], width))
            m, mu, inv, c = _stats(k + 1, coef.shape[1], block=True)
            code = self._out_code if k == last else hidden
            forward(acts[-1], cindptr, crow, cperm, coef.data, bias, code, out, m, mu, inv, c)
            acts.append(out)
            mins.append(m), invs.append(inv), centered.append(c)
        return acts, mins, invs, centered

    def _batch_step(self, X, y, sample_weight, run):
        if self._pending_evolution is not None:
            seed, self._pending_evolution = self._pending_evolution, None
            self._evolve(seed, regrow=True)
        lam = self._lambda()
        work = run.work
        acts, mins, invs, centered = self._forward(X, stats=lam != 0, work=work)
        width = acts[0].shape[1]
        last = len(self.coefs_)
        delta = self._block(work, ("delta", last), acts[-1].shape)
        loss_code = LOSSES[self.loss].code
        loss = output_delta(acts[-1], y, loss_code, delta)
        hidden = ACTIVATIONS[self.activation]
        lr, mu, decay = float(self.learning_rate), float(self.momentum), float(self.alpha)
        no_rows = np.empty((0, width), dtype=self._fit_dtype_)
        for k in range(last - 1, -1, -1):
            coef = self.coefs_[k]
            delta_in = self._block(work, ("delta", k), (coef.shape[0], width)) if k > 0 else no_rows
            fused_update(
                acts[k],
                mins[k],
                invs[k],
                centered[k + 1],
                invs[k + 1],
                delta,
                coef.indptr,
                coef.indices,
                coef.data,
                self._velocity_coefs[k],
                lr,
                lam,
                mu,
                decay,
                hidden,
                delta_in,
            )
            bias_update(delta, self.intercepts_[k], self._velocity_intercepts[k], lr, mu, decay)
            delta = delta_in
        return loss

    def _end_epoch(self, rng, run, last):
        if run.validation is not None:
            self._record_validation(run)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        if last:  # the final prune of fit, without regrowth
            self._evolve(seed, regrow=False)
        else:  # carried out when the next epoch starts
            self._pending_evolution = seed

    def _evolve(self, seed, regrow):
        """SET evolution of every layer: prune ``zeta``, then regrow as many if ``regrow``."""
        gen = np.random.default_rng(seed)
        signed = self.prune == "signed"
        hist = self.topology_history_
        nnz, kept_fraction, positive = [], [], []
        for k, coef in enumerate(self.coefs_):
            before = coef.nnz
            remove = prune_mask(coef.data, float(self.zeta), signed)
            indptr, indices, data, vel, kept = evolve(
                gen,
                coef.indptr,
                coef.indices,
                coef.data,
                self._velocity_coefs[k],
                remove,
                coef.shape[1],
                regrow,
                _WEIGHT_SCALE,
            )
            self.coefs_[k] = _csr(indptr, indices, data, coef.shape)
            self._velocity_coefs[k] = vel
            nnz.append(int(indices.shape[0]))
            kept_fraction.append(kept / before if before else 1.0)
            positive.append(float(np.mean(data > 0)) if data.size else 0.0)
        self._rebuild_orders()
        hist["nnz"].append(nnz)
        hist["input_degree"].append(np.diff(self.coefs_[0].indptr).astype(np.int64))
        hist["kept_fraction"].append(kept_fraction)
        hist["positive_fraction"].append(positive)

    # --------------------------------------------------------- early stopping
    def _record_validation(self, run):
        X_val, y_val = run.validation
        score = float(np.mean(self._predict_codes(X_val) == y_val))
        self.validation_scores_.append(score)
        if score > self.best_validation_score_ + self.tol:
            run.no_improvement = 0
        else:
            run.no_improvement += 1
        if score > self.best_validation_score_:
            self.best_validation_score_ = score
            run.best_state = self._snapshot()

    def _stop_early(self, run):
        return run.validation is not None and run.no_improvement >= self.n_iter_no_change

    def _epoch_report(self):
        if self.early_stopping and getattr(self, "validation_scores_", None):
            return f"validation score = {self.validation_scores_[-1]:.4f}"
        return ""

    def _fit(self, X, y=None, sample_weight=None):
        if not self.early_stopping:
            return super()._fit(X, y, sample_weight)
        parts = [X, y] if sample_weight is None else [X, y, sample_weight]
        split = train_test_split(
            *parts, test_size=self.validation_fraction, stratify=y, random_state=self.random_state
        )
        X, X_val, y, y_val = split[:4]
        sample_weight = None if sample_weight is None else split[4]
        if not (self.warm_start and hasattr(self, "validation_scores_")):
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
        return super()._fit(X, y, sample_weight, validation=(X_val, y_val))

    def _restore(self, snapshot):
        super()._restore(snapshot)
        self._rebuild_orders()

    # -------------------------------------------------------------- inference
    def _proba(self, X):
        n = X.shape[0]
        out = np.empty((n, self.n_outputs_), dtype=self._fit_dtype_)
        for start in range(0, n, _PREDICT_CHUNK):
            chunk = X[start : start + _PREDICT_CHUNK]
            acts, *_ = self._forward(chunk, stats=False)
            out[start : start + _PREDICT_CHUNK] = acts[-1].T
        return LOSSES[self.loss].proba(out)


def _csr(indptr, indices, data, shape):
    """A csr_matrix that shares (does not copy) the kernel's arrays."""
    m = sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)
    if m.data is not data or m.indices is not indices or m.indptr is not indptr:
        m.data, m.indices, m.indptr = data, indices, indptr
    return m
