"""Cost of an epoch with Adam against plain SGD, on the HebbSET paper's MNIST configuration.

784-1000-1000-1000-10, epsilon 20, batch 200, lambda0 0.01, the first 1,800 MNIST
training images scaled per sample; the two networks train in one process and
alternate epoch by epoch (``partial_fit``), so that both see the same machine
load. Writes ``benchmarks/results/optimizer.md``. Run from the repository root::

    python benchmarks/bench_optimizer.py --data-home ../shared/data --epochs 6
"""

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

from skhebb import HebbSETClassifier
from skhebb.datasets import load_mnist
from skhebb.preprocessing import SampleMinMaxScaler

OUT = Path(__file__).parent / "results"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-home", required=True)
    ap.add_argument("--epochs", type=int, default=6)
    args = ap.parse_args()
    X, y = load_mnist(subset="train", data_home=args.data_home, return_X_y=True)
    X = SampleMinMaxScaler().fit_transform(X[:1800].astype(np.float32))
    y = y[:1800]
    classes = np.arange(10)
    nets = {
        "sgd": HebbSETClassifier.from_paper("mnist", random_state=0),
        "adam": HebbSETClassifier.from_paper("mnist", solver="adam", learning_rate_init=1e-3,
                                             random_state=0),
    }
    for net in nets.values():  # compile and allocate first
        net.partial_fit(X, y, classes=classes)
    times = {name: [] for name in nets}
    for _ in range(args.epochs):
        for name, net in nets.items():
            t = time.perf_counter()
            net.partial_fit(X, y)
            times[name].append(time.perf_counter() - t)
    med = {name: float(np.median(v)) for name, v in times.items()}
    ratio = med["adam"] / med["sgd"]
    nnz = sum(c.nnz for c in nets["adam"].coefs_)
    lines = [
        "# Adam against SGD: cost of an epoch",
        "",
        "Command (repository root):",
        "",
        "```",
        f"python benchmarks/bench_optimizer.py --data-home ../shared/data --epochs {args.epochs}",
        "```",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical "
        f"cores (shared with other work), numba threads "
        f"{os.environ.get('NUMBA_NUM_THREADS', 'default')}.",
        "",
        "HebbSET paper's MNIST configuration (784-1000-1000-1000-10, epsilon 20, "
        f"{nnz} connections, batch 200, lambda0 0.01) on 1,800 MNIST images; the SGD and "
        f"the Adam network alternate, {args.epochs} epochs each after one warm-up epoch. "
        "Adam keeps two moment estimates per connection (memory 2 × nnz beside the "
        "weights).",
        "",
        "| solver | median s/epoch | epochs (s) |",
        "|---|---|---|",
    ]
    for name, v in times.items():
        lines.append(f"| {name} | {med[name]:.3f} | {', '.join(f'{t:.3f}' for t in v)} |")
    lines += ["", f"Adam / SGD: {ratio:.3f} (the target: at most 1.25).", ""]
    (OUT / "optimizer.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
