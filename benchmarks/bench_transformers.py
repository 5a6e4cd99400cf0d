"""Benchmarks of the unsupervised Hebbian transformers (not run by CI).

Two parts:

``scaling``
    Time of one epoch (one pass in mini-batches) of HebbianPCA, SoftWTA and
    LateralInhibitionSelectors against n_samples and n_features, next to
    IncrementalPCA (one ``fit`` = one pass) and MiniBatchKMeans (one pass of
    ``partial_fit`` calls) on the same data, same batch size, same number of
    units; ratios are taken within one run.
``mnist``
    Feature selectors + ``LogisticRegression`` read-out trained on the MNIST
    training images and tested on the 10k test images: rule "sanger" with 64
    selectors (the paper's setting, published 79.32 %), and rule "krotov" with
    many units.
``softwta``
    ``SoftWTA(n_components=k, max_iter=1).fit`` on the first ``--n-train``
    MNIST training images for k in ``--units`` (k-means++ seeding on a
    subsample of up to 100 k rows, then one pass), next to
    ``MiniBatchKMeans(k, n_init=1, max_iter=1)`` on the same images.

Usage::

    PYTHONPATH=. python benchmarks/bench_transformers.py scaling
    PYTHONPATH=. python benchmarks/bench_transformers.py mnist --data-home ../shared/data
    PYTHONPATH=. python benchmarks/bench_transformers.py softwta --data-home ../shared/data \
        --n-train 10000 --units 100 1000
"""

import argparse
import gzip
import platform
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import IncrementalPCA
from sklearn.linear_model import LogisticRegression

from skhebb import HebbianPCA, LateralInhibitionSelectors, SoftWTA


def load_mnist(data_home, kind):
    prefix = "train" if kind == "train" else "t10k"
    folder = Path(data_home) / "mnist"
    with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz") as f:
        X = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
    return X / 255.0, y


