"""Qumsieh's low-shot experiment: supervised Hebbian learning from k images per digit.

Protocol (arXiv:2001.01687, as in ``benchmarks/bench_low_shot.py``): the first
k images of each digit of the MNIST training file, in file order and
unshuffled, pixels / 255; one epoch of
:class:`~skhebb.neural_network.SupervisedHebbClassifier` per rule, without
("784-10") and with ("784-196-10") the fixed pooling front-end; test accuracy
on the 10,000 test images. scikit-learn's ``LogisticRegression`` and
``MLPClassifier`` trained on the same images (to convergence) are the
reference lines. The Hebbian rules are deterministic with ``shuffle=False``;
``seeds`` matter only for ``MLPClassifier``'s initialisation.
"""

import time

import numpy as np

from skhebb.experiments._common import (
    accuracy_rows,
    check_seeds,
    image_split,
    pandas,
    quiet_fit,
    run_tasks,
    shared_docs,
    takes_output_of,
    tidy_frame,
)
from skhebb.experiments._published import LOW_SHOT_PUBLISHED

__all__ = ["first_per_class", "low_shot", "summarize_low_shot"]

#: Architectures: label -> SupervisedHebbClassifier parameters.
ARCHITECTURES = {"784-10": dict(), "784-196-10": dict(hidden_pooling=196)}
REFERENCES = ("LogisticRegression", "MLPClassifier")


def first_per_class(y, k):
    """Indices of the first ``k`` rows of each class, kept in file order.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, in file order.
    k : int
        Rows per class (fewer where a class has fewer).

    Returns
    -------
    rows : ndarray of int
        Sorted row indices.

    Examples
    --------
    >>> from skhebb.experiments import first_per_class
    >>> first_per_class([0, 1, 0, 2, 1, 0], 2).tolist()
    [0, 1, 2, 3, 4]
    """
    y = np.asarray(y)
    return np.sort(np.concatenate([np.flatnonzero(y == c)[: int(k)] for c in np.unique(y)]))


def _make(method, params, seed):
    if method == "LogisticRegression":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)
    if method == "MLPClassifier":
        from sklearn.neural_network import MLPClassifier

        return MLPClassifier(max_iter=500, random_state=seed)
    from skhebb.neural_network import SupervisedHebbClassifier

    return SupervisedHebbClassifier(**params)


def _low_shot_run(X, y, X_test, y_test, method, params, seed):
    t0 = time.perf_counter()
    est = quiet_fit(_make(method, params, seed), X, y)
    fit_s = time.perf_counter() - t0
    return [("test_accuracy", float(est.score(X_test, y_test))), ("fit_time_s", fit_s)]


