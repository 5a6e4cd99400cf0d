"""Sample efficiency: unsupervised features from every row, a read-out from the labeled few.

The semi-supervised protocol of Lagani et al. in an MLP/tabular setting, per
seed:

* data: an image set such as MNIST (a seeded training subset of ``n_train``
  images, pixels scaled to [0, 1], tested on the test images or their first
  ``n_test``) or a Lung-like
  gene-expression table (a stratified 75/25 split, each sample scaled to
  [0, 1] on its own, as in the HebbSET protocol);
* labeled rows: a fraction s of the training rows (at least one per class),
  drawn from one seeded permutation so that the labeled sets are nested
  (1 % is inside 5 %, ...); the other rows get the label -1;
* features: each feature learner is fit on *all* training rows (labels
  ignored): HebbianPCA, SoftWTA, LateralInhibitionSelectors and, as
  references, the raw inputs, scikit-learn's PCA, BernoulliRBM and
  MiniBatchKMeans (distances to the centres);
* read-out: ``StandardScaler`` + ``LogisticRegression`` trained on the
  labeled rows only, in scikit-learn's idiom
  ``SelfTrainingClassifier(LogisticRegression(), max_iter=0)`` on ``y`` with
  -1 for unlabeled rows; test accuracy.

Runs (one per seed and feature learner) are :class:`joblib.Parallel` tasks.
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
    subset_rows,
    tidy_frame,
)

__all__ = ["labeled_mask", "sample_efficiency", "summarize_sample_efficiency"]

#: Feature learners, Hebbian first.
METHODS = (
    "HebbianPCA",
    "SoftWTA",
    "LateralInhibitionSelectors",
    "raw",
    "PCA",
    "BernoulliRBM",
    "MiniBatchKMeans",
)
HEBBIAN = ("HebbianPCA", "SoftWTA", "LateralInhibitionSelectors")


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


#: Feature learners: method -> (module, class, keyword of the feature count, defaults).
LEARNERS = {
    "HebbianPCA": ("skhebb.decomposition", "HebbianPCA", "n_components", {}),
    "SoftWTA": ("skhebb.competitive", "SoftWTA", "n_components", {"temperature": 0.2}),
    "LateralInhibitionSelectors": ("skhebb.competitive", "LateralInhibitionSelectors",
                                   "n_selectors", {"inhibition": 10.0, "max_iter": 10}),
    "PCA": ("sklearn.decomposition", "PCA", "n_components", {}),
    "BernoulliRBM": ("sklearn.neural_network", "BernoulliRBM", "n_components", {"n_iter": 20}),
    "MiniBatchKMeans": ("sklearn.cluster", "MiniBatchKMeans", "n_clusters", {"n_init": 3}),
}


def _feature_learner(method, n_components, seed, params):
    """A fresh transformer for ``method`` (None for the raw inputs)."""
    if method == "raw":
        return None
    if method not in LEARNERS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}.")
    module, name, size, defaults = LEARNERS[method]
    cls = getattr(importlib.import_module(module), name)
    return cls(**{size: n_components, **defaults, **(params or {})}, random_state=seed)


def _readout():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.semi_supervised import SelfTrainingClassifier

    # max_iter=0: no pseudo-labels, the read-out sees the labeled rows only
    return make_pipeline(
        StandardScaler(), SelfTrainingClassifier(LogisticRegression(max_iter=1000), max_iter=0)
    )


def _efficiency_run(X_train, y_train, X_test, y_test, method, n_components, params, fractions,
                    seed):
    t0 = time.perf_counter()
    learner = _feature_learner(method, n_components, seed, params)
    if learner is None:
        F_train, F_test = X_train, X_test
    else:
        F_train = quiet_fit(learner, X_train).transform(X_train)
        F_test = learner.transform(X_test)
    fit_s = time.perf_counter() - t0
    rows = []
    for fraction in fractions:
        y_partial = np.where(labeled_mask(y_train, fraction, seed), y_train, -1)
        with warnings.catch_warnings():
            # 100 % labeled: SelfTrainingClassifier notes that no row is unlabeled
            warnings.filterwarnings("ignore", message="y contains no unlabeled samples")
            clf = quiet_fit(_readout(), F_train, y_partial)
        rows.append((fraction, int(np.sum(y_partial != -1)), "test_accuracy",
                     float(clf.score(F_test, y_test))))
    rows.append((np.nan, 0, "feature_fit_time_s", fit_s))
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


def sample_efficiency(
    dataset="tox171",
    *,
    fractions=(0.01, 0.05, 0.1, 1.0),
    methods=METHODS,
    n_components=64,
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
    """Test accuracy against the labeled fraction, per feature learner.

    Parameters
    ----------
    dataset : str, default="tox171"
        Workload: a Lung-like table (``"tox171"``, bundled; ``"prostate_ge"``,
        ``"lung"``) or an image set from the data home (``"mnist"``,
        ``"fashion_mnist"``, ``"coil20"``).
    fractions : sequence of float in (0, 1], default=(0.01, 0.05, 0.1, 1.0)
        Labeled fractions of the training rows (at least one row per class
        is labeled, so 1 % of a small table means one row per class).
    methods : sequence of str, default=all
        Feature learners among ``"HebbianPCA", "SoftWTA",
        "LateralInhibitionSelectors", "raw", "PCA", "BernoulliRBM",
        "MiniBatchKMeans"``.
    n_components : int, default=64
        Features of every learner (components, units, selectors, clusters),
        capped at the number of training rows and of input features.
    seeds : int or sequence of int, default=(0, 1, 2)
        One run per seed and learner: the seed fixes the subset or split, the
        labeled rows and the learner's ``random_state``.
    n_train : int or None, default=None
        Training rows (a seeded subset); None uses all (MNIST: 60,000).
    n_test : int or None, default=None
        Image sets only: the first ``n_test`` test images; None uses all.
    test_size : float, default=0.25
        Tables only: the held-out fraction of each class.
    estimator_params : dict, default=None
        ``{method: {parameter: value}}`` overriding the learners' settings.
        Defaults beside ``n_components`` and ``random_state``: SoftWTA
        ``temperature=0.2``; LateralInhibitionSelectors ``inhibition=10,
        max_iter=10``; BernoulliRBM ``n_iter=20``; MiniBatchKMeans
        ``n_init=3``; the estimators' own defaults otherwise.
    n_jobs : int, default=None
        Runs in parallel through :class:`joblib.Parallel`.
    data_home : str or path-like, default=None
        The data home (:func:`skhebb.datasets.get_data_home`).
    progress : bool, default=False
        Show a tqdm progress bar over the runs.
    data : tuple, default=None
        ``(X, y)`` for a table or ``(X_train, y_train, X_test, y_test)``
        (scaled to [0, 1]) for an image set, instead of loading ``dataset``.

    Returns
    -------
    results : pandas.DataFrame
        Tidy table with columns ``dataset, method, n_components, seed,
        labeled_fraction, n_labeled, metric, value``. Metrics:
        ``test_accuracy`` (fraction) per labeled fraction and
        ``feature_fit_time_s`` (``labeled_fraction`` NaN).

    See Also
    --------
    summarize_sample_efficiency : Mean and std per learner and fraction.
    skhebb.plotting.plot_sample_efficiency : Plot accuracy against the fraction.

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
    table = get_dataset(dataset, "sample_efficiency").kind == "table"
    params = dict(estimator_params or {})
    if table:
        X, y = data if data is not None else load_table(dataset, data_home=data_home)
    else:
        images = image_split(dataset, data, experiment="sample_efficiency", n_test=n_test,
                             data_home=data_home)
    tasks, keys = [], []
    for seed in seeds:
        if table:
            X_train, y_train, X_test, y_test = _table_split(X, y, seed, n_train, test_size)
        else:
            rows = subset_rows(images[0].shape[0], n_train, seed)
            X_train, y_train, (X_test, y_test) = images[0][rows], images[1][rows], images[2:]
        k = int(min(n_components, X_train.shape[0], X_train.shape[1]))
        for method in methods:
            tasks.append((X_train, y_train, X_test, y_test, method, k, params.get(method),
                          fractions, seed))
            keys.append((method, k, seed))
    results = run_tasks(_efficiency_run, tasks, n_jobs=n_jobs, progress=progress,
                        desc=f"sample efficiency {dataset}")
    records = [key + row for key, rows in zip(keys, results, strict=True) for row in rows]
    settings = dict(
        dataset=dataset, fractions=fractions, methods=methods, n_components=int(n_components),
        seeds=seeds, n_train=n_train, n_test=n_test, test_size=test_size,
        estimator_params=params,
    )
    return tidy_frame(
        records,
        ["method", "n_components", "seed", "labeled_fraction", "n_labeled", "metric", "value"],
        settings=settings, constants=[(0, "dataset", dataset)],
        sort_by=["method", "seed", "metric", "labeled_fraction"],
    )


def summarize_sample_efficiency(results):
    """Mean ± std test accuracy (%) per learner (rows) and labeled percentage (columns).

    Parameters
    ----------
    results : pandas.DataFrame
        The output of :func:`sample_efficiency`, or several such outputs
        concatenated (one row per dataset and method).

    Returns
    -------
    table : pandas.DataFrame
        Index ``(dataset, method)``, columns ``"<p> % mean"`` and
        ``"<p> % std"`` per labeled percentage p.
    """
    acc = accuracy_rows(results).copy()
    acc["percent"] = (acc["labeled_fraction"] * 100).round(6)
    stats = acc.groupby(["dataset", "method", "percent"])["value"].agg(["mean", "std"]) * 100
    table = stats.unstack("percent")
    table.columns = [f"{p:g} % {stat}" for stat, p in table.columns]
    percents = sorted(acc["percent"].unique())
    order = [f"{p:g} % {s}" for p in percents for s in ("mean", "std")]
    table = table[order]
    methods = [m for m in METHODS if m in table.index.get_level_values("method")]
    return table.reindex(methods, level="method")
