"""Time per epoch of one HebbSET experiment run against numba's thread count.

One run of the Table II protocol on the bundled TOX-171 table (network
5748-2000-2000-2000-4, batch 30, 128 training samples: 5 mini-batches per
epoch), trained with ``partial_fit`` one epoch at a time as
:func:`skhebb.experiments.hebbset_learning_curves` does. The same run is
timed with 1 and with all numba threads, SET and HebbSET, in one process, so
the ratios come from one measurement on the same (possibly shared) machine.

Usage::

    PYTHONPATH=. python benchmarks/bench_experiment_threads.py [--epochs 10] [--repeats 3]
"""

import argparse
import os
import time

import numba
import numpy as np

from skhebb.experiments._hebbset_runs import _prepare, _run, load_hebbset_data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    X, y = load_hebbset_data("tox171")
    X_tr, X_te, y_tr, y_te = _prepare(X, y, "tox171", 0, test_size=0.25, dtype=np.float32)
    classes = np.unique(y)
    every = set(range(args.epochs))
    max_threads = numba.config.NUMBA_NUM_THREADS
    print(f"cores: {os.cpu_count()}, numba threads available: {max_threads}, "
          f"threading layer after warm-up below; load average {os.getloadavg()}")
    for lam in (0.0, 0.01):
        params = dict(hidden_layer_sizes=(2000, 2000, 2000), batch_size=30,
                      hebbian_strength=lam, random_state=0)
        # warm-up: compile or load the cached kernels
        _run(X_tr, y_tr, X_te, y_te, classes, params, 1, {0}, set(), n_threads=1)
        for threads in sorted({1, max_threads}):
            times = []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                _run(X_tr, y_tr, X_te, y_te, classes, params, args.epochs, every, set(),
                     n_threads=threads)
                times.append((time.perf_counter() - t0) / args.epochs)
            print(f"lambda0={lam:<5} threads={threads}: "
                  f"{min(times):.3f} s/epoch (best of {args.repeats}), "
                  f"median {np.median(times):.3f}")
    print("threading layer:", numba.threading_layer())


if __name__ == "__main__":
    main()
