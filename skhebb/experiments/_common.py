"""Helpers that every experiment uses: tasks, seeds, data, tidy tables and their summaries."""

import warnings

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs

from skhebb._docstrings import filled_from
from skhebb.datasets._registry import get_dataset, load_split

#: What to install for the tables, the progress bar and the plots.
EXTRA = 'pip install "skhebb[experiments]"'

#: Docstring entries of the parameters that the experiments share: a line
#: ``%(name)s`` in the docstring of a function decorated with :func:`shared_docs`
#: stands for ``DOC_ENTRIES[name]`` (see :mod:`skhebb._docstrings`).
DOC_ENTRIES = {
    "n_jobs": """\
n_jobs : int, default=None
    Runs in parallel through :class:`joblib.Parallel`.""",
    "data_home": """\
data_home : str or path-like, default=None
    The data home (:func:`skhebb.datasets.get_data_home`).""",
    "progress": """\
progress : bool, default=False
    Show a tqdm progress bar over the runs.""",
}

shared_docs = filled_from(DOC_ENTRIES)


def takes_output_of(producer, name="results", kind="pandas.DataFrame"):
    """Decorator of a function whose one parameter ``name`` is the output of ``producer``.

    The line ``%(parameters)s`` of its docstring becomes the Parameters section
    that says so (see :mod:`skhebb._docstrings`).
    """
    return filled_from({"parameters": (
        f"Parameters\n----------\n{name} : {kind}\n"
        f"    The output of :func:`{producer.__name__}`."
    )})


def pandas():
    """The pandas module, or an ImportError that names the extra to install."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            f"skhebb.experiments returns pandas DataFrames; install the experiments extra: {EXTRA}"
        ) from exc
    return pd


def progress_bar(total, desc, unit):
    """A tqdm bar, or None where tqdm is not installed (the runs go on without one)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, unit=unit)


def in_process(n_jobs):
    """Whether joblib would run the tasks one after the other in this process anyway."""
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    local = type(backend).__name__ in {
        "LokyBackend", "SequentialBackend", "MultiprocessingBackend", "ThreadingBackend"
    }
    return local and effective_n_jobs(n_jobs) == 1


def run_tasks(func, tasks, *, n_jobs, progress, desc, unit="run", steps=1):
    """``[func(*args) for args in tasks]`` through joblib, with an optional progress bar.

    Each task counts ``steps`` on the bar. With ``steps > 1`` and the tasks run
    in this process, ``func`` is called with ``tick=``, a callable to call
    after each step, so that the bar moves within a task; elsewhere the bar
    moves when a task ends.
    """
    bar = progress_bar(len(tasks) * steps, desc, unit) if progress else None
    try:
        if in_process(n_jobs):
            results = []
            for args in tasks:
                if steps > 1:
                    results.append(func(*args, tick=bar.update if bar is not None else None))
                else:
                    results.append(func(*args))
                    if bar is not None:
                        bar.update()
            return results
        results = []
        for res in Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(func)(*args) for args in tasks
        ):
            results.append(res)
            if bar is not None:
                bar.update(steps)
        return results
    finally:
        if bar is not None:
            bar.close()


def check_seeds(seeds):
    """Seeds as a list of int; a ValueError when empty or repeated."""
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be a nonempty sequence without repeats, got {seeds}.")
    return seeds


def quiet_fit(est, X, y=None):
    """Fit, silencing scikit-learn's ConvergenceWarning (the model returned is scored)."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


def subset_rows(n_rows, size, seed):
    """Sorted seeded random rows (all rows when ``size`` is None or too large)."""
    if size is None or size >= n_rows:
        return np.arange(n_rows)
    return np.sort(np.random.RandomState(seed).choice(n_rows, int(size), replace=False))


def image_split(dataset, data, *, experiment, n_test=None, data_home=None, dtype=np.float32):
    """``(X_train, y_train, X_test, y_test)``: ``data``, or the registered image set, loaded.

    The test set is cut to its first ``n_test`` images when ``n_test`` is given.
    """
    if data is None:
        get_dataset(dataset, experiment)
        data = load_split(dataset, data_home=data_home, dtype=dtype)
    X_train, y_train, X_test, y_test = (np.asarray(a) for a in data)
    if n_test is not None:
        X_test, y_test = X_test[: int(n_test)], y_test[: int(n_test)]
    return X_train, y_train, X_test, y_test


def tidy_frame(records, columns, *, settings, constants=(), sort_by=None):
    """A tidy DataFrame of ``records``, with constant columns and the settings in ``attrs``.

    ``constants`` holds ``(position, column, value)`` triples inserted in
    order; ``sort_by`` lists the columns to sort the rows by.
    """
    df = pandas().DataFrame.from_records(records, columns=columns)
    for position, column, value in constants:
        df.insert(position, column, value)
    if sort_by is not None:
        df = df.sort_values(list(sort_by)).reset_index(drop=True)
    df.attrs["settings"] = settings
    return df


def accuracy_rows(results):
    """The ``test_accuracy`` rows of a tidy table; a ValueError when there are none."""
    acc = results[results["metric"] == "test_accuracy"]
    if acc.empty:
        raise ValueError("results hold no 'test_accuracy' rows to summarize.")
    return acc


def accuracy_stats(acc, keys):
    """Per group of ``keys``: ``n_runs``, ``accuracy_mean`` and ``accuracy_std`` in percent."""
    table = (
        acc.groupby(keys, sort=True)["value"]
        .agg(n_runs="count", accuracy_mean="mean", accuracy_std="std")
        .reset_index()
    )
    table[["accuracy_mean", "accuracy_std"]] *= 100
    return table
