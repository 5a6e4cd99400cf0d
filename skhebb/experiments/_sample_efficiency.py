"""Sample efficiency: unsupervised features from every row, a read-out from the labeled few.

The semi-supervised protocol of Lagani et al. in an MLP/tabular setting:

* data: an image set such as MNIST or COIL-20 (its training images, pixels
  scaled to [0, 1], tested on its test images or their first ``n_test``; or a
  seeded subset of ``n_train`` training images per seed) or a Lung-like
  gene-expression table (a stratified 75/25 split per seed, each sample
  scaled to [0, 1] on its own, as in the HebbSET protocol);
* labeled rows: a fraction s of the training rows (at least one per class),
  drawn from one seeded permutation per seed so that the labeled sets are
  nested (1 % is inside 5 %, ...); the other rows get the label -1;
* features: each feature learner is fit *once* per training set on all its
  rows (labels ignored), and the same features serve every seed's labeled
  rows: the few-labels recipe (Krotov–Hopfield selectors,
  :mod:`skhebb.semi_supervised`), SoftWTA, HebbianPCA,
  LateralInhibitionSelectors (Sanger's rule) and, as references, the raw
  inputs, scikit-learn's PCA, MiniBatchKMeans (distances to the centres) and
  BernoulliRBM; and ``MLPClassifier`` trained on the labeled raw inputs;
* read-outs trained on the labeled rows only: ``StandardScaler`` +
  ``LogisticRegression`` in scikit-learn's idiom
  ``SelfTrainingClassifier(LogisticRegression(), max_iter=0)`` on ``y`` with
  -1 for unlabeled rows, and optionally the rules of
  :class:`~skhebb.neural_network.SupervisedHebbClassifier` on the features
  scaled to [0, 1]; test accuracy.

Every learner has settings of its own (:data:`LEARNERS`), chosen on MNIST
without the test set (see :data:`LEARNERS`). Runs (one per training set and
learner) are :class:`joblib.Parallel` tasks.
"""

import importlib
import time
import warnings

import numpy as np

from skhebb.datasets._registry import get_dataset, load_table
from skhebb.experiments._common import (
    accuracy_rows,
    check_seeds,
    image_split,
    pandas,
    quiet_fit,
    run_tasks,
    shared_docs,
    subset_rows,
    tidy_frame,
)

__all__ = ["labeled_mask", "sample_efficiency", "summarize_sample_efficiency"]

#: Feature learners, Hebbian first.
METHODS = (
    "Krotov",
    "SoftWTA",
    "HebbianPCA",
    "LateralInhibitionSelectors",
    "raw",
    "PCA",
    "MiniBatchKMeans",
    "BernoulliRBM",
    "MLP",
)
HEBBIAN = ("Krotov", "SoftWTA", "HebbianPCA", "LateralInhibitionSelectors")

#: Read-outs: the logistic regression, or a rule of SupervisedHebbClassifier.
READOUTS = ("logistic", "threshold", "delta", "oja")


def labeled_mask(y, fraction, seed):
    """Boolean mask of the labeled rows: ``fraction`` of the rows, at least one per class.

    The rows come from one seeded permutation: first the first row of each
    class in that order, then the others, so for one seed a smaller fraction's
    rows are a subset of a larger one's.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels.
    fraction : float in (0, 1]
        Fraction of labeled rows.
    seed : int
        Seed of the permutation.

    Returns
    -------
    mask : ndarray of bool of shape (n_samples,)
        True for the rows that keep their label.

    Examples
    --------
    >>> import numpy as np
    >>> from skhebb.experiments import labeled_mask
    >>> y = np.repeat([0, 1], 50)
    >>> small, large = labeled_mask(y, 0.05, 0), labeled_mask(y, 0.2, 0)
    >>> int(small.sum()), int(large.sum()), bool((large | ~small).all())
    (5, 20, True)
    """
    y = np.asarray(y)
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must lie in (0, 1], got {fraction!r}.")
    order = np.random.RandomState(seed).permutation(y.shape[0])
    _, first = np.unique(y[order], return_index=True)
    ranked = np.concatenate([order[np.sort(first)], np.delete(order, first)])
    n = max(len(first), int(round(fraction * y.shape[0])))
    mask = np.zeros(y.shape[0], dtype=bool)
    mask[ranked[:n]] = True
    return mask


