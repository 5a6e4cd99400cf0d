"""HebbSET as a tabular baseline, and its feature importances as a feature selector.

Two experiments on small, wide tables (gene expression), on the same seeded
stratified 75/25 splits for every method:

* :func:`tabular_baselines`: ``make_pipeline(StandardScaler(), model)`` for
  :class:`~skhebb.HebbSETClassifier` with its defaults, ``LogisticRegression``
  and ``MLPClassifier``: test accuracy and fit time;
* :func:`feature_selection`: the top-K features chosen on the training part by
  HebbSET's ``feature_importances_`` (after ``StandardScaler``), by
  ``SelectKBest(f_classif)``, by random-forest importances and by L1-penalised
  logistic regression, each scored by the same ``StandardScaler`` +
  ``LinearSVC`` on the test part.

Splits are independent :class:`joblib.Parallel` tasks (``n_jobs``; the Dask
backend works as for the other experiments).
"""

import time
import warnings

import numpy as np

from skhebb.datasets._registry import get_dataset, load_table
from skhebb.experiments._common import run_tasks, shared_docs, takes_output_of, tidy_frame

__all__ = [
    "tabular_baselines",
    "feature_selection",
    "summarize_tabular",
    "summarize_feature_selection",
    "SELECTORS",
]

#: The feature selectors of :func:`feature_selection`, in table order.
SELECTORS = ("hebbset", "f_classif", "random_forest", "l1_logistic")


def _splits(y, n_splits, seed=0):
    from sklearn.model_selection import StratifiedShuffleSplit

    cv = StratifiedShuffleSplit(n_splits, test_size=0.25, random_state=seed)
    return list(cv.split(np.zeros((len(y), 1)), y))


def _load(dataset, data_home, data):
    if data is not None:
        return np.asarray(data[0], dtype=np.float64), np.asarray(data[1])
    get_dataset(dataset, "tabular")
    X, y = load_table(dataset, data_home=data_home)
    return np.asarray(X, dtype=np.float64), np.asarray(y)


