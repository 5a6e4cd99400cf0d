"""The HebbSET paper's training protocol, shared by the learning-curve and topology experiments.

Protocol of the paper, per run (one seed, one value of lambda0):

* data: MNIST-2400 (a seeded random subset of 2,400 images of the MNIST
  training set, network 784-1000-1000-1000-10, batch 200) or a Lung-like
  gene-expression table (network d-2000-2000-2000-K, batch 30); the networks
  and batch sizes are those of the data set registry
  (:mod:`skhebb.datasets._registry`);
* a stratified 75/25 train/test split, seeded;
* each sample scaled on its own to [0, 1] (:class:`~skhebb.preprocessing.SampleMinMaxScaler`);
* :class:`~skhebb.neural_network.HebbSETClassifier` in the paper's configuration
  (:data:`~skhebb.neural_network.PAPER_CONFIGS`: plain SGD with step 0.02,
  zeta = 0.3, epsilon = 20), trained one epoch at a time with ``partial_fit``
  (each call is one epoch including the SET evolution), the test split scored
  after the requested epochs.

For one seed, every lambda0 sees the same subset, the same split and the same
initial network (``random_state=seed``), so SET and HebbSET are compared in
pairs. Runs are independent tasks of :class:`joblib.Parallel`: ``n_jobs``
spreads them over local processes, and
``joblib.parallel_config(backend="dask")`` over a Dask cluster, with the same
results.
"""

import functools
import inspect
from dataclasses import dataclass, fields

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split

from skhebb._docstrings import fill
from skhebb.datasets._registry import DATASETS, get_dataset, load_table
from skhebb.experiments._common import DOC_ENTRIES, run_tasks, tidy_frame
from skhebb.preprocessing import SampleMinMaxScaler

__all__ = ["Protocol", "load_hebbset_data", "protocol_parameters", "run_protocol", "runs_frame"]


@dataclass(frozen=True)
class Protocol:
    """The settings of a set of HebbSET runs (see :func:`hebbset_learning_curves`)."""

    lambdas: tuple = (0, 0.005, 0.01, 0.025)
    seeds: tuple = tuple(range(10))
    epochs: int = 250
    hidden_layer_sizes: tuple | None = None
    batch_size: int | None = None
    learning_rate: float = 0.02
    zeta: float = 0.3
    epsilon: float = 20
    hebbian_decay: float = 0.98
    prune: str = "magnitude"
    loss: str = "set_mse"
    test_size: float = 0.25
    dtype: type = np.float32
    estimator_params: dict | None = None
    n_jobs: int | None = None
    n_threads: int | None = None
    data_home: str | None = None
    progress: bool = False
    data: tuple | None = None


#: Docstring entries of the protocol's fields after an experiment's own
#: parameters (``hidden_layer_sizes`` ... ``data``): the line ``%(protocol)s``
#: of a function decorated with :func:`protocol_parameters` stands for them.
PROTOCOL_DOC = fill("""\
hidden_layer_sizes : sequence of int, default=None
    Hidden layers; None means the paper's network for the dataset
    (2000-2000-2000 for Lung-like tables, 1000-1000-1000 for MNIST).
batch_size : int, default=None
    None means the paper's: 30 for Lung-like tables, 200 for MNIST.
learning_rate, zeta, epsilon, hebbian_decay : float, default=0.02, 0.3, 20, 0.98
    alpha, the fraction of connections pruned per epoch, the sparsity
    level and the per-epoch decay of lambda (the paper's values).
prune : {"magnitude", "signed"}, default="magnitude"
    SET pruning rule.
loss : {"set_mse", "mse", "log_loss"}, default="set_mse"
    Loss of the output layer (see :class:`~skhebb.HebbSETClassifier`):
    ``"set_mse"`` is the squared error on sigmoid outputs with the output
    error of the reference code, which the paper's results come from.
test_size : float, default=0.25
    Fraction of each class held out for testing.
dtype : {numpy.float32, numpy.float64}, default=numpy.float32
    Floating type of the data and the network.
estimator_params : dict, default=None
    Further parameters of :class:`~skhebb.neural_network.HebbSETClassifier`.
n_jobs : int, default=None
    Runs executed in parallel by :class:`joblib.Parallel` (None: 1 unless
    inside a :func:`joblib.parallel_config` context). Under
    ``joblib.parallel_config(backend="dask")`` the runs go to the Dask
    cluster of the current :class:`distributed.Client`.
n_threads : int, default=None
    Numba threads of each run; None keeps numba's setting (all cores, or
    the cap that joblib's process workers set). With several runs in
    parallel in one process (Dask threads), 1 avoids oversubscription.
    Results do not depend on it.
%(data_home)s
%(progress)s
data : tuple (X, y), default=None
    Use this table instead of loading ``dataset`` (it still selects the
    network, batch size and, for ``"mnist2400"``, the subsetting).""", DOC_ENTRIES)