#: Feature learners: method -> (module, class, keyword of the feature count, width, settings).
#: "Krotov" is the few-labels recipe (its epochs follow from the training rows). The
#: widths and settings of Krotov, SoftWTA, HebbianPCA and PCA are those that scored
#: best with a logistic read-out on 1 % of the labels of 50,000 MNIST training images,
#: scored on the other 10,000 (SoftWTA: temperature 0.5 or 2, rule "softhebb";
#: HebbianPCA: activation identity, tanh or relu; PCA: 50 or 100 components);
#: MiniBatchKMeans has the recipe's width; the others keep the settings of before.
LEARNERS = {
    "Krotov": ("skhebb.competitive", "LateralInhibitionSelectors", "n_selectors", 1000, {}),
    "SoftWTA": ("skhebb.competitive", "SoftWTA", "n_components", 1000,
                {"temperature": 2.0, "max_iter": 5}),
    "HebbianPCA": ("skhebb.decomposition", "HebbianPCA", "n_components", 100,
                   {"activation": "relu", "max_iter": 10}),
    "LateralInhibitionSelectors": ("skhebb.competitive", "LateralInhibitionSelectors",
                                   "n_selectors", 64, {"inhibition": 10.0, "max_iter": 10}),
    "PCA": ("sklearn.decomposition", "PCA", "n_components", 50, {}),
    "MiniBatchKMeans": ("sklearn.cluster", "MiniBatchKMeans", "n_clusters", 1000, {"n_init": 3}),
    "BernoulliRBM": ("sklearn.neural_network", "BernoulliRBM", "n_components", 256,
                     {"n_iter": 20}),
}

#: The MLP reference: MLPClassifier settings (scikit-learn's defaults, a bounded run).
MLP_PARAMS = {"hidden_layer_sizes": (100,), "max_iter": 100}


def _width(method, n_components, X_train):
    """Features of ``method``: its own width or ``n_components``, capped by the data."""
    if method in ("raw", "MLP"):
        return int(X_train.shape[1])
    width = LEARNERS[method][3] if n_components is None else int(n_components)
    cap = min(X_train.shape) if method in ("PCA", "HebbianPCA") else X_train.shape[0]
    return int(min(width, cap))


def _feature_learner(method, n_components, seed, params, n_rows):
    """A fresh transformer for ``method`` (None for the raw inputs and the MLP)."""
    if method in ("raw", "MLP"):
        return None
    if method not in LEARNERS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}.")
    if method == "Krotov":
        from skhebb.semi_supervised import few_labels_selectors

        return few_labels_selectors(n_rows, n_selectors=n_components, random_state=seed,
                                    **(params or {}))
    module, name, size, _, defaults = LEARNERS[method]
    cls = getattr(importlib.import_module(module), name)
    return cls(**{size: n_components, **defaults, **(params or {})}, random_state=seed)


def _readout(readout, seed, params):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler
    from sklearn.semi_supervised import SelfTrainingClassifier

    if readout == "mlp":
        from sklearn.neural_network import MLPClassifier

        clf = MLPClassifier(**{**MLP_PARAMS, **(params or {})}, random_state=seed)
        scaler = StandardScaler()
    elif readout == "logistic":
        from sklearn.linear_model import LogisticRegression

        clf, scaler = LogisticRegression(max_iter=1000), StandardScaler()
    else:
        from skhebb.neural_network import SupervisedHebbClassifier

        # the rules expect firing rates in [0, 1]; the scaler sees every row
        clf, scaler = SupervisedHebbClassifier(rule=readout), MinMaxScaler(clip=True)
    # max_iter=0: no pseudo-labels, the read-out sees the labeled rows only
    return make_pipeline(scaler, SelfTrainingClassifier(clf, max_iter=0))