@shared_docs
def low_shot(
    *,
    shots=(1, 2, 5, 10, 20, 60),
    rules=("threshold", "delta", "oja"),
    architectures=("784-10", "784-196-10"),
    references=REFERENCES,
    seeds=(0,),
    max_iter=1,
    n_test=None,
    estimator_params=None,
    dataset="mnist",
    n_jobs=None,
    data_home=None,
    progress=False,
    data=None,
):
    """Test accuracy of SupervisedHebbClassifier against the images per class.

    Parameters
    ----------
    shots : sequence of int, default=(1, 2, 5, 10, 20, 60)
        Training images per class k (the first k of each class in file order).
    rules : sequence of {"threshold", "delta", "oja"}, default=all three
        Rules of :class:`~skhebb.neural_network.SupervisedHebbClassifier`.
    architectures : sequence of {"784-10", "784-196-10"}, default=both
        "784-10": inputs straight to the output; "784-196-10": the fixed
        pooling front-end (``hidden_pooling=196``) of the paper's Appendix A.
    references : sequence of {"LogisticRegression", "MLPClassifier"}, default=both
        scikit-learn reference lines, trained to convergence on the same images.
    seeds : int or sequence of int, default=(0,)
        Seeds of ``MLPClassifier`` (the other methods are deterministic and
        run once, with seed 0).
    max_iter : int, default=1
        Epochs of the Hebbian rules (the paper: 1).
    n_test : int or None, default=None
        Test images (the first ``n_test``); None uses all 10,000.
    estimator_params : dict, default=None
        Further parameters of every SupervisedHebbClassifier.
    dataset : {"mnist", "fashion_mnist"}, default="mnist"
        Image set of 28 x 28 images, read from the data home.
    %(n_jobs)s
    %(data_home)s
    %(progress)s
    data : tuple (X_train, y_train, X_test, y_test), default=None
        Use these arrays (scaled to [0, 1], 784 pixels for the pooling
        architecture) instead of loading ``dataset``.

    Returns
    -------
    results : pandas.DataFrame
        Tidy table with columns ``dataset, method, rule, architecture, shots,
        n_train, seed, metric, value``; ``method`` is
        ``"SupervisedHebbClassifier"`` or the reference's name (``rule`` and
        ``architecture`` are ``"-"`` for references). Metrics:
        ``test_accuracy`` (fraction), ``fit_time_s``.

    See Also
    --------
    summarize_low_shot : The table beside the published numbers.
    skhebb.neural_network.SupervisedHebbClassifier : The classifier.

    References
    ----------
    .. [1] R. Qumsieh, "Supervised Hebbian learning", arXiv:2001.01687, 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from skhebb.experiments import low_shot
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.rand(60, 784), np.tile([0, 1, 2], 20)
    >>> res = low_shot(shots=(1, 2), rules=("oja",), architectures=("784-10",),
    ...                references=(), data=(X, y, X, y))
    >>> res[["method", "shots", "n_train"]].drop_duplicates().values.tolist()
    [['SupervisedHebbClassifier', 1, 3], ['SupervisedHebbClassifier', 2, 6]]
    """
    pandas()  # the results are a DataFrame: fail before the runs without pandas
    seeds = check_seeds(seeds)
    shots = [int(k) for k in np.atleast_1d(shots)]
    if not shots or any(k < 1 for k in shots):
        raise ValueError(f"shots must be positive integers, got {shots}.")
    bad = [a for a in architectures if a not in ARCHITECTURES]
    if bad:
        raise ValueError(f"architectures must be among {sorted(ARCHITECTURES)}, got {bad}.")
    bad = [r for r in references if r not in REFERENCES]
    if bad:
        raise ValueError(f"references must be among {list(REFERENCES)}, got {bad}.")
    X_train, y_train, X_test, y_test = image_split(
        dataset, data, experiment="low_shot", n_test=n_test, data_home=data_home
    )

    tasks, keys = [], []
    for k in shots:
        rows = first_per_class(y_train, k)
        X, y = X_train[rows], y_train[rows]
        for rule in rules:
            for arch in architectures:
                params = dict(rule=rule, max_iter=int(max_iter), **ARCHITECTURES[arch],
                              **(estimator_params or {}))
                tasks.append((X, y, X_test, y_test, "SupervisedHebbClassifier", params, 0))
                keys.append(("SupervisedHebbClassifier", rule, arch, k, len(rows), 0))
        for ref in references:
            for seed in seeds if ref == "MLPClassifier" else seeds[:1]:
                tasks.append((X, y, X_test, y_test, ref, None, seed))
                keys.append((ref, "-", "-", k, len(rows), seed))
    results = run_tasks(_low_shot_run, tasks, n_jobs=n_jobs, progress=progress,
                        desc=f"low shot {dataset}")
    records = [key + row for key, rows in zip(keys, results, strict=True) for row in rows]
    settings = dict(
        dataset=dataset, shots=shots, rules=list(rules), architectures=list(architectures),
        references=list(references), seeds=seeds, max_iter=int(max_iter),
        n_test=int(X_test.shape[0]), estimator_params=dict(estimator_params or {}),
    )
    return tidy_frame(
        records, ["method", "rule", "architecture", "shots", "n_train", "seed", "metric", "value"],
        settings=settings, constants=[(0, "dataset", dataset)],
    )


@takes_output_of(low_shot)
def summarize_low_shot(results):
    """Test accuracy (%) per method and k, wide, with the published values as a row.

    %(parameters)s

    Returns
    -------
    table : pandas.DataFrame
        One row per configuration (``"threshold 784-10"``, ...,
        ``"LogisticRegression"``) and one column per k: the mean test accuracy
        in percent over seeds; a last row ``"published (Qumsieh)"`` holds the
        paper's values at the k it reports (NaN elsewhere).
    """
    pd = pandas()
    acc = accuracy_rows(results).copy()
    acc["configuration"] = np.where(
        acc["rule"] == "-", acc["method"], acc["rule"] + " " + acc["architecture"]
    )
    order = list(dict.fromkeys(acc["configuration"]))
    table = acc.pivot_table(index="configuration", columns="shots", values="value",
                            aggfunc="mean") * 100
    table = table.loc[order]
    published = pd.Series(
        {r["shots"]: r["accuracy"] for r in LOW_SHOT_PUBLISHED}, name="published (Qumsieh)"
    )
    table.loc["published (Qumsieh)"] = published.reindex(table.columns)
    table.columns.name = "images per class"
    return table
