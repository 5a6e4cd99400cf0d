"""One Krotov–Hopfield epoch against the two dense products it stands for (not run by CI).

An epoch of ``LateralInhibitionSelectors(rule="krotov")`` over ``n`` samples of
``d`` features with ``m`` units does the work of the two matrix products
``(n x d) @ (d x m)`` (the currents) and ``(m x n) @ (n x d)`` (the update, in
the dense formulation). This script times, in one run and alternating, one
epoch (``partial_fit`` over the data in mini-batches, the estimator set up and
compiled beforehand) and those two NumPy products on the same arrays, and
prints the ratio. Synthetic data in [0, 1] of MNIST's shape by default.

Usage::

    PYTHONPATH=. python benchmarks/bench_krotov.py                    # 60,000 x 784, 2,000 units
    PYTHONPATH=. python benchmarks/bench_krotov.py --dtype float32 --repeat 5
"""

import argparse
import os
import platform
import time

import numpy as np

from skhebb.competitive import LateralInhibitionSelectors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=60_000)
    parser.add_argument("--n-features", type=int, default=784)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    threads = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}
    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, threads {threads}, numpy {np.__version__}")
    rng = np.random.default_rng(0)
    X = rng.random((args.n_samples, args.n_features)).astype(args.dtype)
    sel = LateralInhibitionSelectors(
        n_selectors=args.units, rule="krotov", learning_rate=0.04, batch_size=args.batch,
        shuffle=False, random_state=0,
    ).partial_fit(X[: args.batch])  # initialised and compiled
    W = np.ascontiguousarray(sel.components_)

    def products():
        current = X @ W.T
        return current.T @ X

    def epoch():
        sel.partial_fit(X)

    print(f"{args.n_samples} x {args.n_features}, {args.units} units, batch {args.batch}, "
          f"{args.dtype}; seconds")
    print("| repeat | two NumPy products | Krotov epoch | ratio |")
    print("|---|---|---|---|")
    best_p = best_e = np.inf
    for r in range(args.repeat):
        t0 = time.perf_counter()
        products()
        t_p = time.perf_counter() - t0
        t0 = time.perf_counter()
        epoch()
        t_e = time.perf_counter() - t0
        best_p, best_e = min(best_p, t_p), min(best_e, t_e)
        print(f"| {r + 1} | {t_p:.2f} | {t_e:.2f} | {t_e / t_p:.2f} |", flush=True)
    print(f"| best | {best_p:.2f} | {best_e:.2f} | {best_e / best_p:.2f} |")


if __name__ == "__main__":
    main()