def _efficiency_run(X_train, y_train, X_test, y_test, method, n_components, params, fractions,
                    fit_seed, label_seeds, readouts):
    """Fit ``method`` once; one read-out per label seed, fraction and read-out."""
    t0 = time.perf_counter()
    learner = _feature_learner(method, n_components, fit_seed, params, X_train.shape[0])
    if learner is None:
        F_train, F_test = X_train, X_test
    else:
        F_train = quiet_fit(learner, X_train).transform(X_train)
        F_test = learner.transform(X_test)
    fit_s = time.perf_counter() - t0
    if method == "MLP":
        readouts = ("mlp",)
    rows = []
    for seed in label_seeds:
        for fraction in fractions:
            if fraction == 1.0 and seed != label_seeds[0]:
                continue  # every row labeled: the same labeled set for every seed
            y_partial = np.where(labeled_mask(y_train, fraction, seed), y_train, -1)
            for readout in readouts:
                with warnings.catch_warnings():
                    # 100 % labeled: SelfTrainingClassifier notes that no row is unlabeled
                    warnings.filterwarnings("ignore", message="y contains no unlabeled samples")
                    # one or two labels per class look like regression targets to scikit-learn
                    warnings.filterwarnings("ignore", message="The number of unique classes")
                    clf = quiet_fit(_readout(readout, seed, params if method == "MLP" else None),
                                    F_train, y_partial)
                rows.append((readout, seed, fraction, int(np.sum(y_partial != -1)),
                             "test_accuracy", float(clf.score(F_test, y_test))))
    rows.append(("", fit_seed, np.nan, 0, "feature_fit_time_s", fit_s))
    return rows


def _table_split(X, y, seed, n_train, test_size):
    """Train/test arrays of one seed from a table: per-sample scaling, stratified split."""
    from sklearn.model_selection import train_test_split

    from skhebb.preprocessing import SampleMinMaxScaler

    X = SampleMinMaxScaler().fit_transform(np.asarray(X, dtype=np.float64))
    X_train, X_test, y_train, y_test = train_test_split(
        X, np.asarray(y), test_size=test_size, stratify=y, random_state=seed
    )
    if n_train is not None:
        rows = subset_rows(X_train.shape[0], n_train, seed)
        X_train, y_train = X_train[rows], y_train[rows]
    return X_train, y_train, X_test, y_test


