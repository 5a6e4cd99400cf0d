"""Reproduction of the HebbSET experiments (Table II, Figures 2 and 5-7, Table III).

Protocol of the paper, per run (one seed, one value of lambda0):

* data: MNIST-2400 (a seeded random subset of 2,400 images of the MNIST
  training set, network 784-1000-1000-1000-10, batch 200) or a Lung-like
  gene-expression table (network d-2000-2000-2000-K, batch 30);
* a stratified 75/25 train/test split, seeded;
* each sample scaled on its own to [0, 1] (:class:`~skhebb.preprocessing.SampleMinMaxScaler`);
* :class:`~skhebb.neural_network.HebbSETClassifier` with alpha = 0.02,
  zeta = 0.3, epsilon = 20, trained one epoch at a time with ``partial_fit``
  (each call is one epoch including the SET evolution), the test split scored
  after the requested epochs.

For one seed, every lambda0 sees the same subset, the same split and the same
initial network (``random_state=seed``), so SET and HebbSET are compared in
pairs. Runs are independent tasks of :class:`joblib.Parallel`: ``n_jobs``
spreads them over local processes, and
``joblib.parallel_config(backend="dask")`` over a Dask cluster, with the same
results.
"""

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

from skhebb.preprocessing import SampleMinMaxScaler

__all__ = [
    "DATASETS",
    "hebbset_learning_curves",
    "hebbset_topology",
    "format_table2",
    "load_hebbset_data",
    "summarize_table2",
    "summarize_topology",
]

#: The workloads and their network/batch settings from the paper (Table I).
DATASETS = {
    "tox171": dict(hidden=(2000, 2000, 2000), batch_size=30, published="Lung"),
    "prostate_ge": dict(hidden=(2000, 2000, 2000), batch_size=30, published="Lung"),
    "lung": dict(hidden=(2000, 2000, 2000), batch_size=30, published="Lung"),
    "mnist2400": dict(hidden=(1000, 1000, 1000), batch_size=200, published="MNIST"),
}

#: Size of the MNIST subset of the paper (4 % of the 60,000 training images).
MNIST_SUBSET = 2400


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skhebb.experiments returns pandas DataFrames; install the 'experiments' extra: "
            "pip install 'skhebb[experiments]'"
        ) from exc
    return pd


def _check_dataset(dataset):
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}.")


