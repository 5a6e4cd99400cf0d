"""Speed and memory of HebbSETClassifier (SET and HebbSET).

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/bench_hebbset.py [--quick] [--sizes 1000,4000,16000,64000]
        [--parts ab,c,t] [--dtype float32|float64]

Parts
  a. seconds per epoch, MNIST configuration (784-1000-1000-1000-10, batch 200,
     1,800 training images) and Lung configuration (3312-2000-2000-2000-5,
     batch 30, 152 random samples), SET (hebbian_strength=0) and HebbSET
     (hebbian_strength=0.01): median over epochs after compilation;
  b. in the same run, a dense NumPy implementation of the same step on masked
     matrices, and sklearn's MLPClassifier (dense, SGD) per epoch, with ratios;
  c. scaling 784-H-H-H-10, epsilon=20, one subprocess per H: s/epoch, peak
     RSS (VmHWM of the subprocess; ru_maxrss where /proc is missing), nnz and
     nanoseconds per connection and sample (s/epoch / (nnz x 1,800)); the dtype
     of X (``--dtype``, float32 by default) decides the network's;
  plus a per-kernel profile of one HebbSET epoch of the MNIST configuration;
  t. tiles of samples: one H x H layer (epsilon=20, batch 200, Hebbian term,
     back-propagation), nanoseconds per connection and sample of ``forward`` and
     ``fused_update`` in one tile (the default) and in tiles of ``tile_width``
     (L2-sized), best of 5 calls, for each H of --sizes and the --dtype.
The networks of parts a and b are float32, as the SET reference code.

OMP_WAIT_POLICY=passive is set below (before numba loads): on a shared,
oversubscribed machine, OpenMP's default spin-waiting made every parallel
region cost ~16 ms; passive waiting costs ~10 µs.
"""

import argparse
import cProfile
import gzip
import json
import os
import pstats
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from skhebb import HebbSETClassifier  # noqa: E402


def load_mnist(n, data_home):
    with gzip.open(Path(data_home) / "mnist" / "train-images-idx3-ubyte.gz") as f:
        X = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(Path(data_home) / "mnist" / "train-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    idx = np.random.default_rng(0).choice(len(y), n, replace=False)
    X = X[idx].astype(np.float32)
    X -= X.min(1, keepdims=True)
    X /= X.max(1, keepdims=True) + 1e-4
    return X, y[idx].astype(np.int64)


def random_data(n, d, k, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, d), dtype=np.float32), rng.integers(0, k, n)


def epochs_time(clf, X, y, n_epochs):
    """Median seconds of partial_fit epochs (one pass + evolution) after one warm-up epoch."""
    clf.partial_fit(X, y, classes=np.unique(y))
    times = []
    for _ in range(n_epochs):
        t = time.perf_counter()
        clf.partial_fit(X, y)
        times.append(time.perf_counter() - t)
    return float(np.median(times)), times


# ---------------------------------------------------------------- dense NumPy
def dense_epoch(Ws, Ms, bs, X, y, batch, lam, lr=0.02, mu=0.9, decay=2e-4, V=None):
    """The same HebbSET step with dense masked float32 matrices (sample-major)."""
    n_cls = Ws[-1].shape[1]
    for s in range(0, len(X), batch):
        xb, yb = X[s : s + batch], y[s : s + batch]
        acts = [xb]
        for k, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            z = acts[-1] @ W + b
            acts.append(1 / (1 + np.exp(-z)) if k == len(Ws) - 1 else np.maximum(z, 0))
        T = np.zeros((len(yb), n_cls), np.float32)
        T[np.arange(len(yb)), yb] = 1
        a = acts[-1]
        delta = (a - T) * a * (1 - a)
        for k in range(len(Ws) - 1, -1, -1):
            G = (acts[k].T @ delta) / len(yb)
            step = -lr * G * Ms[k]
            if lam:
                P = acts[k] - acts[k].min(0)
                P /= acts[k].max(0) - acts[k].min(0) + 1e-4
                Q = acts[k + 1] - acts[k + 1].min(0)
                Q /= acts[k + 1].max(0) - acts[k + 1].min(0) + 1e-4
                Q -= Q.mean(0)
                H = (P.T @ Q) / len(yb) * Ms[k]
            new_delta = (delta @ Ws[k].T) * (acts[k] > 0) if k else None
            V[k] = mu * V[k] + step
            Ws[k] += V[k] - decay * Ws[k]
            if lam:
                Ws[k] += lam * H
            bs[k] -= lr * delta.mean(0)
            delta = new_delta