@shared_docs
def sample_efficiency(
    dataset="tox171",
    *,
    fractions=(0.005, 0.01, 0.02, 0.05, 0.1, 1.0),
    methods=METHODS,
    readouts=("logistic",),
    n_components=None,
    seeds=(0, 1, 2),
    n_train=None,
    n_test=None,
    test_size=0.25,
    estimator_params=None,
    n_jobs=None,
    data_home=None,
    progress=False,
    data=None,
):
    """Test accuracy against the labeled fraction, per feature learner and read-out.

    Parameters
    ----------
    dataset : str, default="tox171"
        Workload: a Lung-like table (``"tox171"``, bundled; ``"prostate_ge"``,
        ``"lung"``) or an image set from the data home (``"mnist"``,
        ``"fashion_mnist"``, ``"coil20"``).
    fractions : sequence of float in (0, 1], default=(0.005, 0.01, 0.02, 0.05, 0.1, 1.0)
        Labeled fractions of the training rows (at least one row per class
        is labeled, so a fraction below one row per class labels one per class).
    methods : sequence of str, default=all
        Feature learners among ``"Krotov"`` (the few-labels recipe of
        :mod:`skhebb.semi_supervised`), ``"SoftWTA", "HebbianPCA",
        "LateralInhibitionSelectors", "raw", "PCA", "MiniBatchKMeans",
        "BernoulliRBM"``, and ``"MLP"`` (an ``MLPClassifier`` on the labeled
        raw inputs instead of a read-out).
    readouts : sequence of str, default=("logistic",)
        Read-outs of the features among ``"logistic"`` (StandardScaler +
        LogisticRegression) and the rules ``"threshold", "delta", "oja"`` of
        :class:`~skhebb.neural_network.SupervisedHebbClassifier` (on the
        features min-max scaled to [0, 1]). Method ``"MLP"`` has its own
        (``readout`` "mlp").
    n_components : int or None, default=None
        Features of every learner (components, units, selectors, clusters);
        None gives each learner its width in :data:`LEARNERS`. Capped at the
        training rows (and, for PCA and HebbianPCA, at the input features).
    seeds : int or sequence of int, default=(0, 1, 2)
        Seeds of the labeled rows. The feature learners are fit once per
        training set: once (``random_state`` the first seed) on an image
        set's training images; once per seed where the seed also draws the
        training set (a table's split, ``n_train``). With every row labeled
        (fraction 1) the first seed only is run.
    n_train : int or None, default=None
        Training rows (a seeded subset per seed); None uses all (MNIST: 60,000).
    n_test : int or None, default=None
        Image sets only: the first ``n_test`` test images; None uses all.
    test_size : float, default=0.25
        Tables only: the held-out fraction of each class.
    estimator_params : dict, default=None
        ``{method: {parameter: value}}`` overriding a learner's settings in
        :data:`LEARNERS` (for ``"Krotov"``, the recipe's; for ``"MLP"``, the
        ``MLPClassifier``'s).
    %(n_jobs)s
    %(data_home)s
    %(progress)s
    data : tuple, default=None
        ``(X, y)`` for a table or ``(X_train, y_train, X_test, y_test)``
        (scaled to [0, 1]) for an image set, instead of loading ``dataset``.

    Returns
    -------
    results : pandas.DataFrame
        Tidy table with columns ``dataset, method, n_components, readout,
        seed, labeled_fraction, n_labeled, metric, value``. Metrics:
        ``test_accuracy`` (fraction) per read-out, seed and labeled fraction,
        and ``feature_fit_time_s`` per fit (fit and transform of the
        training and test rows; ``labeled_fraction`` NaN, ``seed`` the
        learner's ``random_state``).

    See Also
    --------
    summarize_sample_efficiency : Mean and std per learner and fraction.
    skhebb.plotting.plot_sample_efficiency : Plot accuracy against the labeled samples.
    skhebb.semi_supervised.make_few_labels_pipeline : The recipe as a Pipeline.

    References
    ----------
    .. [1] G. Lagani, F. Falchi, C. Gennaro, G. Amato, "Hebbian semi-supervised
       learning in a sample efficiency setting", Neural Networks 143, 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skhebb.experiments import sample_efficiency
    >>> X, y = make_classification(200, 20, n_informative=5, random_state=0)
    >>> res = sample_efficiency("tox171", data=(X, y), methods=("raw", "HebbianPCA"),
    ...                         fractions=(0.1, 1.0), n_components=4, seeds=(0,))
    >>> res.query("metric == 'test_accuracy'")[["method", "n_labeled"]].values.tolist()
    [['HebbianPCA', 15], ['HebbianPCA', 150], ['raw', 15], ['raw', 150]]
    """
    pandas()  # the results are a DataFrame: fail before the runs without pandas
    seeds = check_seeds(seeds)
    fractions = sorted(float(f) for f in np.atleast_1d(fractions))
    if not fractions or any(not 0 < f <= 1 for f in fractions):
        raise ValueError(f"fractions must lie in (0, 1], got {fractions}.")
    methods = [methods] if isinstance(methods, str) else list(methods)
    bad = [m for m in methods if m not in METHODS]
    if not methods or bad:
        raise ValueError(f"methods must be among {list(METHODS)}, got {bad or methods}.")
    readouts = [readouts] if isinstance(readouts, str) else list(readouts)
    bad = [r for r in readouts if r not in READOUTS]
    if not readouts or bad:
        raise ValueError(f"readouts must be among {list(READOUTS)}, got {bad or readouts}.")
    table = get_dataset(dataset, "sample_efficiency").kind == "table"
    params = dict(estimator_params or {})
    if table:
        X, y = data if data is not None else load_table(dataset, data_home=data_home)
    else:
        images = image_split(dataset, data, experiment="sample_efficiency", n_test=n_test,
                             data_home=data_home)
    # one training set for all seeds (an image set's), or one per seed
    if table or n_train is not None:
        groups = [(seed, [seed]) for seed in seeds]
    else:
        groups = [(seeds[0], seeds)]
    tasks, keys = [], []
    for fit_seed, label_seeds in groups:
        if table:
            X_train, y_train, X_test, y_test = _table_split(X, y, fit_seed, n_train, test_size)
        else:
            rows = subset_rows(images[0].shape[0], n_train, fit_seed)
            X_train, y_train, (X_test, y_test) = images[0][rows], images[1][rows], images[2:]
        for method in methods:
            k = _width(method, n_components, X_train)
            tasks.append((X_train, y_train, X_test, y_test, method, k, params.get(method),
                          fractions, fit_seed, label_seeds, readouts))
            keys.append((method, k))
    results = run_tasks(_efficiency_run, tasks, n_jobs=n_jobs, progress=progress,
                        desc=f"sample efficiency {dataset}")
    records = [key + row for key, rows in zip(keys, results, strict=True) for row in rows]
    settings = dict(
        dataset=dataset, fractions=fractions, methods=methods, readouts=readouts,
        n_components=n_components, seeds=seeds, n_train=n_train, n_test=n_test,
        test_size=test_size, estimator_params=params,
    )
    return tidy_frame(
        records,
        ["method", "n_components", "readout", "seed", "labeled_fraction", "n_labeled", "metric",
         "value"],
        settings=settings, constants=[(0, "dataset", dataset)],
        sort_by=["method", "readout", "seed", "metric", "labeled_fraction"],
    )