#: Protocol fields that come before an experiment's own keyword parameters in its signature.
_HEAD = ("lambdas", "seeds", "epochs")


def protocol_parameters(**defaults):
    """Give ``func(dataset, *, <own>, protocol)`` every :class:`Protocol` field as a keyword.

    The decorated function is called as ``func(dataset, lambdas=..., seeds=...,
    <own>=..., hidden_layer_sizes=..., ...)``: the public signature lists the
    protocol's fields (with ``defaults`` replacing some of their defaults)
    around the function's own keyword parameters, and the function receives
    them as one :class:`Protocol`. The line ``%(protocol)s`` of its docstring
    becomes :data:`PROTOCOL_DOC`, and the entries of
    :data:`skhebb.experiments._common.DOC_ENTRIES` are filled as well.
    """

    def decorate(func):
        sig = inspect.signature(func)
        own = [p for name, p in sig.parameters.items() if name != "protocol"]
        protocol = [
            inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY,
                              default=defaults.get(f.name, f.default))
            for f in fields(Protocol)
        ]
        positional = [p for p in own if p.kind != inspect.Parameter.KEYWORD_ONLY]
        keywords = [p for p in own if p.kind == inspect.Parameter.KEYWORD_ONLY]
        head = [p for p in protocol if p.name in _HEAD]
        tail = [p for p in protocol if p.name not in _HEAD]
        public = sig.replace(parameters=[*positional, *head, *keywords, *tail])

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            bound = public.bind(*args, **kwargs)
            bound.apply_defaults()
            values = dict(bound.arguments)
            settings = Protocol(**{f.name: values.pop(f.name) for f in fields(Protocol)})
            return func(**values, protocol=settings)

        wrapper.__signature__ = public
        if wrapper.__doc__:
            wrapper.__doc__ = fill(wrapper.__doc__, {**DOC_ENTRIES, "protocol": PROTOCOL_DOC})
        return wrapper

    return decorate


def load_hebbset_data(dataset, *, data_home=None):
    """Load the raw table of an experiment: ``(X, y)`` before subsetting and scaling.

    Parameters
    ----------
    dataset : str
        A workload of the HebbSET experiments: ``"tox171"``,
        ``"prostate_ge"``, ``"lung"`` or ``"mnist2400"``. ``"mnist2400"``
        returns the whole MNIST training set (60,000 images); the 2,400-image
        subset is drawn per seed.
    data_home : str or path-like, default=None
        The data home; see :func:`skhebb.datasets.get_data_home`. TOX-171 is
        bundled and needs none.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The table (uint8 for MNIST, float64 otherwise).
    y : ndarray of shape (n_samples,), int64
        The labels.
    """
    get_dataset(dataset, "hebbset")
    return load_table(dataset, data_home=data_home)


def _prepare(X, y, dataset, seed, *, test_size, dtype):
    """Subset (MNIST-2400), split 75/25 stratified and scale each sample; all seeded."""
    n_rows = DATASETS[dataset].n_rows
    if n_rows is not None and X.shape[0] > n_rows:
        rows = np.sort(np.random.RandomState(seed).choice(X.shape[0], n_rows, replace=False))
        X, y = X[rows], y[rows]
    X = SampleMinMaxScaler().fit_transform(np.asarray(X, dtype=dtype))
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)