def dense_time(sizes, eps, X, y, batch, lam, n_epochs):
    rng = np.random.default_rng(0)
    Ws, Ms, bs, V = [], [], [], []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        p = min(1.0, eps * (a + b) / (a * b))
        M = (rng.random((a, b)) < p).astype(np.float32)
        Ws.append((rng.standard_normal((a, b), dtype=np.float32) * 0.1) * M)
        Ms.append(M)
        bs.append(np.zeros(b, np.float32))
        V.append(np.zeros((a, b), np.float32))
    times = []
    for _ in range(n_epochs):
        t = time.perf_counter()
        dense_epoch(Ws, Ms, bs, X, y, batch, lam, V=V)
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def mlp_time(hidden, X, y, batch, n_epochs):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden, solver="sgd", batch_size=batch, learning_rate_init=0.02,
                        random_state=0)
    classes = np.unique(y)
    clf.partial_fit(X, y, classes=classes)
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(n_epochs):
            t = time.perf_counter()
            clf.partial_fit(X, y)
            times.append(time.perf_counter() - t)
    return float(np.median(times))


# ---------------------------------------------------------------- parts
def part_a_b(data_home, n_epochs, out):
    X, y = load_mnist(1800, data_home)
    Xl, yl = random_data(152, 3312, 5)
    configs = {
        "MNIST 784-1000-1000-1000-10, batch 200, 1800 samples": (X, y, (1000, 1000, 1000), 200),
        "Lung 3312-2000-2000-2000-5, batch 30, 152 samples": (Xl, yl, (2000, 2000, 2000), 30),
    }
    rows = []
    for name, (Xc, yc, hidden, batch) in configs.items():
        res = {"config": name}
        for label, lam in [("SET", 0.0), ("HebbSET", 0.01)]:
            clf = HebbSETClassifier.from_paper("mnist", hidden_layer_sizes=hidden,
                                               batch_size=batch, hebbian_strength=lam,
                                               random_state=0)
            res[label], res[label + "_all"] = epochs_time(clf, Xc, yc, n_epochs)
            res["nnz"] = sum(c.nnz for c in clf.coefs_)
        sizes = [Xc.shape[1], *hidden, len(np.unique(yc))]
        n_short = max(2, n_epochs // 2)
        res["dense_numpy_HebbSET"] = dense_time(sizes, 20, Xc, yc, batch, 0.01, n_short)
        res["dense_numpy_SET"] = dense_time(sizes, 20, Xc, yc, batch, 0.0, n_short)
        res["MLPClassifier"] = mlp_time(hidden, Xc, yc, batch, n_short)
        rows.append(res)
        print(json.dumps({k: v for k, v in res.items() if not k.endswith("_all")}), flush=True)
    out["ab"] = rows
    # per-kernel profile of HebbSET epochs, MNIST configuration
    clf = HebbSETClassifier.from_paper("mnist", random_state=0)
    clf.partial_fit(X, y, classes=np.unique(y))
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(3):
        clf.partial_fit(X, y)
    prof.disable()
    st = pstats.Stats(prof)
    kernels = {}
    for (file, _, fn), (_, _, tt, ct, _) in st.stats.items():
        steps = ("_snapshot", "_batch_step", "_end_epoch", "_forward", "_input_block")
        if "_core" in file or fn in steps:
            kernels[fn] = kernels.get(fn, 0) + (tt if "_core" in file else ct) / 3
    out["profile"] = dict(sorted(kernels.items(), key=lambda kv: -kv[1]))
    print(json.dumps(out["profile"]), flush=True)


def one_size(H, n_epochs, dtype="float32"):
    """Run in a subprocess: s/epoch and peak RSS of 784-H-H-H-10 on 1,800 random MNIST-like rows."""
    X, y = random_data(1800, 784, 10)
    X = X.astype(dtype)
    clf = HebbSETClassifier.from_paper("mnist", hidden_layer_sizes=(H, H, H), random_state=0)
    t = time.perf_counter()
    med, times = epochs_time(clf, X, y, n_epochs)
    total = time.perf_counter() - t
    # VmHWM (peak RSS of this process image); ru_maxrss would be wrong here because
    # Linux keeps the parent's maximum across fork + exec.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024**2  # KiB -> GiB
    nnz = int(sum(c.nnz for c in clf.coefs_))
    print(json.dumps({"H": H, "dtype": str(X.dtype), "s_per_epoch": med, "epochs": times,
                      "wall_total": total, "peak_rss_GiB": rss, "nnz": nnz,
                      "ns_per_connection_sample": med / (nnz * X.shape[0]) * 1e9,
                      "loadavg": os.getloadavg()}))


def layer_tiles(H, dtype, n=200):
    """ns per connection and sample of both kernels on one H x H layer, one tile vs L2 tiles."""
    from skhebb._core.activations import ACTIVATIONS, row_stats
    from skhebb._core.optim import SGD, hyper_parameters
    from skhebb._core.sparse import build_csc, forward, fused_update, tile_width
    from skhebb._core.topology import er_probability, erdos_renyi

    dt = np.dtype(dtype)
    relu = ACTIVATIONS["relu"]
    gen = np.random.default_rng(1)
    ip, ix, d = erdos_renyi(gen, H, H, er_probability(H, H, 20), np.empty(0, dt), 0.1)
    csc = build_csc(ip, ix, H)
    rng = np.random.default_rng(0)
    a = rng.random((H, n)).astype(dt)
    out, c = np.empty((H, n), dt), np.empty((H, n), dt)
    m, mu, inv = (np.empty(H, dt) for _ in range(3))
    delta = rng.standard_normal((H, n)).astype(dt)
    d_in = np.empty((H, n), dt)
    state, hyper = np.zeros((0, ix.shape[0]), dt), hyper_parameters(SGD, 1e-6)
    work = np.empty((2, ix.shape[0]), dt)
    row_stats(a, m, mu, inv, c)
    tiles = {"forward": tile_width(H, n, dt.itemsize),
             "fused_update": tile_width(2 * H, n, dt.itemsize)}
    calls = {
        "forward": lambda t: forward(a, *csc, d, np.zeros(H, dt), relu, out, m, mu, inv, c,
                                     t, work[0]),
        "fused_update": lambda t: fused_update(a, m, inv, c, inv, delta, ip, ix, d, state,
                                               hyper, 0.01, relu, d_in, t, work),
    }
    row = {"H": H, "dtype": dtype, "nnz": int(ix.shape[0])}
    for name, call in calls.items():
        for label, tile in (("one_tile", 0), ("l2_tiles", tiles[name])):
            call(tile)
            times = []
            for _ in range(5):
                t = time.perf_counter()
                call(tile)
                times.append(time.perf_counter() - t)
            row[f"{name}_{label}_ns"] = min(times) / (ix.shape[0] * n) * 1e9
        row[f"{name}_tile_width"] = int(tiles[name])
    row["loadavg"] = os.getloadavg()
    return row


def part_t(sizes, dtype, out):
    rows = []
    for H in sizes:
        rows.append(layer_tiles(H, dtype))
        print(json.dumps(rows[-1]), flush=True)
    out["tiles"] = rows


def part_c(sizes, n_epochs, out, dtype="float32"):
    rows = []
    for H in sizes:
        epochs = n_epochs if H <= 16000 else 1
        proc = subprocess.run(
            [sys.executable, __file__, "--one-size", str(H), "--epochs", str(epochs),
             "--dtype", dtype],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if not line:
            print(proc.stderr[-2000:], file=sys.stderr)
            continue
        rows.append(json.loads(line[-1]))
        print(line[-1], flush=True)
    out["scaling"] = rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-home", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--sizes", default="1000,4000,16000,64000")
    ap.add_argument("--parts", default="ab,c")
    ap.add_argument("--one-size", type=int, default=None)
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"],
                    help="dtype of X in part c, hence of the network; dtype of part t")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if args.one_size:
        one_size(args.one_size, args.epochs, args.dtype)
        return
    import numba

    out = {"threads": numba.get_num_threads(), "threading_layer": None, "cpus": os.cpu_count(),
           "loadavg_start": os.getloadavg()}
    if "ab" in args.parts:
        part_a_b(args.data_home, args.epochs, out)
    out["threading_layer"] = numba.threading_layer()
    if "t" in args.parts:
        part_t([int(s) for s in args.sizes.split(",")], args.dtype, out)
    if "c" in args.parts:
        part_c([int(s) for s in args.sizes.split(",")], args.epochs, out, args.dtype)
    out["loadavg_end"] = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