def summarize_sample_efficiency(results):
    """Mean ± std test accuracy (%) per learner and read-out, and the learner's fit time.

    Parameters
    ----------
    results : pandas.DataFrame
        The output of :func:`sample_efficiency`, or several such outputs
        concatenated (one row per dataset, method and read-out).

    Returns
    -------
    table : pandas.DataFrame
        Index ``(dataset, method, readout)``; columns ``"<p> % mean"`` and
        ``"<p> % std"`` per labeled percentage p (std over the seeds; NaN
        for a single run), then ``"fit s"``: the mean time to fit the
        learner and transform the rows (0 for the raw inputs and the MLP).
    """
    pd = pandas()
    acc = accuracy_rows(results).copy()
    acc["percent"] = (acc["labeled_fraction"] * 100).round(6)
    keys = ["dataset", "method", "readout"]
    stats = acc.groupby([*keys, "percent"])["value"].agg(["mean", "std"]) * 100
    table = stats.unstack("percent")
    table.columns = [f"{p:g} % {stat}" for stat, p in table.columns]
    percents = sorted(acc["percent"].unique())
    order = [f"{p:g} % {s}" for p in percents for s in ("mean", "std")]
    table = table[order]
    times = results[results["metric"] == "feature_fit_time_s"]
    fit = times.groupby(["dataset", "method"])["value"].mean()
    index = table.index.droplevel("readout")
    table["fit s"] = pd.Series(fit.reindex(index).to_numpy(), index=table.index)
    methods = [m for m in METHODS if m in table.index.get_level_values("method")]
    return table.reindex(methods, level="method")