def _models(seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    from skhebb import HebbSETClassifier

    return {
        "HebbSETClassifier": HebbSETClassifier(random_state=seed),
        "LogisticRegression": LogisticRegression(max_iter=1000),
        "MLPClassifier": MLPClassifier(random_state=seed),
    }


def _baseline_split(X, y, train, test, seed, n_threads):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    _limit_threads(n_threads)
    rows = []
    for name, model in _models(seed).items():
        pipe = make_pipeline(StandardScaler(), model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning of a capped max_iter
            t0 = time.perf_counter()
            pipe.fit(X[train], y[train])
            fit_time = time.perf_counter() - t0
        rows.append((seed, name, float(pipe.score(X[test], y[test])), fit_time))
    return rows


def _limit_threads(n_threads):
    if n_threads is not None:
        from skhebb._core._jit import set_num_threads

        set_num_threads(int(n_threads))


@shared_docs
def tabular_baselines(dataset="tox171", *, n_splits=5, n_jobs=None, n_threads=None,
                      data_home=None, data=None, progress=False):
    """HebbSET's defaults next to ``LogisticRegression`` and ``MLPClassifier``.

    Parameters
    ----------
    dataset : str, default="tox171"
        A table of the data set registry (TOX-171 is bundled).
    n_splits : int, default=5
        Stratified 75/25 splits (``StratifiedShuffleSplit(random_state=0)``);
        split ``s`` seeds the networks with ``random_state=s``.
    n_jobs : int, default=None
        Splits run in parallel by :class:`joblib.Parallel`.
    n_threads : int, default=None
        Numba threads of each split; None keeps numba's setting. Fit times of
        different settings are not comparable.
    %(data_home)s
    data : tuple, default=None
        ``(X, y)`` to use instead of loading ``dataset`` (named ``dataset`` in the table).
    %(progress)s

    Returns
    -------
    results : pandas.DataFrame
        One row per split and model: ``dataset``, ``split``, ``model``,
        ``accuracy``, ``fit_time`` (seconds, ``fit`` of the whole pipeline).
    """
    X, y = _load(dataset, data_home, data)
    tasks = [(X, y, tr, te, s, n_threads) for s, (tr, te) in enumerate(_splits(y, n_splits))]
    results = run_tasks(_baseline_split, tasks, n_jobs=n_jobs, progress=progress,
                        desc=f"baselines {dataset}", unit="split")
    rows = [row for part in results for row in part]
    return tidy_frame(rows, ["split", "model", "accuracy", "fit_time"],
                      settings=dict(dataset=dataset, n_splits=n_splits),
                      constants=[(0, "dataset", dataset)])


@takes_output_of(tabular_baselines)
def summarize_tabular(results):
    """Mean and std of the accuracy (%) and the median fit time (s) per data set and model.

    %(parameters)s

    Returns
    -------
    summary : pandas.DataFrame
        One row per data set and model: ``accuracy``, ``accuracy_std``, ``median_fit_time``.
    """
    g = results.groupby(["dataset", "model"], sort=False)
    out = g["accuracy"].agg(["mean", "std"]).mul(100).rename(
        columns={"mean": "accuracy", "std": "accuracy_std"})
    out["median_fit_time"] = g["fit_time"].median()
    return out.reset_index()


def _l1_logistic(seed):
    """L1-penalised logistic regression (liblinear), spelled for the installed scikit-learn.

    scikit-learn 1.8 deprecated ``penalty`` for ``l1_ratio``, which earlier
    versions read only with ``penalty="elasticnet"``.
    """
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils.fixes import parse_version

    new_api = parse_version(sklearn.__version__) >= parse_version("1.8")
    l1 = {"l1_ratio": 1.0} if new_api else {"penalty": "l1"}
    return LogisticRegression(C=1.0, solver="liblinear", max_iter=2000, random_state=seed, **l1)


def _rankings(X, y, seed):
    """Features of the training part, best first, by each selector."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_selection import f_classif
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import StandardScaler

    from skhebb import HebbSETClassifier

    Xs = StandardScaler().fit_transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = {
            "hebbset": HebbSETClassifier(random_state=seed).fit(Xs, y).feature_importances_,
            "f_classif": np.nan_to_num(f_classif(X, y)[0]),
            "random_forest": RandomForestClassifier(
                n_estimators=500, random_state=seed, n_jobs=1).fit(X, y).feature_importances_,
            "l1_logistic": sum(
                np.abs(est.coef_).sum(axis=0)
                for est in OneVsRestClassifier(_l1_logistic(seed)).fit(Xs, y).estimators_
            ),
        }
    return {name: np.argsort(-s, kind="stable") for name, s in scores.items()}


def _selection_split(X, y, train, test, seed, ks, n_threads):
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    _limit_threads(n_threads)
    rankings = _rankings(X[train], y[train], seed)
    rows = []

    def score(cols):
        scaler = StandardScaler().fit(X[train][:, cols])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            svc = LinearSVC(random_state=seed).fit(scaler.transform(X[train][:, cols]), y[train])
        return float(svc.score(scaler.transform(X[test][:, cols]), y[test]))

    rows.append((seed, "all features", X.shape[1], score(np.arange(X.shape[1]))))
    for name in SELECTORS:
        for k in ks:
            rows.append((seed, name, int(k), score(rankings[name][:k])))
    return rows


@shared_docs
def feature_selection(dataset="tox171", *, ks=(10, 25, 50, 100, 200), n_splits=5, n_jobs=None,
                      n_threads=None, data_home=None, data=None, progress=False):
    """Top-K features by HebbSET and three standard selectors, scored by a linear SVM.

    On each split the four rankings are computed from the training part only:
    HebbSET's ``feature_importances_`` (defaults, on standardised features,
    ``random_state`` = split), ``f_classif`` F-scores, the impurity importances
    of a 500-tree random forest and the absolute coefficients of L1 logistic
    regressions (``C=1``, liblinear, one against the rest, summed over the
    classes; standardised features). The top ``k``
    features of each are scored by ``StandardScaler`` + ``LinearSVC`` fitted on
    the training part (both liblinear fits with ``random_state`` = split);
    ``"all features"`` is the same SVM on every feature.

    Parameters
    ----------
    dataset : str, default="tox171"
        A table of the data set registry.
    ks : sequence of int, default=(10, 25, 50, 100, 200)
        Numbers of features kept.
    n_splits : int, default=5
        Stratified 75/25 splits, as in :func:`tabular_baselines`.
    n_jobs : int, default=None
        Splits run in parallel by :class:`joblib.Parallel`.
    n_threads : int, default=None
        Numba threads of each split; None keeps numba's setting.
    %(data_home)s
    data : tuple, default=None
        ``(X, y)`` to use instead of loading ``dataset``.
    %(progress)s

    Returns
    -------
    results : pandas.DataFrame
        One row per split, selector and ``k``: ``dataset``, ``split``,
        ``selector``, ``k``, ``accuracy``.
    """
    X, y = _load(dataset, data_home, data)
    ks = [int(k) for k in ks]
    if not ks or min(ks) < 1 or max(ks) > X.shape[1]:
        raise ValueError(f"ks must lie in [1, {X.shape[1]}] (the number of features), got {ks}.")
    tasks = [(X, y, tr, te, s, ks, n_threads) for s, (tr, te) in enumerate(_splits(y, n_splits))]
    results = run_tasks(_selection_split, tasks, n_jobs=n_jobs, progress=progress,
                        desc=f"feature selection {dataset}", unit="split")
    rows = [row for part in results for row in part]
    return tidy_frame(rows, ["split", "selector", "k", "accuracy"],
                      settings=dict(dataset=dataset, n_splits=n_splits, ks=ks),
                      constants=[(0, "dataset", dataset)])


@takes_output_of(feature_selection)
def summarize_feature_selection(results):
    """Mean accuracy (%) per data set and selector (rows) and ``k`` (columns).

    %(parameters)s

    Returns
    -------
    table : pandas.DataFrame
        Indexed by ``(dataset, selector)``; one column per ``k`` and the column
        ``"all"``: the SVM on every feature, the same on each row of a data set.
    """
    every = results["selector"] == "all features"
    table = results[~every].pivot_table(index=["dataset", "selector"], columns="k",
                                         values="accuracy", aggfunc="mean", sort=False) * 100
    table.columns = list(table.columns)
    all_features = results[every].groupby("dataset")["accuracy"].mean() * 100
    table["all"] = all_features.reindex(table.index.get_level_values("dataset")).to_numpy()
    return table
