"""Zhu & Liu's experiment: lateral-inhibition feature selectors + a linear read-out.

Protocol, per run (one seed, one inhibition strength lambda):

* MNIST (or Fashion-MNIST, COIL-20) pixels scaled to [0, 1]; a seeded random training subset of
  ``n_train`` images (all 60,000 with ``n_train=None``); the test set (10,000
  images, or its first ``n_test``);
* :class:`~skhebb.competitive.LateralInhibitionSelectors` (64 selectors,
  Sanger's rule under inhibition lambda, 3 epochs) fit on the training images;
* a read-out on the inhibited responses ``h``: scikit-learn's
  ``LogisticRegression``, or the paper's Hebbian delta rule
  (:class:`~skhebb.neural_network.SupervisedHebbClassifier` with
  ``rule="delta"``, softmax output and per-class max-norm);
* test accuracy, and the number of dead selectors (never the strongest response
  on a training image).

Runs are independent :class:`joblib.Parallel` tasks (Dask backend unchanged).
"""

import time

import numpy as np

from skhebb.experiments._common import (
    accuracy_rows,
    accuracy_stats,
    check_seeds,
    image_split,
    pandas,
    quiet_fit,
    run_tasks,
    shared_docs,
    subset_rows,
    tidy_frame,
)
from skhebb.experiments._published import SELECTORS_TABLE3

__all__ = ["lateral_inhibition_accuracy", "summarize_selectors"]


def _readout(readout, seed, max_iter):
    if readout == "logistic":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)
    from skhebb.neural_network import SupervisedHebbClassifier

    return SupervisedHebbClassifier(
        rule="delta", max_iter=max_iter, shuffle=True, random_state=seed
    )


def _selector_run(X_train, y_train, X_test, y_test, params, readout, readout_epochs, seed):
    from skhebb.competitive import LateralInhibitionSelectors

    t0 = time.perf_counter()
    sel = LateralInhibitionSelectors(**params).fit(X_train)
    fit_s = time.perf_counter() - t0
    H_train = sel.transform(X_train)
    winners = np.bincount(np.argmax(H_train, axis=1), minlength=sel.n_selectors)
    rows = [("n_dead", float(np.sum(winners == 0))), ("fit_time_s", fit_s)]
    for name in readout:
        clf = quiet_fit(_readout(name, seed, readout_epochs), H_train, y_train)
        acc = float(clf.score(sel.transform(X_test), y_test))
        rows.append((f"test_accuracy_{name}", acc))
    return rows