def load_hebbset_data(dataset, *, data_home=None):
    """Load the raw table of an experiment: ``(X, y)`` before subsetting and scaling.

    Parameters
    ----------
    dataset : {"tox171", "prostate_ge", "lung", "mnist2400"}
        The workload. ``"mnist2400"`` returns the whole MNIST training set
        (60,000 images); the 2,400-image subset is drawn per seed.
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
    from skhebb import datasets

    _check_dataset(dataset)
    if dataset == "mnist2400":
        return datasets.load_mnist(subset="train", data_home=data_home, return_X_y=True)
    loader = {
        "tox171": datasets.load_tox171,
        "prostate_ge": datasets.load_prostate_ge,
        "lung": datasets.load_lung,
    }[dataset]
    return loader(data_home=data_home, return_X_y=True)


def _prepare(X, y, dataset, seed, *, test_size, dtype):
    """Subset (MNIST-2400), split 75/25 stratified and scale each sample; all seeded."""
    if dataset == "mnist2400" and X.shape[0] > MNIST_SUBSET:
        rows = np.sort(np.random.RandomState(seed).choice(X.shape[0], MNIST_SUBSET, replace=False))
        X, y = X[rows], y[rows]
    X = SampleMinMaxScaler().fit_transform(np.asarray(X, dtype=dtype))
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)


def _make_classifier(params):
    from skhebb.neural_network import HebbSETClassifier

    return HebbSETClassifier(**params)


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


def _run(
    X_train,
    y_train,
    X_test,
    y_test,
    classes,
    params,
    epochs,
    eval_epochs,
    topo_epochs,
    n_threads=None,
    tick=None,
):
    """Train one network epoch by epoch; return (curve rows, layer rows, input rows).

    Rows are tuples; the caller adds the run's identifiers. Epochs are 0-based:
    the row of epoch ``e`` describes the network after ``e + 1`` passes.
    ``tick`` (in-process runs only) is called after every epoch, for progress.
    ``n_threads`` sets numba's thread count for this run (numba keeps it per
    thread, so runs in other threads are not affected) and restores it.
    """
    if n_threads is None:
        return _train(X_train, y_train, X_test, y_test, classes, params, epochs, eval_epochs,
                      topo_epochs, tick)
    import numba

    previous = numba.get_num_threads()
    numba.set_num_threads(min(int(n_threads), numba.config.NUMBA_NUM_THREADS))
    try:
        return _train(X_train, y_train, X_test, y_test, classes, params, epochs, eval_epochs,
                      topo_epochs, tick)
    finally:
        numba.set_num_threads(previous)


def _train(X_train, y_train, X_test, y_test, classes, params, epochs, eval_epochs, topo_epochs,
           tick):
    clf = _make_classifier(params)
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
            coefs = list(clf.coefs_)
            axis = _input_axis(coefs[0], X_train.shape[1])
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
        if tick is not None:
            tick()
    if keys_at:
        final = keys_at[max(keys_at)]
        for epoch, keys in keys_at.items():
            for layer, (k, f) in enumerate(zip(keys, final)):
                if k.size:
                    value = np.intersect1d(k, f, assume_unique=True).size / k.size
                    layers.append((epoch, layer + 1, "fraction_in_final", value))
    return curve, layers, inputs


def _in_process(n_jobs):
    """Whether joblib would run the tasks one after the other in this process anyway."""
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    local = type(backend).__name__ in {
        "LokyBackend", "SequentialBackend", "MultiprocessingBackend", "ThreadingBackend"
    }
    return local and effective_n_jobs(n_jobs) == 1


def _epoch_set(epochs_wanted, epochs, name):
    if epochs_wanted is None:
        return set(range(epochs))
    chosen = {int(e) for e in np.atleast_1d(epochs_wanted)}
    bad = sorted(e for e in chosen if not 0 <= e < epochs)
    if bad:
        raise ValueError(f"{name} must lie in [0, epochs - 1] = [0, {epochs - 1}], got {bad}.")
    return chosen


def _experiment(
    dataset,
    *,
    lambdas,
    seeds,
    epochs,
    eval_epochs,
    topology_epochs,
    hidden_layer_sizes,
    batch_size,
    learning_rate,
    zeta,
    epsilon,
    hebbian_decay,
    prune,
    loss,
    test_size,
    dtype,
    estimator_params,
    n_jobs,
    n_threads,
    data_home,
    progress,
    data,
):
    _check_dataset(dataset)
    if n_threads is not None and int(n_threads) < 1:
        raise ValueError(f"n_threads must be a positive integer or None, got {n_threads!r}.")
    if int(epochs) < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}.")
    epochs = int(epochs)
    lambdas = [float(v) for v in np.atleast_1d(lambdas)]
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    if not lambdas or not seeds:
        raise ValueError("lambdas and seeds must not be empty.")
    if any(v < 0 for v in lambdas):
        raise ValueError(f"lambdas must be nonnegative (0 is SET), got {lambdas}.")
    if len(set(seeds)) != len(seeds) or len(set(lambdas)) != len(lambdas):
        raise ValueError("seeds and lambdas must not repeat a value.")
    eval_set = _epoch_set(eval_epochs, epochs, "eval_epochs")
    topo_set = set()
    if topology_epochs is not None:
        topo_set = _epoch_set(topology_epochs, epochs, "topology_epochs")

    spec = DATASETS[dataset]
    hidden = tuple(int(h) for h in (hidden_layer_sizes or spec["hidden"]))
    base_params = dict(
        hidden_layer_sizes=hidden,
        epsilon=epsilon,
        zeta=zeta,
        hebbian_decay=hebbian_decay,
        learning_rate=learning_rate,
        batch_size=int(batch_size or spec["batch_size"]),
        prune=prune,
        loss=loss,
        **(estimator_params or {}),
    )
    X, y = data if data is not None else load_hebbset_data(dataset, data_home=data_home)
    classes = np.unique(y)

    tasks = []
    for seed in seeds:
        X_train, X_test, y_train, y_test = _prepare(
            X, y, dataset, seed, test_size=test_size, dtype=dtype
        )
        for lam in lambdas:
            params = dict(base_params, hebbian_strength=lam, random_state=seed)
            args = (X_train, y_train, X_test, y_test, classes, params, epochs, eval_set, topo_set,
                    n_threads)
            tasks.append(((seed, lam), args))

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(tasks) * epochs, desc=f"HebbSET {dataset}", unit="epoch")
    try:
        if _in_process(n_jobs):
            # in this process: the bar moves every epoch
            tick = bar.update if bar is not None else None
            results = [_run(*args, tick=tick) for _, args in tasks]
        else:
            results = []
            for res in Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(_run)(*args) for _, args in tasks
            ):
                results.append(res)
                if bar is not None:
                    bar.update(epochs)
    finally:
        if bar is not None:
            bar.close()
    out = [(key, res) for (key, _), res in zip(tasks, results, strict=True)]
    settings = dict(
        dataset=dataset,
        epochs=epochs,
        test_size=test_size,
        dtype=np.dtype(dtype).name,
        **{k: v for k, v in base_params.items()},
    )
    return out, settings


def _frame(rows, columns, settings):
    pd = _pandas()
    df = pd.DataFrame.from_records(rows, columns=columns)
    df.insert(0, "dataset", settings["dataset"])
    df.insert(1, "method", np.where(df["lambda0"] > 0, "HebbSET", "SET"))
    df = df.sort_values([c for c in columns if c != "value" and c != "n_connections"])
    df = df.reset_index(drop=True)
    df.attrs["settings"] = settings
    return df


def hebbset_learning_curves(
    dataset="tox171",
    *,
    lambdas=(0, 0.005, 0.01, 0.025),
    seeds=tuple(range(10)),
    epochs=250,
    eval_epochs=None,
    hidden_layer_sizes=None,
    batch_size=None,
    learning_rate=0.02,
    zeta=0.3,
    epsilon=20,
    hebbian_decay=0.98,
    prune="magnitude",
    loss="set_mse",
    test_size=0.25,
    dtype=np.float32,
    estimator_params=None,
    n_jobs=None,
    n_threads=None,
    data_home=None,
    progress=False,
    data=None,
):
    """Test accuracy of SET and HebbSET per epoch: the paper's Table II protocol.

    Parameters
    ----------
    dataset : {"tox171", "prostate_ge", "lung", "mnist2400"}, default="tox171"
        The workload. TOX-171 is bundled with skhebb (the Lung-like table);
        the others are read from the data home (:mod:`skhebb.datasets`).
    lambdas : sequence of float, default=(0, 0.005, 0.01, 0.025)
        Values of lambda0, the initial strength of the Hebbian term
        (``hebbian_strength``); 0 is plain SET.
    seeds : int or sequence of int, default=range(10)
        One run per seed and lambda0. The seed fixes the MNIST subset, the
        split, the initial network and the training (``random_state``).
    epochs : int, default=250
        Training epochs per run.
    eval_epochs : sequence of int, default=None
        0-based epochs after which the test split is scored; None means every
        epoch. The paper reports epochs 50 and 249.
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
    data_home : str or path-like, default=None
        The data home (:func:`skhebb.datasets.get_data_home`).
    progress : bool, default=False
        Show a tqdm progress bar over the runs.
    data : tuple (X, y), default=None
        Use this table instead of loading ``dataset`` (it still selects the
        network, batch size and, for ``"mnist2400"``, the subsetting).

    Returns
    -------
    results : pandas.DataFrame
        Tidy table, one row per run, epoch and metric, with columns
        ``dataset, method ("SET" or "HebbSET"), lambda0, seed, epoch, metric,
        value``. Metrics: ``test_accuracy`` (fraction) and ``train_loss``
        (mean mini-batch loss of the epoch, when the estimator records one).
        ``results.attrs["settings"]`` holds every setting of the experiment.

    See Also
    --------
    summarize_table2 : Mean and std at epochs 50 and 249 beside the paper's.
    hebbset_topology : The evolving topology of the same runs.
    skhebb.plotting.plot_learning_curves : Plot the curves with std bands.

    Notes
    -----
    Epochs are 0-based: epoch ``e`` is the state after ``e + 1`` passes, so the
    paper's "epoch 249" is the end of a 250-epoch run. Each ``partial_fit`` call
    ends with a SET evolution step (prune, then regrow), so every evaluation
    sees a network of constant size; the paper skips the regrowth after the very
    last epoch, which only adds connections with small fresh weights here.

    References
    ----------
    .. [1] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing learning in sparse
       neural networks: a Hebbian learning approach", University of Twente,
       2023 (HebbSET).
    .. [2] D. C. Mocanu et al., "Scalable training of artificial neural networks
       with adaptive sparse connectivity inspired by network science", Nature
       Communications 9, 2018 (SET).

    Examples
    --------
    >>> from skhebb.experiments import hebbset_learning_curves, summarize_table2
    >>> results = hebbset_learning_curves(
    ...     "tox171", lambdas=(0, 0.01), seeds=(0, 1), epochs=2,
    ...     hidden_layer_sizes=(8,), n_threads=1)
    >>> sorted(results["metric"].unique())
    ['test_accuracy', 'train_loss']
    >>> summarize_table2(results)[["method", "lambda0", "epoch", "n_runs"]]
        method  lambda0  epoch  n_runs
    0      SET     0.00      1       2
    1  HebbSET     0.01      1       2
    """
    runs, settings = _experiment(
        dataset,
        lambdas=lambdas,
        seeds=seeds,
        epochs=epochs,
        eval_epochs=eval_epochs,
        topology_epochs=None,
        hidden_layer_sizes=hidden_layer_sizes,
        batch_size=batch_size,
        learning_rate=learning_rate,
        zeta=zeta,
        epsilon=epsilon,
        hebbian_decay=hebbian_decay,
        prune=prune,
        loss=loss,
        test_size=test_size,
        dtype=dtype,
        estimator_params=estimator_params,
        n_jobs=n_jobs,
        n_threads=n_threads,
        data_home=data_home,
        progress=progress,
        data=data,
    )
    rows = [
        (lam, seed, epoch, metric, value)
        for (seed, lam), (curve, _, _) in runs
        for epoch, metric, value in curve
    ]
    return _frame(rows, ["lambda0", "seed", "epoch", "metric", "value"], settings)


def hebbset_topology(
    dataset="mnist2400",
    *,
    lambdas=(0, 0.01),
    seeds=tuple(range(10)),
    epochs=250,
    checkpoints=None,
    hidden_layer_sizes=None,
    batch_size=None,
    learning_rate=0.02,
    zeta=0.3,
    epsilon=20,
    hebbian_decay=0.98,
    prune="magnitude",
    loss="set_mse",
    test_size=0.25,
    dtype=np.float32,
    estimator_params=None,
    n_jobs=None,
    n_threads=None,
    data_home=None,
    progress=False,
    data=None,
):
    """The evolving sparse topology of SET and HebbSET runs, as tidy tables.

    Same protocol and parameters as :func:`hebbset_learning_curves`; at each
    checkpoint the network's connections are recorded: how many connections
    each input feature has (the paper's Fig. 5: under HebbSET they concentrate
    on the informative inputs), which fraction of each layer's connections
    survived since the previous checkpoint (Fig. 6) and which fraction is still
    there at the last checkpoint (Fig. 7), and weight-sign statistics (Table III).

    Parameters
    ----------
    dataset : {"tox171", "prostate_ge", "lung", "mnist2400"}, default="mnist2400"
        The workload.
    lambdas : sequence of float, default=(0, 0.01)
        Values of lambda0; 0 is plain SET.
    seeds : int or sequence of int, default=range(10)
        One run per seed and lambda0.
    epochs : int, default=250
        Training epochs per run.
    checkpoints : sequence of int, default=None
        0-based epochs at which the topology is recorded; None means epoch 0,
        every 25th epoch and the last one (the paper's Fig. 6 spacing).
    hidden_layer_sizes, batch_size, learning_rate, zeta, epsilon, hebbian_decay, \
prune, loss, test_size, dtype, estimator_params, n_jobs, n_threads, data_home, progress, data
        As in :func:`hebbset_learning_curves`.

    Returns
    -------
    topology : :class:`~sklearn.utils.Bunch`
        With two pandas DataFrames:

        layers
            Columns ``dataset, method, lambda0, seed, epoch, layer, metric,
            value``; layer 1 is the input layer. Metrics: ``n_connections``,
            ``positive_fraction``, ``mean_positive``, ``mean_negative``,
            ``fraction_kept`` (since the previous checkpoint) and
            ``fraction_in_final`` (present at the last checkpoint).
        inputs
            Columns ``dataset, method, lambda0, seed, epoch, feature,
            n_connections``: the number of outgoing connections of every input
            feature (for MNIST, reshape to 28 x 28 to see Fig. 5).

    See Also
    --------
    hebbset_learning_curves : Accuracy of the same protocol.

    References
    ----------
    .. [1] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing learning in sparse
       neural networks: a Hebbian learning approach", University of Twente,
       2023 (HebbSET), Figures 5-7 and Table III.

    Examples
    --------
    >>> from skhebb.experiments import hebbset_topology
    >>> topo = hebbset_topology("tox171", lambdas=(0.01,), seeds=(0,), epochs=3,
    ...                         hidden_layer_sizes=(8,), n_threads=1)
    >>> sorted(topo.layers["epoch"].unique().tolist())
    [0, 2]
    >>> per_input = topo.inputs.groupby("epoch")["n_connections"].sum()
    >>> first = topo.layers.query("metric == 'n_connections' and layer == 1")
    >>> bool((per_input == first.set_index("epoch")["value"]).all())
    True
    """
    if checkpoints is None:
        checkpoints = sorted({0, *range(25, int(epochs), 25), int(epochs) - 1})
    runs, settings = _experiment(
        dataset,
        lambdas=lambdas,
        seeds=seeds,
        epochs=epochs,
        eval_epochs=[],
        topology_epochs=checkpoints,
        hidden_layer_sizes=hidden_layer_sizes,
        batch_size=batch_size,
        learning_rate=learning_rate,
        zeta=zeta,
        epsilon=epsilon,
        hebbian_decay=hebbian_decay,
        prune=prune,
        loss=loss,
        test_size=test_size,
        dtype=dtype,
        estimator_params=estimator_params,
        n_jobs=n_jobs,
        n_threads=n_threads,
        data_home=data_home,
        progress=progress,
        data=data,
    )
    layer_rows = [
        (lam, seed, epoch, layer, metric, value)
        for (seed, lam), (_, layers, _) in runs
        for epoch, layer, metric, value in layers
    ]
    input_rows = [
        (lam, seed, epoch, feature, n)
        for (seed, lam), (_, _, inputs) in runs
        for epoch, counts in inputs
        for feature, n in enumerate(counts.tolist())
    ]
    return Bunch(
        layers=_frame(
            layer_rows, ["lambda0", "seed", "epoch", "layer", "metric", "value"], settings
        ),
        inputs=_frame(
            input_rows, ["lambda0", "seed", "epoch", "feature", "n_connections"], settings
        ),
    )


def _published_frame():
    from skhebb.experiments._published import HEBBSET_TABLE2

    return _pandas().DataFrame.from_records(HEBBSET_TABLE2)


def summarize_table2(results, *, epochs=(50, 249)):
    """Mean and std of the test accuracy per method and epoch, beside the paper's.

    Parameters
    ----------
    results : pandas.DataFrame
        The output of :func:`hebbset_learning_curves` (or several of them
        concatenated).
    epochs : sequence of int, default=(50, 249)
        0-based epochs to report (the paper's Table II: 50 and 249). Epochs the
        results do not hold are left out; the last epoch of the results is
        always reported, so that a short run still gives a table.

    Returns
    -------
    table : pandas.DataFrame
        One row per dataset, method, lambda0 and epoch with ``n_runs``,
        ``accuracy_mean`` and ``accuracy_std`` (percent, std with ddof=1 as
        over the paper's 10 runs; NaN for a single run) and the published
        ``paper_dataset``, ``paper_mean`` and ``paper_std`` where the paper has
        a value for that lambda0 and epoch (Lung for the Lung-like tables).

    See Also
    --------
    hebbset_learning_curves : Produces ``results``.
    """
    acc = results[results["metric"] == "test_accuracy"]
    if acc.empty:
        raise ValueError("results hold no 'test_accuracy' rows to summarize.")
    chosen = {int(e) for e in epochs}
    available = set(acc["epoch"].unique().tolist())
    chosen = sorted((chosen & available) | {int(acc["epoch"].max())})
    acc = acc[acc["epoch"].isin(chosen)]
    keys = ["dataset", "method", "lambda0", "epoch"]
    table = (
        acc.groupby(keys, sort=True)["value"]
        .agg(n_runs="count", accuracy_mean="mean", accuracy_std="std")
        .reset_index()
    )
    table["accuracy_mean"] *= 100
    table["accuracy_std"] *= 100
    table["paper_dataset"] = table["dataset"].map(
        lambda d: DATASETS.get(d, {}).get("published", np.nan)
    )
    paper = _published_frame().rename(
        columns={
            "dataset": "paper_dataset",
            "accuracy_mean": "paper_mean",
            "accuracy_std": "paper_std",
        }
    )[["paper_dataset", "method", "lambda0", "epoch", "paper_mean", "paper_std"]]
    table = table.merge(paper, how="left", on=["paper_dataset", "method", "lambda0", "epoch"])
    return table.sort_values(["dataset", "lambda0", "epoch"]).reset_index(drop=True)


def format_table2(table):
    """Text of a :func:`summarize_table2` table: ``mean ± std`` beside the paper's.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`summarize_table2`.

    Returns
    -------
    text : str
        A fixed-width table, one row per method, value of lambda0 and epoch.
    """
    pd = _pandas()

    def pm(mean, std):
        if pd.isna(mean):
            return "–"
        return f"{mean:.1f}" if pd.isna(std) else f"{mean:.1f} ± {std:.1f}"

    shown = pd.DataFrame(
        {
            "dataset": table["dataset"],
            "method": table["method"],
            "λ0": table["lambda0"].map(lambda v: "–" if v == 0 else f"{v:g}"),
            "epoch": table["epoch"],
            "runs": table["n_runs"],
            "accuracy %": [pm(m, s) for m, s in zip(table["accuracy_mean"], table["accuracy_std"])],
            "paper %": [pm(m, s) for m, s in zip(table["paper_mean"], table["paper_std"])],
        }
    )
    return shown.to_string(index=False)


def _concentration(counts):
    """Share of the connections held by the top 10 % of inputs, and the Gini coefficient."""
    counts = np.sort(np.asarray(counts, dtype=np.float64))
    total = counts.sum()
    if total == 0:
        return np.nan, np.nan
    top = max(1, int(np.ceil(0.1 * counts.size)))
    share = counts[-top:].sum() / total
    n = counts.size
    gini = (2.0 * np.sum(np.arange(1, n + 1) * counts) / (n * total)) - (n + 1.0) / n
    return float(share), float(gini)


def summarize_topology(topology):
    """Summaries of :func:`hebbset_topology`: weight signs, stability, input concentration.

    Parameters
    ----------
    topology : :class:`~sklearn.utils.Bunch`
        The output of :func:`hebbset_topology`.

    Returns
    -------
    summary : :class:`~sklearn.utils.Bunch`
        With three pandas DataFrames (means over seeds):

        weights
            The paper's Table III at the last checkpoint: per method,
            lambda0 and layer, ``positive_percent`` (mean and std over
            seeds), ``mean_positive``, ``mean_negative``, and the published
            MNIST values (``paper_positive_percent``, ``paper_mean_positive``,
            ``paper_mean_negative``, HebbSET with lambda0 = 0.01) for the same
            layer number.
        stability
            Per method, lambda0, layer and checkpoint: ``fraction_kept``
            (connections present at the previous checkpoint that are still
            there; Fig. 6) and ``fraction_in_final`` (Fig. 7).
        inputs
            Per method, lambda0 and checkpoint: ``top10_share`` (fraction of
            the input layer's connections that belong to the 10 % most
            connected inputs; 0.1 for a uniform spread) and ``gini`` (Gini
            coefficient of the connections per input; Fig. 5 as numbers).

    See Also
    --------
    hebbset_topology : Produces ``topology``.

    Examples
    --------
    >>> from skhebb.experiments import hebbset_topology, summarize_topology
    >>> topo = hebbset_topology("tox171", lambdas=(0, 0.01), seeds=(0,), epochs=2,
    ...                         hidden_layer_sizes=(8,), n_threads=1)
    >>> summary = summarize_topology(topo)
    >>> summary.weights[["method", "layer"]].values.tolist()
    [['SET', 1], ['SET', 2], ['HebbSET', 1], ['HebbSET', 2]]
    """
    from skhebb.experiments._published import HEBBSET_TABLE3

    pd = _pandas()
    layers = topology.layers
    keys = ["dataset", "method", "lambda0"]
    last = layers[layers["epoch"] == layers["epoch"].max()]
    wide = last.pivot_table(index=[*keys, "seed", "layer"], columns="metric",
                            values="value").reset_index()
    wide["positive_percent"] = wide["positive_fraction"] * 100
    weights = (
        wide.groupby([*keys, "layer"])
        .agg(
            n_runs=("seed", "count"),
            positive_percent=("positive_percent", "mean"),
            positive_percent_std=("positive_percent", "std"),
            mean_positive=("mean_positive", "mean"),
            mean_negative=("mean_negative", "mean"),
        )
        .reset_index()
    )
    paper = pd.DataFrame.from_records(HEBBSET_TABLE3).rename(
        columns={
            "positive_percent": "paper_positive_percent",
            "mean_positive": "paper_mean_positive",
            "mean_negative": "paper_mean_negative",
        }
    )[["method", "layer", "paper_positive_percent", "paper_mean_positive",
       "paper_mean_negative"]]
    weights = weights.merge(paper, how="left", on=["method", "layer"])
    weights = weights.sort_values(["dataset", "lambda0", "layer"]).reset_index(drop=True)

    kept = layers[layers["metric"].isin(["fraction_kept", "fraction_in_final"])]
    stability = (
        kept.pivot_table(index=[*keys, "layer", "epoch"], columns="metric", values="value",
                         aggfunc="mean")
        .reset_index()
        .sort_values(["dataset", "lambda0", "layer", "epoch"])
        .reset_index(drop=True)
    )
    stability.columns.name = None

    rows = []
    for key, group in topology.inputs.groupby([*keys, "seed", "epoch"], sort=True):
        rows.append((*key, *_concentration(group["n_connections"].to_numpy())))
    conc = pd.DataFrame.from_records(rows, columns=[*keys, "seed", "epoch", "top10_share",
                                                    "gini"])
    inputs = (
        conc.groupby([*keys, "epoch"])[["top10_share", "gini"]].mean().reset_index()
        .sort_values(["dataset", "lambda0", "epoch"]).reset_index(drop=True)
    )
    return Bunch(weights=weights, stability=stability, inputs=inputs)
