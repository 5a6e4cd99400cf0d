"""HebbSET with a million hidden neurons: seconds per epoch and peak memory on MNIST-2400.

The paper configuration (``HebbSETClassifier.from_paper("mnist")``) with three hidden
layers of H units, ε = 20: at H = 333,333 that is 784-333333-333333-333333-10, about
40 million connections. Data: the 2,400 training images of the reference split
(``hebbset_reference_split.reference_split``, seed 0; read here straight from the
IDX file so that the full training set never sits in memory as floats), scaled per
sample to [0, 1] as in the paper.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/bench_million.py --data-home ../shared/data \\
        [--epochs 3] [--runs 333333:float32,333333:float64] \\
        [--json benchmarks/results/million.json] [--plot benchmarks/results/million_scaling.png]

Each run (H and dtype) is a fresh subprocess: ``partial_fit`` epochs one after the
other (the first one also builds the network; SET's evolution of an epoch happens
at the start of the next one), the seconds of each, and the peak resident memory
of the process (VmHWM from /proc/self/status) after each epoch. With ``--plot``,
the float32 runs are drawn as connections against seconds per epoch (the median
of the epochs after the first), log-log.

OMP_WAIT_POLICY=passive is set before numba loads, as in ``bench_hebbset.py``.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def mnist_2400(data_home, seed=0):
    """The 2,400 training images of ``reference_split(seed)``, uint8, and their labels."""
    folder = Path(data_home) / "mnist"
    with gzip.open(folder / "train-images-idx3-ubyte.gz") as f:
        X = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(folder / "train-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    rows = np.random.RandomState(seed).permutation(len(y))[:2400]
    return X[rows].copy(), y[rows].astype(np.int64)


def _status(field):
    """A ``/proc/self/status`` entry in GiB (None where /proc is missing)."""
    path = Path("/proc/self/status")
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024**2
    return None


def one_run(H, dtype, n_epochs, data_home):
    """In a subprocess: epochs of the paper configuration with hidden layers of ``H`` units."""
    from skhebb import HebbSETClassifier
    from skhebb.preprocessing import SampleMinMaxScaler

    X8, y = mnist_2400(data_home)
    X = SampleMinMaxScaler().fit_transform(X8.astype(dtype))
    del X8
    clf = HebbSETClassifier.from_paper("mnist", hidden_layer_sizes=(H, H, H), random_state=0)
    epochs, hwm = [], []
    for epoch in range(n_epochs):
        t = time.perf_counter()
        if epoch == 0:
            clf.partial_fit(X, y, classes=np.arange(10))
        else:
            clf.partial_fit(X, y)
        epochs.append(time.perf_counter() - t)
        hwm.append(_status("VmHWM"))
    coefs = clf.coefs_
    nnz = int(sum(c.nnz for c in coefs))
    network = sum(c.data.nbytes + c.indices.nbytes + c.indptr.nbytes for c in coefs)
    orders = sum(a.nbytes for order in clf._layer_orders() for a in order)
    state = sum(s.nbytes for s in clf._opt_coefs)
    print(json.dumps({
        "H": H, "dtype": str(X.dtype), "nnz": nnz, "samples": X.shape[0],
        "epochs_s": epochs, "s_per_epoch": float(np.median(epochs[1:] or epochs)),
        "vmhwm_after_epoch_GiB": hwm, "peak_GiB": max(h for h in hwm if h is not None),
        "network_GiB": network / 1024**3, "csc_GiB": orders / 1024**3,
        "optimizer_state_GiB": state / 1024**3, "loadavg": os.getloadavg(),
        "threads": __import__("numba").get_num_threads(),
    }), flush=True)


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted((r for r in rows if r["dtype"] == "float32"), key=lambda r: r["nnz"])
    nnz = np.array([r["nnz"] for r in rows], float)
    sec = np.array([r["s_per_epoch"] for r in rows])
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.loglog(nnz, sec, "o-", label="HebbSET, float32")
    ax.loglog(nnz, sec[0] * nnz / nnz[0], ":", color="gray", label="linear in connections")
    for r in rows:
        ax.annotate(f"H={r['H']:,}", (r["nnz"], r["s_per_epoch"]), textcoords="offset points",
                    xytext=(4, -10), fontsize=7)
    ax.set_xlabel("connections")
    ax.set_ylabel("seconds per epoch (2,400 images)")
    ax.set_title("784-H-H-H-10, ε = 20, batch 200", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-home", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--runs", default="333333:float32,333333:float64",
                    help="comma-separated H:dtype pairs, each run in its own process")
    ap.add_argument("--json", default=None, help="write the results here (appends to a list)")
    ap.add_argument("--plot", default=None, help="draw the float32 runs of --json here")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        H, dtype = args.one.split(":")
        one_run(int(H), dtype, args.epochs, args.data_home)
        return
    rows = []
    if args.json and Path(args.json).exists():
        rows = json.loads(Path(args.json).read_text())
    for spec in filter(None, args.runs.split(",")):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", spec, "--epochs", str(args.epochs),
             "--data-home", args.data_home],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            print(proc.stderr[-3000:], file=sys.stderr)
            continue
        row = json.loads(lines[-1])
        print(lines[-1], flush=True)
        rows = [r for r in rows if (r["H"], r["dtype"]) != (row["H"], row["dtype"])] + [row]
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1))
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
