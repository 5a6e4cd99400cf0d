"""Low-shot and accuracy benchmark of SupervisedHebbClassifier on MNIST.

Protocol of Qumsieh (arXiv:2001.01687): train on the first k images of each
digit of the MNIST training file, in file order (unshuffled), one epoch; test
on the 10,000 test images. Pixels are scaled to [0, 1].

Run from the repository root::

    PYTHONPATH=. python benchmarks/bench_low_shot.py --data-home ../shared/data

It prints markdown tables and writes the learning-curve plot to
``benchmarks/results/low_shot_curve.png`` (``--out`` to change).
"""

import argparse
import gzip
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from skhebb.neural_network import SupervisedHebbClassifier

CURVE_SIZES = (1, 2, 5, 10, 20, 60, 100, 200)

# label -> (estimator parameters)
CONFIGS = {
    "threshold 784-10": dict(rule="threshold"),
    "threshold 784-10 cosine": dict(rule="threshold", readout="cosine"),
    "threshold 784-196-10": dict(rule="threshold", hidden_pooling=196),
    "threshold 784-196-10 cosine": dict(rule="threshold", hidden_pooling=196, readout="cosine"),
    "threshold+inhib. 784-10 cosine": dict(rule="threshold", inhibitory=True, readout="cosine"),
    "delta 784-10": dict(rule="delta"),
    "delta 784-196-10": dict(rule="delta", hidden_pooling=196),
    "oja 784-10": dict(rule="oja"),
    "oja 784-196-10": dict(rule="oja", hidden_pooling=196),
}


def _read_idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def _load_mnist(home):
    home = Path(home) / "mnist"
    X_train = _read_idx(home / "train-images-idx3-ubyte.gz", 16).reshape(-1, 784) / 255.0
    y_train = _read_idx(home / "train-labels-idx1-ubyte.gz", 8)
    X_test = _read_idx(home / "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784) / 255.0
    y_test = _read_idx(home / "t10k-labels-idx1-ubyte.gz", 8)
    return X_train, y_train, X_test, y_test


def _first_per_digit(y, k):
    """Indices of the first k images of each digit, kept in file order."""
    return np.sort(np.concatenate([np.flatnonzero(y == d)[:k] for d in range(10)]))


def _fit_score(est, X, y, X_test, y_test):
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    fit_s = time.perf_counter() - t0
    return 100.0 * est.score(X_test, y_test), fit_s


def _references():
    return {
        "LogisticRegression": lambda: LogisticRegression(max_iter=1000),
        "MLPClassifier(100)": lambda: MLPClassifier(max_iter=500, random_state=0),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=os.environ.get("SKHEBB_DATA", "../shared/data"))
    parser.add_argument("--out", default="benchmarks/results/low_shot_curve.png")
    args = parser.parse_args(argv)

    X_train, y_train, X_test, y_test = _load_mnist(args.data_home)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()}")
    # warm the kernels (JIT compilation) so that timings are of training only
    idx = _first_per_digit(y_train, 1)
    for params in CONFIGS.values():
        SupervisedHebbClassifier(**params).fit(X_train[idx], y_train[idx])

    # 1. low shot, one epoch
    print("\n## Low shot: one epoch, first k images per digit, test accuracy (%) on 10k\n")
    print("| configuration | k = 1 | k = 2 | k = 60 | fit time k = 60 (s) |")
    print("|---|---|---|---|---|")
    for label, params in CONFIGS.items():
        row = []
        for k in (1, 2, 60):
            idx = _first_per_digit(y_train, k)
            acc, fit_s = _fit_score(
                SupervisedHebbClassifier(**params), X_train[idx], y_train[idx], X_test, y_test
            )
            row.append(acc)
        print(f"| {label} | {row[0]:.2f} | {row[1]:.2f} | {row[2]:.2f} | {fit_s:.3f} |")

    # 2. best accuracy with 600 images (60 per digit), more epochs
    print("\n## 600 images (60 per digit): test accuracy (%) vs epochs\n")
    print("| configuration | 1 epoch | 5 epochs | 20 epochs |")
    print("|---|---|---|---|")
    idx = _first_per_digit(y_train, 60)
    for label, params in CONFIGS.items():
        accs = [
            _fit_score(
                SupervisedHebbClassifier(**params, max_iter=e),
                X_train[idx], y_train[idx], X_test, y_test,
            )[0]
            for e in (1, 5, 20)
        ]
        print(f"| {label} | " + " | ".join(f"{a:.2f}" for a in accs) + " |")

    # 3. learning curve
    curves = {}
    for label, params in CONFIGS.items():
        curves[label] = []
        for k in CURVE_SIZES:
            idx = _first_per_digit(y_train, k)
            curves[label].append(
                _fit_score(SupervisedHebbClassifier(**params), X_train[idx], y_train[idx],
                           X_test, y_test)[0]
            )
    for label, make in _references().items():
        curves[label] = []
        for k in CURVE_SIZES:
            idx = _first_per_digit(y_train, k)
            curves[label].append(_fit_score(make(), X_train[idx], y_train[idx], X_test, y_test)[0])

    print("\n## Learning curve: test accuracy (%) vs images per digit (one epoch for the "
          "Hebbian rules)\n")
    print("| configuration | " + " | ".join(str(k) for k in CURVE_SIZES) + " |")
    print("|---|" + "---|" * len(CURVE_SIZES))
    for label, accs in curves.items():
        print(f"| {label} | " + " | ".join(f"{a:.1f}" for a in accs) + " |")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.5))
    colors = plt.get_cmap("tab20").colors
    for i, (label, accs) in enumerate(curves.items()):
        style = "--" if label in _references() else "-"
        ax.plot(CURVE_SIZES, accs, style, marker="o", ms=3, color=colors[i % 20], label=label)
    ax.scatter([1, 2, 60], [36.25, 47.62, 70.4], color="k", marker="x", zorder=5,
               label="published (Qumsieh): 784-196-10 at 1 and 60, 784-10 at 2")
    ax.set_xscale("log")
    ax.set_xticks(CURVE_SIZES, [str(k) for k in CURVE_SIZES])
    ax.minorticks_off()
    ax.set_xlabel("training images per digit (first k in file order)")
    ax.set_ylabel("MNIST test accuracy (%)")
    ax.set_title("SupervisedHebbClassifier, one epoch, vs. scikit-learn references")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    print(f"\nplot written to {args.out}")


if __name__ == "__main__":
    main()