def _input_axis(coef, n_features):
    """Axis along which a first-layer matrix counts the connections of each input."""
    return 1 if coef.shape[0] == n_features else 0


def _edge_keys(coef):
    """Sorted int64 keys ``row * n_cols + col`` of the stored connections of a layer."""
    coo = sp.coo_matrix(coef)
    keep = coo.data != 0
    return np.sort(coo.row[keep].astype(np.int64) * coo.shape[1] + coo.col[keep])


def _sign_stats(coef):
    data = sp.csr_matrix(coef).data
    data = data[data != 0]
    pos, neg = data[data > 0], data[data < 0]
    return dict(
        n_connections=float(data.size),
        positive_fraction=float(pos.size / data.size) if data.size else np.nan,
        mean_positive=float(pos.mean()) if pos.size else np.nan,
        mean_negative=float(neg.mean()) if neg.size else np.nan,
    )


def _run(X_train, y_train, X_test, y_test, classes, params, epochs, eval_epochs, topo_epochs,
         n_threads=None, tick=None):
    """Train one network epoch by epoch; return (curve rows, layer rows, input rows).

    Rows are tuples; the caller adds the run's identifiers. Epochs are 0-based:
    the row of epoch ``e`` describes the network after ``e + 1`` passes.
    ``tick`` (in-process runs only) is called after every epoch, for progress.
    ``n_threads`` sets numba's thread count for this run (numba keeps it per
    thread, so runs in other threads are not affected) and restores it.
    """
    train = functools.partial(_train, X_train, y_train, X_test, y_test, classes, params, epochs,
                              eval_epochs, topo_epochs, tick)
    if n_threads is None:
        return train()
    import numba

    previous = numba.get_num_threads()
    numba.set_num_threads(min(int(n_threads), numba.config.NUMBA_NUM_THREADS))
    try:
        return train()
    finally:
        numba.set_num_threads(previous)


def _topology_rows(coefs, n_features, epoch, keys_at, layers, inputs):
    """Record the connections of a checkpoint: per input, per layer, kept since the last one."""
    axis = _input_axis(coefs[0], n_features)
    counts = np.asarray((sp.csr_matrix(coefs[0]) != 0).sum(axis=axis)).ravel()
    inputs.append((epoch, counts.astype(np.int64)))
    keys = [_edge_keys(c) for c in coefs]
    previous = keys_at[max(keys_at)] if keys_at else None
    keys_at[epoch] = keys
    for layer, coef in enumerate(coefs):
        stats = _sign_stats(coef)
        if previous is not None and previous[layer].size:
            kept = np.intersect1d(previous[layer], keys[layer], assume_unique=True)
            stats["fraction_kept"] = kept.size / previous[layer].size
        for name, value in stats.items():
            layers.append((epoch, layer + 1, name, value))


def _train(X_train, y_train, X_test, y_test, classes, params, epochs, eval_epochs, topo_epochs,
           tick):
    from skhebb.neural_network import HebbSETClassifier

    clf = HebbSETClassifier(**params)
    curve, layers, inputs = [], [], []
    keys_at = {}
    for epoch in range(epochs):
        clf.partial_fit(X_train, y_train, classes=classes)
        if epoch in eval_epochs:
            curve.append((epoch, "test_accuracy", float(clf.score(X_test, y_test))))
            loss_curve = getattr(clf, "loss_curve_", None)
            if loss_curve:
                curve.append((epoch, "train_loss", float(loss_curve[-1])))
        if epoch in topo_epochs:
            _topology_rows(list(clf.coefs_), X_train.shape[1], epoch, keys_at, layers, inputs)
        if tick is not None:
            tick()
    if keys_at:
        final = keys_at[max(keys_at)]
        for epoch, keys in keys_at.items():
            for layer, (k, f) in enumerate(zip(keys, final, strict=True)):
                if k.size:
                    value = np.intersect1d(k, f, assume_unique=True).size / k.size
                    layers.append((epoch, layer + 1, "fraction_in_final", value))
    return curve, layers, inputs