def best_of(func, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def epoch_timers(X, k, batch):
    """One-pass timers for each estimator; every model is initialised (and compiled) first."""
    hpca = HebbianPCA(n_components=k, batch_size=batch, random_state=0).partial_fit(X[:batch])
    wta = SoftWTA(n_components=k, batch_size=batch, random_state=0).partial_fit(X[:batch])
    li = LateralInhibitionSelectors(n_selectors=k, batch_size=batch, random_state=0)
    li.partial_fit(X[:batch])
    mbk = MiniBatchKMeans(n_clusters=k, batch_size=batch, n_init=1, random_state=0)
    mbk.partial_fit(X[:batch])

    def mbk_epoch():
        for s in range(0, X.shape[0], batch):
            mbk.partial_fit(X[s : s + batch])

    return {
        "HebbianPCA": lambda: hpca.partial_fit(X),
        "IncrementalPCA": lambda: IncrementalPCA(n_components=k, batch_size=batch).fit(X),
        "SoftWTA": lambda: wta.partial_fit(X),
        "MiniBatchKMeans": mbk_epoch,
        "LateralInhibitionSelectors": lambda: li.partial_fit(X),
    }


def scaling(args):
    rng = np.random.default_rng(0)
    grid = [(n, 64) for n in (2000, 8000, 32000)] + [(8000, d) for d in (256, 784)]
    print(f"k = {args.k} units, batch = {args.batch}, best of {args.repeat}, seconds per epoch")
    header = None
    for n, d in grid:
        X = rng.normal(size=(n, d))
        timers = epoch_timers(X, args.k, args.batch)
        row = {name: best_of(f, args.repeat) for name, f in timers.items()}
        if header is None:
            header = list(row)
            print("| n_samples | n_features | " + " | ".join(header) + " | HPCA/IPCA | WTA/MBK |")
            print("|---" * (len(header) + 4) + "|")
        cells = " | ".join(f"{row[h]:.4f}" for h in header)
        r1 = row["HebbianPCA"] / row["IncrementalPCA"]
        r2 = row["SoftWTA"] / row["MiniBatchKMeans"]
        print(f"| {n} | {d} | {cells} | {r1:.2f} | {r2:.2f} |", flush=True)


def readout_accuracy(sel, X, y, X_test, y_test, max_iter):
    t0 = time.perf_counter()
    sel.fit(X)
    t_fit = time.perf_counter() - t0
    H, H_test = sel.transform(X), sel.transform(X_test)
    wins = np.bincount(H.argmax(axis=1), minlength=H.shape[1])
    t0 = time.perf_counter()
    clf = LogisticRegression(max_iter=max_iter).fit(H, y)
    t_clf = time.perf_counter() - t0
    return clf.score(H_test, y_test), t_fit, t_clf, wins


def mnist(args):
    X, y = load_mnist(args.data_home, "train")
    X_test, y_test = load_mnist(args.data_home, "test")
    if args.n_train:
        X, y = X[: args.n_train], y[: args.n_train]
    print(f"MNIST: {X.shape[0]} training images, {X_test.shape[0]} test images")
    if "sanger" in args.rules:
        for lam in args.inhibitions:
            sel = LateralInhibitionSelectors(n_selectors=64, inhibition=lam, random_state=0)
            acc, t_fit, t_clf, wins = readout_accuracy(sel, X, y, X_test, y_test, 1000)
            print(
                f"sanger, 64 selectors, lambda={lam}: test accuracy {acc:.4f} "
                f"(fit {t_fit:.1f} s, read-out {t_clf:.1f} s, dead selectors "
                f"{int((wins == 0).sum())})",
                flush=True,
            )
    if "krotov" in args.rules:
        sel = LateralInhibitionSelectors(
            n_selectors=args.krotov_units,
            rule="krotov",
            p=3.0,
            k=7,
            delta=0.4,
            inhibition=args.krotov_inhibition,
            learning_rate=0.04,
            batch_size=100,
            max_iter=args.krotov_epochs,
            schedule="linear",
            random_state=0,
            verbose=1,
        )
        acc, t_fit, t_clf, wins = readout_accuracy(sel, X, y, X_test, y_test, args.readout_iter)
        print(
            f"krotov, {args.krotov_units} units, {args.krotov_epochs} epochs, "
            f"lambda={args.krotov_inhibition}: test accuracy {acc:.4f} (fit {t_fit:.1f} s, "
            f"read-out {t_clf:.1f} s, dead units {int((wins == 0).sum())})",
            flush=True,
        )


def softwta(args):
    X, _ = load_mnist(args.data_home, "train")
    X = X[: args.n_train or None].astype(np.float32)
    SoftWTA(n_components=4, max_iter=1, random_state=0).fit(X[:256])  # compile
    print(f"{len(X)} images\n")
    print("| units | SoftWTA fit, 1 epoch (s) | MiniBatchKMeans fit, 1 pass (s) |")
    print("|---|---|---|")
    for k in args.units:
        t0 = time.perf_counter()
        SoftWTA(n_components=k, max_iter=1, random_state=0).fit(X)
        t_wta = time.perf_counter() - t0
        t0 = time.perf_counter()
        MiniBatchKMeans(k, n_init=1, max_iter=1, random_state=0).fit(X)
        t_km = time.perf_counter() - t0
        print(f"| {k} | {t_wta:.2f} | {t_km:.2f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["scaling", "mnist", "softwta"])
    parser.add_argument("--k", type=int, default=16)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-home", default=Path(__file__).resolve().parents[2] / "shared/data")
    parser.add_argument("--n-train", type=int, default=0, help="0: all 60,000 images")
    parser.add_argument("--rules", nargs="+", default=["sanger", "krotov"])
    parser.add_argument("--inhibitions", nargs="+", type=float, default=[10.0])
    parser.add_argument("--krotov-units", type=int, default=2000)
    parser.add_argument("--krotov-epochs", type=int, default=20)
    parser.add_argument("--krotov-inhibition", type=float, default=4.5)
    parser.add_argument("--readout-iter", type=int, default=300)
    parser.add_argument("--units", nargs="+", type=int, default=[100, 1000])
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}")
    {"scaling": scaling, "mnist": mnist, "softwta": softwta}[args.part](args)


if __name__ == "__main__":
    main()
