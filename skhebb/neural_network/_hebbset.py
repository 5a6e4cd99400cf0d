"""HebbSETClassifier: Sparse Evolutionary Training with a Hebbian term."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skhebb._classifier import BaseHebbianClassifier
from skhebb._core.losses import LOSSES
from skhebb._core.optim import SOLVERS, n_slots
from skhebb._core.topology import er_probability, erdos_renyi
from skhebb.neural_network._paper import PAPER_CONFIGS
from skhebb.neural_network._sparse_network import SparseNetworkMixin, _csr
from skhebb.neural_network._stopping import StoppingRulesMixin

__all__ = ["HebbSETClassifier", "PAPER_CONFIGS"]

#: Samples per forward chunk in predict_proba (bounds memory to chunk × width).
_PREDICT_CHUNK = 2048


class HebbSETClassifier(SparseNetworkMixin, StoppingRulesMixin, BaseHebbianClassifier):
    r"""Sparse multi-layer perceptron trained by SET with a Hebbian term (HebbSET).

    Every layer is truly sparse: only the existing connections are stored (as
    CSR) and computed. The topology starts as an Erdős–Rényi random graph and
    evolves after each epoch: the fraction ``zeta`` of the weakest connections
    is removed and as many new random connections are added. Each weight
    changes by a mini-batch optimiser step (Adam or SGD) on the loss, plus an
    optional Hebbian term that strengthens connections whose pre-synaptic unit
    is active while the post-synaptic unit is above its batch average.

    The defaults make ``make_pipeline(StandardScaler(), HebbSETClassifier())`` a
    first model for tables and small images, in the manner of scikit-learn's
    ``MLPClassifier``: softmax cross-entropy, Adam, one hidden layer of 256
    units, mini-batches of 32, small initial weights, new connections that
    start at 0, and training that stops when the training loss stops
    improving. They were chosen by cross-validation on the training parts of
    two gene-expression tables and ``load_digits`` and on a development
    sample of MNIST disjoint from the benchmark's draws, and checked against
    ``MLPClassifier`` and ``LogisticRegression`` on the same splits (the
    records are ``benchmarks/results/defaults_selection.md``, ``tabular.md``
    and ``mnist2400.md``). The
    Hebbian term is off by default: with Adam it lowered the cross-validated
    accuracy on all three tables. The
    paper's configuration is one call away: :meth:`from_paper` (see
    :data:`PAPER_CONFIGS`).

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(256,)
        Width of each hidden layer.
    epsilon : float, default=20
        Sparsity level :math:`\varepsilon` of SET: a connection between layers
        of widths :math:`n` and :math:`m` exists with probability
        :math:`\varepsilon (n + m) / (n m)`, capped at 1. (Adam's
        :math:`\epsilon` is ``adam_epsilon``.) A value so small that a layer
        gets no connection at all is an error at ``fit``.
    zeta : float, default=0.3
        Fraction of each layer's connections removed after every epoch.
    hebbian_strength : float, default=0.0
        :math:`\lambda_0`, the initial weight of the Hebbian term; 0 gives SET
        (the paper: 0.01).
    hebbian_decay : float, default=0.98
        :math:`\lambda(t) = \lambda_0 \cdot \text{hebbian\_decay}^t`, ``t`` the epoch.
    solver : {"adam", "sgd"}, default="adam"
        Optimiser of the weights and biases. Its state (Adam's two moment
        estimates, SGD's velocity) is stored beside each connection and
        starts at 0 for a regrown one.
    learning_rate_init : float, default=0.0015
        Initial step size (the paper: 0.02 with plain SGD).
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Step-size schedule, as in ``MLPClassifier`` but for both solvers:
        ``"invscaling"`` divides ``learning_rate_init`` by
        :math:`(1 + \text{samples seen})^{\text{power\_t}}` after each epoch;
        ``"adaptive"`` divides the step by 5 each time the training loss (or
        the validation score with ``early_stopping``) has not improved by
        ``tol`` for ``n_iter_no_change`` epochs, and ``fit`` stops once it falls
        below 1e-6.
    power_t : float, default=0.5
        Exponent of ``"invscaling"``.
    batch_size : int, default=32
        Mini-batch size (the paper: 200 for MNIST, 30 for Lung).
    max_iter : int, default=200
        Maximal number of epochs of ``fit``.
    activation : {"relu", "sigmoid", "tanh"}, default="relu"
        Activation of the hidden layers.
    loss : {"log_loss", "set_mse", "mse"}, default="log_loss"
        ``"log_loss"``: softmax outputs and cross-entropy. ``"set_mse"``:
        sigmoid outputs and squared error on one-hot targets with the output
        error of the SET/HebbSET reference code (see Notes), which the paper's
        results were obtained with; ``"mse"``: the same loss with its exact
        gradient (learns far more slowly once the sigmoid outputs saturate).
    prune : {"magnitude", "signed"}, default="magnitude"
        ``"magnitude"`` removes the ``zeta`` fraction with the smallest
        :math:`|w|` (HebbSET); ``"signed"`` removes ``zeta`` of the negative
        weights closest to 0 and ``zeta`` of the positive weights closest to 0
        (the original SET code).
    weight_scale : float, default=0.01
        Standard deviation of the initial weights, :math:`\mathcal N(0,
        \text{weight\_scale}^2)` (the reference code: 0.1). Small initial
        weights let the trained ones dominate :math:`|w|`, which the pruning
        and ``feature_importances_`` read.
    regrowth : {"zero", "random"}, default="zero"
        Initial weight of a regrown connection: 0, so that the evolution does
        not change the function the network computes and training decides
        whether the connection grows, or a fresh draw like the initial weights
        (the reference code).
    final_prune : bool, default=False
        Prune once more after the last epoch of ``fit``, without regrowth
        (Algorithm 2 of the paper). Off by default and in :data:`PAPER_CONFIGS`:
        ``fit`` returns the network its last epoch trained, the one the paper
        scores.
    alpha : float, default=1e-4
        Decoupled weight decay: each update also removes the fraction
        :math:`\eta_t \cdot \text{alpha}` of every weight and bias, with
        :math:`\eta_t` the current step size (outside Adam's moments, as in
        AdamW; with plain SGD the same as an L2 penalty
        :math:`\frac{\text{alpha}}{2}\|w\|^2`, whereas ``MLPClassifier``
        divides its penalty by the batch size).
    momentum : float, default=0.9
        Momentum of SGD (``solver="sgd"`` only; the paper: 0).
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum (``solver="sgd"`` and ``momentum > 0``).
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's first and second moment estimates.
    adam_epsilon : float, default=1e-8
        Adam's :math:`\epsilon` (``MLPClassifier``'s ``epsilon``, renamed here
        because ``epsilon`` is SET's sparsity level).
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    tol : float or None, default=1e-4
        ``fit`` stops when the training loss has not decreased by ``tol`` for
        more than ``n_iter_no_change`` consecutive epochs (as ``MLPClassifier``);
        with ``early_stopping``, when the validation accuracy has not increased
        by ``tol`` for ``n_iter_no_change`` epochs. ``None``: ``fit`` runs
        exactly ``max_iter`` epochs (the paper).
    n_iter_no_change : int, default=10
        Patience of the stopping rule, in epochs.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified),
        record its accuracy after each epoch, stop on it (see ``tol``) and keep
        the best network, its topology included.
    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping``.
    warm_start : bool, default=False
        If True, ``fit`` continues from the current network (weights,
        topology, optimiser state, epoch counter and thus :math:`\lambda(t)`).
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
    feature_importances_ : ndarray of shape (n_features,)
        Strength of each input in the evolved first layer, the sum of
        :math:`|w|` over its connections, accumulated after every epoch of
        training (so that rewiring does not erase it) and normalised to sum
        to 1; 0 for an input that never had a connection. Meaningful when the
        inputs share a scale (standardise them). Works with
        ``SelectFromModel(HebbSETClassifier(), max_features=K, threshold=-np.inf)``.
    loss_curve_ : list of float
        Mean training loss of each epoch.
    best_loss_ : float
        Lowest training loss of ``fit`` (when it stops on the training loss).
    validation_scores_ : list of float
        Validation accuracy after each epoch (``early_stopping`` only).
    best_validation_score_ : float
        Best validation accuracy (``early_stopping`` only).
    topology_history_ : dict of lists
        One entry per evolution (after each epoch but the last one): ``"nnz"``
        (list of int per layer), ``"input_degree"`` (int array: outgoing
        connections of each input feature in the first layer),
        ``"kept_fraction"`` (per layer: share of the epoch's connections that
        survived pruning), ``"positive_fraction"`` (per layer: share of
        positive weights). Early stopping cuts it back with the network it restores.
    %(epoch_attributes)s
    n_layers_ : int
        Number of weight layers plus one, as in MLPClassifier.
    out_activation_ : str
        ``"sigmoid"`` or ``"softmax"``.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : Dense multi-layer perceptron.
    SupervisedHebbClassifier : Hebbian classifier without back-propagation.
    PAPER_CONFIGS : The paper's settings.

    Notes
    -----
    For a connection from unit :math:`i` of layer :math:`l-1` to unit :math:`j`
    of layer :math:`l`, on a mini-batch of size :math:`B` (Eq. 8 of [2]_, with
    plain SGD of step :math:`\eta`),

    .. math::

        \Delta w_{ij} = -\eta \frac{\partial J}{\partial w_{ij}}
          + \lambda(t)\, \frac1B \sum_b \hat a_{ib}\,
          \bigl(\hat a_{jb} - \tfrac1B \textstyle\sum_{b'} \hat a_{jb'}\bigr),
        \qquad \hat a = \frac{a - \min_b a}{\max_b a - \min_b a + 10^{-4}},

    with :math:`\lambda(t) = \lambda_0 \cdot 0.98^t` (Eq. 11), applied to
    every layer, the input layer included. With another optimiser the
    gradient part becomes its step (SGD with momentum, Nesterov, Adam) and the
    Hebbian term is added as printed, outside the optimiser's moments:
    accumulating it in a momentum would multiply it by :math:`1/(1-\mu)`,
    which made training diverge with the paper's :math:`\lambda_0`. With
    ``sample_weight`` (or class weights) each sample's output error is
    multiplied by its weight and the gradient divided by the sum of the
    weights, so an integer weight equals repeating the row; the Hebbian term
    stays unweighted. Only stored connections are updated: the cost of a
    mini-batch is :math:`O(\text{nnz} \cdot B)`, memory :math:`O(\text{nnz})`
    for the weights and again for each row of optimiser state.

    After each epoch the ``zeta`` fraction of connections is pruned per layer
    and the same number of absent connections is added at random. The
    evolution that follows an epoch is carried out at the start of the next
    one, so between two ``partial_fit`` calls, and after ``fit``, the network
    is the one the last epoch trained, not one with ``zeta`` of its
    connections freshly pruned or randomised. With ``final_prune=True``
    ``fit`` ends with the prune of Algorithm 2 of [2]_ instead (``1 - zeta``
    of the connections).

    With ``loss="set_mse"`` the output error is
    :math:`\delta = (a - t)\,\sigma(a)(1 - \sigma(a))`, the derivative of the
    sigmoid taken at the output activation :math:`a` as the reference code does,
    instead of :math:`(a - t)\,a(1 - a)` (``loss="mse"``). On the paper's MNIST
    protocol the exact gradient learns far more slowly, while the reference
    error reproduces the published curves (see the records in
    ``benchmarks/results``).

    The paper scales each sample to [0, 1]
    (:class:`~skhebb.preprocessing.SampleMinMaxScaler`); the defaults expect
    standardised features (``StandardScaler``). ``predict_proba`` with the
    squared-error losses returns the sigmoid outputs normalised to sum to 1.

    References
    ----------
    .. [1] D. C. Mocanu, E. Mocanu, P. Stone, P. H. Nguyen, M. Gibescu and
       A. Liotta, "Scalable training of artificial neural networks with
       adaptive sparse connectivity inspired by network science", Nature
       Communications 9, 2383 (2018).
    .. [2] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing Learning in Sparse
       Neural Networks: A Hebbian Learning Approach" (HebbSET; Eq. 8, 10, 11
       and Algorithm 2), University of Twente.
    .. [3] D. P. Kingma and J. Ba, "Adam: A method for stochastic
       optimization", ICLR 2015; I. Loshchilov and F. Hutter, "Decoupled
       weight decay regularization", ICLR 2019.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skhebb import HebbSETClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), HebbSETClassifier(random_state=0))
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    >>> clf[-1].coefs_[0].shape
    (4, 256)
    >>> paper = HebbSETClassifier.from_paper("mnist", max_iter=50)
    >>> paper.solver, paper.learning_rate_init, paper.hidden_layer_sizes
    ('sgd', 0.02, (1000, 1000, 1000))
    """

    _parameter_constraints: dict = {
        **BaseHebbianClassifier._parameter_constraints,
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "zeta": [Interval(Real, 0, 1, closed="left")],
        "hebbian_strength": [Interval(Real, 0, None, closed="left")],
        "hebbian_decay": [Interval(Real, 0, 1, closed="right")],
        "solver": [StrOptions(set(SOLVERS))],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "activation": [StrOptions({"relu", "sigmoid", "tanh"})],
        "loss": [StrOptions(set(LOSSES))],
        "prune": [StrOptions({"magnitude", "signed"})],
        "weight_scale": [Interval(Real, 0, None, closed="neither")],
        "regrowth": [StrOptions({"zero", "random"})],
        "final_prune": ["boolean"],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "adam_epsilon": [Interval(Real, 0, None, closed="neither")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "warm_start": ["boolean"],
    }

    _state_names = (
        "coefs_",
        "intercepts_",
        "_opt_coefs",
        "_opt_intercepts",
        "_opt_steps",
        "_learning_rate",
        "_importance",
        "_pending_evolution",
    )

    def __init__(
        self,
        hidden_layer_sizes=(256,),
        *,
        epsilon=20,
        zeta=0.3,
        hebbian_strength=0.0,
        hebbian_decay=0.98,
        solver="adam",
        learning_rate_init=0.0015,
        learning_rate="constant",
        power_t=0.5,
        batch_size=32,
        max_iter=200,
        activation="relu",
        loss="log_loss",
        prune="magnitude",
        weight_scale=0.01,
        regrowth="zero",
        final_prune=False,
        alpha=1e-4,
        momentum=0.9,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        adam_epsilon=1e-8,
        shuffle=True,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
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
        self.solver = solver
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate
        self.power_t = power_t
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.activation = activation
        self.loss = loss
        self.prune = prune
        self.weight_scale = weight_scale
        self.regrowth = regrowth
        self.final_prune = final_prune
        self.alpha = alpha
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.adam_epsilon = adam_epsilon
        self.shuffle = shuffle
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.verbose = verbose

    @classmethod
    def from_paper(cls, dataset="mnist", **params):
        """The classifier with the HebbSET paper's settings for ``dataset``.

        Parameters
        ----------
        dataset : {"mnist", "lung"}, default="mnist"
            Which of :data:`PAPER_CONFIGS`.
        **params
            Parameters that replace the paper's (``hebbian_strength``,
            ``random_state``, ...).

        Returns
        -------
        clf : HebbSETClassifier
            Unfitted.
        """
        if dataset not in PAPER_CONFIGS:
            raise ValueError(
                f"dataset must be one of {sorted(PAPER_CONFIGS)}, got {dataset!r}."
            )
        return cls(**{**PAPER_CONFIGS[dataset], **params})

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

    # ----------------------------------------------------------------- state
    def _init_state(self, n_features, dtype, rng):
        sizes = [n_features, *self._hidden_sizes(), len(self.classes_)]
        gen = np.random.default_rng(rng.randint(np.iinfo(np.int32).max))
        probe = np.empty(0, dtype=dtype)
        slots = n_slots(SOLVERS[self.solver], self.momentum)
        self.coefs_, self.intercepts_ = [], []
        self._opt_coefs, self._opt_intercepts = [], []
        for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            p = er_probability(n_in, n_out, self.epsilon)
            indptr, indices, data = erdos_renyi(
                gen, n_in, n_out, p, probe, float(self.weight_scale)
            )
            if indices.shape[0] == 0:
                raise ValueError(
                    f"epsilon={self.epsilon} leaves layer {k + 1} ({n_in} x {n_out} units, "
                    f"connection probability {p:.3g}) without any connection; increase "
                    "epsilon."
                )
            self.coefs_.append(_csr(indptr, indices, data, (n_in, n_out)))
            self.intercepts_.append(np.zeros(n_out, dtype=dtype))
            self._opt_coefs.append(np.zeros((slots, data.shape[0]), dtype=dtype))
            self._opt_intercepts.append(np.zeros((slots, n_out), dtype=dtype))
        self._opt_steps = 0
        self._learning_rate = float(self.learning_rate_init)
        self._importance = np.zeros(n_features, dtype=np.float64)
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
            if self._opt_coefs[0].shape[0] != n_slots(SOLVERS[self.solver], self.momentum):
                raise ValueError(
                    "warm_start=True needs the solver (and, for sgd, momentum or none) of "
                    "the previous fit."
                )
            return
        super()._initialize(X, y, rng, sample_weight)

    # -------------------------------------------------------------- training
    def _end_epoch(self, rng, run, last):
        first = self.coefs_[0]
        rows = np.repeat(np.arange(first.shape[0]), np.diff(first.indptr))
        self._importance += np.bincount(rows, np.abs(first.data), minlength=first.shape[0])
        if run.validation is not None:
            self._record_validation(run)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        if last and self.final_prune:  # the final prune of the paper's fit, without regrowth
            self._evolve(seed, regrow=False)
        else:  # carried out when the next epoch starts
            self._pending_evolution = seed

    @property
    def feature_importances_(self):
        """Accumulated strength of each input in the first layer, normalised to sum to 1."""
        check_is_fitted(self, "coefs_")
        total = self._importance.sum()
        if total <= 0:
            return np.zeros_like(self._importance)
        return self._importance / total

    def _snapshot(self):
        snap = super()._snapshot()
        snap["_n_evolutions"] = len(self.topology_history_["nnz"])
        return snap

    def _restore(self, snapshot):
        snapshot = dict(snapshot)
        n = snapshot.pop("_n_evolutions", None)
        super()._restore(snapshot)
        if n is not None:
            for values in self.topology_history_.values():
                del values[n:]
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
