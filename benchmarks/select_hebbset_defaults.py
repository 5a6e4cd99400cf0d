"""How HebbSETClassifier's step size was chosen: cross-validation on development data only.

Development data, disjoint from every benchmark's test rows:

* TOX-171, Prostate-GE and ``load_digits``: the training part (75 %) of split 0 of
  ``StratifiedShuffleSplit(5, test_size=0.25, random_state=0)``, the splits of
  ``bench_tabular.py``, whose test parts are never read here;
* MNIST: 2,400 training images drawn with ``RandomState(12345)`` (the benchmark
  ``bench_mnist2400.py`` draws with seeds 0-4 and tests on the test file).

On each, ``RepeatedStratifiedKFold(3, n_repeats)`` scores
``make_pipeline(StandardScaler(), model)`` for HebbSETClassifier at each candidate
``learning_rate_init`` (everything else default, ``random_state=fold``) beside
MLPClassifier and LogisticRegression on the same folds. The default is the most accurate
step (mean over the four sets) among those whose median fit time stays within 2x
MLPClassifier's on every set, the budget the defaults are held to (smaller steps need more
epochs). Run from the repository root::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1 PYTHONPATH=. \\
        python benchmarks/select_hebbset_defaults.py --data-home ../shared/data
"""

import argparse
import os
import platform
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedShuffleSplit
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skhebb import HebbSETClassifier
from skhebb.datasets import load_mnist, load_prostate_ge, load_tox171

DATASETS = ("mnist", "load_digits", "tox171", "prostate_ge")


def development_set(name, data_home):
    """The rows of ``name`` that the choice may look at (see the module docstring)."""
    if name == "mnist":
        X, y = load_mnist(subset="train", data_home=data_home, return_X_y=True)
        rows = np.random.RandomState(12345).permutation(len(y))[:2400]
        return X[rows].astype(np.float64), y[rows]
    if name == "load_digits":
        X, y = load_digits(return_X_y=True)
    else:
        loader = {"tox171": load_tox171, "prostate_ge": load_prostate_ge}[name]
        X, y = loader(data_home=data_home, return_X_y=True)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    train, _ = next(StratifiedShuffleSplit(5, test_size=0.25, random_state=0).split(X, y))
    return X[train], y[train]


def _model(label, fold):
    if label == "MLPClassifier":
        return MLPClassifier(random_state=fold)
    if label == "LogisticRegression":
        return LogisticRegression(max_iter=1000)
    return HebbSETClassifier(learning_rate_init=float(label.split("=")[1]), random_state=fold)


def _score(name, label, fold, X, y, train, test):
    import numba

    numba.set_num_threads(1)
    pipe = make_pipeline(StandardScaler(), _model(label, fold))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        pipe.fit(X[train], y[train])
        fit_time = time.perf_counter() - t0
    return name, label, 100 * pipe.score(X[test], y[test]), fit_time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-home", required=True)
    ap.add_argument("--steps", default="0.001,0.0015,0.002,0.003")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--n-jobs", type=int, default=1)
    args = ap.parse_args()
    labels = [f"HebbSET lr={s}" for s in args.steps.split(",")]
    labels += ["MLPClassifier", "LogisticRegression"]
    jobs = []
    for name in DATASETS:
        X, y = development_set(name, args.data_home)
        cv = RepeatedStratifiedKFold(n_splits=3, n_repeats=args.repeats, random_state=0)
        for fold, (train, test) in enumerate(cv.split(X, y)):
            jobs += [delayed(_score)(name, label, fold, X, y, train, test) for label in labels]
    rows = Parallel(n_jobs=args.n_jobs)(jobs)
    threads = {k: os.environ.get(k, "unset") for k in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS")}
    print(f"Machine: {platform.machine()}, {os.cpu_count()} logical cores, Python "
          f"{platform.python_version()}, {threads}; 3-fold CV x {args.repeats}.\n")
    print("| model | " + " | ".join(DATASETS) + " | mean |")
    print("|---|" + "---|" * (len(DATASETS) + 1))
    for label in labels:
        means = [np.mean([r[2] for r in rows if r[0] == name and r[1] == label])
                 for name in DATASETS]
        cells = " | ".join(f"{m:.1f}" for m in means)
        print(f"| {label} | {cells} | {np.mean(means):.2f} |")

    def fit_time(name, label):
        return np.median([r[3] for r in rows if r[0] == name and r[1] == label])

    print("\nMedian fit time / MLPClassifier's, same folds and run:\n")
    print("| model | " + " | ".join(DATASETS) + " | largest |")
    print("|---|" + "---|" * (len(DATASETS) + 1))
    for label in labels[:-1]:
        ratios = [fit_time(name, label) / fit_time(name, "MLPClassifier") for name in DATASETS]
        cells = " | ".join(f"{r:.2f}" for r in ratios)
        print(f"| {label} | {cells} | {max(ratios):.2f} |")


if __name__ == "__main__":
    main()
