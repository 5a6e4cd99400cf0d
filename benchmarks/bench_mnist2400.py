"""MNIST-2400 on the reference code's split: HebbSET's defaults, MLPClassifier, and the paper
configuration scored directly after ``fit``.

Each seed draws 2,400 training and 400 test images (the public reference code's split, as
``hebbset_reference_split.py``). On the same draw it scores
``make_pipeline(StandardScaler(), HebbSETClassifier())`` and ``make_pipeline(StandardScaler(),
MLPClassifier())`` with their defaults, and ``HebbSETClassifier.from_paper("mnist")`` (λ0 = 0.01,
per-sample scaling) after ``fit(max_iter=50)`` and ``fit(max_iter=250)``, with the paper's final
prune and without it (``final_prune=False``).

    PYTHONPATH=. python benchmarks/bench_mnist2400.py --data-home ../shared/data --seeds 5

``--defaults-only`` runs the first two models alone (the paper configuration's rows do not
depend on the defaults and take most of the time).
"""

import argparse
import platform
import time
import warnings

import numpy as np
from hebbset_reference_split import reference_split  # the script's folder is on sys.path
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skhebb import HebbSETClassifier
from skhebb.preprocessing import SampleMinMaxScaler


def _models(defaults_only=False):
    yield "HebbSET defaults", lambda s: make_pipeline(
        StandardScaler(), HebbSETClassifier(random_state=s))
    yield "MLPClassifier defaults", lambda s: make_pipeline(
        StandardScaler(), MLPClassifier(random_state=s))
    if defaults_only:
        return
    for epochs in (50, 250):
        for prune in (True, False):
            name = f"paper config, fit(max_iter={epochs}), final_prune={prune}"
            yield name, lambda s, e=epochs, p=prune: make_pipeline(
                SampleMinMaxScaler(),
                HebbSETClassifier.from_paper("mnist", max_iter=e, final_prune=p, random_state=s))


def run(seed, data_home, defaults_only):
    import numba

    numba.set_num_threads(1)
    Xtr, ytr, Xte, yte = reference_split(seed, data_home)
    rows = []
    for name, make in _models(defaults_only):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t0 = time.perf_counter()
            model = make(seed).fit(Xtr, ytr)
            fit_s = time.perf_counter() - t0
        rows.append((name, seed, 100 * model.score(Xte, yte), fit_s))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-home", required=True)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--defaults-only", action="store_true")
    args = ap.parse_args()
    runs = Parallel(n_jobs=args.n_jobs)(
        delayed(run)(seed, args.data_home, args.defaults_only) for seed in range(args.seeds))
    rows = [r for rs in runs for r in rs]
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, "
          f"{args.seeds} seeds, one thread per run.\n")
    print("| model | test accuracy % (mean ± std) | median fit time (s) |\n|---|---|---|")
    for name, _ in _models(args.defaults_only):
        acc = [r[2] for r in rows if r[0] == name]
        fit = [r[3] for r in rows if r[0] == name]
        print(f"| {name} | {np.mean(acc):.1f} ± {np.std(acc):.1f} | {np.median(fit):.1f} |")


if __name__ == "__main__":
    main()