def _epoch_set(epochs_wanted, epochs, name):
    if epochs_wanted is None:
        return set(range(epochs))
    chosen = {int(e) for e in np.atleast_1d(epochs_wanted)}
    bad = sorted(e for e in chosen if not 0 <= e < epochs)
    if bad:
        raise ValueError(f"{name} must lie in [0, epochs - 1] = [0, {epochs - 1}], got {bad}.")
    return chosen


def _check(protocol):
    """Epochs, lambdas and seeds of ``protocol`` as int, floats and ints, checked."""
    p = protocol
    if p.n_threads is not None and int(p.n_threads) < 1:
        raise ValueError(f"n_threads must be a positive integer or None, got {p.n_threads!r}.")
    if int(p.epochs) < 1:
        raise ValueError(f"epochs must be a positive integer, got {p.epochs!r}.")
    lambdas = [float(v) for v in np.atleast_1d(p.lambdas)]
    seeds = [int(s) for s in np.atleast_1d(p.seeds)]
    if not lambdas or not seeds:
        raise ValueError("lambdas and seeds must not be empty.")
    if any(v < 0 for v in lambdas):
        raise ValueError(f"lambdas must be nonnegative (0 is SET), got {lambdas}.")
    if len(set(seeds)) != len(seeds) or len(set(lambdas)) != len(lambdas):
        raise ValueError("seeds and lambdas must not repeat a value.")
    return int(p.epochs), lambdas, seeds


def run_protocol(dataset, protocol, *, eval_epochs, topology_epochs):
    """Run every seed and lambda0 of ``protocol``; return ``([(key, rows)], settings)``.

    ``key`` is ``(seed, lambda0)`` and ``rows`` the ``(curve, layers, inputs)``
    of :func:`_run`; ``settings`` describes the experiment.
    """
    spec = get_dataset(dataset, "hebbset")
    p = protocol
    epochs, lambdas, seeds = _check(p)
    eval_set = _epoch_set(eval_epochs, epochs, "eval_epochs")
    topo_set = set()
    if topology_epochs is not None:
        topo_set = _epoch_set(topology_epochs, epochs, "topology_epochs")

    from skhebb.neural_network import PAPER_CONFIGS

    base_params = dict(
        PAPER_CONFIGS["mnist"],
        hidden_layer_sizes=tuple(int(h) for h in (p.hidden_layer_sizes or spec.hidden)),
        epsilon=p.epsilon,
        zeta=p.zeta,
        hebbian_decay=p.hebbian_decay,
        learning_rate_init=p.learning_rate,
        batch_size=int(p.batch_size or spec.batch_size),
        prune=p.prune,
        loss=p.loss,
        **(p.estimator_params or {}),
    )
    X, y = p.data if p.data is not None else load_hebbset_data(dataset, data_home=p.data_home)
    classes = np.unique(y)

    tasks, keys = [], []
    for seed in seeds:
        X_train, X_test, y_train, y_test = _prepare(
            X, y, dataset, seed, test_size=p.test_size, dtype=p.dtype
        )
        for lam in lambdas:
            params = dict(base_params, hebbian_strength=lam, random_state=seed)
            tasks.append((X_train, y_train, X_test, y_test, classes, params, epochs, eval_set,
                          topo_set, p.n_threads))
            keys.append((seed, lam))
    results = run_tasks(_run, tasks, n_jobs=p.n_jobs, progress=p.progress,
                        desc=f"HebbSET {dataset}", unit="epoch", steps=epochs)
    settings = dict(dataset=dataset, epochs=epochs, test_size=p.test_size,
                    dtype=np.dtype(p.dtype).name, **base_params)
    return list(zip(keys, results, strict=True)), settings


def runs_frame(rows, columns, settings):
    """Tidy table of the runs' rows, with the method (SET or HebbSET) of each."""
    df = tidy_frame(rows, columns, settings=settings,
                    constants=[(0, "dataset", settings["dataset"])])
    df.insert(1, "method", np.where(df["lambda0"] > 0, "HebbSET", "SET"))
    df = df.sort_values([c for c in columns if c not in ("value", "n_connections")])
    df = df.reset_index(drop=True)
    df.attrs["settings"] = settings
    return df