@shared_docs
def lateral_inhibition_accuracy(
    dataset="mnist",
    *,
    inhibitions=(1, 3, 5, 10, 15),
    seeds=(0,),
    n_train=10000,
    n_test=None,
    n_selectors=64,
    max_iter=3,
    readout=("logistic", "delta"),
    readout_epochs=3,
    estimator_params=None,
    dtype=np.float32,
    n_jobs=None,
    data_home=None,
    progress=False,
    data=None,
):
    """Test accuracy of lateral-inhibition selectors + a linear read-out, per lambda.

    Parameters
    ----------
    dataset : str, default="mnist"
        Image set, read from the data home (:mod:`skhebb.datasets`):
        ``"mnist"``, ``"fashion_mnist"`` or ``"coil20"``.
    inhibitions : sequence of float, default=(1, 3, 5, 10, 15)
        Inhibition strengths lambda (>= 1) of the selectors.
    seeds : int or sequence of int, default=(0,)
        One run per seed and lambda; the seed fixes the training subset, the
        initial selectors, the shuffling and the read-out.
    n_train : int or None, default=10000
        Training images (a seeded random subset); None uses all 60,000.
    n_test : int or None, default=None
        Test images (the first ``n_test``); None uses all 10,000.
    n_selectors : int, default=64
        Number of selectors (the paper: 64).
    max_iter : int, default=3
        Epochs of the selectors (the paper: 3).
    readout : str or sequence of {"logistic", "delta"}, default=("logistic", "delta")
        Read-outs trained on the inhibited responses of the training images:
        ``LogisticRegression`` and the paper's Hebbian delta rule.
    readout_epochs : int, default=3
        Epochs of the delta read-out.
    estimator_params : dict, default=None
        Further parameters of :class:`~skhebb.competitive.LateralInhibitionSelectors`.
    dtype : {numpy.float32, numpy.float64}, default=numpy.float32
        Floating type of the images.
    n_jobs : int, default=None
        Runs in parallel through :class:`joblib.Parallel` (Dask backend unchanged).
    %(data_home)s
    %(progress)s
    data : tuple (X_train, y_train, X_test, y_test), default=None
        Use these arrays (already scaled) instead of loading ``dataset``.

    Returns
    -------
    results : pandas.DataFrame
        Tidy table with columns ``dataset, method, inhibition, n_selectors,
        seed, n_train, readout, metric, value``. Metrics: ``test_accuracy``
        (fraction, one row per read-out), ``n_dead`` and ``fit_time_s`` (the
        selectors; ``readout`` is ``"-"`` on these rows).
        ``results.attrs["settings"]`` holds the settings.

    See Also
    --------
    summarize_selectors : Mean and std per lambda, beside the paper's Table 3.
    skhebb.competitive.LateralInhibitionSelectors : The selectors.

    References
    ----------
    .. [1] Z. Zhu, S. Liu, "Feature selectors that fire together wire together: a
       Hebbian based approach to backprop-less learning in artificial neural
       networks", McGill University.

    Examples
    --------
    >>> import numpy as np
    >>> from skhebb.experiments import lateral_inhibition_accuracy
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.rand(120, 16), np.repeat([0, 1, 2], 40)
    >>> X[y == 1, :5] += 1.0
    >>> X[y == 2, 5:10] += 1.0
    >>> res = lateral_inhibition_accuracy(
    ...     data=(X[::2], y[::2], X[1::2], y[1::2]), inhibitions=(1, 10),
    ...     n_selectors=6, readout="logistic")
    >>> res.query("metric == 'test_accuracy'")[["inhibition", "readout"]].values.tolist()
    [[1.0, 'logistic'], [10.0, 'logistic']]
    """
    pandas()  # the results are a DataFrame: fail before the runs without pandas
    seeds = check_seeds(seeds)
    inhibitions = [float(v) for v in np.atleast_1d(inhibitions)]
    if not inhibitions or any(v < 1 for v in inhibitions):
        raise ValueError(f"inhibitions must be values >= 1, got {inhibitions}.")
    readout = [readout] if isinstance(readout, str) else list(readout)
    bad = [r for r in readout if r not in ("logistic", "delta")]
    if not readout or bad:
        raise ValueError(f"readout must be 'logistic' and/or 'delta', got {readout}.")
    X_train, y_train, X_test, y_test = image_split(
        dataset, data, experiment="selectors", n_test=n_test, data_home=data_home, dtype=dtype
    )

    tasks, keys = [], []
    for seed in seeds:
        rows = subset_rows(X_train.shape[0], n_train, seed)
        Xs, ys = X_train[rows], y_train[rows]
        for lam in inhibitions:
            params = dict(
                n_selectors=int(n_selectors), inhibition=lam, max_iter=int(max_iter),
                random_state=seed, **(estimator_params or {}),
            )
            tasks.append((Xs, ys, X_test, y_test, params, readout, int(readout_epochs), seed))
            keys.append((lam, seed, len(rows)))
    results = run_tasks(_selector_run, tasks, n_jobs=n_jobs, progress=progress,
                        desc=f"selectors {dataset}")
    records = []
    for (lam, seed, n), rows in zip(keys, results, strict=True):
        for metric, value in rows:
            name, _, ro = metric.partition("test_accuracy_")
            if ro:
                records.append((lam, seed, n, ro, "test_accuracy", value))
            else:
                records.append((lam, seed, n, "-", metric, value))
    settings = dict(
        dataset=dataset, inhibitions=inhibitions, seeds=seeds, n_train=n_train,
        n_test=int(X_test.shape[0]), n_selectors=int(n_selectors), max_iter=int(max_iter),
        readout=readout, readout_epochs=int(readout_epochs),
        estimator_params=dict(estimator_params or {}), dtype=np.dtype(dtype).name,
    )
    return tidy_frame(
        records, ["inhibition", "seed", "n_train", "readout", "metric", "value"],
        settings=settings,
        constants=[(0, "dataset", dataset), (1, "method", "LateralInhibitionSelectors"),
                   (3, "n_selectors", int(n_selectors))],
        sort_by=["inhibition", "seed", "metric", "readout"],
    )


def summarize_selectors(results):
    """Mean/std test accuracy (%) per lambda and read-out, beside Zhu & Liu's Table 3.

    Parameters
    ----------
    results : pandas.DataFrame
        The output of :func:`lateral_inhibition_accuracy` (one or several
        datasets).

    Returns
    -------
    table : pandas.DataFrame
        One row per dataset, inhibition and read-out: ``n_runs``,
        ``accuracy_mean``, ``accuracy_std`` (percent), ``n_dead`` (mean dead
        selectors) and ``paper_delta``/``paper_oja``, the published accuracies
        at that lambda (with the paper's delta and Oja read-outs).
    """
    pd = pandas()
    table = accuracy_stats(accuracy_rows(results), ["dataset", "inhibition", "readout"])
    dead = (
        results[results["metric"] == "n_dead"]
        .groupby(["dataset", "inhibition"])["value"].mean().rename("n_dead").reset_index()
    )
    table = table.merge(dead, how="left", on=["dataset", "inhibition"])
    paper = pd.DataFrame.from_records(SELECTORS_TABLE3).pivot_table(
        index=["dataset", "inhibition"], columns="readout", values="accuracy"
    )
    paper.columns = [f"paper_{c}" for c in paper.columns]
    table = table.merge(paper.reset_index(), how="left", on=["dataset", "inhibition"])
    return table.sort_values(["dataset", "readout", "inhibition"]).reset_index(drop=True)
